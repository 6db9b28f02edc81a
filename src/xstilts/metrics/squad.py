"""SQuAD v1.1 exact match / F1 (XTREME's third_party/evaluate_squad.py), used
for XQuAD and TyDiQA-GoldP, plus the gold-format handling shared with MLQA."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from .errors import ScoreInputError

_SQUAD_PUNCT = frozenset(string.punctuation)
_EN_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize_answer(text: str) -> str:
    """Lower-case, drop ASCII punctuation and English articles, squeeze whitespace."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in _SQUAD_PUNCT)
    text = _EN_ARTICLES.sub(" ", text)
    return " ".join(text.split())


def token_f1(prediction_tokens: list[str], gold_tokens: list[str]) -> float:
    """Bag-of-tokens F1 between two normalised token lists (0 when nothing overlaps)."""
    overlap = sum((Counter(prediction_tokens) & Counter(gold_tokens)).values())
    if overlap == 0:
        return 0.0
    precision = overlap / len(prediction_tokens)
    recall = overlap / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def exact_match_score(prediction: str, gold: str) -> bool:
    return normalize_answer(prediction) == normalize_answer(gold)


def f1_score(prediction: str, gold: str) -> float:
    return token_f1(normalize_answer(prediction).split(), normalize_answer(gold).split())


def iter_questions(gold) -> Iterable[tuple[str, list[str]]]:
    """Yield ``(question_id, gold_answer_texts)`` in file order.

    Accepts a SQuAD-format dataset (``{"data": [...]}``), its article list, or
    a list of flat records ``{"id", "answers": {"text": [...]}}`` (the Hugging
    Face layout; ``answers`` may also be a SQuAD list of ``{"text"}`` dicts).
    """
    if isinstance(gold, Mapping):
        if "data" not in gold:
            raise ScoreInputError("QA gold dict has no 'data' key (expected SQuAD format)")
        gold = gold["data"]
    if not isinstance(gold, (list, tuple)):
        raise ScoreInputError(f"QA gold must be a SQuAD dataset or a list, got {type(gold).__name__}")
    for index, item in enumerate(gold):
        if not isinstance(item, Mapping):
            raise ScoreInputError(f"QA gold entry {index} is not an object")
        if "paragraphs" in item:
            for paragraph in item["paragraphs"]:
                for qa in paragraph["qas"]:
                    yield parse_question(qa)
        elif "id" in item:
            yield parse_question(item)
        else:
            raise ScoreInputError(f"QA gold entry {index} has neither 'paragraphs' (SQuAD article) nor 'id' (record)")


def parse_question(qa: Mapping) -> tuple[str, list[str]]:
    qid = qa.get("id")
    if not isinstance(qid, str):
        raise ScoreInputError(f"QA gold question without a string 'id': {str(qa)[:80]}")
    answers = qa.get("answers")
    if isinstance(answers, Mapping):  # Hugging Face: {"text": [...], "answer_start": [...]}
        texts = answers.get("text")
    elif isinstance(answers, (list, tuple)):
        texts = [a.get("text") if isinstance(a, Mapping) else None for a in answers]
    else:
        texts = None
    if not texts or not all(isinstance(t, str) for t in texts):
        # The official scripts take max() over gold answers; none means a broken file.
        raise ScoreInputError(f"QA gold question {qid!r} has no answer texts")
    return qid, list(texts)


def evaluate_questions(
    gold, predictions: Mapping[str, str], exact_match_fn: Callable[[str, str], bool], f1_fn: Callable[[str, str], float]
) -> dict[str, float]:
    """The official loop: max over gold answers, unanswered questions count 0."""
    exact_match = f1 = 0.0
    total = 0
    for qid, answers in iter_questions(gold):
        total += 1
        if qid not in predictions:
            continue
        prediction = predictions[qid]
        if not isinstance(prediction, str):
            raise ScoreInputError(f"prediction for question {qid!r} is not a string")
        exact_match += max(exact_match_fn(prediction, answer) for answer in answers)
        f1 += max(f1_fn(prediction, answer) for answer in answers)
    if total == 0:
        raise ScoreInputError("QA gold contains no questions")
    return {"exact_match": 100.0 * exact_match / total, "f1": 100.0 * f1 / total}


def evaluate(gold, predictions: Mapping[str, str]) -> dict[str, float]:
    """SQuAD v1.1 exact_match and f1 in percent."""
    return evaluate_questions(gold, predictions, exact_match_score, f1_score)
