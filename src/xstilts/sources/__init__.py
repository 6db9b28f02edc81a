"""Where a task's raw data comes from: the toy world, the Hugging Face hub, or local files.

Every source returns a ``datasets.Dataset`` in the real data set's own columns (the toy world writes the
same columns), so everything downstream is the same whatever the source.
"""

from __future__ import annotations

from pathlib import Path

SOURCES = ("toy", "hub", "local")
ENGLISH_TYDIQA_PREFIX = "english"


def load_split(spec, split: str, lang: str, source: dict, world_dir: str | Path | None = None):
    """Load one (task, split, language) in the task's raw schema.

    ``source`` is the task's resolved source settings, e.g. ``{"type": "toy"}`` or
    ``{"type": "hub", "revision": "..."}`` or ``{"type": "local", "path": "..."}``.
    """
    kind = source["type"]
    if kind == "toy":
        from xstilts.sources.toy import load

        return load(spec, split, lang, Path(world_dir))
    if kind == "hub":
        from xstilts.sources.hub import load

        return load(spec, split, lang, source)
    if kind == "local":
        from xstilts.sources.local import load

        return load(spec, split, lang, source)
    raise ValueError(f"unknown data source {kind!r}; expected one of {', '.join(SOURCES)}")


def english_only_tydiqa(ds):
    """TyDiQA-GoldP's training file mixes nine languages; only ids starting with ``english`` are English.

    Training on the whole file would make the "zero-shot" run a multilingual one.
    """
    return ds.filter(lambda record: record["id"].startswith(ENGLISH_TYDIQA_PREFIX))


def read_bucc(directory: str | Path, lang: str, split: str):
    """BUCC 2018 in its original layout: ``xx-en.SPLIT.xx`` / ``.en`` (``id<TAB>sentence``) and ``.gold``.

    Returns the retrieval layout: one row per sentence with ``side`` (src = xx, tgt = en), ``id``, ``text``
    and ``match`` (the gold partner's id, or None for the distractors that make mining hard).
    """
    from datasets import Dataset

    base = Path(directory) / f"{lang}-en.{split}"
    gold_path = Path(f"{base}.gold")
    for path in (Path(f"{base}.{lang}"), Path(f"{base}.en"), gold_path):
        if not path.exists():
            raise FileNotFoundError(f"BUCC file missing: {path} (expected {lang}-en.{split}.{{{lang},en,gold}})")
    partner = {}
    for n, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split("\t")
        if len(parts) != 2:
            raise ValueError(f"{gold_path}:{n}: expected 'src_id<TAB>tgt_id'")
        partner[parts[0]] = parts[1]
        partner[parts[1]] = parts[0]
    rows = {"side": [], "id": [], "text": [], "match": []}
    for side, suffix in (("src", lang), ("tgt", "en")):
        path = Path(f"{base}.{suffix}")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            parts = line.split("\t", 1)
            if len(parts) != 2:
                raise ValueError(f"{path}:{n}: expected 'id<TAB>sentence'")
            rows["side"].append(side)
            rows["id"].append(parts[0])
            rows["text"].append(parts[1])
            rows["match"].append(partner.get(parts[0]))
    return Dataset.from_dict(rows)
