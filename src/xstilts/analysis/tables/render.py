"""Rendering tables: Markdown, LaTeX (booktabs), wide CSV and aligned terminal text, and writing them to files."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from xstilts.analysis.tables.model import MISSING, PARTIAL, SIG, Cell, Table
from xstilts.registry import BASELINE


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
    for a, b in [
        ("\\", "\\textbackslash{}"),
        ("&", "\\&"),
        ("%", "\\%"),
        ("#", "\\#"),
        ("_", "\\_"),
        ("{", "\\{"),
        ("}", "\\}"),
        ("`", ""),
        ("±", "$\\pm$"),
        ("†", "$^\\dagger$"),
        ("‡", "$^\\ddagger$"),
        ("—", "---"),
    ]:
        out = out.replace(a, b)
    return out


def to_latex(table: Table) -> str:
    """A booktabs table environment (needs \\usepackage{booktabs})."""
    lines = [
        "\\begin{table}[t]",
        "\\centering",
        "\\small",
        "\\setlength{\\tabcolsep}{3pt}",
        f"\\begin{{tabular}}{{l{'r' * len(table.columns)}}}",
        "\\toprule",
        " & ".join(_tex_escape(h) for h in [table.row_label, *table.columns]) + " \\\\",
        "\\midrule",
    ]
    for i, row in enumerate(table.rows):
        if i == 1 and table.rows[0] == BASELINE:
            lines.append("\\midrule")  # the baseline apart from the intermediate tasks, as in the paper
        lines.append(
            " & ".join([_tex_escape(row)] + [cell_text(table.cell(row, c), "tex") for c in table.columns]) + " \\\\"
        )
    caption = table.caption + ("" if not table.notes else " " + " ".join(_unique(table.notes)))
    lines += [
        "\\bottomrule",
        "\\end{tabular}",
        f"\\caption{{{_tex_escape(caption)}}}",
        f"\\label{{tab:{table.name.replace('_', '-')}}}",
        "\\end{table}",
    ]
    return "\n".join(lines) + "\n"


def to_frame(table: Table) -> pd.DataFrame:
    """Wide CSV form: per column its mean, sd, seed count, difference and interval, best flag."""
    records = []
    for row in table.rows:
        record = {table.row_label: row}
        for column in table.columns:
            cell = table.cell(row, column)
            d = cell.diff or {}
            record.update(
                {
                    column: cell.mean,
                    f"{column}_sd": cell.sd,
                    f"{column}_n_seeds": cell.n_seeds,
                    f"{column}_delta": d.get("delta", math.nan),
                    f"{column}_ci_low": d.get("ci_low", math.nan),
                    f"{column}_ci_high": d.get("ci_high", math.nan),
                    f"{column}_significant": d.get("significant") if d else None,
                    f"{column}_best": cell.best,
                }
            )
        records.append(record)
    return pd.DataFrame.from_records(records).set_index(table.row_label)


def to_plain(table: Table) -> str:
    """Aligned text for the terminal."""
    header = [table.row_label, *table.columns]
    body = [[row] + [cell_text(table.cell(row, c), "plain") for c in table.columns] for row in table.rows]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

    def fmt(r):
        return "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))

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
