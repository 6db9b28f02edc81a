from xstilts.analysis.tables import write_submission_scores
from xstilts.glue import run_job

run_job(
    snakemake,
    lambda s: write_submission_scores(
        s.params.results_dir,
        s.params.rows,
        s.params.targets,
        s.params.seeds,
        s.params.benchmark,
        s.output[0],
        dict(zip(s.params.targets, s.input.gold)),
    ),
    ml_stack=False,
)
