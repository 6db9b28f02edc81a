"""Prepared data and tokenized features, each cached once as its own Snakemake output.

prepare:  raw source -> the format's canonical columns, one ``save_to_disk`` directory per language
tokenize: canonical data -> model inputs for one tokenizer and maximum length, one directory per language
"""

from __future__ import annotations

import logging
from pathlib import Path

from xstilts import registry
from xstilts.formats import get_format
from xstilts.zeroshot import check_zero_shot

log = logging.getLogger("xstilts.prepared")


def prepare(
    task: str, split: str, languages: list[str], source: dict, out_dir: str | Path, world_dir: str | Path | None = None
) -> dict:
    from xstilts.sources import load_split

    spec = registry.get(task)
    check_zero_shot(spec, split, languages)
    fmt = get_format(spec.format)
    out_dir = Path(out_dir)
    counts = {}
    for lang in languages:
        raw = load_split(spec, split, lang, source, world_dir)
        if len(raw) == 0:  # refused here: `tokenize` would fail inside datasets with no file named
            raise ValueError(f"{task} {split} {lang}: no examples from {_describe(source, world_dir)}")
        data = fmt.canonicalize(raw, spec, list(spec.labels) if spec.labels else None, lang=lang)
        data.save_to_disk(str(out_dir / lang))
        counts[lang] = len(data)
        log.info("%s %s %s: %d examples", task, split, lang, len(data))
    return counts


def _describe(source: dict, world_dir) -> str:
    """Where a source reads from, for messages (the local reader names the exact file itself)."""
    if source["type"] == "toy":
        return f"the toy world in {world_dir}"
    return f"the {source['type']} source" + (f" at {source['path']}" if source.get("path") else "")


def load_from_output(directory: str | Path):
    """Load a dataset that another job wrote. ``datasets`` would otherwise write its map caches into that
    job's output directory; our caches are the Snakemake outputs themselves."""
    import datasets

    datasets.disable_caching()
    return datasets.load_from_disk(str(directory))


def load_prepared(split_dir: str | Path, lang: str):
    """One language of a cached split: prepared data (``prepare``) or its features (``tokenize``)."""
    return load_from_output(Path(split_dir) / lang)


def tokenize(
    task: str,
    split: str,
    languages: list[str],
    data_dir: str | Path,
    tokenizer_path: str,
    max_length: int,
    out_dir: str | Path,
) -> dict:
    from transformers import AutoTokenizer

    spec = registry.get(task)
    fmt = get_format(spec.format)
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_path)
    counts = {}
    for lang in languages:
        data = load_prepared(data_dir, lang)
        features = fmt.featurize(data, tokenizer, spec, max_length, train=(split == "train"))
        features.save_to_disk(str(Path(out_dir) / lang))
        counts[lang] = len(features)
        log.info(
            "%s %s %s: %d examples -> %d features (max length %d)",
            task,
            split,
            lang,
            len(data),
            len(features),
            max_length,
        )
    return counts
