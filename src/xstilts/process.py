"""How a step runs in its process, wherever that is (a Snakemake job, a warm-start child, a test):
logging to the rule's log, the job's thread count, no progress bars."""

from __future__ import annotations

import logging
import sys

log = logging.getLogger("xstilts.jobs")


def setup_logging(log_file: str | None) -> None:
    handlers = [logging.FileHandler(log_file, mode="w")] if log_file else [logging.StreamHandler(sys.stderr)]
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", handlers=handlers, force=True
    )
    logging.getLogger("transformers").setLevel(logging.ERROR)  # head-initialisation notices are expected


def set_threads(threads: int) -> None:
    import torch

    torch.set_num_threads(max(1, int(threads)))


def map_in_processes(function, items, workers: int = 1) -> list:
    """``[function(item) for item in items]``, in ``workers`` processes at once when there are several.

    Forked: a spawned worker would re-run the caller's ``__main__``, a Snakemake job script. The workers run
    pure-Python work (no torch), so the caller's other threads (the warm start's watcher of its client) do
    not matter to them."""
    if workers <= 1:
        return [function(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, items))


def run_here(smk, job, ml_stack: bool = True) -> None:
    """Run ``job(smk)`` with logging to the rule's log and, for steps on the ML stack (``ml_stack``), the
    job's torch thread count and no progress bars."""
    if ml_stack:
        import datasets
        import transformers

        datasets.disable_progress_bars()
        transformers.utils.logging.disable_progress_bar()
        set_threads(smk.threads)
    setup_logging(smk.log[0] if smk.log else None)
    try:
        job(smk)
    except BaseException:
        log.exception("job failed")
        raise
