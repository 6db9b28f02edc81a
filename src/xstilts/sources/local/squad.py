"""SQuAD-format JSON (``data`` -> ``paragraphs`` -> ``qas``): SQuAD {train,dev}-v1.1.json (v2: -v2.0.json),
XQuAD xquad.LANG.json, MLQA SPLIT-context-LANG-question-LANG.json and TyDiQA-GoldP (English-filtered train)."""

from __future__ import annotations

from pathlib import Path

from xstilts.sources import english_only_tydiqa

from ._io import STRIPPED, _dataset, _features, _field, _first, _json, _require, _split_word
from ._registry import reads


def _squad_file(path: Path, with_title: bool = True):
    """A SQuAD-format JSON file, flattened to one row per question in the hub's columns."""
    from datasets import Sequence, Value

    data = _json(path)
    rows = {"id": [], "title": [], "context": [], "question": [], "answers": []}
    blank = 0
    for doc in _field(data, "data", path, 1):
        for paragraph in _field(doc, "paragraphs", path, 1):
            for qa in paragraph["qas"]:
                answers = qa.get("answers", [])
                if answers and all(a["text"] == "" for a in answers):
                    blank += 1
                rows["id"].append(str(qa["id"]))
                rows["title"].append(doc.get("title", ""))
                rows["context"].append(paragraph["context"])
                rows["question"].append(qa["question"])
                rows["answers"].append(
                    {"answer_start": [int(a["answer_start"]) for a in answers], "text": [a["text"] for a in answers]}
                )
    if rows["id"] and blank == len(rows["id"]):
        raise ValueError(f"{path}: every answer is empty; {STRIPPED}")
    features = {
        "id": Value("string"),
        "title": Value("string"),
        "context": Value("string"),
        "question": Value("string"),
        "answers": Sequence({"answer_start": Value("int32"), "text": Value("string")}),
    }
    if not with_title:
        del rows["title"], features["title"]
    return _dataset(rows, _features(**features))


@reads("squad", variants=True, layout=["*-v1.1.json", "*-v2.0.json"])
def _squad(task_dir: Path, spec, split: str, lang: str, variant: str | None = None):
    version = {None: "v1.1", "v2": "v2.0"}.get(variant)
    if version is None:
        raise ValueError(f"data source variant {variant!r} is unknown for squad; allowed: v2")
    return _squad_file(_require(task_dir / f"{_split_word(spec, split)}-{version}.json", f"squad {split}"))


@reads("xquad", layout=["xquad.*.json"])
def _xquad(task_dir: Path, spec, split: str, lang: str):
    if split != spec.test:
        raise KeyError(f"xquad has only a test split (got {split!r})")
    return _squad_file(_require(task_dir / f"xquad.{lang}.json", f"xquad {lang}"), with_title=False)


@reads(
    "mlqa",
    layout=["MLQA_V1/*/*-context-*-question-*.json", "*/*-context-*-question-*.json", "*-context-*-question-*.json"],
)
def _mlqa(task_dir: Path, spec, split: str, lang: str):
    word = _split_word(spec, split)
    name = f"{word}-context-{lang}-question-{lang}.json"
    path = _first([task_dir / "MLQA_V1" / word / name, task_dir / word / name, task_dir / name], f"mlqa {split} {lang}")
    return _squad_file(path)


@reads(
    "tydiqa",
    layout=[
        "tydiqa-goldp-v1.1-train/*.json",
        "tydiqa-goldp-v1.1-dev/*.json",
        "tydiqa-goldp-v1.1-train.json",
        "tydiqa.goldp.*.dev.json",
    ],
)
def _tydiqa(task_dir: Path, spec, split: str, lang: str):
    if split == "train":
        # the mixed file keeps the language prefix of the ids, so the English filter is exact
        path = _first(
            [
                task_dir / "tydiqa-goldp-v1.1-train" / "tydiqa-goldp-v1.1-train.json",
                task_dir / "tydiqa-goldp-v1.1-train.json",
            ],
            "tydiqa train (all nine languages)",
        )
        return english_only_tydiqa(_squad_file(path))
    name = (spec.hub or {}).get("id_prefixes", {}).get(lang, lang)
    dev = task_dir / "tydiqa-goldp-v1.1-dev"
    path = _first(
        [
            dev / f"tydiqa.goldp.{lang}.dev.json",
            dev / f"tydiqa-goldp-dev-{name}.json",
            task_dir / f"tydiqa.goldp.{lang}.dev.json",
        ],
        f"tydiqa {split} {lang}",
    )
    return _squad_file(path)
