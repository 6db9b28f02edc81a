from xstilts.jobs import base_model, run_job

run_job(snakemake, lambda s: base_model(s.params.name_or_path, s.params.revision, s.output[0]))
