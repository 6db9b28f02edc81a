from xstilts.jobs import prepare, run_job

run_job(snakemake, lambda s: prepare(s.wildcards.task, s.wildcards.split, s.params.languages, s.params.source,
                                     s.output[0], s.input.world[0] if s.input.world else None))
