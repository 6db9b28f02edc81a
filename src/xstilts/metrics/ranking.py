"""XTREME-R's ranking metrics, both reported as "map@20" in percent.

* Mewsli-X (third_party/utils_mewslix.py ``evaluate``): the mean reciprocal
  rank of the gold entity within the top k = 20 predictions (the first gold
  id, stripped, as the reference reads its singleton list); an example
  without a prediction scores 0.
* LAReQA (third_party/utils_lareqa.py ``average_precision_at_k``): average
  precision at k = 20 per question, a repeated candidate counting once, the
  divisor min(#relevant, k); the mean over questions. evaluate.py has no
  LAReQA entry; xstilts reads the ranked candidate ids per question from the
  submission (issue 10).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .errors import ScoreInputError
from .tasks import RANKING_K


def _check(gold: Mapping, pred: Mapping) -> None:
    if not isinstance(gold, Mapping) or not isinstance(pred, Mapping):
        raise ScoreInputError("ranking gold and predictions must be mappings id -> [ids]")
    if not gold:
        raise ScoreInputError("no examples to score")
    for key, ids in gold.items():
        if isinstance(ids, str) or not ids:
            raise ScoreInputError(f"gold {key!r} must be a non-empty list of ids")


def reciprocal_rank(gold_id: str, ranked: Sequence[str], k: int = RANKING_K) -> float:
    for rank, candidate in enumerate(ranked[:k], start=1):
        if candidate == gold_id:
            return 1.0 / rank
    return 0.0


def mewslix_reciprocal_ranks(
    gold: Mapping[str, Sequence[str]], pred: Mapping[str, Sequence[str]], k: int = RANKING_K
) -> list[float]:
    _check(gold, pred)
    return [reciprocal_rank(ids[0].strip(), list(pred.get(key, []))[:k], k) for key, ids in gold.items()]


def average_precision_at_k(targets, ranked: Sequence[str], k: int | None = RANKING_K) -> float:
    """utils_lareqa.average_precision_at_k: hits / rank summed at each first hit, over min(#targets, k)."""
    targets = set(targets)
    if not targets:
        raise ScoreInputError("average precision needs at least one relevant id")
    ranked = list(ranked[:k]) if k else list(ranked)
    score = hits = 0.0
    for i, candidate in enumerate(ranked):
        if candidate in targets and candidate not in ranked[:i]:
            hits += 1.0
            score += hits / (i + 1.0)
    return score / (min(len(targets), k) if k else len(targets))


def lareqa_average_precisions(
    gold: Mapping[str, Sequence[str]], pred: Mapping[str, Sequence[str]], k: int = RANKING_K
) -> list[float]:
    _check(gold, pred)
    return [average_precision_at_k(ids, list(pred.get(key, [])), k) for key, ids in gold.items()]


def mean_percent(values: Sequence[float], k: int = RANKING_K) -> dict[str, float]:
    return {f"map@{k}": sum(values) / len(values) * 100}


def mewslix_map(gold, pred, k: int = RANKING_K) -> dict[str, float]:
    return mean_percent(mewslix_reciprocal_ranks(gold, pred, k), k)


def lareqa_map(gold, pred, k: int = RANKING_K) -> dict[str, float]:
    return mean_percent(lareqa_average_precisions(gold, pred, k), k)
