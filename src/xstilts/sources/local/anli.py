"""NLI JSONL releases: ANLI v1.0 (R{1,2,3}/{train,dev,test}.jsonl); variant anli+ adds SNLI
(snli_1.0/snli_1.0_train.jsonl) and GLUE MNLI training data, found next to anli_v1.0/."""

from __future__ import annotations

from pathlib import Path

from ._io import _class_label, _dataset, _features, _field, _first, _jsonl, _label_id, _require, _split_word
from ._registry import reads
from .glue import _glue

ANLI_LABELS = {"e": "entailment", "n": "neutral", "c": "contradiction"}


def _nli_rows(path: Path, spec, premise: str, hypothesis: str, label: str, names: dict | None, uid: str | None):
    """An NLI jsonl release; rows without a gold label (SNLI's '-') are skipped: they cannot be trained on."""
    labels = _class_label(spec)
    rows = {"uid": [], "premise": [], "hypothesis": [], "label": [], "reason": []}
    for n, record in _jsonl(path):
        raw = _field(record, label, path, n)
        if raw == "-":
            continue
        raw = names.get(raw, raw) if names else raw
        rows["uid"].append(str(record.get(uid, n)) if uid else f"{path.stem}-{n}")
        rows["premise"].append(_field(record, premise, path, n))
        rows["hypothesis"].append(_field(record, hypothesis, path, n))
        rows["label"].append(_label_id(raw, labels, path, n))
        rows["reason"].append(record.get("reason", ""))
    return rows


@reads("anli", directory="anli_v1.0", variants=True, layout=["R1/*.jsonl"])
def _anli(task_dir: Path, spec, split: str, lang: str, variant: str | None = None):
    from datasets import Value, concatenate_datasets

    if variant not in (None, "anli+"):
        raise ValueError(f"data source variant {variant!r} is unknown for anli; allowed: anli+")
    word = _split_word(spec, split)
    features = _features(
        uid=Value("string"),
        premise=Value("string"),
        hypothesis=Value("string"),
        label=_class_label(spec),
        reason=Value("string"),
    )
    parts = []
    for r in (1, 2, 3):
        path = _require(task_dir / f"R{r}" / f"{word}.jsonl", f"anli round {r} {split}")
        parts.append(_dataset(_nli_rows(path, spec, "context", "hypothesis", "label", ANLI_LABELS, "uid"), features))
    if variant == "anli+" and split == "train":
        # ANLI+ = ANLI rounds 1-3 + SNLI + MNLI training data; the corpora sit next to anli_v1.0/
        parent = task_dir.parent
        snli = _first(
            [parent / "snli_1.0" / "snli_1.0_train.jsonl", task_dir / "snli_1.0" / "snli_1.0_train.jsonl"],
            "anli+ needs SNLI",
        )
        parts.append(_dataset(_nli_rows(snli, spec, "sentence1", "sentence2", "gold_label", None, "pairID"), features))
        mnli_dir = _first([parent / "MNLI", task_dir / "MNLI"], "anli+ needs GLUE MNLI")
        mnli = _glue(mnli_dir, spec, "train", {"premise": "sentence1", "hypothesis": "sentence2"}, "gold_label")
        parts.append(
            mnli.map(lambda r, i: {"uid": f"mnli-{i}", "reason": ""}, with_indices=True, remove_columns=["idx"]).cast(
                features
            )
        )
    return concatenate_datasets(parts)
