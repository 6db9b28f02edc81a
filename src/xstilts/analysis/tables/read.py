"""Reading a results tree: one record per (intermediate, seed, target, language) from its metrics.json files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from xstilts import layout


def read_cells(results_dir: str | Path, rows, targets, seeds, cells=None) -> pd.DataFrame:
    """One row per (intermediate, seed, target, language) with the task score and every metric.

    ``cells``: the evaluation directories to read (a rule's declared input); default: the grid's cells found
    below ``results_dir``."""
    records = []
    for row, seed, target, directory in layout.grid_cells(results_dir, rows, seeds, targets, cells):
        path = directory / "metrics.json"
        try:
            cell = json.loads(path.read_text())
            languages = cell["score"].items()
        except (ValueError, KeyError) as err:
            raise ValueError(f"{path}: not a metrics file with a 'score' mapping ({err})") from None
        for lang, score in languages:
            metrics = cell.get("metrics", {}).get(lang, {})
            records.append(
                {
                    "intermediate": row,
                    "seed": int(seed),
                    "target": target,
                    "language": lang,
                    "score": float(score),
                    **{f"metric_{k}": v for k, v in metrics.items()},
                }
            )
    columns = ["intermediate", "seed", "target", "language", "score"]
    return pd.DataFrame.from_records(records, columns=None if records else columns)


def scored_languages(scores: pd.DataFrame) -> dict[str, set]:
    """Per target, the languages it has scores for."""
    if scores.empty:
        return {}
    return {t: set(group) for t, group in scores.groupby("target")["language"]}
