from xstilts.analysis.tables import aggregate
from xstilts.glue import run_job

run_job(
    snakemake,
    lambda s: aggregate(
        results_dir=s.params.results_dir,
        rows=s.params.rows,
        targets=s.params.targets,
        seeds=s.params.seeds,
        cells=list(s.input.cells),
        gold_dirs=dict(zip(s.params.targets, s.input.gold)),
        n_resamples=s.params.resamples,
        bootstrap_seed=s.params.bootstrap_seed,
        level=s.params.confidence,
        recipes=s.params.recipes,
        definitions=s.params.definitions,
        benchmark=s.params.benchmark,
    ),
    ml_stack=False,
)
