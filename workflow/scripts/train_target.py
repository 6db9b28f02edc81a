from pathlib import Path

from xstilts.glue import checkpoint_dir, run_job, runtime
from xstilts.jobs import train_model


def job(s):
    target = s.wildcards.target
    train_model(
        [target],
        s.input.encoder,
        train_features={target: s.input.train},
        dev_features={target: s.input.dev or None},
        dev_data={target: s.input.dev_data or None},
        hp=s.params.hparams,
        seed=int(s.wildcards.seed),
        out_dir=str(Path(s.output.metrics).parent),
        save="model",
        checkpoint_dir=checkpoint_dir(s),
        runtime=runtime(s),
    )


run_job(snakemake, job)
