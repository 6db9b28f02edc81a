from xstilts.jobs import evaluate_retrieval, run_job, runtime

run_job(snakemake, lambda s: evaluate_retrieval(
    s.wildcards.target, s.params.encoder, s.params.languages, s.input.test, s.input.get("dev"),
    s.params.layer, s.params.k, s.output[0], runtime(s).eval_batch_size, runtime(s).device))
