from xstilts.glue import checkpoint_dir, run_job, runtime
from xstilts.jobs import pretrain


def job(s):
    pretrain(
        world_dir=s.input.world,
        tokenizer_dir=s.input.tokenizer,
        out_dir=s.output[0],
        arch=s.params.arch,
        hp=s.params.hparams,
        seed=s.params.seed,
        runtime=runtime(s),
        checkpoint_dir=checkpoint_dir(s),
    )


run_job(snakemake, job)
