from pathlib import Path

from xstilts.jobs import run_job, runtime, train_model


def job(s):
    tasks = s.params.tasks
    rt = runtime(s)
    hp = {**s.params.hp, "log_every": rt["log_every"], "checkpoint_every": rt["checkpoint_every"]}
    out = Path(s.output.metrics).parent
    train_model(
        tasks, s.params.base,
        train_features={t: s.input[f"train_{t}"] for t in tasks},
        dev_features={t: s.input[f"dev_{t}"] for t in tasks},
        dev_data={t: s.input[f"devdata_{t}"] for t in tasks},
        hp=hp, seed=int(s.wildcards.seed), out_dir=str(out), save="encoder",
        checkpoint_dir=f"{s.config['results_dir']}/checkpoints/intermediate/{s.wildcards.inter}.seed{s.wildcards.seed}",
        eval_batch_size=rt["eval_batch_size"], device_name=rt["device"],
    )


run_job(snakemake, job)
