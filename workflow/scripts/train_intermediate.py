from pathlib import Path

from xstilts.glue import checkpoint_dir, run_job, runtime
from xstilts.jobs import recipe_inputs, train_model


def job(s):
    train, dev, dev_data, mlm = recipe_inputs(s.input, s.params.tasks)
    train_model(
        s.params.tasks,
        s.input.encoder,
        train_features=train,
        dev_features=dev,
        dev_data=dev_data,
        hp=s.params.hparams,
        sampling=s.params.recipe["sampling"],
        mlm=mlm and {**s.params.recipe["mlm"], "features": mlm},
        seed=int(s.wildcards.seed),
        out_dir=str(Path(s.output.metrics).parent),
        save="encoder",
        checkpoint_dir=checkpoint_dir(s),
        runtime=runtime(s),
    )


run_job(snakemake, job)
