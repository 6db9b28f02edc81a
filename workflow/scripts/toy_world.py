from xstilts.glue import run_job
from xstilts.jobs import toy_world

run_job(snakemake, lambda s: toy_world(out_dir=s.output[0], seed=s.params.seed, scale=s.params.scale))
