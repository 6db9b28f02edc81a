from xstilts.analysis.tables import aggregate
from xstilts.glue import run_job

run_job(snakemake, lambda s: aggregate(s.params.results_dir, s.params.rows, s.params.targets, s.params.seeds,
                                       n_resamples=s.params.resamples, bootstrap_seed=s.params.bootstrap_seed,
                                       level=s.params.confidence, recipes=s.params.recipes,
                                       definitions=s.params.definitions))
