from xstilts.jobs import evaluate, run_job, runtime

run_job(snakemake, lambda s: evaluate(s.wildcards.target, s.input.model, s.params.languages, s.input.features,
                                      s.input.data, s.output[0], runtime(s).eval_batch_size, runtime(s).device))
