"""Span F1 for PAN-X and UD-POS as XTREME computes it.

XTREME's evaluate.py passes the raw tag sequences to seqeval's default
(CoNLL-style) precision/recall/F1. Which chunks seqeval reads from tags
without a ``B-``/``I-`` prefix (UD-POS's UPOS tags) depends on its release:

* ``seqeval-0.0.12`` (default; the release of XTREME's time, so the one
  behind its published UD-POS numbers and its ``evaluate_test.py``): the
  first letter is the chunk tag and ``tag.split('-')[-1]`` the type, i.e. the
  whole UPOS tag. Runs of equal tags merge into one chunk; tags starting with
  ``S`` (SCONJ, SYM) are single-token chunks, ``E``/``B``/``I`` ones follow the
  IOBES rules.
* ``seqeval-1.2`` (seqeval >= 0.0.19, installed 1.2.2): the type is
  ``tag[1:]``, so e.g. CCONJ and SCONJ share the type ``CONJ`` and can merge
  or match each other.

For IOB tags (``O`` or ``[BIES]-TYPE``, PAN-X) both read the same chunks, and
both scorers call seqeval 1.2.2. UD-POS also reports plain token accuracy.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

from .errors import ScoreInputError

SEQEVAL_0_0_12 = "seqeval-0.0.12"
SEQEVAL_1_2 = "seqeval-1.2"
TAGGING_SCORERS = (SEQEVAL_0_0_12, SEQEVAL_1_2)
DEFAULT_TAGGING_SCORER = SEQEVAL_0_0_12

# Tags both seqeval releases split identically (a hyphen inside TYPE would not be).
_IOB_TAG = re.compile(r"(?:O|[BIES]-[^-]+)\Z")


def check_scorer(scorer: str) -> str:
    if scorer not in TAGGING_SCORERS:
        raise ScoreInputError(f"unknown tagging scorer {scorer!r}; expected one of {', '.join(TAGGING_SCORERS)}")
    return scorer


def check_same_shape(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> None:
    """Raise ScoreInputError unless gold and pred have equal sentence and token counts."""
    if len(gold) != len(pred):
        raise ScoreInputError(f"sentence count mismatch: {len(gold)} gold sentences, {len(pred)} predicted")
    for index, (gold_tags, pred_tags) in enumerate(zip(gold, pred)):
        if len(gold_tags) != len(pred_tags):
            raise ScoreInputError(f"sentence {index + 1}: {len(gold_tags)} gold tags but {len(pred_tags)} predicted")


def is_iob(sentences: Sequence[Sequence[str]]) -> bool:
    """True when every tag is ``O`` or ``[BIES]-TYPE`` (TYPE without a hyphen)."""
    return all(_IOB_TAG.match(tag) for tags in sentences for tag in tags)


# seqeval 0.0.12's get_entities / end_of_chunk / start_of_chunk (non-suffix
# mode), restated because no maintained library reads prefix-less tags this way
# any more (seqeval changed it in 0.0.19) and installing a 2019 release beside
# seqeval 1.2.2 is impossible. Checked against seqeval 0.0.12 itself.


def _end_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    if prev_tag in ("E", "S"):
        return True
    if prev_tag in ("B", "I") and tag in ("B", "S", "O"):
        return True
    return prev_tag not in ("O", ".") and prev_type != type_


def _start_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    if tag in ("B", "S"):
        return True
    if prev_tag in ("E", "S", "O") and tag in ("E", "I"):
        return True
    return tag not in ("O", ".") and prev_type != type_


def chunks_seqeval_0_0_12(sentences: Sequence[Sequence[str]]) -> list[tuple[str, int, int]]:
    """(type, first, last) chunks over the sentences joined with an ``O`` after each, as 0.0.12 did."""
    seq = [tag for tags in sentences for tag in [*tags, "O"]]
    prev_tag, prev_type, begin = "O", "", 0
    chunks = []
    for i, label in enumerate(seq + ["O"]):
        tag, type_ = label[0], label.split("-")[-1]
        if _end_of_chunk(prev_tag, tag, prev_type, type_):
            chunks.append((prev_type, begin, i - 1))
        if _start_of_chunk(prev_tag, tag, prev_type, type_):
            begin = i
        prev_tag, prev_type = tag, type_
    return chunks


def sentence_chunks(tags: Sequence[str], scorer: str = DEFAULT_TAGGING_SCORER) -> set[tuple[str, int, int]]:
    """The chunk set of one sentence under ``scorer`` (for per-sentence statistics,
    e.g. bootstrap resampling). Deciding IOB per sentence gives span_f1's chunks:
    on IOB tags both readings agree."""
    tags = [str(t) for t in tags]
    if check_scorer(scorer) == SEQEVAL_0_0_12 and not is_iob([tags]):
        return set(chunks_seqeval_0_0_12([tags]))
    from seqeval.metrics.sequence_labeling import get_entities

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "NOUN seems not to be NE tag", once per tag
        return set(get_entities(tags))


def _prf(n_correct: int, n_pred: int, n_true: int) -> dict[str, float]:
    # Same arithmetic and 0/0 convention as seqeval 0.0.12's *_score functions.
    p = n_correct / n_pred if n_pred > 0 else 0
    r = n_correct / n_true if n_true > 0 else 0
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0
    return {"f1": float(f1) * 100, "precision": float(p) * 100, "recall": float(r) * 100}


def span_f1(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], scorer: str = DEFAULT_TAGGING_SCORER
) -> dict[str, float]:
    """Micro F1/precision/recall in percent, as XTREME's ``f1`` with seqeval ``scorer``.

    With the default scorer, a file pair whose tags are all IOB is scored by
    seqeval 1.2.2 (identical chunks); otherwise by the 0.0.12 reading above.
    """
    check_scorer(scorer)
    check_same_shape(gold, pred)
    gold_lists = [list(map(str, tags)) for tags in gold]
    pred_lists = [list(map(str, tags)) for tags in pred]
    if scorer == SEQEVAL_0_0_12 and not (is_iob(gold_lists) and is_iob(pred_lists)):
        true_chunks = set(chunks_seqeval_0_0_12(gold_lists))
        pred_chunks = set(chunks_seqeval_0_0_12(pred_lists))
        return _prf(len(true_chunks & pred_chunks), len(pred_chunks), len(true_chunks))
    # Imported here: seqeval pulls in scikit-learn (~1 s), which CLI calls for
    # other tasks should not pay for.
    from seqeval.metrics import f1_score, precision_score, recall_score

    with warnings.catch_warnings():
        # seqeval warns once per non-IOB tag (every UPOS tag) and on 0/0;
        # both are expected here and would flood stderr.
        warnings.simplefilter("ignore")
        f1 = f1_score(gold_lists, pred_lists)
        precision = precision_score(gold_lists, pred_lists)
        recall = recall_score(gold_lists, pred_lists)
    return {"f1": float(f1) * 100, "precision": float(precision) * 100, "recall": float(recall) * 100}


def token_accuracy(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, float]:
    """Percentage of tokens whose predicted tag equals the gold tag."""
    check_same_shape(gold, pred)
    total = sum(len(tags) for tags in gold)
    if total == 0:
        raise ScoreInputError("no tokens to score")
    correct = sum(str(g) == str(p) for gold_tags, pred_tags in zip(gold, pred) for g, p in zip(gold_tags, pred_tags))
    return {"accuracy": correct / total * 100}
