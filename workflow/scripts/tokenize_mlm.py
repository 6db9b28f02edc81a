from xstilts.glue import run_job
from xstilts.jobs import tokenize_mlm

run_job(
    snakemake,
    lambda s: tokenize_mlm(
        text=s.input.text,
        lang=s.wildcards.lang,
        tokenizer_dir=s.input.tokenizer,
        block_size=int(s.wildcards.maxlen),
        out_dir=s.output[0],
    ),
)
