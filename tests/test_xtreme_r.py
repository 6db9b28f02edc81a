"""XTREME-R grids: the `benchmark` key, the benchmark's languages for real sources (and the hub repositories
that hold XTREME-R's added languages), language metadata for every benchmark language, tables named after the
benchmark, and the two presets: configs/xtreme-r.yaml planned against its recipe table, configs/xtreme-r-toy.yaml
run end to end (slow).

Both presets run all ten XTREME-R tasks (Mewsli-X and LAReQA as dense retrieval).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from test_presets import PAPER_INTERMEDIATE

from xstilts import config as xcfg
from xstilts import metrics, registry
from xstilts.registry import BASELINE, MULTITASK

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "sources" / "local"
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
DENSE = ("mewslix", "lareqa")


def merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def merged(*parts) -> dict:
    """config.yaml merged with files or dicts, schema defaults filled in (as the Snakefile does)."""
    from snakemake.utils import validate

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    for part in parts:
        config = merge(config, part if isinstance(part, dict) else yaml.safe_load(Path(part).read_text()))
    validate(config, str(SCHEMA))
    return config


# ------------------------------------------------------------------ the benchmark key
def test_schema_offers_the_registry_benchmarks_with_xtreme_as_default():
    schema = yaml.safe_load(SCHEMA.read_text())["properties"]["benchmark"]
    assert schema["enum"] == list(registry.benchmarks()) and schema["default"] == "xtreme"
    assert "mewslix" in schema["description"]  # the help text says what each benchmark runs
    assert merged()["benchmark"] == "xtreme"


@pytest.mark.parametrize(
    "benchmark, target, message",
    [
        ("xtreme", "xcopa", "targets: 'xcopa' is not a task of benchmark xtreme; allowed with benchmark: xtreme: "),
        ("xtreme-r", "pawsx", "targets: 'pawsx' is not a task of benchmark xtreme-r"),
        ("xtreme-r", "bucc2018", "set benchmark: xtreme"),
    ],
)
def test_a_target_outside_the_benchmark_is_a_config_error(benchmark, target, message):
    config = merged({"benchmark": benchmark, "targets": [target], "intermediate": ["mnli"]})
    with pytest.raises(xcfg.ConfigError) as err:
        xcfg.check_benchmark(config)
    assert message in str(err.value)
    assert ", ".join(registry.benchmark_tasks(benchmark)) in str(err.value)  # the allowed values


def test_an_unknown_benchmark_is_refused_by_the_schema():
    with pytest.raises(Exception, match="xtreme-r"):
        merged({"benchmark": "xtreme-s"})


def test_real_sources_evaluate_on_the_benchmarks_languages():
    hub = {"data": {"source": {"type": "hub"}}, "model": {"source": "pretrained", "name_or_path": "x"}}
    xtreme = merged(hub, {"targets": ["udpos", "panx", "tatoeba", "xquad"], "intermediate": []})
    xtreme_r = merged(xtreme, {"benchmark": "xtreme-r"})
    for task in ("udpos", "panx", "tatoeba", "xquad"):
        assert xcfg.languages_for(xtreme, task) == list(registry.get(task).languages)  # XTREME's lists unchanged
        assert xcfg.languages_for(xtreme_r, task) == list(registry.benchmark_languages("xtreme-r", task))
        assert set(xcfg.languages_for(xtreme_r, task)) == set(metrics.XTREME_R_LANGS[task])  # the scorer's list
    assert xcfg.languages_for(xtreme_r, "udpos")[-5:] == ["lt", "pl", "uk", "wo", "ro"]
    # toy sources keep the toy world's languages whatever the benchmark
    toy = merged({"benchmark": "xtreme-r", "targets": ["udpos"], "intermediate": []})
    assert "lt" not in xcfg.languages_for(toy, "udpos") and "qaa" in xcfg.languages_for(toy, "udpos")


# ------------------------------------------------------------------ hub repositories of the added languages
def _fixture_builder(root: Path):
    spec = importlib.util.spec_from_file_location("build_fixtures", REPO / "tests/fixtures/sources/build_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HUB = root
    return module


UD_UPOS = ["NOUN", "PUNCT", "ADP", "NUM", "SYM", "SCONJ", "ADJ", "PART", "DET", "CCONJ", "PROPN", "PRON", "X", "_"]
UD_UPOS += ["ADV", "INTJ", "VERB", "AUX"]  # universal_dependencies' own ClassLabel order (not the registry's)


@pytest.fixture(scope="module")
def added_hub(tmp_path_factory):
    """Tiny copies of the repositories that hold XTREME-R's added languages, in their hub schemas."""
    from datasets import ClassLabel, Features, List, Sequence, Value

    root = tmp_path_factory.mktemp("hub")
    b = _fixture_builder(root)
    s = Value("string")
    ud = b.Repo("universal-dependencies/universal_dependencies")
    feats = Features({"idx": s, "tokens": List(s), "upos": List(ClassLabel(names=UD_UPOS)), "xpos": List(s)})
    for treebank, words in (("lt_alksnis", ["«lt» Namas", "yra", "."]), ("lt_hse", ["«lt» Jis", "eina", "."])):
        tags = ["NOUN", "AUX", "PUNCT"] if treebank == "lt_alksnis" else ["PRON", "VERB", "PUNCT"]
        row = {"idx": f"{treebank}-1", "tokens": words, "upos": [UD_UPOS.index(t) for t in tags], "xpos": ["_"] * 3}
        ud.add(treebank, "test", [row], feats)
    mwt = {"idx": "pl-1", "tokens": ["«pl» Poszedłem", "Poszedł", "em", "."], "xpos": ["_"] * 4}
    mwt["upos"] = [UD_UPOS.index(t) for t in ("_", "VERB", "AUX", "PUNCT")]  # a multiword-token range
    for treebank in ("pl_lfg", "pl_pdb", "pl_pud"):
        ud.add(treebank, "test", [dict(mwt, idx=f"{treebank}-1")], feats)
    ud.write()
    wikiann = b.Repo("unimelb-nlp/wikiann")
    ner = ClassLabel(names=list(registry.get("panx").labels))
    wfeats = Features({"tokens": List(s), "ner_tags": List(ner), "langs": List(s), "spans": List(s)})
    row = {"tokens": ["«pl» Jan", "Kowalski"], "ner_tags": [1, 2], "langs": ["pl", "pl"], "spans": ["PER: Jan"]}
    for split in ("train", "validation", "test"):
        wikiann.add("pl", split, [row], wfeats)
    wikiann.write()
    tatoeba = b.Repo("mteb/tatoeba-bitext-mining")
    pairs = [{"sentence1": "«az» Mən yorğunam.", "sentence2": "I am tired."}]
    pairs.append({"sentence1": "«az» Yağış yağır.", "sentence2": "It is raining."})
    tatoeba.add("aze-eng", "test", pairs, Features({"sentence1": s, "sentence2": s}))
    tatoeba.write()
    xquad = b.Repo("google/xquad")
    qa = Features(
        {"id": s, "context": s, "question": s, "answers": Sequence({"text": s, "answer_start": Value("int32")})}
    )
    context = "«ro» Casa este roșie."
    row = {
        "id": "ro-1",
        "context": context,
        "question": "«ro» Ce culoare?",
        "answers": {"text": ["roșie"], "answer_start": [context.index("roșie")]},
    }
    xquad.add("xquad.ro", "validation", [row], qa)
    xquad.write()
    return {"type": "hub", "path": str(root)}


def _canonical(task, split, lang, source):
    from xstilts.formats import get_format
    from xstilts.sources import load_split

    spec = registry.get(task)
    raw = load_split(spec, split, lang, source)
    return get_format(spec.format).canonicalize(raw, spec, list(spec.labels) if spec.labels else None)


def test_udpos_added_languages_concatenate_every_ud_2_7_treebank(added_hub):
    lt = _canonical("udpos", "test", "lt", added_hub)
    assert [r["tags"] for r in lt] == [["NOUN", "AUX", "PUNCT"], ["PRON", "VERB", "PUNCT"]]  # lt_alksnis + lt_hse
    pl = _canonical("udpos", "test", "pl", added_hub)
    assert len(pl) == 3  # pl_lfg + pl_pdb + pl_pud
    assert pl[0]["tokens"] == ["Poszedł", "em", "."] and pl[0]["tags"] == ["VERB", "AUX", "PUNCT"]  # no "_" range


def test_panx_tatoeba_xquad_added_languages_load_in_the_tasks_schema(added_hub):
    assert _canonical("panx", "test", "pl", added_hub)[0]["tags"] == ["B-PER", "I-PER"]
    tatoeba = _canonical("tatoeba", "test", "az", added_hub)
    assert len(tatoeba) == 4 and any("«az»" in r["text"] for r in tatoeba)  # two pairs, both sides
    xquad = _canonical("xquad", "test", "ro", added_hub)
    assert xquad[0]["answers"]["text"] == ["roșie"]


def test_added_languages_have_no_english_data_and_the_rest_stays_refused(added_hub):
    with pytest.raises(KeyError, match="no 'train' split here"):
        from xstilts.sources.hub import load

        load(registry.get("udpos"), "train", "lt", added_hub)
    with pytest.raises(KeyError, match="in none of the benchmarks' language lists"):
        _canonical("udpos", "test", "xx", added_hub)


def test_every_added_language_has_a_hub_config_and_the_local_names():
    for task, langs in {
        "udpos": ["lt", "pl", "uk", "wo", "ro"],
        "panx": ["qu", "pl", "uk", "az", "lt", "pa", "gu", "ro"],
    }.items():
        assert set(registry.get(task).hub["added"][0]["configs"]) == set(langs)
    added = registry.get("tatoeba").hub["added"][0]["configs"]
    iso3 = registry.get("tatoeba").hub["iso3"]
    for lang in ("az", "lt", "pl", "uk", "ro"):
        assert added[lang] == f"{iso3[lang]}-eng"  # LASER's names: tatoeba.ISO3-eng.* (local) and the mteb config
    assert registry.get("xquad").hub["added"][0]["configs"] == {"ro": "xquad.ro"}


# ------------------------------------------------------------------ language metadata
def test_every_benchmark_language_has_all_metadata_fields():
    from xstilts.analysis.languages import REQUIRED, real_languages

    meta = real_languages()
    codes = {lang for langs in metrics.XTREME_LANGS.values() for lang in langs}
    codes |= {lang for langs in metrics.XTREME_R_LANGS.values() for lang in langs}  # mewslix, lareqa included
    for bench in registry.benchmarks():
        for task in registry.benchmark_tasks(bench):
            codes |= set(registry.benchmark_languages(bench, task))
    for code in sorted(codes):
        assert code in meta, code
        for key in REQUIRED:
            assert meta[code].get(key) is not None, (code, key)
        assert meta[code]["typology"], f"{code}: no URIEL vector"
        assert isinstance(meta[code]["cc100"], bool) and 0 <= meta[code]["resource_class"] <= 5
    african = {c for c in codes if meta[c]["region"] == "Africa"}
    assert african == {"af", "sw", "wo", "yo"}
    # Conneau et al. 2020, Table 6: of these languages, CC-100 lacks Haitian, Quechua, Wolof and Yoruba
    assert {c for c in codes if not meta[c]["cc100"]} == {"ht", "qu", "wo", "yo"}


def test_transfer_gap_groups_by_region_and_cc100():
    from xstilts.analysis.languages import metadata_for
    from xstilts.analysis.tables import gap_tables

    langs = {"en": 90, "de": 85, "sw": 70, "wo": 50, "qu": 55}
    scores = pd.DataFrame(
        [{"intermediate": "none", "seed": 0, "target": "panx", "language": k, "score": v} for k, v in langs.items()]
    )
    tables, long = gap_tables(scores, None, ["none"], ["panx"], [0], metadata_for(list(langs)))
    table = tables[0]
    assert {"region Africa", "region Eurasia", "region South America", "in CC-100", "not in CC-100"} <= set(
        table.columns
    )
    assert table.cell("none", "region Africa").mean == pytest.approx(90 - 60)
    assert table.cell("none", "not in CC-100").mean == pytest.approx(90 - 52.5)  # wo, qu
    assert set(long.loc[long.group == "in CC-100", "grouping"]) == {"cc100"}
    # the toy world has one region: no region columns
    toy = metadata_for(["en", "qaa", "qab"])
    toy_scores = scores.replace({"de": "qaa", "sw": "qab"})
    toy_scores = toy_scores[toy_scores.language.isin(["en", "qaa", "qab"])]
    assert not any(
        c.startswith("region") for c in gap_tables(toy_scores, None, ["none"], ["panx"], [0], toy)[0][0].columns
    )


# ------------------------------------------------------------------ tables name the benchmark
def _scores(targets, languages):
    return pd.DataFrame(
        [
            {"intermediate": "none", "seed": 0, "target": t, "language": lang, "score": 50.0 + i}
            for i, t in enumerate(targets)
            for lang in languages(t)
        ]
    )


def test_average_column_is_named_after_the_benchmark_only_when_complete():
    from xstilts.analysis.tables import average_name
    from xstilts.analysis.tables.model import not_the_benchmark

    xtreme_r = registry.benchmark_tasks("xtreme-r")
    full = {t: set(registry.benchmark_languages("xtreme-r", t)) for t in xtreme_r}
    assert average_name(xtreme_r, full, "xtreme-r") == "XTREME-R"  # all ten, every language
    eight = [t for t in xtreme_r if t not in DENSE]
    assert average_name(eight, full, "xtreme-r") == "avg (8 tasks)"
    assert "mewslix, lareqa not run" in not_the_benchmark(eight, full, "xtreme-r")
    fewer = dict(full, udpos=full["udpos"] - {"wo"})  # one added language missing is not the benchmark
    assert average_name(xtreme_r, fewer, "xtreme-r") == "avg (10 tasks)"
    # XTREME keeps its behaviour: its own language lists
    xtreme = registry.benchmark_tasks("xtreme")
    assert average_name(xtreme, {t: set(registry.get(t).languages) for t in xtreme}, "xtreme") == "XTREME"


def test_category_table_reports_the_benchmarks_categories():
    from xstilts.analysis.tables import category_table, main_table

    every = list(registry.benchmark_tasks("xtreme-r"))
    scores = _scores(every, lambda t: registry.benchmark_languages("xtreme-r", t))
    full = category_table(scores, None, ["none"], every, [0], "xtreme-r")
    assert full.name == "xtreme-r" and full.title == "XTREME-R score by category"
    assert full.columns == ["classification", "tagging", "qa", "retrieval", "XTREME-R"]
    assert full.cell("none", "retrieval").mean == pytest.approx((57 + 58 + 59) / 3)  # tatoeba, mewslix, lareqa
    assert not any("not the XTREME-R score" in n for n in full.notes)
    targets = [t for t in every if t not in DENSE]
    scores = _scores(targets, lambda t: registry.benchmark_languages("xtreme-r", t))
    table = category_table(scores, None, ["none"], targets, [0], "xtreme-r")
    assert table.columns == ["classification", "tagging", "qa", "retrieval", "avg (8 tasks)"]
    assert table.cell("none", "classification").mean == pytest.approx((50 + 51) / 2)  # xnli, xcopa
    assert "retrieval: tatoeba, mewslix, lareqa" in table.caption
    assert any("retrieval: mewslix, lareqa not among the targets" in n for n in table.notes)
    assert any("not the XTREME-R score" in n for n in table.notes)
    main = main_table(scores, None, ["none"], targets, [0], "xtreme-r")
    assert "on XTREME-R" in main.caption and any(n.startswith("Not the XTREME-R score") for n in main.notes)


# ------------------------------------------------------------------ configs/xtreme-r.yaml
# The recipe, as written in configs/xtreme-r.yaml's comments (google-research/xtreme scripts for the targets,
# jiant for the intermediate phase). Job counts derived by hand from it:
ROWS = [BASELINE, "anli", "ccg", "commonsenseqa", "cosmosqa", "hellaswag", "mnli", "qqp", "squad", "sst2", "siqa"]
ROWS += [MULTITASK]  # 12 rows
SEEDS = 3
TRAINED = ["xnli", "xcopa", "udpos", "panx", "xquad", "mlqa", "tydiqa", "mewslix", "lareqa"]  # 9; tatoeba: encoders
# (task, split) each target reads at its own length, beyond the 10 intermediate tasks' train + validation
TARGET_DATA = {
    "xnli": [("mnli", "train"), ("xnli", "validation"), ("xnli", "test")],  # L128
    "xcopa": [("copa", "train"), ("copa", "validation"), ("xcopa", "test")],  # L128
    "udpos": [("udpos", "train"), ("udpos", "validation"), ("udpos", "test")],  # L128
    "panx": [("panx", "train"), ("panx", "validation"), ("panx", "test")],  # L128
    "xquad": [("squad", "train"), ("xquad", "test")],  # L384, no dev
    "mlqa": [("squad", "train"), ("mlqa", "test")],  # L384; the XQuAD model, kept last: no dev set read
    "tydiqa": [("tydiqa", "train"), ("tydiqa", "test")],  # L384, no dev
    "tatoeba": [("tatoeba", "test")],  # L512
    "mewslix": [("mewslix", "train"), ("mewslix", "validation"), ("mewslix", "test")],  # L64
    "lareqa": [("lareqa", "train"), ("lareqa", "validation"), ("lareqa", "test")],  # L352
}
RECIPE_JOBS = {
    "base_model": 1,
    # 42 and 44: mnli/train, squad/train counted once; no mlqa/validation, as nothing selects on it
    "prepare_data": 10 * 2 + 2 + 3 + 3 + 3 + 1 + 2 + 2 + 1 + 3 + 2,
    "tokenize": 10 * 2 + 3 + 3 + 3 + 3 + 2 + 2 + 2 + 1 + 3 + 2,  # squad/train L384 once for xquad and mlqa
    "gold": 10,
    "train_intermediate": 11 * SEEDS,
    # MLQA trains exactly as XQuAD (train_qa.sh: SQuAD v1.1, the same settings, the last checkpoint): one job
    "train_target": 12 * 8 * SEEDS,
    "evaluate": 12 * 9 * SEEDS,
    "evaluate_retrieval": 12 * 1 * SEEDS,
    "aggregate": 1,
    "submission_scores": 1,
    "plots": 1,
    "all": 1,
}
INTERMEDIATE = {**PAPER_INTERMEDIATE, "eval_every": 1000}  # configs/xtreme.yaml's jiant recipe, unchanged
_SMALL = {"batch_size": 2, "grad_accum": 16, "warmup_ratio": 0.0, "weight_decay": 0.0, "max_grad_norm": 1.0}
_QA = {"learning_rate": 3e-5, "batch_size": 4, "grad_accum": 8, "epochs": 3, "weight_decay": 0.0001}
_QA |= {"max_grad_norm": 1.0, "max_length": 384, "selection": "last"}
TARGET = {  # eval_every is unused where selection is last (1000: the default layer's)
    "xnli": {
        **_SMALL,
        "learning_rate": 3e-5,
        "epochs": 5,
        "max_length": 128,
        "eval_every": 100,
        "selection": "best_dev",
    },
    "xcopa": {**_SMALL, "learning_rate": 3e-5, "epochs": 5, "max_length": 128, "eval_every": 1000, "selection": "last"},
    "udpos": {
        **_SMALL,
        "learning_rate": 2e-5,
        "epochs": 10,
        "max_length": 128,
        "eval_every": 500,
        "selection": "best_dev",
    },
    "panx": {
        **_SMALL,
        "learning_rate": 2e-5,
        "epochs": 10,
        "max_length": 128,
        "eval_every": 1000,
        "selection": "best_dev",
    },
    "xquad": {**_QA, "warmup_ratio": 0.06, "eval_every": 1000},
    "mlqa": {**_QA, "warmup_ratio": 0.06, "eval_every": 1000},
    "tydiqa": {**_QA, "warmup_ratio": 1.0, "eval_every": 1000},
}
DENSE_TARGET = {  # train_mewslix.sh / train_lareqa.sh (dual encoders), over the target phase's layer
    "mewslix": {
        "learning_rate": 1e-5,
        "epochs": 2,
        "batch_size": 8,
        "grad_accum": 4,
        "max_length": 64,
        "eval_every": 2000,
        "selection": "last",  # run_eval_mewslix.sh evaluates the final model
    },
    "lareqa": {
        "learning_rate": 2e-5,
        "epochs": 3,
        "batch_size": 4,
        "grad_accum": 4,
        "max_length": 352,
        "eval_every": 1000,
        "selection": "best_dev",  # the reference hand-picks a checkpoint; xstilts selects on English dev
    },
}
TARGET |= {task: {**_SMALL, **settings} for task, settings in DENSE_TARGET.items()}


@pytest.fixture
def ccg_overlay(tmp_path):
    path = tmp_path / "overlay.yaml"
    extra = {
        "results_dir": str(tmp_path / "results"),
        "data": {
            "tasks": {
                "ccg": {"type": "local", "path": str(FIXTURES / "ccgbank")},
                "mewslix": {"type": "local", "path": str(FIXTURES / "mewslix")},
            }
        },
    }
    path.write_text(yaml.safe_dump(extra))
    return path


def _plan_json(*configfiles) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "xstilts.cli", "plan", "--json", "--forceall", "--configfile", *map(str, configfiles)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_xtreme_r_preset_plans_its_recipe(ccg_overlay):
    jobs = _plan_json(REPO / "configs" / "xtreme-r.yaml", ccg_overlay)
    counts = {}
    for job in jobs:
        counts[job["rule"]] = counts.get(job["rule"], 0) + 1
    assert counts == RECIPE_JOBS
    data = {
        (t, s)
        for t in ("anli", "ccg", "commonsenseqa", "cosmosqa", "hellaswag", "mnli", "qqp", "squad", "sst2", "siqa")
        for s in ("train", "validation")
    }
    data |= {ref for refs in TARGET_DATA.values() for ref in refs}
    assert {(j["wildcards"]["task"], j["wildcards"]["split"]) for j in jobs if j["rule"] == "prepare_data"} == data
    langs = {}
    for job in jobs:
        rule, wc, settings = job["rule"], job["wildcards"], job["settings"]
        if rule == "train_intermediate":
            assert settings["hparams"] == INTERMEDIATE, wc
            assert settings["starts_from"] == "xlm-roberta-large"
            if wc["inter"] == MULTITASK:
                assert len(settings["tasks"]) == 9 and "siqa" not in settings["tasks"]
        elif rule == "train_target":
            assert settings["hparams"] == TARGET[wc["target"]], wc
            expected = (
                "xlm-roberta-large" if wc["row"] == BASELINE else f"intermediate/{wc['row']}/seed{wc['seed']}/encoder"
            )
            assert settings["starts_from"].endswith(expected)
        elif rule == "evaluate_retrieval":
            assert (settings["layer"], settings["k"]) == (14, 4) and wc["target"] == "tatoeba"
        elif rule == "tokenize" and wc["task"] == "tatoeba":
            assert wc["maxlen"] == "512"
        elif rule == "gold":
            langs[wc["task"]] = settings.get("languages")
    assert set(langs) == set(TARGET_DATA)
    for task, got in langs.items():  # the XTREME-R languages, added ones included
        assert set(got) == set(metrics.XTREME_R_LANGS[task]), task


def test_xtreme_r_preset_settings_and_languages():
    config = merged(REPO / "configs" / "xtreme-r.yaml")
    assert config["benchmark"] == "xtreme-r" and config["languages"] == {}
    assert config["model"]["source"] == "pretrained" and config["model"]["name_or_path"] == "xlm-roberta-large"
    assert [BASELINE, *config["intermediate"]] == ROWS and config["seeds"] == [0, 1, 2]
    assert config["targets"] == list(registry.benchmark_tasks("xtreme-r")) == list(metrics.XTREME_R_TASKS)
    assert set(config["targets"]) == {*TRAINED, "tatoeba"}
    for target in TRAINED:
        assert xcfg.hparams_for(config, "target", target) == TARGET[target], target
    for row in ROWS[1:]:
        assert xcfg.hparams_for(config, "intermediate", row) == INTERMEDIATE, row
    for target in config["targets"]:
        assert set(xcfg.languages_for(config, target)) == set(metrics.XTREME_R_LANGS[target]), target
    xcfg.check_benchmark(config)
    xcfg.check_settings(config)


def test_xtreme_r_preset_runs_all_ten_tasks_with_nothing_planned():
    assert registry.planned_tasks("xtreme-r") == ()
    for preset in ("xtreme-r.yaml", "xtreme-r-toy.yaml"):
        config = merged(REPO / "configs" / preset)
        assert tuple(config["targets"]) == metrics.XTREME_R_TASKS, preset  # all ten XTREME-R tasks
    toy = merged(REPO / "configs" / "xtreme-r-toy.yaml")
    assert set(DENSE) <= set(toy["languages"])


# ------------------------------------------------------------------ configs/xtreme-r-toy.yaml end to end
@pytest.fixture(scope="module")
def toy_grid(tmp_path_factory):
    from workflow_helpers import copy_repo, snakemake

    work = copy_repo(tmp_path_factory.mktemp("xtreme-r-toy") / "repo")
    run = snakemake(work, "--configfile", "configs/xtreme-r-toy.yaml", "--cores", "2")
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]
    return work / "results" / "xtreme-r-toy"


@pytest.mark.slow
def test_xtreme_r_toy_grid_tables_name_the_benchmark(toy_grid):
    tables = toy_grid / "tables"
    main = pd.read_csv(tables / "main.csv", index_col=0)
    targets = list(registry.benchmark_tasks("xtreme-r"))
    assert list(main.index) == [BASELINE, "mnli", "siqa"]
    assert [c for c in main.columns if "_" not in c] == [*targets, "avg (10 tasks)"]  # toy: not the benchmark
    assert main[targets].notna().all().all()
    categories = pd.read_csv(tables / "xtreme-r.csv", index_col=0)
    assert {"classification", "tagging", "qa", "retrieval", "avg (10 tasks)"} <= set(categories.columns)
    md = (tables / "xtreme-r.md").read_text()
    assert "XTREME-R score by category" in md and "not run" not in md and "toy world's languages" in md
    assert not (tables / "xtreme.csv").exists()


@pytest.mark.slow
def test_xtreme_r_toy_submissions_are_scored_with_the_benchmark(toy_grid):
    scored = json.loads((toy_grid / "tables" / "submission_scores.json").read_text())
    assert scored["benchmark"] == "xtreme-r" and set(scored["rows"]) == {BASELINE, "mnli", "siqa"}
    for row, seeds in scored["rows"].items():
        result = seeds["seed0"]
        assert result["missing"] == [] and result["overall"]["all_task"] is not None
        for task in registry.benchmark_tasks("xtreme-r"):
            cell = json.loads((toy_grid / "eval" / row / "seed0" / task / "metrics.json").read_text())
            assert result["tasks"][task]["avg_metric"] == pytest.approx(cell["average"], abs=1e-6), (row, task)
        assert result["overall"]["classification"] is not None and result["overall"]["retrieval"] is not None
    # the same numbers from the command line, as the README shows
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "xstilts.cli",
            "score",
            "--benchmark",
            "xtreme-r",
            "--gold-dir",
            str(toy_grid / "gold"),
            "--pred-dir",
            str(toy_grid / "eval" / "siqa" / "seed0"),
            "--tasks",
            ",".join(registry.benchmark_tasks("xtreme-r")),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["overall"] == scored["rows"]["siqa"]["seed0"]["overall"]


@pytest.mark.slow
def test_xtreme_r_toy_transfer_gap_covers_every_toy_language(toy_grid):
    gap = pd.read_csv(toy_grid / "tables" / "transfer_gap.csv")
    targets = {"xnli", "udpos", "panx", "xquad", "mlqa", "tydiqa", "mewslix", "lareqa"}
    assert set(gap["target"]) == targets  # xcopa/tatoeba: no English
    assert set(gap.loc[gap.target == "lareqa", "group"]) >= {"qaa", "all"}
    assert set(gap.loc[gap.target == "panx", "group"]) >= {"qaa", "qae", "all"}
