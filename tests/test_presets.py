"""The shipped presets plan the grid they promise: a Snakemake dry run per preset, job counts per rule
checked against counts derived from the task registry and the merged configuration.

configs/xtreme.yaml needs two licensed/local data sets (CCGbank, BUCC 2018) whose paths the config check
requires to exist. The test adds a second --configfile that points them at the source fixtures (and the
results at a temporary directory, so every job is planned): that is how a user overrides those paths too,
and the test writes nothing into the repository's data/ directory.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from xstilts import config as xcfg
from xstilts import registry
from xstilts.registry import BASELINE, MULTITASK

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "sources" / "local"


def merge(base: dict, extra: dict) -> dict:
    """Snakemake's --configfile semantics: nested dicts merge, everything else replaces."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def merged_config(*files: Path) -> dict:
    from snakemake.utils import validate

    config = {}
    for path in files:
        config = merge(config, yaml.safe_load(Path(path).read_text()))
    validate(config, str(REPO / "workflow" / "schemas" / "config.schema.yaml"))  # fills the schema defaults
    return config


def _evaluates_the_xquad_model(config, row, target, trained) -> bool:
    """MLQA trains as XQuAD does (on SQuAD v1.1): with the same settings, the last checkpoint kept, one job."""
    if target != "mlqa" or "xquad" not in trained:
        return False
    mlqa, xquad = (xcfg.hparams_for(config, "target", t, f"{row}/{t}") for t in ("mlqa", "xquad"))
    selection = mlqa.pop("selection")
    xquad.pop("selection")  # XQuAD has no dev set: it keeps its last checkpoint whatever the setting says
    return selection == "last" and mlqa == xquad


def expected_jobs(config: dict) -> dict[str, int]:
    """Job counts per rule, derived from the registry (independently of the rules' input functions)."""
    seeds = len(config["seeds"])
    rows = [BASELINE] + [t for t in config["intermediate"] if t != BASELINE]
    trained = [t for t in config["targets"] if registry.get(t).trainable]
    retrieval = [t for t in config["targets"] if not registry.get(t).trainable]
    inter_tasks = set()
    for row in rows[1:]:
        inter_tasks |= set(xcfg.multitask_tasks(config)) if row == MULTITASK else {row}
    data, features = set(), set()
    for task in inter_tasks:
        length = xcfg.hparams_for(config, "intermediate", task)["max_length"]
        for split in ("train", "validation"):
            data.add((task, split))
            features.add((task, split, length))
    trainings = 0
    for target in trained:
        spec = registry.get(target)
        for row in rows:
            length = xcfg.hparams_for(config, "target", target, f"{row}/{target}")["max_length"]
            refs = [registry.DataRef(target, spec.test)]
            if not _evaluates_the_xquad_model(config, row, target, trained):
                trainings += 1
                refs += [spec.train_ref(), spec.validation_ref()]
            for ref in refs:
                if ref is not None:
                    data.add((ref.task, ref.split))
                    features.add((ref.task, ref.split, length))
    for target in retrieval:
        spec = registry.get(target)
        refs = [registry.DataRef(target, spec.test)] + ([spec.validation] if spec.validation else [])
        for ref in refs:
            data.add((ref.task, ref.split))
            features.add((ref.task, ref.split, config["retrieval"]["max_length"]))
    toy_model = config["model"]["source"] == "toy"
    uses_world = toy_model or any(xcfg.source_for(config, t)["type"] == "toy" for t in xcfg.data_tasks(config))
    counts = {
        "toy_world": int(uses_world),
        "train_tokenizer": int(toy_model),
        "pretrain": int(toy_model),
        "base_model": int(not toy_model),
        "prepare_data": len(data),
        "tokenize": len(features),
        "gold": len(config["targets"]),
        "train_intermediate": (len(rows) - 1) * seeds,
        "train_target": trainings * seeds,
        "evaluate": len(rows) * len(trained) * seeds,
        "evaluate_retrieval": len(rows) * len(retrieval) * seeds,
        "aggregate": 1,
        "submission_scores": 1,
        "plots": 1,
        "all": 1,
    }
    return {rule: n for rule, n in counts.items() if n}


def dry_run(*configfiles: Path) -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--quiet", "rules", "--configfile", *map(str, configfiles)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    table = output.split("Job stats:", 1)[1].split("total", 1)[0]
    return {rule: int(n) for rule, n in re.findall(r"^(\w+)\s+(\d+)\s*$", table, flags=re.M)}


@pytest.fixture
def overlay(tmp_path):
    def write(extra: dict) -> Path:
        path = tmp_path / "overlay.yaml"
        path.write_text(yaml.safe_dump(merge({"results_dir": str(tmp_path / "results")}, extra)))
        return path

    return write


def test_xtreme_preset_dry_run(overlay):
    extra = overlay(
        {
            "data": {
                "tasks": {
                    "ccg": {"type": "local", "path": str(FIXTURES / "ccgbank")},
                    "bucc2018": {"type": "local", "path": str(FIXTURES / "bucc2018")},
                }
            }
        }
    )
    files = [REPO / "config.yaml", REPO / "configs" / "xtreme.yaml", extra]
    config = merged_config(*files)
    expected = expected_jobs(config)
    # the paper's grid, spelled out: 11 rows (none + 9 tasks + multitask) x 7 trained targets x 3 seeds
    assert expected["train_target"] == 11 * 7 * 3 == expected["evaluate"]
    assert expected["evaluate_retrieval"] == 11 * 2 * 3 and expected["train_intermediate"] == 10 * 3
    assert not {"toy_world", "pretrain", "train_tokenizer"} & set(expected)
    assert dry_run(*files[1:]) == expected


def test_xtreme_preset_settings():
    config = merged_config(REPO / "config.yaml", REPO / "configs" / "xtreme.yaml")
    assert config["model"] == {
        "source": "pretrained",
        "name_or_path": "xlm-roberta-large",
        "toy": config["model"]["toy"],
    }
    assert config["languages"] == {}  # the registry's XTREME language lists apply
    assert xcfg.languages_for(config, "panx") == list(registry.get("panx").languages)
    hp = lambda phase, task: xcfg.hparams_for(config, phase, task)  # noqa: E731
    for target, epochs in {"xnli": 2, "pawsx": 5, "udpos": 10, "panx": 10, "xquad": 2, "mlqa": 2, "tydiqa": 2}.items():
        settings = hp("target", target)
        assert settings["epochs"] == epochs and settings["learning_rate"] == 1e-5 and settings["warmup_ratio"] == 0.1
        qa = registry.get(target).format == "span_qa"
        assert settings["batch_size"] * settings["grad_accum"] == (16 if qa else 32)
        assert settings["max_length"] == (384 if qa else 256)
    assert config["retrieval"]["layer"] == 14 and config["retrieval"]["max_length"] == 512
    assert xcfg.source_for(config, "anli") == {"type": "hub", "variant": "anli+"}


def test_smoke_preset_dry_run(overlay):
    files = [REPO / "config.yaml", REPO / "configs" / "smoke.yaml", overlay({})]
    expected = expected_jobs(merged_config(*files))
    assert {"toy_world", "pretrain", "train_tokenizer"} <= set(expected)
    assert dry_run(*files[1:]) == expected


# ------------------------------------------------------------------ every planned job against its recipe
# The recipes as written down (README "The paper's recipe"); the tests resolve every job a preset plans
# (xstilts plan, i.e. Snakemake's own DAG and params) and compare its settings with these tables.
PAPER_INTERMEDIATE = {
    "learning_rate": 1e-5,
    "batch_size": 4,
    "grad_accum": 1,
    "epochs": 3,
    "warmup_ratio": 0.1,
    "weight_decay": 0.01,
    "max_grad_norm": 1.0,
    "max_length": 256,
    "selection": "last",
}
PAPER_TARGET_EPOCHS = {"xnli": 2, "pawsx": 5, "udpos": 10, "panx": 10, "xquad": 2, "mlqa": 2, "tydiqa": 2}
PAPER_TARGET = {
    "learning_rate": 1e-5,
    "warmup_ratio": 0.1,
    "weight_decay": 0.01,
    "max_grad_norm": 1.0,
    "eval_every": 1000,
    "selection": "best_dev",
}
TOY_INTERMEDIATE_EPOCHS = {"multitask": 2}  # every other intermediate task: 5
TOY_TARGET_EPOCHS = {}  # every target: 2
TOY_COMMON = {
    "batch_size": 32,
    "grad_accum": 1,
    "warmup_ratio": 0.1,
    "weight_decay": 0.01,
    "max_grad_norm": 1.0,
    "max_length": 128,
    "eval_every": 0,
}
# best English dev everywhere, except MLQA: its last checkpoint, as XQuAD's, so that the two share one training
TOY_TARGET_SELECTION = {"mlqa": "last"}


def _planned(*configfiles):
    from xstilts.plan import plan

    return plan([str(f) for f in configfiles], REPO, forceall=True)


def _ccg_bucc_overlay(overlay):
    return overlay(
        {
            "data": {
                "tasks": {
                    "ccg": {"type": "local", "path": str(FIXTURES / "ccgbank")},
                    "bucc2018": {"type": "local", "path": str(FIXTURES / "bucc2018")},
                }
            }
        }
    )


def test_xtreme_preset_plans_the_papers_recipe_for_every_job(overlay):
    jobs = _planned(REPO / "configs" / "xtreme.yaml", _ccg_bucc_overlay(overlay))
    counts = {}
    for job in jobs:
        counts[job["rule"]] = counts.get(job["rule"], 0) + 1
    assert (counts["train_intermediate"], counts["train_target"], counts["evaluate"], counts["evaluate_retrieval"]) == (
        30,
        231,
        231,
        66,
    )
    assert "pretrain" not in counts and counts["base_model"] == 1
    for job in jobs:
        rule, wc, settings = job["rule"], job["wildcards"], job["settings"]
        if rule == "train_intermediate":
            assert settings["hparams"] == {**PAPER_INTERMEDIATE, "eval_every": 1000}, wc
            assert settings["starts_from"] == "xlm-roberta-large"
            if wc["inter"] == MULTITASK:
                assert settings["recipe"]["sampling"] == {"temperature": 1.0, "cap": None}
                assert len(settings["tasks"]) == 9
        elif rule == "train_target":
            hp, target = settings["hparams"], wc["target"]
            qa = registry.get(target).format == "span_qa"
            assert {k: hp[k] for k in PAPER_TARGET} == PAPER_TARGET, wc
            assert hp["epochs"] == PAPER_TARGET_EPOCHS[target], wc
            assert (hp["batch_size"], hp["batch_size"] * hp["grad_accum"]) == (4, 16 if qa else 32), wc
            assert hp["max_length"] == (384 if qa else 256), wc
            if wc["row"] == BASELINE:
                assert settings["starts_from"] == "xlm-roberta-large"
            else:
                assert settings["starts_from"].endswith(f"intermediate/{wc['row']}/seed{wc['seed']}/encoder")
        elif rule == "evaluate_retrieval":
            assert (settings["layer"], settings["k"]) == (14, 4)
        elif rule == "tokenize" and not registry.get(wc["task"]).trainable:
            assert wc["maxlen"] == "512"  # retrieval sentences up to 512 tokens


@pytest.mark.parametrize("preset", ["config.yaml", "configs/smoke.yaml"])
def test_toy_presets_plan_the_toy_recipe_for_every_job(preset, overlay):
    files = [overlay({})] if preset == "config.yaml" else [REPO / preset, overlay({})]
    jobs = _planned(*files)
    trained = [j for j in jobs if j["rule"] in ("train_intermediate", "train_target")]
    assert trained
    for job in trained:
        hp, wc = job["settings"]["hparams"], job["wildcards"]
        assert {k: hp[k] for k in TOY_COMMON} == TOY_COMMON, wc
        if job["rule"] == "train_intermediate":
            assert (hp["learning_rate"], hp["epochs"]) == (1e-3, TOY_INTERMEDIATE_EPOCHS.get(wc["inter"], 5)), wc
            assert hp["selection"] == "best_dev", wc
        else:
            assert (hp["learning_rate"], hp["epochs"]) == (2e-3, TOY_TARGET_EPOCHS.get(wc["target"], 2)), wc
            assert hp["selection"] == TOY_TARGET_SELECTION.get(wc["target"], "best_dev"), wc


def test_toy_tuning_never_reaches_a_pretrained_model(overlay, tmp_path):
    """Structural: with model.source pretrained, model.toy.hparams is ignored even where the preset says nothing."""
    minimal = tmp_path / "minimal.yaml"
    minimal.write_text(
        yaml.safe_dump(
            {
                "model": {"source": "pretrained", "name_or_path": "xlm-roberta-large"},
                "data": {"source": {"type": "toy"}},
                "intermediate": ["sst2"],
                "targets": ["xnli"],
            }
        )
    )
    config = merged_config(REPO / "config.yaml", minimal)
    from xstilts.settings import TrainingSettings

    defaults = TrainingSettings().for_phase("intermediate")
    assert xcfg.hparams_for(config, "intermediate", "sst2") == defaults  # not the toy's lr 1e-3 / 10 epochs
    assert xcfg.hparams_for(config, "target", "xnli") == defaults


def test_xquad_and_mlqa_share_one_squad_training_when_trained_alike(overlay):
    """Both fine-tune on SQuAD: with the same settings and the last checkpoint kept (the toy default, XTREME's
    train_qa.sh) one job trains the model both evaluate; a setting that differs for one cell separates them."""

    def cells(jobs):
        trained = {(j["wildcards"]["row"], j["wildcards"]["target"]) for j in jobs if j["rule"] == "train_target"}
        models = {
            (j["wildcards"]["row"], j["wildcards"]["target"]): j["settings"]["model"]
            for j in jobs
            if j["rule"] == "evaluate"
        }
        return trained, models

    trained, models = cells(_planned(overlay({})))
    rows = sorted({row for row, _ in models})
    assert len(rows) == 11 and not any(target == "mlqa" for _, target in trained)
    for row in rows:
        assert (row, "xquad") in trained
        assert models[(row, "mlqa")] == models[(row, "xquad")]
        assert models[(row, "xquad")].endswith(f"/target/{row}/xquad/seed0/model")
    assert models[("none", "xnli")].endswith("/target/none/xnli/seed0/model")

    trained, models = cells(_planned(overlay({"hparams": {"cell": {"mnli/mlqa": {"learning_rate": 1e-3}}}})))
    assert {target for row, target in trained if target == "mlqa"} == {"mlqa"}
    assert [row for row, target in trained if target == "mlqa"] == ["mnli"]
    assert models[("mnli", "mlqa")].endswith("/target/mnli/mlqa/seed0/model")
