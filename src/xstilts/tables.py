"""Results tables: every cell's metrics in one long table, and the paper's main table.

Main table: rows = the no-intermediate baseline, each intermediate task, multitask; columns = the targets
and their average (the XTREME score when all nine are present). Each entry is the task score averaged over
the target's languages (English included, as XTREME does; QA = (EM + F1) / 2), then over seeds, with its
difference from the baseline row. A missing cell stays missing and is left out of averages, with a note.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from xstilts.registry import BASELINE

XTREME_TASKS = 9


def read_cells(eval_dir: str | Path, rows, targets, seeds) -> pd.DataFrame:
    """One row per (intermediate, seed, target, language) with the task score and every metric."""
    records = []
    for row in rows:
        for seed in seeds:
            for target in targets:
                path = Path(eval_dir) / row / f"seed{seed}" / target / "metrics.json"
                if not path.exists():
                    continue
                cell = json.loads(path.read_text())
                for lang, score in cell["score"].items():
                    records.append({"intermediate": row, "seed": seed, "target": target, "language": lang,
                                    "score": score, **{f"metric_{k}": v for k, v in cell["metrics"][lang].items()}})
    return pd.DataFrame.from_records(records)


def main_table(scores: pd.DataFrame, rows, targets) -> tuple[pd.DataFrame, list[str], pd.DataFrame]:
    """(mean scores with an average column, notes about missing cells, standard deviations over seeds)."""
    notes = []
    per_seed = scores.groupby(["intermediate", "target", "seed"])["score"].mean()
    cell = per_seed.groupby(["intermediate", "target"]).agg(["mean", "std", "count"])
    table = pd.DataFrame(index=list(rows), columns=list(targets), dtype=float)
    spread = pd.DataFrame(index=list(rows), columns=list(targets), dtype=float)
    for (row, target), values in cell.iterrows():
        if row in table.index and target in table.columns:
            table.loc[row, target] = values["mean"]
            spread.loc[row, target] = values["std"]
    average_name = "XTREME" if len(targets) == XTREME_TASKS else f"average ({len(targets)} tasks)"
    for row in table.index:
        missing = [t for t in targets if pd.isna(table.loc[row, t])]
        if missing:
            notes.append(f"{row}: no result for {', '.join(missing)}; left out of its average")
    table[average_name] = table[list(targets)].mean(axis=1, skipna=True)
    table.loc[table[list(targets)].isna().all(axis=1), average_name] = math.nan
    return table, notes, spread


def _fmt(value: float, delta: float | None, std: float | None) -> str:
    if pd.isna(value):
        return "—"
    text = f"{value:.1f}"
    if std is not None and not pd.isna(std):
        text += f" ± {std:.1f}"
    if delta is not None and not pd.isna(delta):
        text += f" ({delta:+.1f})"
    return text


def aggregate(eval_dir, rows, targets, seeds, main_csv, main_md, scores_csv) -> pd.DataFrame:
    scores = read_cells(eval_dir, rows, targets, seeds)
    if scores.empty:
        raise ValueError(f"no evaluation results under {eval_dir}")
    scores.to_csv(scores_csv, index=False)
    table, notes, spread = main_table(scores, rows, targets)
    baseline = table.loc[BASELINE] if BASELINE in table.index else None
    out = table.copy()
    for column in table.columns:
        out[f"{column} delta"] = table[column] - baseline[column] if baseline is not None else math.nan
    out.index.name = "intermediate"
    out.round(4).to_csv(main_csv)

    header = ["intermediate"] + list(table.columns)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in table.index:
        cells = []
        for column in table.columns:
            delta = None if row == BASELINE or baseline is None else table.loc[row, column] - baseline[column]
            std = spread.loc[row, column] if column in spread.columns and len(seeds) > 1 else None
            cells.append(_fmt(table.loc[row, column], delta, std))
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    text += (f"\nScores in percent: per target the mean over its languages (English included; QA: (EM + F1) / 2), "
             f"then over {len(seeds)} seed(s){' (± standard deviation)' if len(seeds) > 1 else ''}; "
             f"in parentheses the difference from `{BASELINE}` (no intermediate training).\n")
    if notes:
        text += "\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    Path(main_md).write_text(text)
    return out
