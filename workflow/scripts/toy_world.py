from xstilts.jobs import run_job, toy_world

run_job(snakemake, lambda s: toy_world(s.output[0], s.params.seed, s.params.scale))
