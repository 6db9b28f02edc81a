"""The smoke grid through Snakemake end to end, then the rerun contract on its finished state:
a dry run selects exactly the jobs a change affects, and nothing when no result can change."""

from __future__ import annotations

import csv
import math

import pytest
import yaml

from workflow_helpers import copy_repo, job_stats, snakemake

pytestmark = pytest.mark.slow
SMOKE = ["--configfile", "configs/smoke.yaml"]
FINAL = {"aggregate": 1, "submission_scores": 1, "plots": 1, "all": 1}


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    work = copy_repo(tmp_path_factory.mktemp("smoke") / "repo")
    run = snakemake(work, *SMOKE, "--cores", "2")
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]
    return work


def _dry(work, tmp_path, overrides: dict | None = None) -> dict[str, int]:
    args = list(SMOKE)
    if overrides:
        extra = tmp_path / "override.yaml"
        extra.write_text(yaml.safe_dump(overrides))
        args.append(str(extra))
    run = snakemake(work, *args, "-n", "--quiet", "rules")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return job_stats(run.stdout + run.stderr)


def test_smoke_table_has_every_cell(smoke):
    with open(smoke / "results/smoke/tables/main.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["intermediate"] for r in rows] == ["none", "mnli", "squad"]
    for row in rows:
        for target in ("xnli", "panx", "tatoeba"):
            value = float(row[target])
            assert not math.isnan(value) and 0 <= value <= 100, (row["intermediate"], target, row[target])
    text = (smoke / "results/smoke/tables/main.md").read_text()
    assert "| none |" in text and "—" not in text.split("\n\n")[0]  # no missing cell in the table body


def test_nothing_to_do_after_a_complete_run(smoke, tmp_path):
    assert _dry(smoke, tmp_path) == {}


def test_settings_that_cannot_change_results_trigger_nothing(smoke, tmp_path):
    runtime = {
        "runtime": {"eval_batch_size": 7, "log_every": 3, "checkpoint_every": 5, "device": "cpu", "warm_start": False}
    }
    assert _dry(smoke, tmp_path, runtime) == {}


def test_one_cell_hparam_reruns_that_cell_only(smoke, tmp_path):
    change = {"hparams": {"cell": {"mnli/xnli": {"learning_rate": 1.0e-3}}}}
    assert _dry(smoke, tmp_path, change) == {"train_target": 1, "evaluate": 1, **FINAL}


def test_intermediate_setting_reruns_its_model_and_cells_downstream(smoke, tmp_path):
    change = {"hparams": {"task": {"mnli": {"epochs": 1}}}}
    assert _dry(smoke, tmp_path, change) == {
        "train_intermediate": 1,
        "train_target": 2,
        "evaluate": 2,
        "evaluate_retrieval": 1,
        **FINAL,
    }


def test_new_seed_runs_only_new_cells(smoke, tmp_path):
    assert _dry(smoke, tmp_path, {"seeds": [0, 1]}) == {
        "train_intermediate": 2,
        "train_target": 6,
        "evaluate": 6,
        "evaluate_retrieval": 3,
        **FINAL,
    }


def test_new_target_runs_only_new_cells(smoke, tmp_path):
    change = {"targets": ["xnli", "panx", "tatoeba", "pawsx"]}
    assert _dry(smoke, tmp_path, change) == {
        "prepare_data": 3,
        "tokenize": 3,
        "gold": 1,
        "train_target": 3,
        "evaluate": 3,
        **FINAL,
    }


def test_new_language_reevaluates_without_retraining(smoke, tmp_path):
    change = {"languages": {"xnli": ["en", "qaa", "qab", "qac"]}}
    assert _dry(smoke, tmp_path, change) == {"prepare_data": 1, "tokenize": 1, "gold": 1, "evaluate": 3, **FINAL}


@pytest.mark.parametrize(
    "override, message",
    [
        ({"intermediate": ["mnli", "cola"]}, "intermediate: unknown task or recipe 'cola'"),
        ({"languages": {"xnli": ["en", "de"]}}, "languages.xnli: unknown language 'de'"),
        ({"data": {"tasks": {"ccg": {"type": "hub"}}}, "intermediate": ["ccg"]}, "CCGbank (LDC2005T13) is licensed"),
        ({"hparams": {"default": {"learning_rate": -1}}}, "learning_rate"),
    ],
)
def test_bad_config_stops_before_any_job(smoke, tmp_path, override, message):
    extra = tmp_path / "bad.yaml"
    extra.write_text(yaml.safe_dump(override))
    run = snakemake(smoke, *SMOKE, str(extra), "-n")
    assert run.returncode != 0
    assert message in run.stdout + run.stderr


def test_grid_predictions_score_with_the_official_command(smoke):
    """The evaluation directory of a row is an XTREME submission: `xstilts score --benchmark` reproduces the
    per-language numbers the grid computed."""
    import json
    import subprocess
    import sys

    results = smoke / "results/smoke"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "xstilts.cli",
            "score",
            "--benchmark",
            "xtreme",
            "--gold-dir",
            str(results / "gold"),
            "--pred-dir",
            str(results / "eval/mnli/seed0"),
            "--tasks",
            "xnli,panx,tatoeba",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    scored = json.loads(run.stdout)
    for task, metric in (("xnli", "accuracy"), ("panx", "f1"), ("tatoeba", "accuracy")):
        cell = json.loads((results / f"eval/mnli/seed0/{task}/metrics.json").read_text())
        for lang, metrics in cell["metrics"].items():
            assert scored["tasks"][task][metric][lang] == pytest.approx(metrics[metric], abs=1e-9)
