"""google-research/xtreme's mock submission scores as its own evaluate_test.py expects.

The fixtures are XTREME's mock_test_data (see tests/fixtures/xtreme_mock/README.md); the expected
values below are evaluate_test.py's TASK2AVG_SCORES and XTREME_R_TASK2AVG_SCORES, restated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from xstilts.metrics import XTREME_LANGS, read_gold, read_pred

MOCK = Path(__file__).parent / "fixtures" / "xtreme_mock"
SRC = Path(__file__).resolve().parents[1] / "src"

# evaluate_test.py TASK2AVG_SCORES (google-research/xtreme @838c13b)
XTREME_EXPECTED = {
    "pawsx": {"avg_accuracy": 51.42857142857143},
    "xnli": {"avg_accuracy": 30.666666666666668},
    "panx": {"avg_f1": 57.50793650793652, "avg_precision": 54.729166666666664, "avg_recall": 62.750000000000014},
    "udpos": {"avg_f1": 70.21746048354693, "avg_precision": 71.02232625883823, "avg_recall": 69.54982073976082},
    "bucc2018": {"avg_f1": 55.0, "avg_precision": 55.0, "avg_recall": 55.0},
    "tatoeba": {"avg_accuracy": 53.611111111111114},
    "xquad": {"avg_exact_match": 77.27272727272727, "avg_f1": 79.9586776859504},
    "mlqa": {"avg_exact_match": 57.142857142857146, "avg_f1": 81.76870748299321},
    "tydiqa": {"avg_exact_match": 88.88888888888889, "avg_f1": 97.22222222222223},
}
# evaluate_test.py XTREME_R_TASK2AVG_SCORES: the tasks it tests (the others are commented out there)
XTREME_R_EXPECTED = {
    "xnli": {"avg_accuracy": 30.666666666666668},
    "mewslix": {"avg_map@20": 14.39025156130419},
    "mlqa": {"avg_exact_match": 57.142857142857146, "avg_f1": 81.76870748299321},
    "tydiqa": {"avg_exact_match": 88.88888888888889, "avg_f1": 97.22222222222223},
}


def _score(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""), HF_HUB_OFFLINE="1")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "xstilts.cli",
            "score",
            *args,
            "--gold-dir",
            str(MOCK / "labels"),
            "--pred-dir",
            str(MOCK / "predictions"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def xtreme_scores() -> dict:
    # evaluate_test.py iterates XTREME_TASK2LANGS: --languages benchmark does the same.
    done = _score("--benchmark", "xtreme", "--languages", "benchmark")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("task", sorted(XTREME_EXPECTED))
def test_xtreme_mock_reproduces_evaluate_test(xtreme_scores, task):
    scores = xtreme_scores["tasks"][task]
    for metric, expected in XTREME_EXPECTED[task].items():
        assert scores[metric] == pytest.approx(expected, abs=1e-6), (task, metric)
    first_metric = next(iter(XTREME_EXPECTED[task])).removeprefix("avg_")
    assert set(scores[first_metric]) == set(XTREME_LANGS[task])  # every XTREME language was scored


def test_xtreme_mock_overall_is_the_mean_of_the_task_scores(xtreme_scores):
    def task_value(task):
        e = XTREME_EXPECTED[task]
        return (
            (e["avg_exact_match"] + e["avg_f1"]) / 2
            if "avg_exact_match" in e
            else e.get("avg_f1", e.get("avg_accuracy"))
        )

    overall = xtreme_scores["overall"]
    assert overall["all_task"] == pytest.approx(sum(map(task_value, XTREME_EXPECTED)) / 9, abs=1e-6)
    assert overall["tagging"] == pytest.approx((70.21746048354693 + 57.50793650793652) / 2, abs=1e-6)
    assert xtreme_scores["missing"] == []


def test_xtreme_r_mock_reproduces_evaluate_test():
    done = _score("--benchmark", "xtreme-r", "--languages", "benchmark", "--tasks", ",".join(XTREME_R_EXPECTED))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    for task, expected in XTREME_R_EXPECTED.items():
        for metric, value in expected.items():
            assert result["tasks"][task][metric] == pytest.approx(value, abs=1e-6), (task, metric)
    assert result["overall"]["all_task"] is None  # six XTREME-R tasks are not in the mock submission
    assert result["missing"] == ["xcopa", "udpos", "panx", "xquad", "tatoeba", "lareqa"]


def _seqeval_1_2_average(task: str) -> dict[str, float]:
    """What evaluate.py gives with today's seqeval: its f1() on each mock file pair, averaged."""
    from seqeval.metrics import f1_score, precision_score, recall_score

    sums = {"f1": 0.0, "precision": 0.0, "recall": 0.0}
    for lang in XTREME_LANGS[task]:
        gold = read_gold(task, MOCK / "labels" / task / f"test-{lang}.tsv")
        pred = read_pred(task, MOCK / "predictions" / task / f"test-{lang}.tsv")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sums["f1"] += f1_score(gold, pred) * 100
            sums["precision"] += precision_score(gold, pred) * 100
            sums["recall"] += recall_score(gold, pred) * 100
    return {f"avg_{k}": v / len(XTREME_LANGS[task]) for k, v in sums.items()}


def test_seqeval_1_2_scorer_is_todays_seqeval_and_differs_on_udpos_only(xtreme_scores):
    done = _score(
        "--benchmark", "xtreme", "--languages", "benchmark", "--tasks", "udpos,panx", "--tagging-scorer", "seqeval-1.2"
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["tasks"]
    for task in ("udpos", "panx"):
        for metric, value in _seqeval_1_2_average(task).items():
            assert result[task][metric] == pytest.approx(value, abs=1e-9), (task, metric)
    # FIELD-NOTES: 70.3981 under seqeval 0.0.19 / 1.2.2 against the published-era 70.2175.
    assert result["udpos"]["avg_f1"] == pytest.approx(70.3981, abs=1e-4)
    assert result["udpos"]["avg_f1"] - xtreme_scores["tasks"]["udpos"]["avg_f1"] == pytest.approx(0.1806, abs=1e-4)
    for metric in ("avg_f1", "avg_precision", "avg_recall"):
        assert result["panx"][metric] == pytest.approx(xtreme_scores["tasks"]["panx"][metric], abs=1e-9)
