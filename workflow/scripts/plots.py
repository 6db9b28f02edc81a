from xstilts.analysis.plots import draw_all
from xstilts.jobs import run_job

run_job(snakemake, lambda s: draw_all(s.params.tables_dir, s.params.plots_dir))
