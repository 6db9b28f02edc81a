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


def _recipe_entry(spec, translated: bool) -> dict:
    return (spec.recipe_data or {}).get("translated" if translated else "native") or {}


def recipe_languages(spec, source: dict, translated: bool) -> list[str]:
    """Languages (besides English) in which a task's source has intermediate data: native or translated.

    Real data comes from the registry's ``recipe_data`` entries: a ``hub`` repository (read from the hub, or from
    a hub-layout mirror under a local source's path) or a ``local`` file pattern (files on disk, only under a
    local source's path). The toy world renders its intermediate tasks on demand (``xstilts.toyworld.recipes``:
    native, or through a simulated word-by-word machine translation)."""
    if source["type"] == "toy":
        from xstilts.toyworld.recipes import recipe_languages as toy_languages

        return toy_languages(spec.name, translated)
    entry = _recipe_entry(spec, translated)
    if not entry.get("hub") and entry.get("local") and source["type"] != "local":
        return []  # files on disk only (XTREME's translations): a hub source cannot provide them
    return list(entry.get("languages") or [])


def load_recipe_split(spec, split: str, source: dict, world_dir: str | Path | None = None):
    """``train@LANG`` (native) or ``train@LANG.mt`` (machine-translated) intermediate data, in the task's
    own raw schema: columns renamed as the entry says (``rename``), unlabeled rows (-1) dropped and class ids
    mapped by name onto the registry's label order (OCNLI counts neutral first, MNLI entailment)."""
    from xstilts.recipes import parse_split

    base, lang, translated = parse_split(split)
    if spec.role != "intermediate" or base != "train":
        raise ValueError(f"{spec.name} {split}: only intermediate tasks' training data comes in other languages")
    allowed = recipe_languages(spec, source, translated)
    if lang not in allowed:
        kind = "machine-translated" if translated else "native"
        raise ValueError(
            f"{spec.name}: the {source['type']} source has no {kind} {lang!r} training data; "
            f"languages: {', '.join(allowed) or 'none'}"
        )
    if source["type"] == "toy":
        from xstilts.sources.toy import load

        return load(spec, split, lang, Path(world_dir))
    entry = _recipe_entry(spec, translated)
    if entry.get("local") and source["type"] == "local":
        data = _local_recipe_file(spec, entry["local"].format(lang=lang), source)
    else:
        from xstilts.sources.hub import _load_part

        hub = entry["hub"]
        name = hub.get("name")
        mirror = {"path": source["path"]} if source.get("path") else {}  # a mirror root; the task's revision pins
        data = _load_part(hub["path"], name.format(lang=lang) if name else None, hub["split"], mirror)  # another repo
    return align_recipe_data(spec, data, entry.get("rename") or {}, f"{spec.name} {split}")


def _local_recipe_file(spec, relative: str, source: dict):
    from xstilts.sources.local import task_dir
    from xstilts.sources.local._io import _require

    path = _require(task_dir(source["path"], spec.name) / relative, f"{spec.name} recipe data")
    if spec.format == "span_qa":
        from xstilts.sources.local.squad import _squad_file

        return _squad_file(path)
    raise ValueError(f"{spec.name}: local recipe data is read for SQuAD-format files only ({path})")


def align_recipe_data(spec, ds, rename: dict, where: str):
    """A recipe source's rows in the English task's columns and label ids (see `load_recipe_split`)."""
    from datasets import ClassLabel

    from xstilts.sources.hub import _drop_unlabeled

    missing = sorted(set(rename) - set(ds.column_names))
    if missing:
        raise ValueError(f"{where}: the recipe source lacks the columns {missing} its registry entry renames")
    if rename:
        ds = ds.rename_columns(dict(rename))
    label = ds.features.get("label")
    if isinstance(label, ClassLabel) and spec.labels and label.names != list(spec.labels):
        unknown = sorted(set(label.names) - set(spec.labels))
        if unknown:
            raise ValueError(
                f"{where}: the source's labels {label.names} are not the registry's {list(spec.labels)} "
                f"(unknown: {unknown})"
            )
        ds = _drop_unlabeled(ds)
        order = [list(spec.labels).index(name) for name in label.names]
        target = ClassLabel(names=list(spec.labels))
        features = ds.features.copy()
        features["label"] = target
        ds = ds.map(lambda row: {"label": order[row]}, input_columns="label", features=features)
    elif isinstance(label, ClassLabel):
        ds = _drop_unlabeled(ds)
    return ds


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
