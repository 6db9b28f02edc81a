"""XTREME-R's dense retrieval data: Mewsli-X as get-mewsli-x.sh leaves it, LAReQA's XQuAD-R JSON files.

Mewsli-X (google-research ``dense_representations_for_entity_retrieval/mel/get-mewsli-x.sh``, its output
``mewsli_x/output/dataset/``; xtreme's download_data.sh moves the same files to ``download/mewslix/``):

    candidate_set_entities.jsonl      one Entity a line: entity_id, title, description, sentence_spans, ...
    wikipedia_pairs-{train,dev}.jsonl one MentionEntityPair a line: contextual_mention {context, mention}, entity
    wikinews_mentions-{dev,test}.jsonl one ContextualMentions a line: context (a WikiNews article), mentions

read straight into dense_retrieval's canonical rows: a mention becomes a query (``utils_mewslix.
preprocess_mention``: the mention, a colon, then its sentence with the mention between ``{ }``), an entity a
candidate (``preprocess_entity_description``: the description's sentences joined). Training and dev split:
the pairs' mentions and their entities (each once); test: the language's WikiNews mentions against the
whole candidate set. XTREME's preprocessed ``wikinews_mentions/test-LANG.jsonl`` has its test labels blanked
and is refused.

LAReQA: ``xquad-r/LANG.json`` (google-research-datasets/lareqa; download_data.sh: ``download/lareqa/``), SQuAD
format with each paragraph's ``sentence_breaks``; training and selection data is SQuAD v1.1
(``train-v1.1.json``, ``dev-v1.1.json``, here or in ``../squad/``), split into sentences by the format.
"""

from __future__ import annotations

import re
from pathlib import Path

from ._io import STRIPPED, _dataset, _features, _field, _first, _json, _jsonl, _split_word
from ._registry import reads

_MARKED = re.compile(r"\{(.*?)\}")  # utils_mewslix escapes pre-existing { } markers as ( )


def _clean(text: str) -> str:
    """Newlines to spaces, one doubled space removed per place, stripped (as utils_mewslix normalises)."""
    return " ".join(text.splitlines()).replace("  ", " ").strip()


def _spans(record: dict, path: Path, n: int) -> list[tuple[int, int]]:
    return [(int(s["start"]), int(s["end"])) for s in _field(record, "sentence_spans", path, n)]


def entity_text(entity: dict, path: Path, n: int) -> str:
    description = _field(entity, "description", path, n)
    return _clean(" ".join(description[s:e] for s, e in _spans(entity, path, n)))


def mention_text(context: dict, mention: dict, path: Path, n: int) -> str:
    """The query of one mention: its text, a colon, then its sentence with the mention marked."""
    text = _field(context, "text", path, n)
    span = _field(mention, "mention_span", path, n)
    start, end, surface = int(span["start"]), int(span["end"]), span["text"]
    if not text:
        raise ValueError(
            f"{path}:{n}: the article text is empty (a *_no_text file): run get-mewsli-x.sh, which restores it "
            "from the WikiNews dumps"
        )
    if text[start:end] != surface:
        raise ValueError(f"{path}:{n}: mention {surface!r} is not at {start}:{end} of its context")
    sentence = next(((s, e) for s, e in _spans(context, path, n) if s <= start and end <= e), None)
    if sentence is None:
        raise ValueError(f"{path}:{n}: mention {surface!r} lies in no sentence (or crosses a sentence boundary)")
    left = _MARKED.sub(r"(\1)", text[sentence[0] : start])
    right = _MARKED.sub(r"(\1)", text[end : sentence[1]])
    return _clean(f"{surface}: {left} {{ {surface} }} {right}")


def _rows():
    return {"kind": [], "id": [], "text": [], "group": [], "groups": []}


def _add(rows: dict, kind: str, item_id: str, text: str, group: str = "", groups=()) -> None:
    for key, value in zip(rows, (kind, item_id, text, group, list(groups))):
        rows[key].append(value)


def _canonical(rows: dict):
    from datasets import Sequence, Value

    return _dataset(
        rows,
        _features(
            kind=Value("string"),
            id=Value("string"),
            text=Value("string"),
            group=Value("string"),
            groups=Sequence(Value("string")),
        ),
    )


def _entity_id(record: dict, path: Path, n: int) -> str:
    entity_id = str(_field(record, "entity_id", path, n))
    if not entity_id:
        raise ValueError(f"{path}:{n}: empty entity_id; {STRIPPED}")
    return entity_id


def _mewslix_locate(task_dir: Path) -> Path:
    for directory in (task_dir, task_dir / "mewsli_x" / "output" / "dataset"):
        if (directory / "wikipedia_pairs-train.jsonl").exists() or (
            directory / "candidate_set_entities.jsonl"
        ).exists():
            return directory
    raise FileNotFoundError(
        f"{task_dir} does not hold Mewsli-X as get-mewsli-x.sh writes it: expected candidate_set_entities.jsonl, "
        "wikipedia_pairs-{train,dev}.jsonl and wikinews_mentions-test.jsonl there or in mewsli_x/output/dataset/"
    )


@reads("mewslix", locate=_mewslix_locate)
def _mewslix(task_dir: Path, spec, split: str, lang: str):
    directory = _mewslix_locate(task_dir)
    word = _split_word(spec, split)
    rows = _rows()
    if split in ("train", "validation"):
        path = _first([directory / f"wikipedia_pairs-{word}.jsonl"], f"mewslix {split}")
        seen = set()
        for n, record in _jsonl(path):
            cm = _field(record, "contextual_mention", path, n)
            mention, entity = _field(cm, "mention", path, n), _field(record, "entity", path, n)
            gold = _entity_id(mention, path, n)
            _add(rows, "query", str(mention["example_id"]), mention_text(cm["context"], mention, path, n), gold)
            entity_id = _entity_id(entity, path, n)
            if entity_id not in seen:
                seen.add(entity_id)
                _add(rows, "candidate", entity_id, entity_text(entity, path, n), groups=[entity_id])
        return _canonical(rows)
    path = directory / f"wikinews_mentions-{word}.jsonl"
    if not path.exists() and (directory / "wikinews_mentions" / f"{word}-{lang}.jsonl").exists():
        raise FileNotFoundError(
            f"{directory / 'wikinews_mentions'}: XTREME's per-language files blank the test entity ids; {STRIPPED} "
            "(get-mewsli-x.sh's wikinews_mentions-test.jsonl keeps them)"
        )
    path = _first([path], f"mewslix {split}")
    for n, record in _jsonl(path):
        context = _field(record, "context", path, n)
        if _field(context, "language", path, n) != lang:
            continue
        for mention in _field(record, "mentions", path, n):
            gold = _entity_id(mention, path, n)
            _add(rows, "query", str(mention["example_id"]), mention_text(context, mention, path, n), gold)
    candidates = _first([directory / "candidate_set_entities.jsonl"], "mewslix candidate set")
    for n, entity in _jsonl(candidates):
        entity_id = _entity_id(entity, candidates, n)
        _add(rows, "candidate", entity_id, entity_text(entity, candidates, n), groups=[entity_id])
    return _canonical(rows)


def _squad_rows(path: Path, with_breaks: bool):
    """A SQuAD-format file, one row per question (XQuAD-R: with its paragraph's ``sentence_breaks``)."""
    from datasets import Sequence, Value

    data = _json(path)
    rows = {"id": [], "context": [], "question": [], "answers": []}
    if with_breaks:
        rows["sentence_breaks"] = []
    for article in _field(data, "data", path, 1):
        for paragraph in _field(article, "paragraphs", path, 1):
            if with_breaks:
                breaks = [[int(s), int(e)] for s, e in _field(paragraph, "sentence_breaks", path, 1)]
            for qa in paragraph["qas"]:
                rows["id"].append(str(qa["id"]))
                rows["context"].append(paragraph["context"])
                rows["question"].append(qa["question"])
                rows["answers"].append(
                    {
                        "text": [a["text"] for a in qa["answers"]],
                        "answer_start": [int(a["answer_start"]) for a in qa["answers"]],
                    }
                )
                if with_breaks:
                    rows["sentence_breaks"].append(breaks)
    features = {
        "id": Value("string"),
        "context": Value("string"),
        "question": Value("string"),
        "answers": Sequence({"text": Value("string"), "answer_start": Value("int32")}),
    }
    if with_breaks:
        features["sentence_breaks"] = Sequence(Sequence(Value("int32")))
    return _dataset(rows, _features(**features))


@reads("lareqa", layout=["xquad-r/*.json", "*-v1.1.json"])
def _lareqa(task_dir: Path, spec, split: str, lang: str):
    if split in ("train", "validation"):
        name = f"{_split_word(spec, split)}-v1.1.json"
        path = _first([task_dir / name, task_dir.parent / "squad" / name], f"lareqa {split} (SQuAD v1.1)")
        return _squad_rows(path, with_breaks=False)
    if split != spec.test:
        raise KeyError(f"lareqa has no {split!r} split (train, validation: SQuAD v1.1; test: XQuAD-R)")
    path = _first([task_dir / "xquad-r" / f"{lang}.json", task_dir / f"{lang}.json"], f"lareqa test {lang} (XQuAD-R)")
    return _squad_rows(path, with_breaks=True)
