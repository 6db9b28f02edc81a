from xstilts.glue import run_job, runtime
from xstilts.jobs import evaluate_retrieval

run_job(
    snakemake,
    lambda s: evaluate_retrieval(
        task=s.wildcards.target,
        encoder_dir=s.params.encoder,
        languages=s.params.languages,
        test_features=s.input.test,
        dev_features=s.input.get("dev"),
        layer=s.params.layer,
        k=s.params.k,
        out_dir=s.output[0],
        batch_size=runtime(s).eval_batch_size,
        device_name=runtime(s).device,
    ),
)
