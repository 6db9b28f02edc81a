"""The Snakemake side of a rule script: run the step (in the warm-start server when one runs, see
``xstilts.warmstart``, else here) and the per-job facts that are not the step's inputs: its runtime
settings and where it keeps its checkpoint. Rule scripts import this; the steps (``xstilts.jobs``) never do."""

from __future__ import annotations

import sys

from xstilts.process import run_here


def run_job(smk, job, ml_stack: bool = True) -> None:
    """Run ``job(smk)`` for a Snakemake ``script:``. ``ml_stack=False``: the step uses none of torch,
    transformers and datasets, so a job that runs in its own process does not import them (~3 s of CPU)."""
    from xstilts.warmstart import submit

    status = submit(smk, job, wait=ml_stack)  # the warm server has them imported already
    if status is None:
        run_here(smk, job, ml_stack=ml_stack)
    elif status != 0:
        sys.exit(status)


def runtime(smk):
    """Settings that cannot change results (``RuntimeSettings``): read outside ``params:`` so they never
    trigger a rerun, and never part of a checkpoint's fingerprint."""
    from xstilts.settings import RuntimeSettings

    return RuntimeSettings.from_config(smk.config)


def checkpoint_dir(smk) -> str:
    """Where a training job keeps its resumable checkpoint: one directory per rule and wildcard values."""
    name = ".".join(str(v) for v in smk.wildcards) or "job"
    return f"{smk.config['results_dir']}/checkpoints/{smk.rule}/{name}"
