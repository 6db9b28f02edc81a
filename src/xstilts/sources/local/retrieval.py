"""Sentence retrieval files: BUCC 2018 (LANG-en.SPLIT.{LANG,en,gold}) and LASER's Tatoeba
(tatoeba.ISO3-eng.{ISO3,eng}, line i matches line i)."""

from __future__ import annotations

from pathlib import Path

from xstilts.sources import read_bucc

from ._io import STRIPPED, _dataset, _features, _require, _split_word, read_text
from ._registry import reads


@reads("bucc2018", layout=["*-en.*.gold", "*-en.*.en"])
def _bucc(task_dir: Path, spec, split: str, lang: str):
    word = _split_word(spec, split)
    gold = task_dir / f"{lang}-en.{word}.gold"
    if not gold.exists() and (task_dir / f"{lang}-en.{word}.en").exists():
        raise FileNotFoundError(
            f"BUCC gold missing: {gold}; {STRIPPED} (the BUCC 2018 training-gold archives "
            "hold it as LANG-en.training.gold)"
        )
    return read_bucc(task_dir, lang, word)


@reads("tatoeba", layout=["tatoeba.*-eng.*"])
def _tatoeba(task_dir: Path, spec, split: str, lang: str):
    from datasets import Value

    iso3 = ((spec.hub or {}).get("iso3") or {}).get(lang)
    if iso3 is None:
        raise KeyError(f"tasks.yaml tatoeba.hub.iso3 has no entry for language {lang!r}")
    src = task_dir / f"tatoeba.{iso3}-eng.{iso3}"
    tgt = task_dir / f"tatoeba.{iso3}-eng.eng"
    if not src.exists() and (task_dir / f"{lang}-en.en").exists():
        raise FileNotFoundError(
            f"{task_dir / f'{lang}-en.en'}: XTREME's download script sorts the English side, "
            "which destroys the gold alignment; use LASER's data/tatoeba/v1 files "
            f"({src.name}, {tgt.name})"
        )
    sources = read_text(_require(src, f"tatoeba {lang}")).splitlines()
    targets = read_text(_require(tgt, f"tatoeba {lang}")).splitlines()
    if len(sources) != len(targets):
        raise ValueError(f"{src}: {len(sources)} lines but {tgt} has {len(targets)}; the files must be line-aligned")
    n = len(sources)
    rows = {
        "source_sentence": sources,
        "target_sentence": targets,
        "source_lang": [iso3] * n,
        "target_lang": ["eng"] * n,
    }
    return _dataset(rows, _features(**{k: Value("string") for k in rows}))
