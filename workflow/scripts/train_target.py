from pathlib import Path

from xstilts.jobs import run_job, runtime, train_model


def job(s):
    target, rt = s.wildcards.target, runtime(s)
    hp = {**s.params.hp, "log_every": rt["log_every"], "checkpoint_every": rt["checkpoint_every"]}
    out = Path(s.output.metrics).parent
    train_model(
        [target], s.params.encoder,
        train_features={target: s.input.train},
        dev_features={target: s.input.dev or None},
        dev_data={target: s.input.dev_data or None},
        hp=hp, seed=int(s.wildcards.seed), out_dir=str(out), save="model",
        checkpoint_dir=f"{s.config['results_dir']}/checkpoints/target/{s.wildcards.row}.{target}.seed{s.wildcards.seed}",
        eval_batch_size=rt["eval_batch_size"], device_name=rt["device"],
    )


run_job(snakemake, job)
