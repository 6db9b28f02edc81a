"""Builders for the toy versions of all 23 tasks, with the columns and label sets of the real data.

Every builder samples *latent* examples (facts, clauses, labels) once and renders them into each
language it covers, so multilingual test sets are parallel, like XNLI/XQuAD/PAWS-X.

Held-out data: training splits draw people and organisations from the world's training pool, dev
and test splits from its held-out pool (`Ctx.world_for`). Sentences that name nobody ("She boarded
the train.", "A knife is usually in the kitchen.") are split by a hash of their text: one in
`RESERVED_ONE_IN` is reserved for dev/test (`Ctx.novel`). So no English dev/test input occurs in
any training split of any task, and no QA test question can be answered from training.

Layout: one module per task family, grouped the way `xstilts.formats` groups formats -
`nli` (mnli, anli, xnli), `classification` (pawsx, qqp, sst2), `multiple_choice` (commonsenseqa,
cosmosqa, hellaswag, siqa, copa, xcopa), `span_qa` (squad, xquad, mlqa, tydiqa), `tagging` (udpos, panx, ccg) and
`retrieval` (tatoeba, bucc2018), `dense_retrieval` (mewslix, lareqa) - on top of `common` (`Ctx`, ids, the
registry) and `facts` (slot edits shared by NLI, QQP and QA). Each builder registers itself with
`@builds(task)`; importing this package imports every family, which fills `TASK_BUILDERS`.
Adding a task: a builder decorated with `@builds("name")` in the module of its format.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers)
    classification,
    dense_retrieval,  # noqa: F401  (after span_qa: LAReQA re-renders the toy SQuAD and XQuAD rows)
    multiple_choice,
    nli,
    retrieval,
    span_qa,
    tagging,
)
from .common import RESERVED_ONE_IN, TASK_BUILDERS, Ctx, Rows, builds, hexid, normalise
from .nli import NLI_LABELS
from .retrieval import build_bucc

__all__ = [
    "TASK_BUILDERS",
    "build_bucc",
    "builds",
    "Ctx",
    "NLI_LABELS",
    "RESERVED_ONE_IN",
    "Rows",
    "hexid",
    "normalise",
]
