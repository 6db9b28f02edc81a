from xstilts.glue import run_job
from xstilts.jobs import toy_world


def job(s):
    toy_world(out_dir=s.output[0], seed=s.params.seed, scale=s.params.scale, workers=s.threads)


run_job(snakemake, job, ml_stack=False)
