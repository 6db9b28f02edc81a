"""Accuracy, as XTREME scores XNLI, PAWS-X, Tatoeba and XCOPA (evaluate.py ``accuracy``)."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import ScoreInputError


def accuracy(gold: Sequence, pred: Sequence, as_strings: bool = True) -> dict[str, float]:
    """Percentage of positions where ``str(pred[i]) == str(gold[i])``.

    Labels are compared as strings so that ``1`` and ``"1"`` agree: TSV files
    hold strings while in-memory callers may pass class ids or Tatoeba
    indices. ``as_strings=False`` compares with ``==`` (XCOPA's JSON labels,
    as evaluate.py does).
    """
    if len(gold) != len(pred):
        raise ScoreInputError(f"label count mismatch: {len(gold)} gold labels, {len(pred)} predictions")
    if not gold:
        raise ScoreInputError("no examples to score")
    if as_strings:
        correct = sum(str(p) == str(g) for g, p in zip(gold, pred))
    else:
        correct = sum(p == g for g, p in zip(gold, pred))
    return {"accuracy": correct / len(pred) * 100}
