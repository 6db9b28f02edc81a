"""Local runs without Snakemake's job-submission rate limit, unless the user asked for one.

``--max-jobs-per-timespan`` (CLI default ``100/1s``) spares a cluster's scheduler. Snakemake 9.27 enforces
it by starting a ``threading.Timer`` at the end of every scheduling round that leaves ready jobs waiting;
the timer triggers one more round, which starts one more timer. Every finished job starts such a chain,
so after N finished jobs the scheduler runs about N rounds a second, each re-evaluating the params of
every ready job and statting their inputs: on the 263-job toy grid, tens of thousands of rounds and ~20 s
of CPU taken from the jobs' two cores. A local run submits nothing to anyone, so there the limit is
dropped (``None``, the API's own default: unrestricted); cluster runs, and local runs given a limit other
than the CLI's default, keep it.
"""

from __future__ import annotations

CLI_DEFAULT = (100, 1)  # max jobs, timespan in seconds: what `snakemake` sets when no one asked


def drop_local_submission_limit(workflow) -> bool:
    """Call from ``onstart:`` (the scheduler exists, no round has run yet). Returns whether it dropped one."""
    scheduler = getattr(workflow, "scheduler", None)
    limiter = getattr(scheduler, "job_rate_limiter", None)
    if limiter is None or not workflow.local_exec or workflow.remote_exec:
        return False
    if (limiter.max_jobs, limiter.timespan) != CLI_DEFAULT:
        return False
    scheduler.job_rate_limiter = None
    return True
