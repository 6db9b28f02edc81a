"""Shortcut and repeat audit of a generated toy world (`results/world/`).

What a reviewer would try first, as functions over the world's files:
- `hypothesis_only`: logistic regression on word 1-3-grams of the hypothesis alone, trained on
  toy MNLI train, scored on toy XNLI test (English by default);
- `bag_of_ngrams_pairs`: logistic regression on word 1-2-grams of the concatenated PAWS-X pair;
- `choices_without_context`: multiple choice (Social IQa, COPA) scored from the question and each
  answer alone, the context (premise) withheld;
- `repeats`: English dev/test inputs of every task that occur verbatim in any training split;
- `qa_lookups`: QA dev/test questions whose (question, answer) occurs in QA training data.

scikit-learn (installed with seqeval) does the fitting; `python -m xstilts.toyworld.audit DIR`
prints every figure as JSON.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

from xstilts import registry

from .tasks import normalise

# the fields that make up a task's input (labels and answer choices excluded)
INPUT_FIELDS = {
    "anli": ("premise", "hypothesis"),
    "mnli": ("premise", "hypothesis"),
    "xnli": ("sentence1", "sentence2"),
    "pawsx": ("sentence1", "sentence2"),
    "qqp": ("question1", "question2"),
    "sst2": ("sentence",),
    "commonsenseqa": ("question",),
    "cosmosqa": ("context", "question"),
    "hellaswag": ("ctx",),
    "squad": ("context", "question"),
    "xquad": ("context", "question"),
    "mlqa": ("context", "question"),
    "tydiqa": ("context", "question"),
    "ccg": ("tokens",),
    "udpos": ("tokens",),
    "panx": ("tokens",),
    "tatoeba": ("target_sentence",),
    "siqa": ("context", "question"),
    "copa": ("premise", "question"),
}
# multiple choice without its context: (question, answers, gold index) of a row
CHOICES = {
    "siqa": lambda r: (r["question"], [r["answerA"], r["answerB"], r["answerC"]], int(r["label"]) - 1),
    "copa": lambda r: (r["question"], [r["choice1"], r["choice2"]], r["label"]),
}
QA_TASKS = tuple(name for name, spec in registry.tasks().items() if spec.format == "span_qa")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def load(root: Path, task: str, split: str, lang: str = "en") -> list[dict]:
    path = Path(root) / "tasks" / task / f"{split}.{lang}.jsonl"
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return rows


def english_splits(root: Path, task: str) -> dict[str, list[dict]]:
    """split -> English rows (TyDiQA's mixed train file: the rows whose id starts with 'english')."""
    out = {}
    for path in sorted((Path(root) / "tasks" / task).glob("*.jsonl")):
        split, lang = path.name.split(".")[:2]
        if lang == "en":
            out[split] = load(root, task, split)
        elif lang == "mixed":
            out[split] = [r for r in load(root, task, split, lang) if r["id"].startswith("english")]
    return out


def input_text(task: str, row: dict) -> str:
    parts = [" ".join(row[f]) if isinstance(row[f], list) else row[f] for f in INPUT_FIELDS[task]]
    return normalise(" ".join(parts))


def _majority(labels) -> float:
    return 100 * collections.Counter(labels).most_common(1)[0][1] / len(labels)


def _fit_score(train_x, train_y, test_x, test_y, ngrams: tuple[int, int]) -> float:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = CountVectorizer(ngram_range=ngrams, token_pattern=r"(?u)\b\w+\b|[^\w\s]", lowercase=True)
    model = LogisticRegression(max_iter=2000, C=1.0)
    model.fit(vec.fit_transform(train_x), train_y)
    pred = model.predict(vec.transform(test_x))
    return 100 * sum(bool(p == g) for p, g in zip(pred, test_y)) / len(test_y)


def hypothesis_only(root: Path, lang: str = "en") -> dict[str, float]:
    """Accuracy of a hypothesis-only classifier (MNLI train -> XNLI test.<lang>) and the majority class."""
    names = ["entailment", "neutral", "contradiction"]
    train = load(root, "mnli", "train")
    test = load(root, "xnli", "test", lang)
    gold = [names.index(r["gold_label"]) for r in test]
    acc = _fit_score(
        [r["hypothesis"] for r in train], [r["label"] for r in train], [r["sentence2"] for r in test], gold, (1, 3)
    )
    return {"accuracy": round(float(acc), 1), "majority": round(_majority(gold), 1)}


def bag_of_ngrams_pairs(root: Path, split: str = "test") -> dict[str, float]:
    """Accuracy of a bag-of-1-2-grams classifier on the concatenated PAWS-X pair (train -> split)."""
    train, test = load(root, "pawsx", "train"), load(root, "pawsx", split)
    text = lambda r: r["sentence1"] + " " + r["sentence2"]  # noqa: E731
    acc = _fit_score(
        [text(r) for r in train],
        [r["label"] for r in train],
        [text(r) for r in test],
        [r["label"] for r in test],
        (1, 2),
    )
    return {"accuracy": round(acc, 1), "majority": round(_majority([r["label"] for r in test]), 1)}


def choices_without_context(root: Path, task: str) -> dict[str, float]:
    """Accuracy of a logistic regression on word 1-2-grams of question + answer, the context withheld (train ->
    validation; the highest-scoring answer is chosen), and chance: an answer that fits without the context
    is a shortcut."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    get = CHOICES[task]
    train, dev = [get(r) for r in load(root, task, "train")], [get(r) for r in load(root, task, "validation")]
    vec = CountVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b|[^\w\s]", lowercase=True)
    x = vec.fit_transform([f"{q} {a}" for q, answers, _ in train for a in answers])
    model = LogisticRegression(max_iter=2000).fit(x, [int(i == g) for _, ans, g in train for i in range(len(ans))])
    correct = sum(
        int(model.decision_function(vec.transform([f"{q} {a}" for a in answers])).argmax() == gold)
        for q, answers, gold in dev
    )
    return {"accuracy": round(100 * correct / len(dev), 1), "chance": round(100 / len(dev[0][1]), 1)}


def _training_texts(root: Path) -> set[str]:
    """Every English training input of every task, each of its fields and each of their sentences."""
    seen: set[str] = set()
    for task in INPUT_FIELDS:
        for row in english_splits(root, task).get("train", []):
            seen.add(input_text(task, row))
            for f in INPUT_FIELDS[task]:
                value = " ".join(row[f]) if isinstance(row[f], list) else row[f]
                seen.add(normalise(value))
                seen.update(normalise(s) for s in _SENTENCE_END.split(value))
    return seen


def _evaluation_inputs(root: Path) -> dict[str, list[str]]:
    """'task/split' -> English dev/test inputs (BUCC: the English sentences of dev and test)."""
    out = {}
    for task in INPUT_FIELDS:
        for split, rows in english_splits(root, task).items():
            if split != "train":
                out[f"{task}/{split}"] = [input_text(task, r) for r in rows]
    for path in sorted((Path(root) / "tasks" / "tatoeba").glob("test.*.jsonl")):  # English targets
        lang = path.name.split(".")[1]
        out.setdefault("tatoeba/test", []).extend(input_text("tatoeba", r) for r in load(root, "tatoeba", "test", lang))
    bucc = Path(root) / "tasks" / "bucc2018"
    for path in sorted(bucc.glob("*.en")):
        split = path.name.split(".")[1]
        lines = path.read_text(encoding="utf-8").splitlines()
        out.setdefault(f"bucc2018/{split}", []).extend(normalise(line.split("\t")[1]) for line in lines)
    return out


def repeats(root: Path) -> dict[str, dict[str, int]]:
    """'task/split' -> {"inputs": n, "repeats": English dev/test inputs found verbatim (case and
    spacing aside) as a training input, field or sentence of any task}."""
    seen = _training_texts(root)
    return {
        key: {"inputs": len(texts), "repeats": sum(t in seen for t in texts)}
        for key, texts in _evaluation_inputs(root).items()
    }


def qa_lookups(root: Path) -> dict[str, dict[str, int]]:
    """'task/split' -> {"questions", "seen_question" (the question text is in QA training data),
    "seen_pair" (the question with its answer is)} for English QA dev/test sets."""
    pairs, questions = set(), set()
    for task in ("squad", "tydiqa"):
        for row in english_splits(root, task).get("train", []):
            q = normalise(row["question"])
            questions.add(q)
            pairs.update((q, normalise(a)) for a in row["answers"]["text"])
    out = {}
    for task in QA_TASKS:
        for split, rows in english_splits(root, task).items():
            if split == "train":
                continue
            qs = [(normalise(r["question"]), [normalise(a) for a in r["answers"]["text"]]) for r in rows]
            out[f"{task}/{split}"] = {
                "questions": len(qs),
                "seen_question": sum(q in questions for q, _ in qs),
                "seen_pair": sum(any((q, a) in pairs for a in ans) for q, ans in qs),
            }
    return out


def audit(root: Path) -> dict:
    return {
        "hypothesis_only": {lang: hypothesis_only(root, lang) for lang in ("en", "qaa")},
        "pawsx_bag_of_ngrams": bag_of_ngrams_pairs(root),
        "choices_without_context": {task: choices_without_context(root, task) for task in CHOICES},
        "repeats": repeats(root),
        "qa_lookups": qa_lookups(root),
    }


if __name__ == "__main__":  # pragma: no cover - a reviewer's convenience
    print(json.dumps(audit(Path(sys.argv[1])), indent=1))
