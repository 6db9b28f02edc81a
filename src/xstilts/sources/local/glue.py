"""GLUE TSVs with a header (QUOTE_NONE): MNLI (train.tsv, dev_matched.tsv), QQP and SST-2 (train.tsv, dev.tsv)."""

from __future__ import annotations

import csv
from pathlib import Path

from ._io import _class_label, _dataset, _features, _label_id, _require, _split_word, _tsv
from ._registry import reads


def _glue(task_dir: Path, spec, split: str, columns: dict, label_column: str, label_names=None):
    """A GLUE TSV with a header; columns maps the hub's column names to the TSV's."""
    from datasets import Value

    word = _split_word(spec, split)
    name = "dev_matched.tsv" if (spec.name == "mnli" and word == "dev") else f"{word}.tsv"
    path = _require(task_dir / name, f"{spec.name} {split}")
    labels = _class_label(spec)
    rows = {k: [] for k in list(columns) + ["label", "idx"]}
    index = None
    for n, fields in _tsv(path, range(1, 100), header=True, quoting=csv.QUOTE_NONE):
        if n == 1:
            index = {c: i for i, c in enumerate(fields)}
            missing = (set(columns.values()) | {label_column}) - set(index)
            if missing:
                raise ValueError(f"{path}:1: header lacks {sorted(missing)}")
            continue
        if len(fields) < len(index):
            raise ValueError(f"{path}:{n}: {len(fields)} fields but the header has {len(index)}")
        for ours, theirs in columns.items():
            rows[ours].append(fields[index[theirs]])
        raw = fields[index[label_column]]
        if label_names:  # QQP/SST-2 store the class index
            if raw not in [str(i) for i in range(len(label_names))]:
                raise ValueError(f"{path}:{n}: label {raw!r} is not a class index 0..{len(label_names) - 1}")
            raw = label_names[int(raw)]
        rows["label"].append(_label_id(raw, labels, path, n))
        rows["idx"].append(len(rows["idx"]))
    features = {k: Value("string") for k in columns} | {"label": labels, "idx": Value("int32")}
    return _dataset(rows, _features(**features))


@reads("mnli", directory="MNLI", layout=["train.tsv", "dev_matched.tsv"])
def _mnli(task_dir, spec, split, lang):
    return _glue(task_dir, spec, split, {"premise": "sentence1", "hypothesis": "sentence2"}, "gold_label")


@reads("qqp", directory="QQP", layout=["train.tsv", "dev.tsv"])
def _qqp(task_dir, spec, split, lang):
    return _glue(
        task_dir,
        spec,
        split,
        {"question1": "question1", "question2": "question2"},
        "is_duplicate",
        label_names=list(spec.labels),
    )


@reads("sst2", directory="SST-2", layout=["train.tsv", "dev.tsv"])
def _sst2(task_dir, spec, split, lang):
    return _glue(task_dir, spec, split, {"sentence": "sentence"}, "label", label_names=list(spec.labels))
