from xstilts.analysis.plots import draw_all
from xstilts.glue import run_job

run_job(
    snakemake,
    lambda s: draw_all(tables_dir=s.params.tables_dir, plots_dir=s.params.plots_dir, workers=s.threads),
    ml_stack=False,
)
