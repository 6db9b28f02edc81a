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


def cell_of(results_dir: str | Path, path: str | Path) -> tuple[str, int, str]:
    """(row, seed, target) of an evaluation cell's directory: the inverse of ``eval_cell``."""
    parts = Path(path).relative_to(Path(results_dir)).parts
    if len(parts) != 4 or parts[0] != "eval" or not parts[2].startswith("seed") or not parts[2][4:].isdigit():
        raise ValueError(f"{path}: not an evaluation cell ({results_dir}/{EVAL_CELL})")
    return parts[1], int(parts[2][4:]), parts[3]


def grid_cells(results_dir: str | Path, rows, seeds, targets, cells=None) -> list[tuple[str, int, str, Path]]:
    """(row, seed, target, directory) of the cells to read, in grid order.

    ``cells``: the evaluation directories a rule declared as its input; each must be a cell of the grid and
    hold its ``metrics.json``. Without them, every cell of the grid that has a ``metrics.json``."""
    if cells is None:
        every = [
            (row, int(seed), target, eval_cell(results_dir, row, seed, target))
            for row in rows
            for seed in seeds
            for target in targets
        ]
        return [cell for cell in every if (cell[3] / "metrics.json").exists()]
    declared = {cell_of(results_dir, path): Path(path) for path in cells}
    order = {
        (row, int(seed), target): n
        for n, (row, seed, target) in enumerate((r, s, t) for r in rows for s in seeds for t in targets)
    }
    for key, path in declared.items():
        if key not in order:
            raise ValueError(f"{path}: a declared cell outside the grid (rows, seeds, targets)")
        if not (path / "metrics.json").exists():
            raise FileNotFoundError(f"{path / 'metrics.json'}: a declared evaluation cell has no metrics")
    return [(*key, path) for key, path in sorted(declared.items(), key=lambda item: order[item[0]])]


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
