from xstilts.jobs import run_job, train_tokenizer

run_job(snakemake, lambda s: train_tokenizer(s.input.world, s.params.vocab_size, s.output[0]))
