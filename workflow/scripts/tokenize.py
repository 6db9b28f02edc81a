from xstilts.jobs import run_job, tokenize

run_job(snakemake, lambda s: tokenize(s.wildcards.task, s.wildcards.split, s.params.languages, s.input.data,
                                      s.input.tokenizer, int(s.wildcards.maxlen), s.output[0]))
