"""What a job forked by the warm-start server pays before its own work, with and without the filled caches.

The server (xstilts.warmstart) imports the ML stack once and forks a child per job. This script does the
same in one process: it imports what the server imports, then forks children that each run a job's first
steps - the task registry, the first `from_pretrained` of a tiny XLM-R saved to a temporary directory, and
the rows of an evaluation set read back for batching - first before `warmstart.warm_caches()` has run in
the parent, then after. Each child is timed on its own; prints the median ms of each step over the
children, both ways, and the ratios.

    python benchmarks/forked_job.py [--children 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

STEPS = ("registry", "first from_pretrained", "eval rows, Python list per row", "eval rows, one Arrow conversion")


def child_times(model_dir: str, features) -> dict[str, float]:
    """Run the steps in a forked child and return their times (ms) through a pipe."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        from transformers import AutoModelForSequenceClassification

        from xstilts import registry

        times = []
        for step in (
            registry.tasks,
            lambda: AutoModelForSequenceClassification.from_pretrained(model_dir),
            lambda: {c: list(features[c]) for c in ("input_ids", "attention_mask")},
            lambda: features.select_columns(["input_ids", "attention_mask"]).to_dict(),
        ):
            start = time.perf_counter()
            step()
            times.append((time.perf_counter() - start) * 1000)
        os.write(write, " ".join(f"{t:.3f}" for t in times).encode())
        os._exit(0)
    os.close(write)
    data = os.read(read, 4096).decode()
    os.waitpid(pid, 0)
    return dict(zip(STEPS, map(float, data.split())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=5, help="forked children per variant")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import datasets
    import numpy as np
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForSequenceClassification
    from transformers.utils import logging as hf_logging

    from xstilts import warmstart

    hf_logging.disable_progress_bar()
    torch.set_num_threads(1)
    warmstart.preload(fill_caches=False)  # the server's imports; its caches are filled below

    rng = np.random.default_rng(0)
    lengths = rng.integers(20, 128, 6 * 300)  # six languages of 300 examples: a toy XNLI evaluation
    features = datasets.Dataset.from_dict(
        {
            "input_ids": [rng.integers(5, 8000, n).tolist() for n in lengths],
            "attention_mask": [[1] * n for n in lengths],
        }
    )
    with tempfile.TemporaryDirectory() as model_dir:
        config = XLMRobertaConfig(
            vocab_size=8000, hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=256
        )
        pid = os.fork()  # saved by a child: save_pretrained fills the conversion table in its process
        if pid == 0:
            XLMRobertaForSequenceClassification(config).save_pretrained(model_dir)
            os._exit(0)
        os.waitpid(pid, 0)
        before = [child_times(model_dir, features) for _ in range(args.children)]
        warmstart.warm_caches()
        after = [child_times(model_dir, features) for _ in range(args.children)]

    print(f"median of {args.children} forked children, ms (1 thread)")
    print(f"  {'step':34s} {'caches empty':>13s} {'caches filled':>14s}   ratio")
    for step in STEPS:
        a = statistics.median(t[step] for t in before)
        b = statistics.median(t[step] for t in after)
        print(f"  {step:34s} {a:13.1f} {b:14.1f}   {b / a:.2f}")
    rows_list = statistics.median(t[STEPS[2]] for t in after)
    rows_arrow = statistics.median(t[STEPS[3]] for t in after)
    print(f"  rows: one Arrow conversion / a list per row: {rows_arrow / rows_list:.2f}")


if __name__ == "__main__":
    main()
