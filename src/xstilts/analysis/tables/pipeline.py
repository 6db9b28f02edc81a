"""Everything at once: read a results tree, bootstrap, build every table and write it under ``tables/``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from xstilts.analysis.tables.build import category_table, gap_tables, language_table, main_table
from xstilts.analysis.tables.model import Table
from xstilts.analysis.tables.read import read_cells
from xstilts.analysis.tables.recipes import recipes_tables
from xstilts.analysis.tables.render import write_table, write_tables
from xstilts.registry import BASELINE


def aggregate(
    results_dir,
    rows,
    targets,
    seeds,
    tables_dir=None,
    n_resamples: int = 1000,
    bootstrap_seed: int = 0,
    level: float = 0.95,
    recipes: dict | None = None,
    definitions: dict | None = None,
    cells=None,
    gold_dirs: dict | None = None,
    benchmark: str = "xtreme",
) -> dict[str, Table]:
    """Read a results tree, bootstrap, and write every table under ``{results_dir}/tables``.

    ``cells`` (evaluation directories) and ``gold_dirs`` (target -> directory) are what the ``aggregate`` rule
    declares as its input; without them, every cell of the grid found below ``results_dir``. ``benchmark``
    (the config's): the category table and the name of the average column. (``write_submission_scores``, its
    own rule, scores every row's submission with the benchmark's scorer.)"""
    # imported here: the bootstrap pulls in the metrics, which building and rendering tables do not need
    from xstilts.analysis.bootstrap import run_bootstrap
    from xstilts.analysis.languages import metadata_for

    results_dir = Path(results_dir)
    out = Path(tables_dir) if tables_dir else results_dir / "tables"
    out.mkdir(parents=True, exist_ok=True)
    scores = read_cells(results_dir, rows, targets, seeds, cells)
    if scores.empty:
        raise ValueError(f"no evaluation results (metrics.json) under {results_dir / 'eval'}")
    scores.to_csv(out / "scores.csv", index=False)
    boot = (
        run_bootstrap(
            results_dir, rows, targets, seeds, n_resamples, bootstrap_seed, level, cells=cells, gold_dirs=gold_dirs
        )
        if n_resamples
        else None
    )

    tables = {
        "main": main_table(scores, boot, rows, targets, seeds, benchmark),
        benchmark: category_table(scores, boot, rows, targets, seeds, benchmark),
    }
    tables["main"].notes += [f"`{name}`: {text}." for name, text in (definitions or {}).items()]
    write_table(tables["main"], out / "main")
    write_table(tables[benchmark], out / benchmark)
    for target in targets:
        table = language_table(scores, boot, target, rows, seeds)
        tables[table.name] = table
        write_table(table, out / "per_language" / target)

    meta = metadata_for(sorted(scores["language"].unique()))
    gaps, gap_long = gap_tables(scores, boot, rows, targets, seeds, meta)
    write_tables(gaps, out / "transfer_gap", gap_long, "Transfer gap")
    tables.update({t.name: t for t in gaps})

    if recipes is not None:
        recipe_tables, recipe_long = recipes_tables(scores, boot, recipes, targets, meta, definitions or {})
        write_tables(recipe_tables, out / "recipes", recipe_long, "Recipes against their references")
        tables.update({t.name: t for t in recipe_tables})

    differences = boot.long_table() if boot is not None else pd.DataFrame()
    if len(differences):
        for key in ("resource_class", "region", "cc100"):
            differences[key] = [meta.get(l, {}).get(key) for l in differences["language"]]
    differences.round(4).to_csv(out / "differences.csv", index=False)
    (out / "bootstrap.json").write_text(
        json.dumps(
            {
                "resamples": n_resamples,
                "seed": bootstrap_seed,
                "level": level,
                "baseline": BASELINE,
                "unit": "evaluation example (sentence, question, BUCC source sentence), paired across rows and "
                "pooled over seeds",
            },
            indent=1,
        )
        + "\n"
    )
    return tables


def write_submission_scores(
    results_dir, rows, targets, seeds, benchmark: str, path, gold_dirs: dict | None = None
) -> dict:
    """Every (row, seed) submission scored by the official scorer of ``benchmark`` (``xstilts score
    --benchmark``, its output unchanged: overall, tasks, missing), on the languages of the grid's gold files
    (``--languages gold``: a toy grid's languages are not the benchmark's lists, and the scorer's language
    lists are checked on a real-layout submission in the tests). A joint row has no retrieval submission."""
    from xstilts import layout
    from xstilts.metrics import score_benchmark
    from xstilts.metrics.errors import ScoreInputError
    from xstilts.metrics.tasks import check_benchmark

    results_dir = Path(results_dir)
    gold_root = Path(next(iter(gold_dirs.values()))).parent if gold_dirs else results_dir / "gold"
    members = check_benchmark(benchmark).tasks
    out = {"benchmark": benchmark, "languages": "gold", "rows": {}}
    for row in rows:
        for seed in seeds:
            pred = layout.eval_cell(results_dir, row, seed, "-").parent  # the row's submission: TASK/ below
            tasks = [t for t in targets if t in members and (pred / t).is_dir()]
            if not tasks:
                continue
            try:
                result = score_benchmark(gold_root, pred, tasks, benchmark=benchmark, language_source="gold")
            except ScoreInputError as err:  # a cell the tables name as missing; the scorer's message says why
                result = {"error": str(err)}
            out["rows"].setdefault(row, {})[f"seed{seed}"] = result
    Path(path).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    return out
