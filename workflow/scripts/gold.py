from xstilts.glue import run_job
from xstilts.jobs import write_gold

run_job(
    snakemake,
    lambda s: write_gold(
        task=s.wildcards.task, languages=s.params.languages, data_dir=s.input.data, out_dir=s.output[0]
    ),
)
