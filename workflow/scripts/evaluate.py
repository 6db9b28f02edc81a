from xstilts.glue import run_job, runtime
from xstilts.jobs import evaluate

run_job(
    snakemake,
    lambda s: evaluate(
        task=s.wildcards.target,
        model_dir=s.input.model,
        languages=s.params.languages,
        features_dir=s.input.features,
        data_dir=s.input.data,
        out_dir=s.output[0],
        batch_size=runtime(s).eval_batch_size,
        device_name=runtime(s).device,
    ),
)
