"""Results tables: the paper's main table, one per-language table per target, the XTREME score with its
category means, the transfer gap and, for a grid with recipes, each recipe against its reference - each as
CSV, Markdown and LaTeX (booktabs).

Every entry is a mean over seeds (± the standard deviation over seeds when there are two or more). Rows
other than the baseline (``none``: no intermediate training) carry their difference from it with a 95%
paired-bootstrap confidence interval (analysis/bootstrap.py), marked † when the interval excludes zero; the
best entry per column is bold. A missing cell is shown as "—", left out of every average, and named in a
note; an average over fewer tasks than the table's columns is flagged ‡. The average column is called
"XTREME" only when all nine XTREME tasks are targets.

Modules: ``read`` (results tree -> scores), ``model`` (Cell, Table, marks), ``build`` (the tables), ``recipes``
(each recipe against its reference), ``render`` (CSV/Markdown/LaTeX/plain text) and ``pipeline`` (``aggregate``:
all of it for one results tree; ``write_submission_scores``: every row's submission through the benchmark's scorer).
"""

from __future__ import annotations

from xstilts.analysis.tables.build import category_table, gap_tables, language_table, main_table
from xstilts.analysis.tables.model import MISSING, PARTIAL, SIG, Cell, Table, average_name
from xstilts.analysis.tables.pipeline import aggregate, write_submission_scores
from xstilts.analysis.tables.read import read_cells
from xstilts.analysis.tables.recipes import recipes_tables
from xstilts.analysis.tables.render import (
    cell_text,
    to_frame,
    to_latex,
    to_markdown,
    to_plain,
    write_table,
    write_tables,
)

__all__ = [
    "MISSING",
    "PARTIAL",
    "SIG",
    "Cell",
    "Table",
    "aggregate",
    "average_name",
    "category_table",
    "cell_text",
    "gap_tables",
    "language_table",
    "main_table",
    "read_cells",
    "recipes_tables",
    "to_frame",
    "to_latex",
    "to_markdown",
    "to_plain",
    "write_submission_scores",
    "write_table",
    "write_tables",
]
