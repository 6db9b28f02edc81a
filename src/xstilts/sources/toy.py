"""The toy world's task files: ``tasks/<task>/<split>.<lang>.jsonl`` in the real data sets' columns."""

from __future__ import annotations

from pathlib import Path

from xstilts.sources import english_only_tydiqa, read_bucc


def _read_jsonl(path: Path):
    # Small files: building the Dataset in memory skips the datasets cache (no copies under ~/.cache).
    import json

    from datasets import Dataset

    rows = []
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, start=1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{n}: invalid JSON ({err.msg})") from None
    return Dataset.from_list(rows)


def load(spec, split: str, lang: str, world_dir: Path):
    task_dir = world_dir / "tasks" / spec.name
    if "@" in split:  # a recipe's train@LANG[.mt]: rendered on demand from the world's English examples
        from datasets import Dataset

        from xstilts.recipes import parse_split
        from xstilts.toyworld.recipes import build_recipe_split

        _, variant_lang, translated = parse_split(split)
        return Dataset.from_list(build_recipe_split(world_dir, spec.name, variant_lang, translated))
    if spec.name == "bucc2018":
        return read_bucc(task_dir, lang, split)
    if spec.name == "mewslix":  # the original get-mewsli-x.sh layout, read by the local reader
        from xstilts.sources.local import READERS

        return READERS["mewslix"](task_dir, spec, split, lang)
    if spec.name == "tydiqa" and split == "train":
        return english_only_tydiqa(_read_jsonl(task_dir / "train.mixed.jsonl"))
    path = task_dir / f"{split}.{lang}.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"toy world has no {spec.name} {split} data for language {lang!r}: {path}")
    return _read_jsonl(path)
