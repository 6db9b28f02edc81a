from xstilts.jobs import run_job, write_gold

run_job(snakemake, lambda s: write_gold(s.wildcards.task, s.params.languages, s.input.data, s.output[0]))
