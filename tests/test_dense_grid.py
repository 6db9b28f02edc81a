"""Mewsli-X and LAReQA through the grid: English training -> one evaluate job per cell writing XTREME-R
submission files -> tables; `xstilts score --benchmark xtreme-r` reproduces the grid's numbers from its files."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys

import pytest
import yaml

from workflow_helpers import copy_repo, job_stats, snakemake

pytestmark = pytest.mark.slow
LANGS = {"mewslix": ["en", "qaa", "qab"], "lareqa": ["en", "qaa", "qab"]}
# configs/smoke.yaml's small world and short pretraining, restated (its `languages` would merge in)
OVERLAY = {
    "results_dir": "results/dense",
    "benchmark": "xtreme-r",  # both are XTREME-R tasks
    "world": {"seed": 0, "scale": 0.25},
    "model": {"toy": {"pretrain": {"epochs": 1}}},
    "intermediate": ["squad"],
    "targets": ["mewslix", "lareqa"],
    "languages": LANGS,
}
CONFIG = ["--configfile", "dense.yaml"]


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    work = copy_repo(tmp_path_factory.mktemp("dense") / "repo")
    (work / "dense.yaml").write_text(yaml.safe_dump(OVERLAY))
    run = snakemake(work, *CONFIG, "--cores", "2")
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]
    return work


def test_each_cell_is_trained_in_english_and_evaluated_once(grid):
    results = grid / "results/dense"
    for row in ("none", "squad"):
        for task, langs in LANGS.items():
            cell = results / "eval" / row / "seed0" / task
            assert sorted(p.name for p in cell.glob("test-*.json")) == sorted(f"test-{lang}.json" for lang in langs)
            metrics = json.loads((cell / "metrics.json").read_text())
            assert metrics["main_metric"] == "map@20" and set(metrics["score"]) == set(langs)
            dev = json.loads(
                (results / "target" / row / task / "seed0" / "model" / ".." / "dev_metrics.json").read_text()
            )
            assert "map@20" in dev["dev"][task]  # selected on the English dev pool's own metric
            pred = json.loads((cell / "test-qaa.json").read_text())
            assert all(isinstance(v, list) and 0 < len(v) <= 20 for v in pred.values())
    lareqa = json.loads((results / "eval/none/seed0/lareqa/test-en.json").read_text())
    pool_languages = {cid.split("_")[0] for ranked in lareqa.values() for cid in ranked}
    assert pool_languages == set(LANGS["lareqa"])  # English questions retrieve from every language's sentences
    gold = json.loads((results / "gold/lareqa/test-en.json").read_text())
    assert all({c.split("_")[0] for c in ids} == set(LANGS["lareqa"]) for ids in gold.values())
    dry = snakemake(grid, *CONFIG, "-n", "--quiet", "rules")
    assert dry.returncode == 0 and job_stats(dry.stdout + dry.stderr) == {}


def test_grid_scores_are_what_xstilts_score_computes(grid):
    results = grid / "results/dense"
    for row in ("none", "squad"):
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "xstilts.cli",
                "score",
                "--benchmark",
                "xtreme-r",
                "--gold-dir",
                str(results / "gold"),
                "--pred-dir",
                str(results / f"eval/{row}/seed0"),
                "--tasks",
                "mewslix,lareqa",
            ],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
        scored = json.loads(run.stdout)
        for task in LANGS:
            cell = json.loads((results / f"eval/{row}/seed0/{task}/metrics.json").read_text())
            for lang, metrics in cell["metrics"].items():
                assert scored["tasks"][task]["map@20"][lang] == pytest.approx(metrics["map@20"], abs=1e-9)


def test_main_table_has_both_targets(grid):
    with open(grid / "results/dense/tables/main.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["intermediate"] for r in rows] == ["none", "squad"]
    for row in rows:
        for target in LANGS:
            value = float(row[target])
            assert not math.isnan(value) and 0 <= value <= 100, (row["intermediate"], target)
