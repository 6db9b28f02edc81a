from xstilts.glue import run_job
from xstilts.jobs import tokenize

run_job(
    snakemake,
    lambda s: tokenize(
        task=s.wildcards.task,
        split=s.wildcards.split,
        languages=s.params.languages,
        data_dir=s.input.data,
        tokenizer=s.input.tokenizer,
        max_length=int(s.wildcards.maxlen),
        out_dir=s.output[0],
    ),
)
