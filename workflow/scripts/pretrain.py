from xstilts.jobs import pretrain, run_job, runtime


def job(s):
    hp = {**s.params.hp, "log_every": runtime(s)["log_every"], "checkpoint_every": runtime(s)["checkpoint_every"]}
    pretrain(s.input.world, s.input.tokenizer, s.output[0], s.params.arch, hp, s.params.seed,
             runtime(s)["device"], checkpoint_dir=f"{s.config['results_dir']}/checkpoints/pretrain")


run_job(snakemake, job)
