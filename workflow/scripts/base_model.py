from xstilts.glue import run_job
from xstilts.jobs import base_model

run_job(
    snakemake, lambda s: base_model(name_or_path=s.params.name_or_path, revision=s.params.revision, out_dir=s.output[0])
)
