"""The table model: a Table of Cells (mean, sd over seeds, difference from a reference, best/partial flags),
the marks the renderers print, and the name of the average column."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from xstilts import registry

MISSING = "—"
SIG = "†"
PARTIAL = "‡"


BENCHMARK_NAMES = {"xtreme": "XTREME", "xtreme-r": "XTREME-R"}


def benchmark_name(benchmark: str = "xtreme") -> str:
    """How tables name the benchmark (its paper's spelling)."""
    return BENCHMARK_NAMES.get(benchmark, benchmark.upper())


def benchmark_members(benchmark: str = "xtreme") -> tuple[str, ...]:
    """Every task of the benchmark in its categories' order, planned tasks (XTREME-R: mewslix, lareqa) included:
    the benchmark's score needs all of them."""
    return tuple(t for tasks in registry.categories(benchmark).values() for t in tasks)


def not_the_benchmark(targets: Sequence[str], languages: dict[str, set] | None, benchmark: str = "xtreme") -> str:
    """Why the average column is not the benchmark's score ("" when it is): a task that did not run, or one
    not scored on exactly its benchmark languages (a subset, or the toy world's languages)."""
    members = benchmark_members(benchmark)
    name = benchmark_name(benchmark)
    planned = registry.planned_tasks(benchmark)  # no registry entry: never scored by the grid
    missing = [t for t in members if t not in targets or t in planned]
    if missing:
        planned = [t for t in missing if t in planned]
        why = f" ({', '.join(planned)}: not in the task registry yet)" if planned else ""
        ran = len(set(members) - set(missing))
        return f"{ran} of the {len(members)} {name} tasks are targets ({', '.join(missing)} not run{why})"
    if languages is None:
        return ""
    partial = [t for t in members if set(languages.get(t, ())) != set(registry.benchmark_languages(benchmark, t))]
    if partial:
        return (
            f"{', '.join(partial)} not scored on exactly their {name} languages (a language subset, or the "
            "toy world's languages)"
        )
    return ""


def average_name(targets: Sequence[str], languages: dict[str, set] | None = None, benchmark: str = "xtreme") -> str:
    """The average column: the benchmark's name ("XTREME", "XTREME-R") only over all its tasks, each scored on
    all its languages in that benchmark (``languages``: the languages scored per target; a toy world or a
    language subset is not the benchmark); otherwise "avg (N tasks)"."""
    if set(targets) == set(benchmark_members(benchmark)) and not not_the_benchmark(targets, languages, benchmark):
        return benchmark_name(benchmark)
    return f"avg ({len(targets)} tasks)" if len(targets) != 1 else "avg (1 task)"


@dataclass
class Cell:
    mean: float = math.nan
    sd: float = math.nan
    n_seeds: int = 0
    diff: dict | None = None  # delta, ci_low, ci_high, significant (rows other than the baseline)
    best: bool = False
    partial: bool = False  # an average over fewer parts than the column covers

    @property
    def missing(self) -> bool:
        return self.mean is None or (isinstance(self.mean, float) and math.isnan(self.mean))


@dataclass
class Table:
    name: str
    title: str
    caption: str
    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    row_label: str = "intermediate"
    lower_is_better: bool = False
    delta_label: str = "difference from `none`"

    def cell(self, row: str, column: str) -> Cell:
        return self.cells.get((row, column), Cell())

    def mark_best(self) -> None:
        for column in self.columns:
            values = {r: self.cell(r, column).mean for r in self.rows if not self.cell(r, column).missing}
            if not values:
                continue
            target = min(values.values()) if self.lower_is_better else max(values.values())
            for r, v in values.items():
                if math.isclose(v, target, rel_tol=0, abs_tol=1e-9):
                    self.cells[(r, column)].best = True
