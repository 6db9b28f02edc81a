"""Results tables: the paper's main table, one per-language table per target, the XTREME score with its
category means, and the transfer gap - each as CSV, Markdown and LaTeX (booktabs).

Every entry is a mean over seeds (± the standard deviation over seeds when there are two or more). Rows
other than the baseline (``none``: no intermediate training) carry their difference from it with a 95%
paired-bootstrap confidence interval (analysis/bootstrap.py), marked † when the interval excludes zero; the
best entry per column is bold. A missing cell is shown as "—", left out of every average, and named in a
note; an average over fewer tasks than the table's columns is flagged ‡. The average column is called
"XTREME" only when all nine XTREME tasks are targets.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from xstilts import layout, registry
from xstilts.registry import BASELINE

MISSING = "—"
SIG = "†"
PARTIAL = "‡"


# ---------------------------------------------------------------- reading results

def read_cells(results_dir: str | Path, rows, targets, seeds) -> pd.DataFrame:
    """One row per (intermediate, seed, target, language) with the task score and every metric."""
    records = []
    for row in rows:
        for seed in seeds:
            for target in targets:
                path = layout.eval_cell(results_dir, row, seed, target) / "metrics.json"
                if not path.exists():
                    continue
                try:
                    cell = json.loads(path.read_text())
                    languages = cell["score"].items()
                except (ValueError, KeyError) as err:
                    raise ValueError(f"{path}: not a metrics file with a 'score' mapping ({err})") from None
                for lang, score in languages:
                    metrics = cell.get("metrics", {}).get(lang, {})
                    records.append({"intermediate": row, "seed": int(seed), "target": target, "language": lang,
                                    "score": float(score), **{f"metric_{k}": v for k, v in metrics.items()}})
    columns = ["intermediate", "seed", "target", "language", "score"]
    return pd.DataFrame.from_records(records, columns=None if records else columns)


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


def _scored_languages(scores: pd.DataFrame) -> dict[str, set]:
    if scores.empty:
        return {}
    return {t: set(group) for t, group in scores.groupby("target")["language"]}


def _not_the_benchmark(targets: Sequence[str], languages: dict[str, set]) -> str:
    """Why the average column is not the XTREME score."""
    xtreme = registry.benchmark_tasks("xtreme")
    missing = [t for t in xtreme if t not in targets]
    if missing:
        return f"{len(targets)} of the {len(xtreme)} XTREME tasks are targets ({', '.join(missing)} not run)"
    partial = [t for t in xtreme if set(languages.get(t, ())) != set(registry.get(t).languages)]
    return (f"{', '.join(partial)} not scored on exactly their XTREME languages (a language subset, or the "
            "toy world's languages)")


# ---------------------------------------------------------------- the table model

@dataclass
class Cell:
    mean: float = math.nan
    sd: float = math.nan
    n_seeds: int = 0
    diff: dict | None = None     # delta, ci_low, ci_high, significant (rows other than the baseline)
    best: bool = False
    partial: bool = False        # an average over fewer parts than the column covers

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


def _seed_stats(per_seed: pd.Series) -> tuple[float, float, int]:
    """(mean, sd, n) of per-seed values; sd is NaN below two seeds (ddof=1)."""
    values = per_seed.dropna().to_numpy(dtype=float)
    if len(values) == 0:
        return math.nan, math.nan, 0
    return float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else math.nan, len(values)


# ---------------------------------------------------------------- building the tables

def main_table(scores: pd.DataFrame, boot, rows: Sequence[str], targets: Sequence[str],
               seeds: Sequence[int]) -> Table:
    """Rows x (targets + average): the target's mean over languages, then over seeds."""
    avg = average_name(targets, _scored_languages(scores))
    table = Table("main", "Main results", _caption_main(avg, seeds), list(rows), [*targets, avg])
    per_seed = scores.groupby(["intermediate", "target", "seed"])["score"].mean() if len(scores) else pd.Series(dtype=float)
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
    if avg != "XTREME":
        table.notes.append(f"Not the XTREME score: {_not_the_benchmark(targets, _scored_languages(scores))}.")
    table.mark_best()
    return table


def _caption_main(avg: str, seeds: Sequence[int]) -> str:
    return (f"Zero-shot cross-lingual transfer after English intermediate-task training. Columns: each target "
            f"task's score averaged over its languages (English included; QA: (EM + F1) / 2), and {avg}, the "
            f"mean over targets. {_seed_phrase(seeds)}")


def _seed_phrase(seeds: Sequence[int]) -> str:
    spread = (f"mean ± standard deviation over {len(seeds)} seeds" if len(seeds) > 1
              else "scores of a single seed (no standard deviation)")
    return (f"Entries: {spread}; for each intermediate task, in parentheses its "
            f"difference from `{BASELINE}` (no intermediate training) with a 95% paired-bootstrap confidence "
            f"interval over evaluation examples, pooled over seeds; {SIG}: the interval excludes 0. "
            f"Bold: best in the column.")


def language_table(scores: pd.DataFrame, boot, target: str, rows: Sequence[str], seeds: Sequence[int]) -> Table:
    """Rows x languages of one target, with the language mean as the last column."""
    sub = scores[scores["target"] == target] if len(scores) else scores
    languages = sorted(sub["language"].unique(), key=lambda l: (l != "en", l)) if len(sub) else []
    table = Table(f"per_language_{target}", f"{target}: per language",
                  f"{target}: task score per test language. {_seed_phrase(seeds)}",
                  list(rows), [*languages, "avg"])
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
        table.cells[(row, "avg")] = Cell(float(np.mean([table.cells[(row, l)].mean for l in present])), sd, n,
                                         diff, partial=len(present) < len(languages))
    table.mark_best()
    return table


def category_table(scores: pd.DataFrame, boot, rows: Sequence[str], targets: Sequence[str],
                   seeds: Sequence[int]) -> Table:
    """The XTREME score with its four category means (classification, tagging, qa, retrieval)."""
    categories = registry.categories("xtreme")
    groups = {name: [t for t in tasks if t in targets] for name, tasks in categories.items()}
    groups = {name: tasks for name, tasks in groups.items() if tasks}
    avg = average_name(targets, _scored_languages(scores))
    spelled = "; ".join(f"{name}: {', '.join(tasks)}" for name, tasks in categories.items())
    table = Table("xtreme", "XTREME score by category",
                  f"{avg} and its category means ({spelled}); a category is the mean of its tasks. "
                  f"{_seed_phrase(seeds)}", list(rows), [*groups, avg])
    for name, tasks in groups.items():
        absent = [t for t in categories[name] if t not in tasks]
        if absent:
            table.notes.append(f"{name}: {', '.join(absent)} not among the targets; the category averages "
                               f"{', '.join(tasks)}.")
    per_seed = scores.groupby(["intermediate", "target", "seed"])["score"].mean() if len(scores) else pd.Series(dtype=float)
    for row in rows:
        for column, tasks in [*groups.items(), (avg, list(targets))]:
            present = [t for t in tasks if any((row, t, s) in per_seed.index for s in seeds)]
            if not present:
                table.notes.append(f"`{row}` has no result for {column}.")
                continue
            means = [per_seed.loc[(row, t)].mean() for t in present]
            seed_avgs = [np.mean([per_seed[(row, t, s)] for t in present]) for s in seeds
                         if all((row, t, s) in per_seed.index for t in present)]
            sd = float(np.std(seed_avgs, ddof=1)) if len(seed_avgs) > 1 else math.nan
            diff = boot.difference(row, present) if boot is not None and row != BASELINE else None
            partial = len(present) < len(tasks)
            table.cells[(row, column)] = Cell(float(np.mean(means)), sd, len(seed_avgs), diff, partial=partial)
            if partial:
                table.notes.append(f"{PARTIAL} `{row}` / {column}: only {', '.join(present)}.")
    if avg != "XTREME":
        table.notes.append(f"The last column is not the XTREME score: "
                           f"{_not_the_benchmark(targets, _scored_languages(scores))}.")
    table.mark_best()
    return table


def gap_tables(scores: pd.DataFrame, boot, rows: Sequence[str], targets: Sequence[str], seeds: Sequence[int],
               meta: dict, source: str = "en") -> tuple[list[Table], pd.DataFrame]:
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
        groups.update({f"class {c}": [l for l in langs if meta.get(l, {}).get("resource_class") == c]
                       for c in classes})
        groups["all"] = langs
        table = Table(f"gap_{target}", f"{target}: transfer gap",
                      f"{target}: transfer gap, {source} score minus the language's (class k: mean over the "
                      f"languages of Joshi et al. (2020) resource class k; all: over every non-English "
                      f"language). Lower is better. For intermediate tasks, in parentheses the change of the "
                      f"gap from `{BASELINE}` (negative: the gap narrows). {_seed_phrase(seeds)}",
                      list(rows), list(groups), lower_is_better=True)
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
                diff = (boot.gap_difference(row, target, members, source)
                        if boot is not None and row != BASELINE else None)
                table.cells[(row, column)] = Cell(mean, sd, n, diff)
                records.append({"target": target, "intermediate": row, "group": column,
                                "resource_class": meta.get(column, {}).get("resource_class")
                                if column in langs else (int(column.split()[1]) if column.startswith("class") else None),
                                "gap": mean, "gap_sd": sd, "n_seeds": n,
                                **({f"change_{k}" if k != "delta" else "change": v for k, v in diff.items()} if diff else {})})
        table.mark_best()
        tables.append(table)
    no_gap = [t for t in targets if t not in {tb.name[4:] for tb in tables}]
    if no_gap and tables:
        tables[-1].notes.append(f"No transfer gap for {', '.join(no_gap)}: no {source} test set.")
    long = pd.DataFrame.from_records(records)
    if len(long):
        long["resource_class"] = long["resource_class"].astype("Int64")
    return tables, long


# ---------------------------------------------------------------- rendering

def _num(value: float, signed: bool = False) -> str:
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def cell_text(cell: Cell, style: str = "md") -> str:
    """One entry: mean[ ± sd][ (delta [low, high])†]; bold when best."""
    if cell.missing:
        return MISSING if style != "tex" else "---"
    pm = " $\\pm$ " if style == "tex" else " ± "
    mean = _num(cell.mean)
    if cell.best:
        mean = {"md": f"**{mean}**", "tex": f"\\textbf{{{mean}}}"}.get(style, f"{mean}*")
    text = mean
    if not math.isnan(cell.sd):
        text += pm + _num(cell.sd)
    if cell.diff is not None:
        d = cell.diff
        text += f" ({_num(d['delta'], True)} [{_num(d['ci_low'], True)}, {_num(d['ci_high'], True)}])"
        if d["significant"]:
            text += "$^\\dagger$" if style == "tex" else SIG
    if cell.partial:
        text += "$^\\ddagger$" if style == "tex" else PARTIAL
    return text


def to_markdown(table: Table, heading: bool = False) -> str:
    header = [table.row_label, *table.columns]
    lines = [f"### {table.title}\n"] if heading else []
    lines += ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * len(table.columns)) + "|"]
    for row in table.rows:
        lines.append("| " + " | ".join([row] + [cell_text(table.cell(row, c), "md") for c in table.columns]) + " |")
    text = "\n".join(lines) + "\n\n" + table.caption + "\n"
    if table.notes:
        text += "\n" + "\n".join(f"- {n}" for n in _unique(table.notes)) + "\n"
    return text


def _tex_escape(text: str) -> str:
    out = str(text)
    for a, b in [("\\", "\\textbackslash{}"), ("&", "\\&"), ("%", "\\%"), ("#", "\\#"), ("_", "\\_"),
                 ("{", "\\{"), ("}", "\\}"), ("`", ""), ("±", "$\\pm$"), ("†", "$^\\dagger$"),
                 ("‡", "$^\\ddagger$"), ("—", "---")]:
        out = out.replace(a, b)
    return out


def to_latex(table: Table) -> str:
    """A booktabs table environment (needs \\usepackage{booktabs})."""
    lines = ["\\begin{table}[t]", "\\centering", "\\small", "\\setlength{\\tabcolsep}{3pt}",
             f"\\begin{{tabular}}{{l{'r' * len(table.columns)}}}", "\\toprule",
             " & ".join(_tex_escape(h) for h in [table.row_label, *table.columns]) + " \\\\", "\\midrule"]
    for i, row in enumerate(table.rows):
        if i == 1 and table.rows[0] == BASELINE:
            lines.append("\\midrule")  # the baseline apart from the intermediate tasks, as in the paper
        lines.append(" & ".join([_tex_escape(row)] + [cell_text(table.cell(row, c), "tex") for c in table.columns])
                     + " \\\\")
    caption = table.caption + ("" if not table.notes else " " + " ".join(_unique(table.notes)))
    lines += ["\\bottomrule", "\\end{tabular}", f"\\caption{{{_tex_escape(caption)}}}",
              f"\\label{{tab:{table.name.replace('_', '-')}}}", "\\end{table}"]
    return "\n".join(lines) + "\n"


def to_frame(table: Table) -> pd.DataFrame:
    """Wide CSV form: per column its mean, sd, seed count, difference and interval, best flag."""
    records = []
    for row in table.rows:
        record = {table.row_label: row}
        for column in table.columns:
            cell = table.cell(row, column)
            d = cell.diff or {}
            record.update({column: cell.mean, f"{column}_sd": cell.sd, f"{column}_n_seeds": cell.n_seeds,
                           f"{column}_delta": d.get("delta", math.nan),
                           f"{column}_ci_low": d.get("ci_low", math.nan),
                           f"{column}_ci_high": d.get("ci_high", math.nan),
                           f"{column}_significant": d.get("significant") if d else None,
                           f"{column}_best": cell.best})
        records.append(record)
    return pd.DataFrame.from_records(records).set_index(table.row_label)


def to_plain(table: Table) -> str:
    """Aligned text for the terminal."""
    header = [table.row_label, *table.columns]
    body = [[row] + [cell_text(table.cell(row, c), "plain") for c in table.columns] for row in table.rows]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    fmt = lambda r: "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))  # noqa: E731
    lines = [fmt(header), "  ".join("-" * w for w in widths), *map(fmt, body)]
    return "\n".join(lines) + "\n"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def write_table(table: Table, stem: str | Path) -> list[Path]:
    """``stem``.csv / .md / .tex."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".csv"), stem.with_suffix(".md"), stem.with_suffix(".tex")]
    to_frame(table).round(4).to_csv(paths[0])
    paths[1].write_text(f"# {table.title}\n\n" + to_markdown(table))
    paths[2].write_text(to_latex(table))
    return paths


def write_tables(tables: Sequence[Table], stem: str | Path, long: pd.DataFrame, title: str) -> list[Path]:
    """Several tables in one file set (Markdown sections, LaTeX environments); the CSV is ``long``."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".csv"), stem.with_suffix(".md"), stem.with_suffix(".tex")]
    long.round(4).to_csv(paths[0], index=False)
    md = [f"# {title}\n"] + [to_markdown(t, heading=True) for t in tables]
    paths[1].write_text("\n".join(md) if tables else f"# {title}\n\nNo target has an English test set.\n")
    paths[2].write_text("\n".join(to_latex(t) for t in tables) if tables else "% no table: no English test set\n")
    return paths


# ---------------------------------------------------------------- everything at once

def aggregate(results_dir, rows, targets, seeds, tables_dir=None, n_resamples: int = 1000,
              bootstrap_seed: int = 0, level: float = 0.95, recipes: dict | None = None,
              definitions: dict | None = None) -> dict[str, Table]:
    """Read a results tree, bootstrap, and write every table under ``{results_dir}/tables``."""
    from xstilts.analysis.bootstrap import run_bootstrap
    from xstilts.analysis.languages import metadata_for

    results_dir = Path(results_dir)
    out = Path(tables_dir) if tables_dir else results_dir / "tables"
    out.mkdir(parents=True, exist_ok=True)
    scores = read_cells(results_dir, rows, targets, seeds)
    if scores.empty:
        raise ValueError(f"no evaluation results (metrics.json) under {results_dir / 'eval'}")
    scores.to_csv(out / "scores.csv", index=False)
    boot = run_bootstrap(results_dir, rows, targets, seeds, n_resamples, bootstrap_seed, level) if n_resamples else None

    tables = {"main": main_table(scores, boot, rows, targets, seeds),
              "xtreme": category_table(scores, boot, rows, targets, seeds)}
    tables["main"].notes += [f"`{name}`: {text}." for name, text in (definitions or {}).items()]
    write_table(tables["main"], out / "main")
    write_table(tables["xtreme"], out / "xtreme")
    for target in targets:
        table = language_table(scores, boot, target, rows, seeds)
        tables[table.name] = table
        write_table(table, out / "per_language" / target)

    meta = metadata_for(sorted(scores["language"].unique()))
    gaps, gap_long = gap_tables(scores, boot, rows, targets, seeds, meta)
    write_tables(gaps, out / "transfer_gap", gap_long, "Transfer gap")
    tables.update({t.name: t for t in gaps})

    if recipes is not None:
        from xstilts.recipe_tables import recipes_tables

        recipe_tables, recipe_long = recipes_tables(scores, boot, recipes, targets, meta, definitions or {})
        write_tables(recipe_tables, out / "recipes", recipe_long, "Recipes against their references")
        tables.update({t.name: t for t in recipe_tables})

    differences = boot.long_table() if boot is not None else pd.DataFrame()
    if len(differences):
        differences["resource_class"] = [meta.get(l, {}).get("resource_class") for l in differences["language"]]
    differences.round(4).to_csv(out / "differences.csv", index=False)
    (out / "bootstrap.json").write_text(json.dumps(
        {"resamples": n_resamples, "seed": bootstrap_seed, "level": level, "baseline": BASELINE,
         "unit": "evaluation example (sentence, question, BUCC source sentence), paired across rows and "
                 "pooled over seeds"}, indent=1) + "\n")
    return tables
