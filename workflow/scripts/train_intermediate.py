from pathlib import Path

from xstilts.jobs import checkpoint_dir, run_job, runtime, train_model


def job(s):
    tasks = s.params.tasks
    train_model(
        tasks, s.input.encoder,
        train_features={t: s.input[f"train_{t}"] for t in tasks},
        dev_features={t: s.input[f"dev_{t}"] for t in tasks},
        dev_data={t: s.input[f"devdata_{t}"] for t in tasks},
        hp=s.params.hp, sampling=s.params.sampling, seed=int(s.wildcards.seed),
        out_dir=str(Path(s.output.metrics).parent), save="encoder",
        checkpoint_dir=checkpoint_dir(s), runtime=runtime(s),
    )


run_job(snakemake, job)
