"""BUCC 2018 bitext mining P/R/F1 over sentence-id pairs (XTREME's ``bucc_f1``)."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import ScoreInputError


def _pair_set(pairs: Iterable, which: str) -> set[tuple[str, str]]:
    result = set()
    for pair in pairs:
        if isinstance(pair, str):  # tolerate raw "src<TAB>tgt" lines
            pair = pair.split("\t")
        pair = tuple(pair)
        if len(pair) != 2:
            raise ScoreInputError(f"{which} BUCC pair must have 2 ids, got {pair!r}")
        result.add((str(pair[0]), str(pair[1])))
    return result


def pair_f1(gold: Iterable, pred: Iterable) -> dict[str, float]:
    """Set-based precision/recall/F1 (percent); all 0 when nothing is correct."""
    gold_pairs = _pair_set(gold, "gold")
    pred_pairs = _pair_set(pred, "predicted")
    correct = len(gold_pairs & pred_pairs)
    if correct == 0:
        return {"f1": 0.0, "precision": 0.0, "recall": 0.0}
    precision = correct / len(pred_pairs)
    recall = correct / len(gold_pairs)
    f1 = 2 * precision * recall / (precision + recall)
    return {"f1": f1 * 100, "precision": precision * 100, "recall": recall * 100}
