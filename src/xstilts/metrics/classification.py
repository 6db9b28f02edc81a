"""Accuracy, as XTREME scores XNLI, PAWS-X and Tatoeba (evaluate.py ``accuracy``)."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import ScoreInputError


def accuracy(gold: Sequence, pred: Sequence) -> dict[str, float]:
    """Percentage of positions where ``str(pred[i]) == str(gold[i])``.

    Labels are compared as strings so that ``1`` and ``"1"`` agree: files hold
    strings while in-memory callers may pass class ids or Tatoeba indices.
    """
    if len(gold) != len(pred):
        raise ScoreInputError(
            f"label count mismatch: {len(gold)} gold labels, {len(pred)} predictions")
    if not gold:
        raise ScoreInputError("no examples to score")
    correct = sum(str(p) == str(g) for g, p in zip(gold, pred))
    return {"accuracy": correct / len(pred) * 100}
