"""Multiple-choice releases: CommonsenseQA ({train,dev}_rand_split.jsonl), Cosmos QA ({train,valid}.csv),
HellaSwag (hellaswag_{train,val}.jsonl), Social IQa (socialiqa-train-dev/{train,dev}.jsonl + {train,dev}-labels.lst),
COPA (SuperGLUE's COPA/{train,val}.jsonl) and XCOPA (its repository's data/LANG/{val,test}.LANG.jsonl)."""

from __future__ import annotations

import csv
from pathlib import Path

from ._io import _dataset, _features, _field, _jsonl, _known, _open_text, _require, _split_word, read_text
from ._registry import reads


@reads("commonsenseqa", layout=["*_rand_split.jsonl"])
def _commonsenseqa(task_dir: Path, spec, split: str, lang: str):
    from datasets import Sequence, Value

    path = _require(task_dir / f"{_split_word(spec, split)}_rand_split.jsonl", f"commonsenseqa {split}")
    rows = {"id": [], "question": [], "question_concept": [], "choices": [], "answerKey": []}
    for n, record in _jsonl(path):
        question = _field(record, "question", path, n)
        choices = _field(question, "choices", path, n)
        rows["id"].append(_field(record, "id", path, n))
        rows["question"].append(_field(question, "stem", path, n))
        rows["question_concept"].append(question.get("question_concept", ""))
        rows["choices"].append({"label": [c["label"] for c in choices], "text": [c["text"] for c in choices]})
        rows["answerKey"].append(
            _known(record.get("answerKey", ""), [c["label"] for c in choices], path, n, "answerKey")
        )
    return _dataset(
        rows,
        _features(
            id=Value("string"),
            question=Value("string"),
            question_concept=Value("string"),
            choices=Sequence({"label": Value("string"), "text": Value("string")}),
            answerKey=Value("string"),
        ),
    )


@reads("cosmosqa", layout=["train.csv", "valid.csv"])
def _cosmosqa(task_dir: Path, spec, split: str, lang: str):
    from datasets import Value

    name = {"train": "train.csv", "dev": "valid.csv"}.get(_split_word(spec, split))
    path = _require(task_dir / (name or f"{split}.csv"), f"cosmosqa {split}")
    columns = ["id", "context", "question", "answer0", "answer1", "answer2", "answer3", "label"]
    rows = {c: [] for c in columns}
    with _open_text(path, newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}:1: header lacks {sorted(missing)}")
        for record in reader:
            try:
                label = int(record["label"])
            except (TypeError, ValueError):
                label = None
            if label not in range(4):
                raise ValueError(
                    f"{path}:{reader.line_num}: label {record['label']!r} is not a choice index; "
                    "expected one of 0, 1, 2, 3"
                )
            for c in columns[:-1]:
                rows[c].append(record[c])
            rows["label"].append(label)
    return _dataset(rows, _features(**{c: Value("string") for c in columns[:-1]}, label=Value("int32")))


@reads("hellaswag", layout=["hellaswag_*.jsonl"])
def _hellaswag(task_dir: Path, spec, split: str, lang: str):
    from datasets import List, Value

    name = {"train": "hellaswag_train.jsonl", "dev": "hellaswag_val.jsonl"}.get(_split_word(spec, split))
    path = _require(task_dir / (name or f"hellaswag_{split}.jsonl"), f"hellaswag {split}")
    text = ("activity_label", "ctx_a", "ctx_b", "ctx", "source_id", "split", "split_type")
    rows = {"ind": [], "endings": [], "label": []} | {c: [] for c in text}
    for n, record in _jsonl(path):
        endings = list(_field(record, "endings", path, n))
        label = str(_field(record, "label", path, n))  # the hub stores it as a string digit
        rows["ind"].append(int(_field(record, "ind", path, n)))
        rows["endings"].append(endings)
        rows["label"].append(_known(label, [str(i) for i in range(len(endings))], path, n))
        for c in text:
            rows[c].append(str(record.get(c, "")))
    return _dataset(
        rows,
        _features(
            ind=Value("int32"),
            endings=List(Value("string")),
            label=Value("string"),
            **{c: Value("string") for c in text},
        ),
    )


@reads("siqa", directory="socialiqa-train-dev", layout=["train-labels.lst", "dev-labels.lst"])
def _siqa(task_dir: Path, spec, split: str, lang: str):
    """The original release: one JSON object per line, the 1-based labels in a parallel file, one per line."""
    from datasets import Value

    word = _split_word(spec, split)
    path = _require(task_dir / f"{word}.jsonl", f"siqa {split}")
    labels_path = _require(task_dir / f"{word}-labels.lst", f"siqa {split} labels")
    labels = [(n, line.strip()) for n, line in enumerate(read_text(labels_path).splitlines(), start=1) if line.strip()]
    columns = ("context", "question", "answerA", "answerB", "answerC")
    rows = {c: [] for c in columns + ("label",)}
    records = list(_jsonl(path))
    if len(records) != len(labels):
        raise ValueError(f"{labels_path}: {len(labels)} labels for the {len(records)} examples of {path}")
    for (n, record), (m, label) in zip(records, labels):
        for c in columns:
            rows[c].append(str(_field(record, c, path, n)))
        rows["label"].append(_known(label, ["1", "2", "3"], labels_path, m))
    return _dataset(rows, _features(**{c: Value("string") for c in columns}, label=Value("string")))


def _copa_rows(path: Path, extra: tuple[str, ...] = ()):
    rows = {c: [] for c in ("premise", "choice1", "choice2", "question", "label", "idx") + extra}
    for n, record in _jsonl(path):
        for c in ("premise", "choice1", "choice2"):
            rows[c].append(str(_field(record, c, path, n)))
        rows["question"].append(
            _known(str(_field(record, "question", path, n)), ["cause", "effect"], path, n, "question")
        )
        label = _field(record, "label", path, n)
        if label not in (0, 1) or isinstance(label, bool):
            raise ValueError(
                f"{path}:{n}: label {label!r} is not a choice index; expected 0 or 1 "
                "(a test file without labels cannot be scored)"
            )
        rows["label"].append(label)
        rows["idx"].append(int(record.get("idx", len(rows["idx"]))))
        for c in extra:
            rows[c].append(bool(record.get(c, False)))
    return rows


@reads("copa", directory="COPA", layout=["train.jsonl", "val.jsonl"])
def _copa(task_dir: Path, spec, split: str, lang: str):
    """SuperGLUE's COPA release (COPA/{train,val}.jsonl; its test.jsonl has no labels), in the hub's columns
    (aps/super_glue copa: label a ClassLabel choice1/choice2)."""
    from datasets import ClassLabel, Value

    name = {"train": "train.jsonl", "dev": "val.jsonl"}.get(_split_word(spec, split), f"{split}.jsonl")
    path = _require(task_dir / name, f"copa {split}")
    return _dataset(
        _copa_rows(path),
        _features(
            premise=Value("string"),
            choice1=Value("string"),
            choice2=Value("string"),
            question=Value("string"),
            label=ClassLabel(names=["choice1", "choice2"]),
            idx=Value("int32"),
        ),
    )


@reads("xcopa", layout=["data/*/test.*.jsonl", "data/*/val.*.jsonl"])
def _xcopa(task_dir: Path, spec, split: str, lang: str):
    """The XCOPA repository's data/LANG/{val,test}.LANG.jsonl (cambridgeltl/xcopa), in the hub's columns."""
    from datasets import Value

    word = {"validation": "val", "dev": "val", "test": "test"}.get(split)
    if word is None:
        raise KeyError(f"xcopa: no {split!r} split (XCOPA has val and test; its English training data is copa)")
    path = _require(task_dir / "data" / lang / f"{word}.{lang}.jsonl", f"xcopa {split} {lang}")
    return _dataset(
        _copa_rows(path, ("changed",)),
        _features(
            premise=Value("string"),
            choice1=Value("string"),
            choice2=Value("string"),
            question=Value("string"),
            label=Value("int32"),
            idx=Value("int32"),
            changed=Value("bool"),
        ),
    )
