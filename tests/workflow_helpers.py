"""Running the workflow from tests: private copies of the repository and Snakemake's job statistics."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Not copied into private work trees: VCS, caches, and (top level only) outputs.
SKIP_ANYWHERE = {".git", ".snakemake", "__pycache__", ".pytest_cache"}
SKIP_AT_TOP = {"results", "logs", ".venv", "build", "benchmarks/out"}
# The tiny random-weight encoder of the tests that build one (`model.toy`'s keys; XLM-R's dropout)
TINY_ENCODER_ARCH = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64}
TINY_ENCODER_ARCH |= {"max_position_embeddings": 130, "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1}


def _copy_ignore(dirpath: str, names: list[str]) -> set[str]:
    rel = Path(dirpath).relative_to(REPO)
    return {n for n in names if n in SKIP_ANYWHERE or n.endswith(".egg-info") or (rel / n).as_posix() in SKIP_AT_TOP}


def copy_repo(dest: Path) -> Path:
    """A private work tree, so test runs never share results/ or .snakemake/ with anyone's own runs."""
    shutil.copytree(REPO, dest, ignore=_copy_ignore, symlinks=True)
    return dest


def snakemake_env(workdir: Path) -> dict:
    env = dict(os.environ)
    env.pop("SNAKEMAKE_PROFILE", None)  # a user's global profile must not leak into tests
    # import the work tree's own package copy, whatever the editable install points at
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(workdir / "src"), env.get("PYTHONPATH")]))
    return env


def snakemake(workdir: Path, *args: str, timeout: int = 1200) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=workdir,
        env=snakemake_env(workdir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def job_stats(text: str) -> dict[str, int]:
    """Rule -> job count from Snakemake's 'Job stats:' table; {} when there is nothing to do."""
    lines = text.splitlines()
    try:
        i = lines.index("Job stats:")
    except ValueError:
        return {}
    counts = {}
    for line in lines[i + 3 :]:  # skip the header and the dashes line
        parts = line.split()
        if len(parts) != 2 or parts[0] == "total":
            break
        counts[parts[0]] = int(parts[1])
    return counts
