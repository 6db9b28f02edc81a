"""Where a run's results live, written once: the workflow's rules, the tables, the bootstrap and
``xstilts summary`` all build these paths from the patterns below.

``R/eval/ROW/seedK/TARGET/`` is laid out as an XTREME submission (``test-LANG.tsv|json`` + ``metrics.json``),
``R/gold/TARGET/`` holds the matching gold files.
"""

from __future__ import annotations

from pathlib import Path

EVAL_CELL = "eval/{row}/seed{seed}/{target}"
GOLD = "gold/{task}"
INTERMEDIATE_ENCODER = "intermediate/{inter}/seed{seed}/encoder"
INTERMEDIATE_METRICS = "intermediate/{inter}/seed{seed}/dev_metrics.json"
TARGET_MODEL = "target/{row}/{target}/seed{seed}/model"
TARGET_METRICS = "target/{row}/{target}/seed{seed}/dev_metrics.json"


def pattern(results_dir: str | Path, template: str) -> str:
    """A Snakemake pattern (``{wildcards}`` kept) below ``results_dir``."""
    return f"{results_dir}/{template}"


def eval_cell(results_dir: str | Path, row: str, seed: int | str, target: str) -> Path:
    return Path(results_dir) / EVAL_CELL.format(row=row, seed=seed, target=target)


def gold_dir(results_dir: str | Path, task: str) -> Path:
    return Path(results_dir) / GOLD.format(task=task)


def find_cells(results_dir: str | Path):
    """(row, seed, target) of every evaluated cell below ``results_dir``."""
    root = Path(results_dir) / "eval"
    for metrics in sorted(root.glob("*/seed*/*/metrics.json")):
        cell = metrics.parent
        seed = cell.parent.name.removeprefix("seed")
        if seed.isdigit():
            yield cell.parent.parent.name, int(seed), cell.name
