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
    for target in trained:
        spec = registry.get(target)
        for row in rows:
            length = xcfg.hparams_for(config, "target", target, f"{row}/{target}")["max_length"]
            for ref in (spec.train_ref(), spec.validation_ref(), registry.DataRef(target, spec.test)):
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
        "prepare_data": len(data),
        "tokenize": len(features),
        "gold": len(config["targets"]),
        "train_intermediate": (len(rows) - 1) * seeds,
        "train_target": len(rows) * len(trained) * seeds,
        "evaluate": len(rows) * len(trained) * seeds,
        "evaluate_retrieval": len(rows) * len(retrieval) * seeds,
        "aggregate": 1,
        "plots": 1,
        "all": 1,
    }
    return {rule: n for rule, n in counts.items() if n}


def dry_run(*configfiles: Path) -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--quiet", "rules", "--configfile", *map(str, configfiles)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
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
    extra = overlay({"data": {"tasks": {"ccg": {"type": "local", "path": str(FIXTURES / "ccgbank")},
                                        "bucc2018": {"type": "local", "path": str(FIXTURES / "bucc2018")}}}})
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
    assert config["model"] == {"source": "pretrained", "name_or_path": "xlm-roberta-large", "toy": config["model"]["toy"]}
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
