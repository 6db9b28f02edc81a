"""The smoke grid through a real SLURM cluster gives the same main table as a local run.

Needs a running cluster (`.ci/slurm.sh start` makes a one-node one).  Skipped
when SLURM is absent or down, unless XSTILTS_REQUIRE_SLURM=1 (set by .ci/run),
in which case that is a failure.  Both runs work on private copies of the repo
so they never share results/ or .snakemake/ with each other or with a
developer's own runs.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from workflow_helpers import REPO, copy_repo, job_stats, snakemake_env

SMOKE = REPO / "configs" / "smoke.yaml"
PROFILE = REPO / "profiles" / "slurm" / "config.yaml"
REQUIRE = os.environ.get("XSTILTS_REQUIRE_SLURM") == "1"
HEAVY_RULES = ("pretrain", "train_intermediate", "train_target", "evaluate", "evaluate_retrieval")
# Same thread cap in both runs (local: --cores 2) so numeric results can match exactly.
THREADS = 2
RUN_TIMEOUT_S = 1200  # per run; generous because CI machines may be shared

pytestmark = pytest.mark.slurm


def _unavailable(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"XSTILTS_REQUIRE_SLURM=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _profile_partition() -> str:
    profile = yaml.safe_load(PROFILE.read_text())
    partition = str(profile.get("default-resources", {}).get("slurm_partition", "")).strip("'\"")
    assert partition, f"{PROFILE} sets no default-resources slurm_partition"
    return partition


def _check_cluster(partition: str) -> None:
    """Skip (or fail under XSTILTS_REQUIRE_SLURM=1) unless `partition` has a usable node."""
    for tool in ("sbatch", "sinfo", "squeue"):
        if shutil.which(tool) is None:
            _unavailable(f"`{tool}` is not on PATH (start a test cluster with `.ci/slurm.sh start`)")
    try:
        out = subprocess.run(
            ["sinfo", "--noheader", "--partition", partition, "--format", "%t"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        _unavailable("`sinfo` did not answer within 30 s (is slurmctld running?)")
    if out.returncode != 0:
        err = out.stderr.strip().splitlines()[-1:] or ["no output"]
        _unavailable(f"SLURM is down: `sinfo` failed: {err[0]} (try `.ci/slurm.sh start`)")
    states = out.stdout.split()
    if not states:
        _unavailable(f"SLURM has no partition '{partition}' (the one profiles/slurm submits to)")
    if not any(s.rstrip("*~#!%$@^-") in ("idle", "mix", "mixed", "alloc", "allocated") for s in states):
        _unavailable(f"no usable node in partition '{partition}' (node states: {' '.join(states)})")


class _Run:
    """A snakemake run in the background; `finish` waits for it and fails the test on error."""

    def __init__(self, name: str, cmd: list[str], workdir: Path, log: Path):
        env = snakemake_env(workdir)
        self.name, self.cmd, self.log = name, cmd, log
        self.start = time.monotonic()
        self._fh = log.open("w")
        self.proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=self._fh, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        """Interrupt (snakemake then scancels its SLURM jobs), kill if that does not end it."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._fh.close()

    def finish(self, deadline: float) -> float:
        try:
            rc = self.proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"{self.name} run timed out after {RUN_TIMEOUT_S} s: {' '.join(self.cmd)}\n{_tail(self.log)}")
        self._fh.close()
        if rc != 0:
            pytest.fail(f"{self.name} run failed (exit code {rc}): {' '.join(self.cmd)}\n{_tail(self.log)}")
        return time.monotonic() - self.start


def _tail(log: Path, n: int = 60) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-n:])


def _main_table(workdir: Path) -> Path:
    tables = sorted((workdir / "results").glob("**/tables/main.csv"))
    assert len(tables) == 1, f"expected one results/**/tables/main.csv under {workdir}, found {tables}"
    return tables[0]


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="") as fh:
        return list(csv.reader(fh))


def test_smoke_grid_through_slurm_matches_local(tmp_path: Path) -> None:
    if not SMOKE.is_file():
        pytest.skip(f"{SMOKE.relative_to(REPO)} does not exist yet")
    partition = _profile_partition()
    _check_cluster(partition)

    snakemake = [sys.executable, "-m", "snakemake"]
    smoke = ["--configfile", "configs/smoke.yaml"]
    local_dir = copy_repo(tmp_path / "local")
    slurm_dir = copy_repo(tmp_path / "slurm")
    slurm_log = tmp_path / "slurm.log"

    # Both runs at once: the SLURM run mostly waits (job start-up, status polling),
    # so overlapping them keeps the test's wall time near the longer of the two.
    runs = [
        _Run("local", [*snakemake, "--cores", str(THREADS), *smoke], local_dir, tmp_path / "local.log"),
        _Run(
            "SLURM",
            [
                *snakemake,
                "--workflow-profile",
                "profiles/slurm",
                *smoke,
                "--max-threads",
                str(THREADS),
                "--slurm-keep-successful-logs",  # the plugin deletes them otherwise; checked below
            ],
            slurm_dir,
            slurm_log,
        ),
    ]
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        local_s, slurm_s = [run.finish(deadline) for run in runs]
    finally:
        for run in runs:
            run.stop()
    print(f"local run {local_s:.0f} s, SLURM run {slurm_s:.0f} s (concurrently)")

    # The heavy rules ran as SLURM jobs: the plugin names each job's log <jobid>.log
    # (sbatch --output .../%j.log), so a numeric log name proves sbatch ran it.
    stats = job_stats(slurm_log.read_text(errors="replace"))
    assert stats, f"no 'Job stats:' table in the SLURM run's log:\n{_tail(slurm_log)}"
    heavy = [r for r in HEAVY_RULES if stats.get(r)]
    assert heavy, f"the smoke grid runs none of the heavy rules {HEAVY_RULES}; job stats: {stats}"
    logs_root = slurm_dir / ".snakemake" / "slurm_logs"
    job_ids = []
    for rule in heavy:
        logs = sorted((logs_root / f"rule_{rule}").glob("**/*.log"))
        # >=: a job that failed and was retried (profile: retries) leaves two logs.
        assert len(logs) >= stats[rule], (
            f"rule {rule}: {stats[rule]} jobs but {len(logs)} SLURM logs under {logs_root}/rule_{rule}"
        )
        assert all(p.stem.isdigit() for p in logs), f"unexpected SLURM log names: {logs}"
        job_ids += [p.stem for p in logs]

    # Cross-check with SLURM itself: squeue remembers jobs for MinJobAge (300 s on the
    # CI cluster), so at least the last heavy jobs must be listed there as COMPLETED.
    known = subprocess.run(
        ["squeue", "--noheader", "--states=all", "--jobs", ",".join(job_ids), "--format", "%i %T"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    states = dict(line.split()[:2] for line in known.stdout.splitlines() if line.strip())
    assert "COMPLETED" in states.values(), (
        f"squeue lists none of the heavy jobs {job_ids} as COMPLETED: {states or known.stderr.strip()}"
    )

    local_table = _main_table(local_dir)
    slurm_table = _main_table(slurm_dir)
    local_rows, slurm_rows = _read_csv(local_table), _read_csv(slurm_table)
    assert len(local_rows) > 1, f"{local_table} has no data rows"
    assert slurm_rows == local_rows, (
        f"main table differs between SLURM and local runs:\n"
        f"--- local {local_table}\n{local_table.read_text()}\n--- slurm {slurm_table}\n{slurm_table.read_text()}"
    )
