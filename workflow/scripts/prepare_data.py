from xstilts.glue import run_job
from xstilts.jobs import prepare

run_job(
    snakemake,
    lambda s: prepare(
        task=s.wildcards.task,
        split=s.wildcards.split,
        languages=s.params.languages,
        source=s.params.source,
        out_dir=s.output[0],
        world_dir=s.input.world[0] if s.input.world else None,
    ),
)
