from xstilts.glue import run_job
from xstilts.jobs import train_tokenizer

run_job(
    snakemake, lambda s: train_tokenizer(world_dir=s.input.world, vocab_size=s.params.vocab_size, out_dir=s.output[0])
)
