"""XTREME-R metrics (XCOPA accuracy, Mewsli-X MRR@20, LAReQA mAP@20) and the XTREME-R benchmark score,
on cases computed by hand. Reference: google-research/xtreme evaluate.py, third_party/utils_mewslix.py,
third_party/utils_lareqa.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xstilts.metrics import (
    XTREME_LANGS,
    XTREME_R_LANGS,
    XTREME_R_TASK_GROUPS,
    XTREME_R_TASKS,
    ScoreInputError,
    file_suffix,
    read_gold,
    read_pred,
    score_benchmark,
    score_files,
    score_task,
    write_gold,
    write_pred,
)
from xstilts.metrics.ranking import average_precision_at_k

SRC = Path(__file__).resolve().parents[1] / "src"


def approx(value):
    return pytest.approx(value, abs=1e-9)


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""), HF_HUB_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-m", "xstilts.metrics.cli", *args], capture_output=True, text=True, env=env, timeout=60
    )


# ------------------------------------------------------------ tables


def test_xtreme_r_tables_follow_the_reference():
    assert XTREME_R_TASKS == (
        "xnli",
        "xcopa",
        "udpos",
        "panx",
        "xquad",
        "mlqa",
        "tydiqa",
        "tatoeba",
        "mewslix",
        "lareqa",
    )
    assert {t for group in XTREME_R_TASK_GROUPS.values() for t in group} == set(XTREME_R_TASKS)
    assert XTREME_R_LANGS["udpos"][-5:] == ("lt", "pl", "uk", "wo", "ro")
    assert XTREME_R_LANGS["panx"][-8:] == ("qu", "pl", "uk", "az", "lt", "pa", "gu", "ro")
    assert XTREME_R_LANGS["tatoeba"][-5:] == ("az", "lt", "pl", "uk", "ro")
    assert XTREME_R_LANGS["xquad"] == XTREME_LANGS["xquad"] + ("ro",)
    assert len(XTREME_R_LANGS["xcopa"]) == len(XTREME_R_LANGS["mewslix"]) == len(XTREME_R_LANGS["lareqa"]) == 11
    assert "pawsx" not in XTREME_R_LANGS and "bucc2018" not in XTREME_R_LANGS
    languages = {lang for langs in XTREME_R_LANGS.values() for lang in langs}
    assert {"sw", "yo", "wo", "af"} <= languages
    assert (file_suffix("xcopa"), file_suffix("mewslix"), file_suffix("lareqa")) == ("jsonl", "json", "json")


# ------------------------------------------------------------ XCOPA


def test_xcopa_accuracy_compares_json_values_as_evaluate_py(tmp_path):
    gold, pred = tmp_path / "test-et.jsonl", tmp_path / "pred-et.jsonl"
    gold.write_text('{"label": 0}\n{"label": 1}\n{"label": 1}\n{"label": 0, "idx": 3}\n', encoding="utf-8")
    # line 3 right, line 4 the string "0": evaluate.py's == counts it wrong
    pred.write_text('{"label": 0}\n{"label": 0}\n{"label": 1}\n{"label": "0"}\n', encoding="utf-8")
    messages = []
    assert score_files("xcopa", "et", gold, pred, on_warning=messages.append) == {"accuracy": 50.0}
    assert messages == [f"{pred}:4: warning: label '0' is not in the xcopa label set (0, 1)"]
    assert read_gold("xcopa", gold) == [0, 1, 1, 0]


def test_xcopa_bad_row_names_file_and_line(tmp_path):
    path = tmp_path / "test-et.jsonl"
    path.write_text('{"label": 0}\n{"choice": 1}\n', encoding="utf-8")
    with pytest.raises(ScoreInputError, match=r"test-et\.jsonl:2: expected a JSON object with a 'label'"):
        read_gold("xcopa", path)


# ------------------------------------------------------------ Mewsli-X


def test_mewslix_mrr_at_20():
    gold = {"a": ["Q1"], "b": ["Q2"], "c": ["Q3"], "d": ["Q4"], "e": [" Q5 "]}
    pred = {
        "a": ["Q1", "Q9"],  # rank 1 -> 1
        "b": ["Q9", "Q9", "Q2"],  # rank 3 (a repeat still takes a rank) -> 1/3
        "c": [f"X{i}" for i in range(20)] + ["Q3"],  # rank 21, outside the top 20 -> 0
        # d: no prediction -> 0
        "e": ["Q0", "Q5"],  # gold id is stripped, as the reference does -> 1/2
        "z": ["Q1"],  # not in gold: ignored
    }
    assert score_task("mewslix", "en", gold, pred) == {"map@20": approx((1 + 1 / 3 + 0 + 0 + 1 / 2) / 5 * 100)}


def test_mewslix_files_and_cli(tmp_path):
    gold, pred = tmp_path / "gold.json", tmp_path / "pred.json"
    gold.write_text(json.dumps({"m1": ["Q7"], "m2": ["Q8"]}), encoding="utf-8")
    # line 1 "{", 2-6 m1's list, 7 '"m3": [' (the key's line, not that of the "m3" among m1's ids)
    pred.write_text(json.dumps({"m1": ["Q8", "Q7", "m3"], "m3": ["Q8"]}, indent=1), encoding="utf-8")
    done = _cli("mewslix", "--lang", "de", "--gold", str(gold), "--pred", str(pred))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"map@20": approx(25.0)}  # m1 rank 2, m2 unanswered: (1/2 + 0) / 2
    assert f"{pred}:7: warning: example 'm3' is not in gold" in done.stderr
    assert "no prediction for 1 of 2 gold examples" in done.stderr


def test_ranking_file_errors_name_file_and_line(tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text('{\n "m1": ["Q7"],\n "m2": []\n}\n', encoding="utf-8")
    with pytest.raises(ScoreInputError, match=r"gold\.json:3: gold 'm2' lists no relevant id"):
        read_gold("mewslix", gold)
    gold.write_text('{\n "m1": "Q7"\n}\n', encoding="utf-8")
    with pytest.raises(ScoreInputError, match=r"gold\.json:2: value of 'm1' must be a list"):
        read_pred("lareqa", gold)


# ------------------------------------------------------------ LAReQA


def test_lareqa_average_precision_at_20():
    # hits at ranks 1 and 4; the repeated c1 at rank 3 counts once: (1/1 + 2/4) / min(3, 20)
    assert average_precision_at_k({"c1", "c2", "c3"}, ["c1", "x", "c1", "c2"], 20) == approx(0.5)
    # 25 relevant, the top 20 all relevant: 20 / min(25, 20) = 1
    relevant = [f"r{i}" for i in range(25)]
    assert average_precision_at_k(relevant, relevant, 20) == approx(1.0)
    # the only relevant one at rank 21
    assert average_precision_at_k({"t"}, [f"x{i}" for i in range(20)] + ["t"], 20) == 0.0


def test_lareqa_map_missing_prediction_scores_zero():
    gold = {"q1": ["c1", "c2", "c3"], "q2": ["c4"], "q3": ["c5"]}
    pred = {"q1": ["c1", "x", "c1", "c2"], "q2": ["x", "c4"]}  # q3 unanswered
    assert score_task("lareqa", "en", gold, pred) == {"map@20": approx((0.5 + 0.5 + 0) / 3 * 100)}


def test_ranking_round_trip(tmp_path):
    ranking = {"q1": ["c1", "c2"], "q2": []}
    write_pred("lareqa", tmp_path / "p.json", ranking)
    assert read_pred("lareqa", tmp_path / "p.json") == ranking
    write_gold("xcopa", tmp_path / "g.jsonl", [1, 0])
    assert read_gold("xcopa", tmp_path / "g.jsonl") == [1, 0]


# ------------------------------------------------------------ benchmark


def _xtreme_r_submission(gold_dir: Path, pred_dir: Path) -> dict[str, float]:
    """Every XTREME-R task in two languages with known scores; returns the expected task scores."""

    def both(task, lang, gold, pred):
        name = f"test-{lang}.{file_suffix(task)}"
        write_gold(task, gold_dir / task / name, gold)
        write_pred(task, pred_dir / task / name, pred)

    both("xnli", "en", ["entailment", "neutral"], ["entailment", "neutral"])  # 100
    both("xnli", "sw", ["entailment", "neutral"], ["entailment", "entailment"])  # 50
    both("xcopa", "et", [0, 1], [0, 1])  # 100
    both("xcopa", "qu", [0, 1, 1, 0], [1, 1, 1, 1])  # 50
    both("udpos", "en", [["NOUN", "VERB"]], [["NOUN", "VERB"]])  # f1 100
    both("udpos", "wo", [["SCONJ"]], [["CCONJ"]])  # f1 0 (seqeval 1.2: 100)
    both("panx", "en", [["B-PER", "O"]], [["B-PER", "O"]])  # 100
    both("panx", "yo", [["B-PER", "O", "B-LOC"]], [["B-PER", "O", "B-ORG"]])  # 50
    qa = [{"id": "q", "answers": {"text": ["Eiffel Tower in Paris"]}}]
    both("xquad", "en", qa, {"q": "Eiffel Tower in Paris"})  # 100, 100
    both("xquad", "ro", qa, {"q": "Eiffel Tower"})  # 0, 66.7
    both("mlqa", "en", qa, {"q": "the Eiffel Tower in Paris"})  # 100, 100
    both("mlqa", "de", qa, {"q": "nothing"})  # 0, 0
    both("tydiqa", "en", qa, {"q": "eiffel tower in paris."})  # 100, 100
    both("tydiqa", "sw", qa, {})  # 0, 0
    both("tatoeba", "af", [0, 1], [0, 1])  # 100
    both("tatoeba", "lt", [0, 1], [1, 1])  # 50
    both("mewslix", "ar", {"m1": ["Q1"]}, {"m1": ["Q2", "Q1"]})  # 50
    both("mewslix", "uk", {"m1": ["Q1"], "m2": ["Q2"]}, {"m1": ["Q1"], "m2": ["Q2"]})  # 100
    # LAReQA pools the 4 questions: en AP 1; hi APs 0, 0, 0 -> 25 (the mean of languages would be 50)
    both("lareqa", "en", {"q1": ["c1"]}, {"q1": ["c1"]})
    both("lareqa", "hi", {"q1": ["c1"], "q2": ["c2"], "q3": ["c3"]}, {"q1": ["x"], "q2": ["x"]})
    return {
        "xnli": 75.0,
        "xcopa": 75.0,
        "udpos": 50.0,
        "panx": 75.0,
        "xquad": (50.0 + (100 + 200 / 3) / 2) / 2,
        "mlqa": 50.0,
        "tydiqa": 50.0,
        "tatoeba": 75.0,
        "mewslix": 75.0,
        "lareqa": 25.0,
    }


def test_xtreme_r_benchmark_end_to_end(tmp_path):
    expected = _xtreme_r_submission(tmp_path / "gold", tmp_path / "pred")
    done = _cli("--benchmark", "xtreme-r", "--gold-dir", str(tmp_path / "gold"), "--pred-dir", str(tmp_path / "pred"))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["benchmark"] == "xtreme-r" and result["missing"] == []
    for task, value in expected.items():
        assert result["tasks"][task]["avg_metric"] == approx(value), task
    lareqa = result["tasks"]["lareqa"]
    assert lareqa["map@20"] == {"en": 100.0, "hi": 0.0} and lareqa["avg_map@20"] == approx(25.0)
    overall = result["overall"]
    assert overall["all_task"] == approx(sum(expected.values()) / 10)
    assert overall["classification"] == approx(75.0)
    assert overall["tagging"] == approx(62.5)
    assert overall["qa"] == approx((expected["xquad"] + 100) / 3)
    assert overall["retrieval"] == approx((75.0 + 75.0 + 25.0) / 3)
    assert set(overall) == {"all_task", "classification", "tagging", "qa", "retrieval"}


def test_xtreme_r_benchmark_options_and_refusals(tmp_path):
    _xtreme_r_submission(tmp_path / "gold", tmp_path / "pred")
    result = score_benchmark(
        tmp_path / "gold", tmp_path / "pred", ["udpos"], benchmark="xtreme-r", tagging_scorer="seqeval-1.2"
    )
    assert result["tasks"]["udpos"]["avg_f1"] == 100.0  # SCONJ/CCONJ share seqeval 1.2's type CONJ
    with pytest.raises(ScoreInputError, match="pawsx not in xtreme-r"):
        score_benchmark(tmp_path / "gold", tmp_path / "pred", ["pawsx"], benchmark="xtreme-r")
    # The benchmark's own language list: the toy submission lacks most of XNLI's languages.
    with pytest.raises(ScoreInputError, match=r"missing gold file for xnli ar"):
        score_benchmark(
            tmp_path / "gold", tmp_path / "pred", ["xnli"], benchmark="xtreme-r", language_source="benchmark"
        )
    done = _cli(
        "--benchmark",
        "xtreme",
        "--gold-dir",
        str(tmp_path / "gold"),
        "--pred-dir",
        str(tmp_path / "pred"),
        "--tasks",
        "mewslix",
    )
    assert done.returncode == 2 and "mewslix not in xtreme" in done.stderr
