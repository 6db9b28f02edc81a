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


def average_name(targets: Sequence[str], languages: dict[str, set] | None = None) -> str:
    """The average column: "XTREME" only over all nine XTREME tasks, each scored on all its XTREME languages
    (``languages``: the languages scored per target; a toy world or a language subset is not the benchmark)."""
    xtreme = registry.benchmark_tasks("xtreme")
    full = set(targets) == set(xtreme)
    if full and languages is not None:
        full = all(set(languages.get(t, ())) == set(registry.get(t).languages) for t in xtreme)
    if full:
        return "XTREME"
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
