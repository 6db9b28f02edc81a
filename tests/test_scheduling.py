"""Local runs drop Snakemake's submission rate limit (xstilts.scheduling): its timers multiply with
finished jobs. Measured on a real Snakemake run, by the scheduling rounds its debug log counts."""

from __future__ import annotations

import types

import pytest

from tests.workflow_helpers import snakemake
from xstilts.scheduling import drop_local_submission_limit

JOBS = 40

SNAKEFILE = f"""
onstart:
    if config.get("drop_limit"):
        from xstilts.scheduling import drop_local_submission_limit

        print("dropped:", drop_local_submission_limit(workflow))


rule all:
    input:
        expand("out/{{i}}.txt", i=range(config.get("jobs", {JOBS}))),


rule one:
    output:
        "out/{{i}}.txt",
    shell:
        "sleep 0.4; touch {{output}}"
"""


def _scheduling_rounds(tmp_path, name, *args):
    workdir = tmp_path / name
    workdir.mkdir()
    (workdir / "Snakefile").write_text(SNAKEFILE)
    run = snakemake(workdir, "--cores", "2", "--verbose", *args, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    log = run.stdout + run.stderr
    return log.count("Ready jobs"), log


def test_local_run_schedules_once_per_finished_job_without_the_rate_limit(tmp_path):
    with_limit, _ = _scheduling_rounds(tmp_path, "default")
    without, log = _scheduling_rounds(tmp_path, "dropped", "--config", "drop_limit=1")
    assert "dropped: True" in log
    # one round per finished job (and the first); with the limiter's multiplying timers, many more
    assert without <= JOBS + 2
    assert with_limit > 2 * without


def test_an_explicit_limit_is_kept(tmp_path):
    _, log = _scheduling_rounds(
        tmp_path, "explicit", "--config", "drop_limit=1", "jobs=1", "--max-jobs-per-timespan", "50/1s"
    )
    assert "dropped: False" in log


def _workflow(local_exec=True, remote_exec=False, limit=(100, 1.0)):
    limiter = types.SimpleNamespace(max_jobs=limit[0], timespan=limit[1]) if limit else None
    return types.SimpleNamespace(
        scheduler=types.SimpleNamespace(job_rate_limiter=limiter), local_exec=local_exec, remote_exec=remote_exec
    )


@pytest.mark.parametrize(
    "workflow, dropped",
    [
        (_workflow(), True),
        (_workflow(local_exec=False), False),  # a cluster executor: the limit protects its scheduler
        (_workflow(remote_exec=True), False),  # a job running on a cluster node
        (_workflow(limit=(10, 1.0)), False),  # asked for by the user
        (_workflow(limit=None), False),  # none set (API runs)
    ],
)
def test_only_the_default_limit_of_a_local_run_is_dropped(workflow, dropped):
    before = workflow.scheduler.job_rate_limiter
    assert drop_local_submission_limit(workflow) is dropped
    assert workflow.scheduler.job_rate_limiter is (None if dropped else before)
