"""What a job costs before it does any work, and what the warm start (xstilts.warmstart) saves.

Runs the same set of real jobs twice through Snakemake on a finished smoke grid - every `evaluate` and
`gold` job, forced to rerun - once with runtime.warm_start true and once false, and prints the wall time of
each and their ratio. Also prints the cold import time of torch + transformers, the cost the warm start
removes from every job.

    python benchmarks/job_startup.py [--results /tmp/xstilts-startup]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def snakemake(*args: str, extra_config: str | None = None) -> float:
    configs = ["configs/smoke.yaml"] + ([extra_config] if extra_config else [])
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "snakemake", "--configfile", *configs, *args], cwd=REPO, check=True, capture_output=True
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default="/tmp/xstilts-startup")
    args = parser.parse_args()
    results = f"results_dir={args.results}"

    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import torch, transformers; from transformers import XLMRobertaModel"], check=True
    )
    print(f"cold import of torch + transformers: {time.perf_counter() - start:.2f} s")

    print(f"preparing the smoke grid in {args.results} ...")
    snakemake("--cores", "2", "--config", results)
    rules = [
        "--forcerun",
        "evaluate",
        "evaluate_retrieval",
        "gold",
        "--until",
        "evaluate",
        "evaluate_retrieval",
        "gold",
    ]
    count = subprocess.run(
        [
            sys.executable,
            "-m",
            "snakemake",
            "--configfile",
            "configs/smoke.yaml",
            "--config",
            results,
            "-n",
            "--quiet",
            "rules",
            *rules,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    jobs = [line.split()[-1] for line in count.stdout.splitlines() if line.startswith("total")]
    timings = {}
    for warm in ("true", "false"):
        override = Path(args.results) / f"warm_start_{warm}.yaml"
        override.write_text(f"runtime: {{warm_start: {warm}}}\n")
        timings[warm] = snakemake("--cores", "2", "--config", results, *rules, extra_config=str(override))
    print(f"jobs rerun: {jobs[0] if jobs else '?'} (evaluate, evaluate_retrieval, gold) on 2 cores")
    print(f"warm start on:  {timings['true']:.1f} s")
    print(f"warm start off: {timings['false']:.1f} s")
    print(f"ratio off/on:   {timings['false'] / timings['true']:.2f}")


if __name__ == "__main__":
    main()
