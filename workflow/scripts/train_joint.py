from pathlib import Path

from xstilts.glue import checkpoint_dir, run_job, runtime
from xstilts.jobs import recipe_inputs, train_model


def job(s):
    target, tasks = s.wildcards.target, s.params.recipe["tasks"]
    train, _, _, _ = recipe_inputs(s.input, tasks, prefix="recipe_")  # recipe tasks: no selection on their dev
    train_model(
        [target, *tasks],
        s.input.encoder,
        train_features={target: s.input.train, **train},
        dev_features={target: s.input.dev or None},
        dev_data={target: s.input.dev_data or None},
        hp=s.params.hparams,
        sampling=s.params.recipe["sampling"],
        seed=int(s.wildcards.seed),
        out_dir=str(Path(s.output.metrics).parent),
        save="model",
        checkpoint_dir=checkpoint_dir(s),
        runtime=runtime(s),
    )


run_job(snakemake, job)
