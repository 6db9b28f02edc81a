"""Building the tables from the scores (and bootstrap differences): main, per-language, XTREME by category and
transfer gap."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from xstilts import registry
from xstilts.analysis.tables.model import (
    MISSING,
    PARTIAL,
    SIG,
    Cell,
    Table,
    average_name,
    benchmark_name,
    not_the_benchmark,
)
from xstilts.analysis.tables.read import scored_languages
from xstilts.registry import BASELINE


def _seed_stats(per_seed: pd.Series) -> tuple[float, float, int]:
    """(mean, sd, n) of per-seed values; sd is NaN below two seeds (ddof=1)."""
    values = per_seed.dropna().to_numpy(dtype=float)
    if len(values) == 0:
        return math.nan, math.nan, 0
    return float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else math.nan, len(values)


def main_table(
    scores: pd.DataFrame,
    boot,
    rows: Sequence[str],
    targets: Sequence[str],
    seeds: Sequence[int],
    benchmark: str = "xtreme",
) -> Table:
    """Rows x (targets + average): the target's mean over languages, then over seeds."""
    avg = average_name(targets, scored_languages(scores), benchmark)
    table = Table("main", "Main results", _caption_main(avg, seeds, benchmark), list(rows), [*targets, avg])
    per_seed = (
        scores.groupby(["intermediate", "target", "seed"])["score"].mean() if len(scores) else pd.Series(dtype=float)
    )
    for row in rows:
        present = []
        for target in targets:
            key = (row, target)
            values = per_seed.loc[key] if key in per_seed.index.droplevel("seed") else pd.Series(dtype=float)
            mean, sd, n = _seed_stats(values)
            if n == 0:
                table.notes.append(f"`{row}` has no result for {target}: shown as {MISSING}, left out of its average.")
                continue
            present.append(target)
            if n < len(seeds):
                table.notes.append(f"`{row}` / {target}: {n} of {len(seeds)} seeds.")
            diff = boot.difference(row, [target]) if boot is not None and row != BASELINE else None
            table.cells[key] = Cell(mean, sd, n, diff)
        if not present:
            continue
        # per-seed averages over the same targets, for the spread of the average
        seed_avgs = []
        for seed in seeds:
            vals = [per_seed.get((row, t, seed)) for t in present]
            if all(v is not None and not pd.isna(v) for v in vals):
                seed_avgs.append(float(np.mean(vals)))
        mean = float(np.mean([table.cells[(row, t)].mean for t in present]))
        sd = float(np.std(seed_avgs, ddof=1)) if len(seed_avgs) > 1 else math.nan
        diff = boot.difference(row, present) if boot is not None and row != BASELINE else None
        partial = len(present) < len(targets)
        table.cells[(row, avg)] = Cell(mean, sd, len(seed_avgs), diff, partial=partial)
        if partial:
            table.notes.append(f"{PARTIAL} `{row}`: {avg} averages only {', '.join(present)}.")
    name = benchmark_name(benchmark)
    if avg != name:
        table.notes.append(f"Not the {name} score: {not_the_benchmark(targets, scored_languages(scores), benchmark)}.")
    table.mark_best()
    return table


def _caption_main(avg: str, seeds: Sequence[int], benchmark: str = "xtreme") -> str:
    return (
        f"Zero-shot cross-lingual transfer after English intermediate-task training, on "
        f"{benchmark_name(benchmark)}. Columns: each target "
        f"task's score averaged over its languages (English included; QA: (EM + F1) / 2), and {avg}, the "
        f"mean over targets. {_seed_phrase(seeds)}"
    )


def _seed_phrase(seeds: Sequence[int]) -> str:
    spread = (
        f"mean ± standard deviation over {len(seeds)} seeds"
        if len(seeds) > 1
        else "scores of a single seed (no standard deviation)"
    )
    return (
        f"Entries: {spread}; for each intermediate task, in parentheses its "
        f"difference from `{BASELINE}` (no intermediate training) with a 95% paired-bootstrap confidence "
        f"interval over evaluation examples, pooled over seeds; {SIG}: the interval excludes 0. "
        f"Bold: best in the column."
    )


def language_table(scores: pd.DataFrame, boot, target: str, rows: Sequence[str], seeds: Sequence[int]) -> Table:
    """Rows x languages of one target, with the language mean as the last column."""
    sub = scores[scores["target"] == target] if len(scores) else scores
    languages = sorted(sub["language"].unique(), key=lambda l: (l != "en", l)) if len(sub) else []
    table = Table(
        f"per_language_{target}",
        f"{target}: per language",
        f"{target}: task score per test language. {_seed_phrase(seeds)}",
        list(rows),
        [*languages, "avg"],
    )
    for row in rows:
        rsub = sub[sub["intermediate"] == row]
        if rsub.empty:
            table.notes.append(f"`{row}` has no result for {target}.")
            continue
        for lang in languages:
            values = rsub[rsub["language"] == lang].set_index("seed")["score"]
            mean, sd, n = _seed_stats(values)
            if n == 0:
                table.notes.append(f"`{row}` has no {target} result for {lang}: left out of its average.")
                continue
            diff = boot.difference(row, [target], [lang]) if boot is not None and row != BASELINE else None
            table.cells[(row, lang)] = Cell(mean, sd, n, diff)
        present = [l for l in languages if (row, l) in table.cells]
        per_seed = rsub[rsub["language"].isin(present)].groupby("seed")["score"].mean()
        _, sd, n = _seed_stats(per_seed)
        diff = boot.difference(row, [target], present) if boot is not None and row != BASELINE else None
        table.cells[(row, "avg")] = Cell(
            float(np.mean([table.cells[(row, l)].mean for l in present])),
            sd,
            n,
            diff,
            partial=len(present) < len(languages),
        )
    table.mark_best()
    return table


def category_table(
    scores: pd.DataFrame,
    boot,
    rows: Sequence[str],
    targets: Sequence[str],
    seeds: Sequence[int],
    benchmark: str = "xtreme",
) -> Table:
    """The benchmark's score with its four category means (classification, tagging, qa, retrieval)."""
    categories = registry.categories(benchmark)
    name = benchmark_name(benchmark)
    groups = {cat: [t for t in tasks if t in targets] for cat, tasks in categories.items()}
    groups = {cat: tasks for cat, tasks in groups.items() if tasks}
    avg = average_name(targets, scored_languages(scores), benchmark)
    spelled = "; ".join(f"{cat}: {', '.join(tasks)}" for cat, tasks in categories.items())
    table = Table(
        benchmark,
        f"{name} score by category",
        f"{avg} and its category means ({spelled}); a category is the mean of its tasks. {_seed_phrase(seeds)}",
        list(rows),
        [*groups, avg],
    )
    for cat, tasks in groups.items():
        absent = [t for t in categories[cat] if t not in tasks]
        if absent:
            table.notes.append(
                f"{cat}: {', '.join(absent)} not among the targets; the category averages {', '.join(tasks)}."
            )
    per_seed = (
        scores.groupby(["intermediate", "target", "seed"])["score"].mean() if len(scores) else pd.Series(dtype=float)
    )
    for row in rows:
        for column, tasks in [*groups.items(), (avg, list(targets))]:
            present = [t for t in tasks if any((row, t, s) in per_seed.index for s in seeds)]
            if not present:
                table.notes.append(f"`{row}` has no result for {column}.")
                continue
            means = [per_seed.loc[(row, t)].mean() for t in present]
            seed_avgs = [
                np.mean([per_seed[(row, t, s)] for t in present])
                for s in seeds
                if all((row, t, s) in per_seed.index for t in present)
            ]
            sd = float(np.std(seed_avgs, ddof=1)) if len(seed_avgs) > 1 else math.nan
            diff = boot.difference(row, present) if boot is not None and row != BASELINE else None
            partial = len(present) < len(tasks)
            table.cells[(row, column)] = Cell(float(np.mean(means)), sd, len(seed_avgs), diff, partial=partial)
            if partial:
                table.notes.append(f"{PARTIAL} `{row}` / {column}: only {', '.join(present)}.")
    if avg != name:
        table.notes.append(
            f"The last column is not the {name} score: "
            f"{not_the_benchmark(targets, scored_languages(scores), benchmark)}."
        )
    table.mark_best()
    return table


IN_CC100, NOT_IN_CC100 = "in CC-100", "not in CC-100"


def _metadata_groups(langs: Sequence[str], meta: dict) -> list[tuple[str, list[str], str]]:
    """Gap columns by region (Glottolog macroarea; Africa marks the African languages) and by whether XLM-R's
    pretraining corpus CC-100 has the language: (column, languages, grouping). A grouping that puts every
    language in one group (the toy world's single region) adds nothing to "all" and is left out."""
    out = []
    regions = sorted({meta.get(l, {}).get("region") for l in langs} - {None})
    if len(regions) > 1:
        out += [(f"region {r}", [l for l in langs if meta.get(l, {}).get("region") == r], "region") for r in regions]
    seen = {meta.get(l, {}).get("cc100") for l in langs} - {None}
    if len(seen) > 1:
        for value, column in ((True, IN_CC100), (False, NOT_IN_CC100)):
            out.append((column, [l for l in langs if meta.get(l, {}).get("cc100") is value], "cc100"))
    return out


def gap_tables(
    scores: pd.DataFrame,
    boot,
    rows: Sequence[str],
    targets: Sequence[str],
    seeds: Sequence[int],
    meta: dict,
    source: str = "en",
) -> tuple[list[Table], pd.DataFrame]:
    """Transfer gap (English score - language score) per language and per resource class, per target.

    The baseline row shows the gap itself; other rows show their gap and, in parentheses, how the
    intermediate task changes it (negative: the gap narrows) with a paired-bootstrap interval."""
    tables, records = [], []
    for target in targets:
        sub = scores[scores["target"] == target] if len(scores) else scores
        langs = sorted(l for l in (sub["language"].unique() if len(sub) else []) if l != source)
        if len(sub) == 0 or source not in set(sub["language"]) or not langs:
            continue  # retrieval tasks have no English test set: no gap
        classes = sorted({meta.get(l, {}).get("resource_class") for l in langs} - {None}, reverse=True)
        groups = {l: [l] for l in langs}
        groups.update({f"class {c}": [l for l in langs if meta.get(l, {}).get("resource_class") == c] for c in classes})
        groupings = {l: "language" for l in langs} | {f"class {c}": "resource_class" for c in classes}
        for column, members, by in _metadata_groups(langs, meta):
            groups[column], groupings[column] = members, by
        groups["all"], groupings["all"] = langs, "all"
        table = Table(
            f"gap_{target}",
            f"{target}: transfer gap",
            f"{target}: transfer gap, {source} score minus the language's (class k: mean over the "
            f"languages of Joshi et al. (2020) resource class k; region R: over the languages of Glottolog "
            f"macroarea R; in / not in CC-100: over the languages XLM-R was / was not pretrained on; all: over "
            f"every non-English language). Lower is better. For intermediate tasks, in parentheses the change of the "
            f"gap from `{BASELINE}` (negative: the gap narrows). {_seed_phrase(seeds)}",
            list(rows),
            list(groups),
            lower_is_better=True,
        )
        for row in rows:
            rsub = sub[sub["intermediate"] == row]
            pivot = rsub.pivot_table(index="seed", columns="language", values="score")
            for column, members in groups.items():
                if source not in pivot.columns or not all(m in pivot.columns for m in members):
                    continue
                per_seed = pivot[source] - pivot[members].mean(axis=1)
                mean, sd, n = _seed_stats(per_seed)
                if n == 0:
                    continue
                diff = (
                    boot.gap_difference(row, target, members, source) if boot is not None and row != BASELINE else None
                )
                table.cells[(row, column)] = Cell(mean, sd, n, diff)
                records.append(
                    {
                        "target": target,
                        "intermediate": row,
                        "group": column,
                        "grouping": groupings[column],
                        "resource_class": meta.get(column, {}).get("resource_class")
                        if column in langs
                        else (int(column.split()[1]) if column.startswith("class") else None),
                        "gap": mean,
                        "gap_sd": sd,
                        "n_seeds": n,
                        **({f"change_{k}" if k != "delta" else "change": v for k, v in diff.items()} if diff else {}),
                    }
                )
        table.mark_best()
        tables.append(table)
    no_gap = [t for t in targets if t not in {tb.name[4:] for tb in tables}]
    if no_gap and tables:
        tables[-1].notes.append(f"No transfer gap for {', '.join(no_gap)}: no {source} test set.")
    long = pd.DataFrame.from_records(records)
    if len(long):
        long["resource_class"] = long["resource_class"].astype("Int64")
    return tables, long
