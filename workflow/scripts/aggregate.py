from xstilts.jobs import run_job
from xstilts.tables import aggregate

run_job(snakemake, lambda s: aggregate(s.params.eval_dir, s.params.rows, s.params.targets, s.params.seeds,
                                       s.output.main_csv, s.output.main_md, s.output.scores))
