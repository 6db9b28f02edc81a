"""Multiple-choice releases: CommonsenseQA ({train,dev}_rand_split.jsonl), Cosmos QA ({train,valid}.csv) and
HellaSwag (hellaswag_{train,val}.jsonl)."""

from __future__ import annotations

import csv
from pathlib import Path

from ._io import _dataset, _features, _field, _jsonl, _known, _open_text, _require, _split_word
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
        rows["answerKey"].append(_known(record.get("answerKey", ""), [c["label"] for c in choices], path, n,
                                        "answerKey"))
    return _dataset(rows, _features(id=Value("string"), question=Value("string"), question_concept=Value("string"),
                                    choices=Sequence({"label": Value("string"), "text": Value("string")}),
                                    answerKey=Value("string")))


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
                raise ValueError(f"{path}:{reader.line_num}: label {record['label']!r} is not a choice index; "
                                 "expected one of 0, 1, 2, 3")
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
    return _dataset(rows, _features(ind=Value("int32"), endings=List(Value("string")), label=Value("string"),
                                    **{c: Value("string") for c in text}))
