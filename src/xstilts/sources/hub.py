"""Hugging Face hub data sets (parquet repositories), read with ``datasets.load_dataset``.

What to load comes from the registry's ``hub`` entry of each task (``data/tasks.yaml``):

    path         dataset id, e.g. google/xtreme
    name         config name or template: {lang}, {language_name} (language_names map), {iso3} (iso3 map)
    splits       our split name -> hub split expression (e.g. test: validation, train: train_r1+train_r2+train_r3)
    language_column / id_prefixes
                 configs that hold several languages in one split (XNLI; TyDiQA's dev set) are filtered
    variants     named alternatives selected with ``source.variant`` (anli+: ANLI + SNLI + MNLI; squad: v2)
    added        languages a benchmark adds (XTREME-R) that ``path`` does not hold: a list of other repositories,
                 each with ``configs`` (language -> config name, or a list of configs concatenated, as XTREME's
                 download script concatenates every UD treebank of a language), ``splits``, optional
                 ``revision`` (of that repository; ``source.revision`` pins ``path`` only), ``rename``
                 (their columns -> the task's) and ``drop_tags`` (tagging: tags of rows that are not words,
                 such as UD's multiword-token ranges "_")

``source`` settings: ``revision`` pins a hub commit; ``path`` replaces the dataset id, either with another id,
with a local copy of one repository, or with a local MIRROR ROOT holding ``<owner>/<name>`` copies of several
repositories (e.g. made with ``hf download google/xtreme --repo-type dataset --local-dir ROOT/google/xtreme``),
which is how the offline tests and air-gapped clusters use this loader.

Remote code is never run (datasets 5 has no loading scripts; every repository used here is plain parquet).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from xstilts.sources import english_only_tydiqa

UNLABELED = -1  # ClassLabel value of examples without a gold label (SNLI's no-consensus pairs)


def _entry(spec, source: dict) -> dict:
    if not spec.hub:
        raise ValueError(f"{spec.name}: tasks.yaml has no hub entry (hub: null); use a local source for this task")
    entry = {k: v for k, v in spec.hub.items() if k != "variants"}
    variant = source.get("variant")
    if variant is not None:
        variants = spec.hub.get("variants") or {}
        if variant not in variants:
            allowed = ", ".join(sorted(variants)) or "none"
            raise ValueError(f"data source variant {variant!r} is unknown for {spec.name}; allowed: {allowed}")
        entry.update(variants[variant])
    return entry


def _config_name(spec, entry: dict, lang: str) -> str | None:
    template = entry.get("name")
    if template is None:
        return None
    values = {"lang": lang}
    for key, field in (("language_names", "language_name"), ("iso3", "iso3")):
        if "{" + field + "}" in template:
            table = entry.get(key) or {}
            if lang not in table:
                raise KeyError(
                    f"tasks.yaml {spec.name}.hub.{key} has no entry for language {lang!r} "
                    f"(needed by the config template {template!r})"
                )
            values[field] = table[lang]
    return template.format(**values)


def resolve_path(dataset_id: str, source: dict) -> tuple[str, bool]:
    """The dataset id or local directory to load, and whether it is local.

    ``source.path`` may name a mirror root that holds ``<dataset_id>`` below it, a single local copy of the
    repository, or another hub id.
    """
    override = source.get("path")
    if not override:
        return dataset_id, False
    root = Path(override).expanduser()
    if (root / dataset_id).is_dir():
        return str(root / dataset_id), True
    if root.is_dir():
        return str(root), True
    if root.is_absolute() or override.startswith("."):
        raise FileNotFoundError(
            f"data source path {override} does not exist (a hub mirror root or a local "
            f"copy of {dataset_id} was expected)"
        )
    return override, False


def copy_cache_dir(path: str) -> str:
    """A ``datasets`` cache directory of its own for one local copy of a repository, named by its files.

    ``datasets`` (5.2) keys the cache of a local repository whose dataset card lists ``configs`` by the card
    alone, not by the data files nor the directory: two copies of one repository (two revisions, or a copy
    with a file replaced) share one cache, and whichever was read first is returned for both. Keyed here by
    the copy's place and every file's path, size and mtime, so an unchanged copy still reuses its cache.
    """
    from datasets import config

    root = Path(path).resolve()
    digest = hashlib.sha256(str(root).encode())
    for file in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts):
        stat = file.stat()
        digest.update(f"{file.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return str(Path(config.HF_DATASETS_CACHE) / "xstilts-local-copies" / digest.hexdigest()[:16])


def _load_part(dataset_id: str, name: str | None, split: str, source: dict):
    from datasets import load_dataset

    path, local = resolve_path(dataset_id, source)
    kwargs = {"cache_dir": copy_cache_dir(path)} if local else {"revision": source.get("revision")}
    try:
        return load_dataset(path, name, split=split, **kwargs)
    except ValueError as err:
        # e.g. an unknown split or config: say which registry entry asked for it
        raise ValueError(f"{path} (config {name!r}, split {split!r}): {err}") from err


def _drop_unlabeled(ds):
    if "label" in ds.column_names and getattr(ds.features["label"], "names", None):
        return ds.filter(lambda label: label != UNLABELED, input_columns="label")
    return ds


def _shared_columns(parts: list) -> list[str]:
    return [c for c in parts[0].column_names if all(c in ds.column_names for ds in parts)]


def _concatenated(parts: list):
    """Datasets concatenated on the columns they all have, cast to the first one's features."""
    from datasets import concatenate_datasets

    shared = _shared_columns(parts)
    parts = [ds.select_columns(shared) for ds in parts]
    return concatenate_datasets([parts[0]] + [ds.cast(parts[0].features) for ds in parts[1:]])


def _mixture(spec, parts: list, source: dict):
    """Several hub splits concatenated into one training set (e.g. ANLI+), on their shared columns."""
    loaded = [_load_part(p["path"], p.get("name"), p["split"], source) for p in parts]
    needed = set(spec.columns.values()) if all(isinstance(v, str) for v in spec.columns.values()) else set()
    missing = needed - set(_shared_columns(loaded))
    if missing:
        raise ValueError(
            f"{spec.name}: mixture parts {[p['path'] for p in parts]} do not all have the columns {sorted(missing)}"
        )
    for part, ds in zip(parts, loaded):
        # `datasets` fills a column that a repository's card declares but a data file lacks with nulls
        for column in sorted(needed):
            nulls = ds.data.column(column).null_count
            if nulls:
                raise ValueError(
                    f"{spec.name}: mixture part {part['path']} (split {part['split']!r}) has {nulls} of {len(ds)} "
                    f"rows without {column!r} (a data file lacks the column its dataset card declares?)"
                )
    return _concatenated([_drop_unlabeled(ds) for ds in loaded])


def _added(entry: dict, lang: str) -> dict | None:
    """The ``added`` repository that holds ``lang``, or None when ``path`` does."""
    for extra in entry.get("added") or []:
        if lang in extra["configs"]:
            return extra
    return None


def _load_added(spec, extra: dict, split: str, lang: str, source: dict):
    """A benchmark's added language from another repository, renamed into the task's columns."""
    splits = extra.get("splits") or {}
    if split not in splits:
        raise KeyError(
            f"{spec.name} {lang}: {extra['path']} has no {split!r} split here; tasks.yaml "
            f"{spec.name}.hub.added maps {', '.join(sorted(splits)) or 'nothing'}"
        )
    names = extra["configs"][lang]
    names = [names] if isinstance(names, str) else list(names)
    here = {"path": source["path"]} if source.get("path") else {}  # a mirror root; not path's revision
    if extra.get("revision"):
        here["revision"] = extra["revision"]
    parts = [_load_part(extra["path"], name, splits[split], here) for name in names]
    parts = [ds.rename_columns(dict(extra.get("rename") or {})) for ds in parts]
    if extra.get("drop_tags"):
        parts = [_drop_tags(ds, spec.columns, set(extra["drop_tags"])) for ds in parts]
    return _concatenated(parts)


def _drop_tags(ds, columns: dict, dropped: set):
    """Tagging rows without the words whose tag is in ``dropped`` (tags as ClassLabel ints or strings)."""
    tokens, tags = columns["tokens"], columns["tags"]
    names = getattr(getattr(ds.features[tags], "feature", None), "names", None)

    def keep(record):
        pairs = [
            (w, t)
            for w, t in zip(record[tokens], record[tags])
            if (names[t] if names is not None else t) not in dropped
        ]
        return {tokens: [w for w, _ in pairs], tags: [t for _, t in pairs]}

    return ds.map(keep)


def load(spec, split: str, lang: str, source: dict):
    """One (task, split, language) from the hub, in the data set's own columns (through ``load_split``,
    which refuses non-English training and selection data)."""
    from xstilts import registry

    entry = _entry(spec, source)
    known = registry.known_languages(spec.name) if spec.languages else ()
    if known and lang not in known:
        raise KeyError(
            f"{spec.name}: language {lang!r} is in none of the benchmarks' language lists ({', '.join(known)})"
        )
    extra = _added(entry, lang)
    if extra is not None:
        ds = _load_added(spec, extra, split, lang, source)
        if len(ds) == 0:
            raise ValueError(f"{spec.name} {split} {lang}: {extra['path']} has no examples for this language")
        return ds
    splits = entry.get("splits") or {}
    if split not in splits:
        raise KeyError(
            f"{spec.name}: no {split!r} split on the hub; tasks.yaml {spec.name}.hub.splits maps "
            f"{', '.join(sorted(splits)) or 'nothing'}"
        )
    hub_split = splits[split]
    if isinstance(hub_split, list):  # a mixture of several data sets (variant anli+)
        return _mixture(spec, hub_split, source)
    ds = _load_part(entry["path"], _config_name(spec, entry, lang), hub_split, source)
    if entry.get("language_column"):  # XNLI: one config, a language column
        column = entry["language_column"]
        ds = ds.filter(lambda value: value == lang, input_columns=column)
    if entry.get("id_prefixes"):  # TyDiQA-GoldP: one file, ids start with the language's name
        if split == "train":
            ds = english_only_tydiqa(ds)
        else:
            prefix = entry["id_prefixes"].get(lang)
            if prefix is None:
                raise KeyError(f"tasks.yaml {spec.name}.hub.id_prefixes has no entry for language {lang!r}")
            ds = ds.filter(lambda qid: qid.startswith(prefix + "-"), input_columns="id")
    if len(ds) == 0:
        raise ValueError(
            f"{spec.name} {split} {lang}: the hub data ({entry['path']}, split {hub_split!r}) has no "
            f"examples for this language"
        )
    return ds
