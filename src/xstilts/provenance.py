"""What produced a number: settings, code version, data fingerprints, seed, wall time, device, peak memory."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import time
from pathlib import Path

import xstilts


def git_commit(start: str | Path = ".") -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=start, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=start,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def dataset_fingerprints(paths) -> dict[str, str]:
    """The ``datasets`` fingerprint of each cached dataset directory (changes whenever its content does)."""
    prints = {}
    for path in paths:
        state = Path(path) / "state.json"
        if state.exists():
            prints[str(path)] = json.loads(state.read_text())["_fingerprint"]
    return prints


def cpu_model(cpuinfo: str | Path = "/proc/cpuinfo") -> str:
    """The CPU's model name: scores depend on it, since its matrix kernels round differently (README)."""
    try:
        for line in Path(cpuinfo).read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


class Record:
    """Collects provenance during a job and writes it beside the job's outputs."""

    def __init__(self, job: str, settings: dict, seed: int | None = None):
        self.started = time.time()
        self.data = {
            "job": job,
            "settings": settings,
            "seed": seed,
            "xstilts_version": xstilts.__version__,
            "git_commit": git_commit(Path(__file__).parent),
            "host": platform.node(),
            "cpu": cpu_model(),
            "python": platform.python_version(),
            "slurm_job_id": os.environ.get("SLURM_JOB_ID"),
        }

    def add(self, **items) -> None:
        self.data.update(items)

    def finish(self, path: str | Path, device=None) -> dict:
        import torch

        self.data["wall_seconds"] = round(time.time() - self.started, 3)
        self.data["device"] = str(device) if device is not None else "cpu"
        self.data["torch"] = torch.__version__
        # the instruction set torch's CPU kernels use (e.g. AVX2, AVX512): another one gives other scores
        self.data["cpu_capability"] = torch.backends.cpu.get_cpu_capability()
        self.data["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        if device is not None and getattr(device, "type", "") == "cuda":
            self.data["peak_gpu_memory_mb"] = round(torch.cuda.max_memory_allocated(device) / 2**20, 1)
            self.data["gpu"] = torch.cuda.get_device_name(device)
        Path(path).write_text(json.dumps(self.data, indent=1, default=str) + "\n")
        return self.data
