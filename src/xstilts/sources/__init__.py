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
    from xstilts.zeroshot import check_zero_shot

    check_zero_shot(spec, split, [lang])  # every source, toy included, hands out data only through here
    kind = source["type"]
    if "@" in split:  # a recipe's intermediate data in another language
        return load_recipe_split(spec, split, source, world_dir)
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


def recipe_languages(spec, source: dict, translated: bool) -> list[str]:
    """Languages (besides English) in which a task's source has intermediate data: native or translated.

    Real data comes from the registry's ``recipe_data`` entries; the toy world renders its intermediate tasks
    on demand (``xstilts.toyworld.recipes``: native, or through a simulated word-by-word machine translation)."""
    if source["type"] == "toy":
        from xstilts.toyworld.recipes import recipe_languages as toy_languages

        return toy_languages(spec.name, translated)
    entry = (spec.recipe_data or {}).get("translated" if translated else "native") or {}
    return list(entry.get("languages") or [])


def load_recipe_split(spec, split: str, source: dict, world_dir: str | Path | None = None):
    """``train@LANG`` (native) or ``train@LANG.mt`` (machine-translated) intermediate data, in the task's
    own raw schema."""
    from xstilts.recipes import parse_split

    base, lang, translated = parse_split(split)
    if spec.role != "intermediate" or base != "train":
        raise ValueError(f"{spec.name} {split}: only intermediate tasks' training data comes in other languages")
    if lang not in recipe_languages(spec, source, translated):
        kind = "machine-translated" if translated else "native"
        raise ValueError(f"{spec.name}: the {source['type']} source has no {kind} {lang!r} training data")
    if source["type"] == "toy":
        from xstilts.sources.toy import load

        return load(spec, split, lang, Path(world_dir))
    from xstilts.sources.hub import _load_part

    hub = spec.recipe_data["translated" if translated else "native"]["hub"]
    name = hub.get("name")
    mirror = {"path": source["path"]} if source.get("path") else {}  # a mirror root; the task's revision pins
    return _load_part(hub["path"], name.format(lang=lang) if name else None, hub["split"], mirror)  # another repo


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

    from xstilts.sources.local import read_text  # non-UTF-8 bytes: an error naming the file and line

    base = Path(directory) / f"{lang}-en.{split}"
    gold_path = Path(f"{base}.gold")
    for path in (Path(f"{base}.{lang}"), Path(f"{base}.en"), gold_path):
        if not path.exists():
            raise FileNotFoundError(f"BUCC file missing: {path} (expected {lang}-en.{split}.{{{lang},en,gold}})")
    partner = {}
    for n, line in enumerate(read_text(gold_path).splitlines(), start=1):
        parts = line.split("\t")
        if len(parts) != 2:
            raise ValueError(f"{gold_path}:{n}: expected 'src_id<TAB>tgt_id'")
        partner[parts[0]] = parts[1]
        partner[parts[1]] = parts[0]
    rows = {"side": [], "id": [], "text": [], "match": []}
    for side, suffix in (("src", lang), ("tgt", "en")):
        path = Path(f"{base}.{suffix}")
        for n, line in enumerate(read_text(path).splitlines(), start=1):
            parts = line.split("\t", 1)
            if len(parts) != 2:
                raise ValueError(f"{path}:{n}: expected 'id<TAB>sentence'")
            rows["side"].append(side)
            rows["id"].append(parts[0])
            rows["text"].append(parts[1])
            rows["match"].append(partner.get(parts[0]))
    return Dataset.from_dict(rows)
