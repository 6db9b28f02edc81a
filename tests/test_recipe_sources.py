"""Real intermediate data in other languages (tasks.yaml ``recipe_data``), on fixtures in the real schemas.

No download: hub repositories are tiny copies in their own parquet layout under tests/fixtures/sources/hub
(facebook/xnli, KorQuAD/squad_kor_v1, clue/clue), XTREME's translate-train SQuAD file sits in the local squad/
directory (tests/fixtures/sources/build_fixtures.py, ``build_recipe_sources``). Every non-English text carries
its «xx» marker.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xstilts import config as xcfg
from xstilts import registry
from xstilts.formats import get_format
from xstilts.sources import load_split, recipe_languages

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
HUB = {"type": "hub", "path": str(FIXTURES / "hub")}
LOCAL = {"type": "local", "path": str(FIXTURES / "local")}
XNLI = ["ar", "bg", "de", "el", "es", "fr", "hi", "ru", "sw", "th", "tr", "ur", "vi", "zh"]
XQUAD = ["ar", "de", "el", "es", "hi", "ru", "th", "tr", "vi", "zh"]
ENGLISH_LABELS = [0, 2, 1]  # the fixture pairs: entailment, contradiction, neutral (MNLI's label order)


@pytest.fixture(scope="module", autouse=True)
def datasets_cache(tmp_path_factory):
    import datasets

    previous = datasets.config.HF_DATASETS_CACHE
    datasets.config.HF_DATASETS_CACHE = str(tmp_path_factory.mktemp("hf_datasets"))
    yield
    datasets.config.HF_DATASETS_CACHE = previous


def canonical(task, raw):
    spec = registry.get(task)
    return get_format(spec.format).canonicalize(raw, spec, list(spec.labels) if spec.labels else None)


def test_recipe_languages_are_what_each_source_provides():
    mnli, squad = registry.get("mnli"), registry.get("squad")
    assert recipe_languages(mnli, HUB, True) == XNLI  # XNLI's translate-train
    assert recipe_languages(mnli, HUB, False) == ["zh"]  # OCNLI
    assert recipe_languages(squad, HUB, False) == recipe_languages(squad, LOCAL, False) == ["ko"]  # KorQuAD
    assert recipe_languages(squad, LOCAL, True) == XQUAD  # XTREME's translations: files on disk
    assert recipe_languages(squad, HUB, True) == []  # no hub copy of them
    assert recipe_languages(registry.get("qqp"), HUB, True) == []


@pytest.mark.parametrize("lang", ["de", "sw"])
def test_xnli_translate_train_is_mnli_in_another_language(lang):
    raw = load_split(registry.get("mnli"), f"train@{lang}.mt", lang, HUB)
    assert raw.column_names == ["premise", "hypothesis", "label"]
    assert raw.features["label"].names == list(registry.get("mnli").labels)
    assert all(f"«{lang}»" in t for t in list(raw["premise"]) + list(raw["hypothesis"]))
    assert canonical("mnli", raw)["label"] == ENGLISH_LABELS


def test_ocnli_is_native_chinese_nli_with_labels_mapped_by_name():
    """OCNLI counts neutral first (0 neutral, 1 entailment, 2 contradiction) and marks rows without a majority
    label -1: those are dropped and the ids mapped onto MNLI's order, so 'entailment' stays entailment."""
    raw = load_split(registry.get("mnli"), "train@zh", "zh", HUB)
    assert set(raw.column_names) == {"premise", "hypothesis", "label", "idx"}
    assert len(raw) == 3  # the -1 row is gone
    assert raw.features["label"].names == ["entailment", "neutral", "contradiction"]
    assert canonical("mnli", raw)["label"] == ENGLISH_LABELS
    assert all("«zh»" in t for t in raw["premise"])


def test_korquad_is_native_korean_squad():
    raw = load_split(registry.get("squad"), "train@ko", "ko", HUB)
    assert {"id", "title", "context", "question", "answers"} <= set(raw.column_names) and len(raw) == 2
    for row in raw:
        (text,), (start,) = row["answers"]["text"], row["answers"]["answer_start"]
        assert row["context"][start : start + len(text)] == text and "«ko»" in row["question"]
    canonical("squad", raw)  # the span_qa format reads it


def test_xtreme_translate_train_squad_reads_from_a_local_source():
    raw = load_split(registry.get("squad"), "train@de.mt", "de", LOCAL)
    assert len(raw) == 2 and all("«de»" in q for q in raw["question"])
    english = load_split(registry.get("squad"), "train", "en", LOCAL)
    assert set(raw.column_names) == set(english.column_names)
    with pytest.raises(ValueError, match="no machine-translated 'de' training data; languages: none"):
        load_split(registry.get("squad"), "train@de.mt", "de", HUB)


def test_a_language_the_source_lacks_is_refused():
    with pytest.raises(ValueError, match=r"mnli: the hub source has no native 'ko' training data; languages: zh"):
        load_split(registry.get("mnli"), "train@ko", "ko", HUB)


def _config(recipes: dict, squad_source: dict | None = None) -> dict:
    tasks = {"squad": squad_source} if squad_source else {}
    return {"data": {"source": HUB, "tasks": tasks}, "intermediate": list(recipes), "multitask": {}, "recipes": recipes}


def test_config_checks_name_the_key_and_the_languages_a_real_source_provides():
    ok = {
        "mnli-mt": {"tasks": ["mnli"], "languages": ["de", "sw"], "translated": True},
        "nli-zh": {"tasks": ["mnli"], "languages": ["zh"]},
        "qa-ko": {"tasks": ["squad"], "languages": ["ko"]},
    }
    assert set(xcfg.recipes_of(_config(ok))) == set(ok)
    with pytest.raises(xcfg.ConfigError, match=r"recipes\.x\.languages: mnli's data source has no native 'ko' "):
        xcfg.recipes_of(_config({"x": {"tasks": ["mnli"], "languages": ["ko"]}}))
    with pytest.raises(xcfg.ConfigError, match=r"allowed: en, zh"):
        xcfg.recipes_of(_config({"x": {"tasks": ["mnli"], "languages": ["ko"]}}))
    qa_mt = {"x": {"tasks": ["squad"], "languages": ["de"], "translated": True}}
    with pytest.raises(xcfg.ConfigError, match=r"recipes\.x\.languages: squad's data source has no machine-"):
        xcfg.recipes_of(_config(qa_mt))  # a hub source: XTREME's translations are files on disk
    assert xcfg.recipes_of(_config(qa_mt, LOCAL))["x"].data_splits() == {"squad": ["train@de.mt"]}
