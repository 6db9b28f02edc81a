"""Span F1 for PAN-X and UD-POS exactly as XTREME computes it.

XTREME's evaluate.py passes the raw label sequences to seqeval's default
(non-strict, CoNLL-style) precision/recall/F1. For UD-POS the labels are plain
UPOS tags without B-/I- prefixes, so seqeval reads the first letter as the
chunk tag and the rest as the type: runs of equal tags merge into one chunk,
and e.g. ``SCONJ`` acts as a single-token ``S-`` chunk. We keep that quirk
deliberately (it is what published XTREME numbers mean) and report plain token
accuracy beside it for UD-POS.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from .errors import ScoreInputError


def check_same_shape(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> None:
    """Raise ScoreInputError unless gold and pred have equal sentence and token counts."""
    if len(gold) != len(pred):
        raise ScoreInputError(
            f"sentence count mismatch: {len(gold)} gold sentences, {len(pred)} predicted")
    for index, (gold_tags, pred_tags) in enumerate(zip(gold, pred)):
        if len(gold_tags) != len(pred_tags):
            raise ScoreInputError(
                f"sentence {index + 1}: {len(gold_tags)} gold tags but {len(pred_tags)} predicted")


def span_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, float]:
    """seqeval (default mode) micro F1/precision/recall in percent."""
    check_same_shape(gold, pred)
    # Imported here: seqeval pulls in scikit-learn (~1 s), which CLI calls for
    # other tasks should not pay for.
    from seqeval.metrics import f1_score, precision_score, recall_score

    gold_lists = [list(map(str, tags)) for tags in gold]
    pred_lists = [list(map(str, tags)) for tags in pred]
    with warnings.catch_warnings():
        # seqeval warns once per non-IOB tag (every UPOS tag) and on 0/0;
        # both are expected here and would flood stderr.
        warnings.simplefilter("ignore")
        f1 = f1_score(gold_lists, pred_lists)
        precision = precision_score(gold_lists, pred_lists)
        recall = recall_score(gold_lists, pred_lists)
    return {"f1": float(f1) * 100, "precision": float(precision) * 100,
            "recall": float(recall) * 100}


def token_accuracy(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, float]:
    """Percentage of tokens whose predicted tag equals the gold tag."""
    check_same_shape(gold, pred)
    total = sum(len(tags) for tags in gold)
    if total == 0:
        raise ScoreInputError("no tokens to score")
    correct = sum(str(g) == str(p) for gold_tags, pred_tags in zip(gold, pred)
                  for g, p in zip(gold_tags, pred_tags))
    return {"accuracy": correct / total * 100}
