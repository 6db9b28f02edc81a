"""XNLI and PAWS-X sentence pairs: XTREME's ``download/`` TSVs ({train,dev,test}-LANG.tsv, from csv.writer) and
the original XNLI release (XNLI-1.0/xnli.{dev,test}.tsv: one file, a language column)."""

from __future__ import annotations

import csv
from pathlib import Path

from ._io import STRIPPED, _dataset, _features, _known, _pair_file, _require, _split_word, _tsv
from ._registry import reads


@reads("xnli", layout=["*-*.tsv", "XNLI-1.0/xnli.*.tsv"])
def _xnli(task_dir: Path, spec, split: str, lang: str):
    from datasets import Value

    rows = {"language": [], "sentence1": [], "sentence2": [], "gold_label": []}
    xtreme = task_dir / f"{_split_word(spec, split)}-{lang}.tsv"
    original = task_dir / "XNLI-1.0" / f"xnli.{_split_word(spec, split)}.tsv"
    if not xtreme.exists() and original.exists():  # the original release: one file, a language column
        for n, fields in _tsv(original, range(1, 100), header=True, quoting=csv.QUOTE_NONE):
            if n == 1:
                cols = {name: i for i, name in enumerate(fields)}
                missing = {"language", "gold_label", "sentence1", "sentence2"} - set(cols)
                if missing:
                    raise ValueError(f"{original}:1: header lacks {sorted(missing)}")
                continue
            if fields[cols["language"]] == lang:
                _known(fields[cols["gold_label"]], spec.labels, original, n)
                for key in rows:
                    rows[key].append(fields[cols[key]])
    else:
        path = _require(xtreme, f"{spec.name} {split} {lang} (or {original})")
        for n, fields in _tsv(path, (2, 3)):
            if len(fields) == 2:
                raise ValueError(f"{path}:{n}: no gold label; {STRIPPED}")
            rows["language"].append(lang)
            rows["sentence1"].append(fields[0])
            rows["sentence2"].append(fields[1])
            rows["gold_label"].append(_known(fields[2], spec.labels, path, n))
    return _dataset(rows, _features(**{k: Value("string") for k in rows}))


@reads("pawsx", layout=["*-*.tsv"])
def _pawsx(task_dir: Path, spec, split: str, lang: str):
    from datasets import Value

    path = _pair_file(task_dir, spec, split, lang)
    rows = {"sentence1": [], "sentence2": [], "label": []}
    for n, fields in _tsv(path, (2, 3)):
        if len(fields) == 2:
            raise ValueError(f"{path}:{n}: no gold label; {STRIPPED}")
        _known(fields[2], spec.labels, path, n)
        for key, value in zip(rows, fields):
            rows[key].append(value)
    return _dataset(rows, _features(**{k: Value("string") for k in rows}))
