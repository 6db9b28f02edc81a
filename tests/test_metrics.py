"""Official XTREME metrics (xstilts.metrics) on hand-computed cases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xstilts.metrics import (
    ALL_TASKS,
    LABEL_SETS,
    MAIN_METRIC,
    ScoreInputError,
    mlqa,
    read_gold,
    read_pred,
    score_benchmark,
    score_files,
    score_task,
    squad,
    tagging,
    task_score,
    write_gold,
    write_pred,
)

FIXTURES = Path(__file__).parent / "fixtures" / "metrics"
SRC = Path(__file__).resolve().parents[1] / "src"


def approx(value):
    return pytest.approx(value, abs=1e-9)


# ------------------------------------------------------------ classification


def test_accuracy_compares_labels_as_strings():
    assert score_task("xnli", "en", ["1", "0", "1"], [1, 1, 1]) == {"accuracy": approx(200 / 3)}


def test_accuracy_length_mismatch_is_an_error():
    with pytest.raises(ScoreInputError, match="label count mismatch"):
        score_task("pawsx", "en", ["1", "0"], ["1"])


# ------------------------------------------------------------ tagging


def test_udpos_plain_tags_merge_runs():
    # Gold chunks: NOUN-NOUN (one merged chunk), VERB | DET, NOUN   -> 4
    # Pred chunks: NOUN, ADJ, VERB | DET, NOUN                       -> 5, 3 correct
    gold = [["NOUN", "NOUN", "VERB"], ["DET", "NOUN"]]
    pred = [["NOUN", "ADJ", "VERB"], ["DET", "NOUN"]]
    result = score_task("udpos", "en", gold, pred)
    assert result == {
        "precision": approx(60.0),
        "recall": approx(75.0),
        "f1": approx(200 / 3),
        "accuracy": approx(80.0),
    }


def test_udpos_merged_run_broken_by_one_tag_scores_zero_f1():
    # The whole NOUN run is a single gold chunk; splitting it loses it entirely.
    result = score_task("udpos", "en", [["NOUN", "NOUN", "NOUN"]], [["NOUN", "NOUN", "VERB"]])
    assert result["f1"] == 0.0
    assert result["accuracy"] == approx(200 / 3)


def test_udpos_s_initial_tags_are_single_token_chunks():
    # "SCONJ" reads as S-CONJ: each token is its own chunk, so 2 of 3 chunks match.
    result = score_task("udpos", "en", [["SCONJ", "SCONJ", "NOUN"]], [["SCONJ", "SCONJ", "VERB"]])
    assert result["f1"] == approx(200 / 3)
    assert result["precision"] == approx(200 / 3)


def test_udpos_runs_do_not_merge_across_sentences():
    # Two one-token NOUN sentences are two chunks; predicting both right gives 100.
    gold = [["NOUN"], ["NOUN", "VERB"]]
    assert score_task("udpos", "en", gold, gold)["f1"] == 100.0
    result = score_task("udpos", "en", gold, [["NOUN"], ["VERB", "VERB"]])
    assert result["precision"] == approx(50.0)  # pred chunks: NOUN | VERB-VERB
    assert result["recall"] == approx(100 / 3)  # gold chunks: NOUN | NOUN | VERB


def test_tagging_scorers_differ_on_cconj_sconj():
    # seqeval 0.0.12 types are the whole tag (SCONJ, CCONJ); seqeval 1.2 types are tag[1:], so
    # SCONJ and CCONJ both have type CONJ.
    # Single token: 0.0.12 chunks (SCONJ,0,0) vs (CCONJ,0,0): no match. 1.2: (CONJ,0,0) both: match.
    gold, pred = [["SCONJ"]], [["CCONJ"]]
    assert score_task("udpos", "en", gold, pred)["f1"] == 0.0
    assert score_task("udpos", "en", gold, pred, tagging_scorer="seqeval-1.2")["f1"] == 100.0
    # 0.0.12: gold (CCONJ,0,0) (SCONJ,1,1) (NOUN,2,2); pred CCONJ CCONJ merge: (CCONJ,0,1) (NOUN,2,2)
    #   -> 1 correct, P 1/2, R 1/3, F1 40.
    # 1.2: in gold, the S tag restarts the CONJ chunk without closing it, so only (CONJ,1,1) (OUN,2,2);
    #   pred (CONJ,0,1) (OUN,2,2) -> 1 correct, P 1/2, R 1/2, F1 50.
    gold, pred = [["CCONJ", "SCONJ", "NOUN"]], [["CCONJ", "CCONJ", "NOUN"]]
    assert score_task("udpos", "en", gold, pred) == {
        "f1": approx(40.0),
        "precision": approx(50.0),
        "recall": approx(100 / 3),
        "accuracy": approx(200 / 3),
    }
    assert score_task("udpos", "en", gold, pred, tagging_scorer="seqeval-1.2") == {
        "f1": approx(50.0),
        "precision": approx(50.0),
        "recall": approx(50.0),
        "accuracy": approx(200 / 3),
    }


def test_seqeval_0_0_12_reading_equals_seqeval_on_iob_tags():
    # Why IOB pairs may be handed to seqeval 1.2.2: both releases read the same chunks from them.
    import random

    from seqeval.metrics.sequence_labeling import get_entities

    rng = random.Random(13)
    vocab = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "E-LOC", "S-PER", "B-O", "I-O"]
    for _ in range(500):
        sentences = [[rng.choice(vocab) for _ in range(rng.randint(0, 6))] for _ in range(rng.randint(1, 4))]
        assert tagging.is_iob(sentences)
        assert set(tagging.chunks_seqeval_0_0_12(sentences)) == set(get_entities(sentences)), sentences
    assert not tagging.is_iob([["O", "NOUN"]]) and not tagging.is_iob([["B-A-B"]])


def test_stray_prefixless_tag_in_panx_scores_the_2020_way():
    # One UPOS-like tag makes the pair non-IOB: read as seqeval 0.0.12 (type "PER" of "B-PER" equals
    # the type of "PER", so 0.0.12 continues the chunk; 1.2.2 types "PER" as "ER" and splits it).
    gold, pred = [["B-PER", "I-PER", "O"]], [["B-PER", "PER", "O"]]
    assert score_task("panx", "en", gold, pred)["f1"] == 100.0
    assert score_task("panx", "en", gold, pred, tagging_scorer="seqeval-1.2")["f1"] == 0.0


def test_unknown_tagging_scorer_is_refused():
    with pytest.raises(ScoreInputError, match="seqeval-0.0.12, seqeval-1.2"):
        score_task("udpos", "en", [["NOUN"]], [["NOUN"]], tagging_scorer="seqeval-2")


def test_panx_iob_span_f1():
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG"]]
    result = score_task("panx", "en", gold, pred)
    assert result == {"f1": approx(50.0), "precision": approx(50.0), "recall": approx(50.0)}
    assert "accuracy" not in result


def test_panx_no_predicted_entities_is_zero_not_an_error():
    result = score_task("panx", "de", [["B-LOC", "O"]], [["O", "O"]])
    assert result == {"f1": 0.0, "precision": 0.0, "recall": 0.0}


def test_tagging_sentence_length_mismatch_is_an_error():
    with pytest.raises(ScoreInputError, match="sentence 1"):
        score_task("panx", "en", [["O", "O"]], [["O"]])


# ------------------------------------------------------------ SQuAD (xquad, tydiqa)


def test_squad_partial_overlap_missing_prediction_and_max_over_answers():
    gold = read_gold("xquad", FIXTURES / "squad_gold.json")
    pred = read_pred("xquad", FIXTURES / "squad_pred.json")
    # q1 "Eiffel Tower" vs "eiffel tower in paris": P=1, R=1/2 -> F1 2/3, EM 0
    # q2 "City of Paris!" matches the 2nd gold answer exactly after normalisation
    # q3 has no prediction -> 0
    result = score_task("xquad", "en", gold, pred)
    assert result == {"exact_match": approx(100 / 3), "f1": approx((2 / 3 + 1) / 3 * 100)}
    assert score_task("tydiqa", "sw", gold, pred) == result


def test_squad_accepts_flat_records_and_hf_answers():
    records = [
        {"id": "a", "answers": {"text": ["An apple!"], "answer_start": [0]}},
        {"id": "b", "answers": [{"text": "pear", "answer_start": 3}]},
    ]
    result = score_task("xquad", "en", records, {"a": "apple", "b": "a green pear"})
    # a: "apple" == "apple" after dropping "an" and "!"; b: P=1/2, R=1 -> F1 2/3
    assert result == {"exact_match": approx(50.0), "f1": approx((1 + 2 / 3) / 2 * 100)}


def test_squad_normalisation_is_ascii_and_english_only():
    assert squad.normalize_answer("  The  Cat's   hat ") == "cats hat"
    assert squad.normalize_answer("«The cat»") == "« cat»"  # « is not ASCII punctuation


# ------------------------------------------------------------ MLQA


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("en", "The cat", "cat"),
        ("es", "La casa de los gatos", "casa de gatos"),
        ("de", "Der Hund und die Katze", "hund und katze"),
        ("vi", "những con mèo", "con mèo"),
        ("ar", "الكتاب", "كتاب"),
        ("ar", "الحال", "ح"),  # every "ال" goes, not only the article prefix
        ("hi", "the cat", "the cat"),  # no Hindi articles, English ones stay
        ("zh", "清华University。", "清 华 university"),  # CJK characters split, Latin kept whole
        ("zh", "北京 大学", "北 京 大 学"),
        ("qaa", "«The cat», a dog", "the cat a dog"),  # toy language: no articles, Unicode punctuation
    ],
)
def test_mlqa_normalisation_per_language(lang, text, expected):
    assert mlqa.normalize_answer(text, lang) == expected


def test_mlqa_zh_character_f1_and_spanish_articles():
    gold = [{"id": "z", "answers": {"text": ["北京大学"]}}]
    assert score_task("mlqa", "zh", gold, {"z": "北京"}) == {"exact_match": 0.0, "f1": approx(200 / 3)}
    # The same strings as SQuAD would score: one token each, no overlap.
    assert score_task("xquad", "zh", gold, {"z": "北京"}) == {"exact_match": 0.0, "f1": 0.0}
    gold_es = [{"id": "e", "answers": {"text": ["la casa"]}}]
    assert score_task("mlqa", "es", gold_es, {"e": "casa"})["exact_match"] == 100.0
    assert score_task("mlqa", "en", gold_es, {"e": "casa"})["exact_match"] == 0.0


def test_mlqa_requires_language():
    with pytest.raises(ScoreInputError, match="lang"):
        score_task("mlqa", None, [{"id": "a", "answers": {"text": ["x"]}}], {"a": "x"})


# ------------------------------------------------------------ BUCC


def test_bucc_set_precision_recall_f1():
    gold = {("a", "b"), ("c", "d")}
    pred = [("a", "b"), ("x", "y"), ("c", "e"), ("a", "b")]  # duplicate counts once
    assert score_task("bucc2018", "de", gold, pred) == {
        "precision": approx(100 / 3),
        "recall": approx(50.0),
        "f1": approx(40.0),
    }
    assert score_task("bucc2018", "de", gold, [("x", "y")]) == {"f1": 0.0, "precision": 0.0, "recall": 0.0}


def test_bucc_files():
    result = score_files("bucc2018", "de", FIXTURES / "bucc_gold.tsv", FIXTURES / "bucc_pred.tsv")
    assert result == {"precision": approx(100 / 3), "recall": approx(50.0), "f1": approx(40.0)}


# ------------------------------------------------------------ files, task score


def test_score_files_classification_and_tagging():
    assert score_files("xnli", "en", FIXTURES / "xnli_gold.tsv", FIXTURES / "xnli_pred.tsv") == {"accuracy": 75.0}
    result = score_files("udpos", "en", FIXTURES / "udpos_gold.tsv", FIXTURES / "udpos_pred.tsv")
    assert result["f1"] == approx(200 / 3) and result["accuracy"] == approx(80.0)


def test_file_errors_name_file_and_line():
    with pytest.raises(ScoreInputError) as err:
        score_files("xnli", "en", FIXTURES / "xnli_gold.tsv", FIXTURES / "xnli_pred_short.tsv")
    assert err.value.line == 3 and str(err.value).startswith(f"{FIXTURES / 'xnli_pred_short.tsv'}:3: ")
    with pytest.raises(ScoreInputError) as err:
        score_files("udpos", "en", FIXTURES / "udpos_gold.tsv", FIXTURES / "udpos_pred_badlen.tsv")
    assert err.value.line == 5 and "udpos_gold.tsv:5" in str(err.value)
    with pytest.raises(ScoreInputError) as err:
        read_pred("xquad", FIXTURES / "bad.json")
    assert err.value.line == 3 and "invalid JSON" in str(err.value)


def test_read_rejects_multi_column_label_lines(tmp_path):
    path = tmp_path / "pred.tsv"
    path.write_text("entailment\nneutral\tA sentence\n", encoding="utf-8")
    with pytest.raises(ScoreInputError, match=r"pred\.tsv:2: "):
        read_pred("xnli", path)


def test_task_score_and_main_metric():
    assert set(MAIN_METRIC) == set(ALL_TASKS)
    assert MAIN_METRIC["udpos"] == "f1" and MAIN_METRIC["tatoeba"] == "accuracy"
    assert task_score("mlqa", {"exact_match": 40.0, "f1": 60.0}) == 50.0
    assert task_score("udpos", {"f1": 70.0, "accuracy": 90.0}) == 70.0
    assert task_score("pawsx", {"accuracy": 81.5}) == 81.5


# ------------------------------------------------------------ round trips


@pytest.mark.parametrize(
    "task, items",
    [
        ("xnli", ["entailment", "neutral"]),
        ("tatoeba", [3, 0, 17]),
        ("panx", [["B-PER", "I-PER"], [], ["O"]]),  # an empty sentence survives
        ("bucc2018", [("de-1", "en-7"), ("de-2", "en-3")]),
        ("mlqa", {"q1": "北京 «大学»", "q2": ""}),
    ],
)
def test_write_pred_read_pred_round_trip(tmp_path, task, items):
    path = tmp_path / "sub" / "test-xx.out"
    write_pred(task, path, items)
    back = read_pred(task, path)
    if task == "tatoeba":
        assert back == [str(i) for i in items]
    elif task == "bucc2018":
        assert back == list(items)
    else:
        assert back == items


def test_write_gold_records_round_trip(tmp_path):
    records = [{"id": "a", "context": "x y", "question": "?", "answers": {"text": ["y"], "answer_start": [2]}}]
    write_gold("tydiqa", tmp_path / "g.json", records)
    articles = read_gold("tydiqa", tmp_path / "g.json")
    assert articles[0]["paragraphs"][0]["qas"][0]["answers"] == [{"text": "y", "answer_start": 2}]
    assert score_files("tydiqa", "en", tmp_path / "g.json", FIXTURES / "squad_pred.json") == {
        "exact_match": 0.0,
        "f1": 0.0,
    }


def test_writers_refuse_labels_that_break_the_format(tmp_path):
    with pytest.raises(ValueError):
        write_pred("udpos", tmp_path / "p.tsv", [["NOUN", "PROPER NOUN"]])
    with pytest.raises(ValueError):
        write_pred("xnli", tmp_path / "p.tsv", [""])


# ------------------------------------------------------------ benchmark


def _write_submission(gold_dir: Path, pred_dir: Path) -> None:
    """Two languages per task with known scores (see the expected values below)."""

    def both(task, lang, gold, pred):
        suffix = "json" if task in ("xquad", "mlqa", "tydiqa") else "tsv"
        write_gold(task, gold_dir / task / f"test-{lang}.{suffix}", gold)
        write_pred(task, pred_dir / task / f"test-{lang}.{suffix}", pred)

    both("xnli", "en", ["entailment"], ["entailment"])  # 100
    both("xnli", "qaa", ["entailment", "neutral"], ["entailment", "entailment"])  # 50
    both("pawsx", "en", ["1"], ["1"])  # 100
    both("pawsx", "qaa", ["1"], ["0"])  # 0
    both("udpos", "en", [["NOUN", "VERB"]], [["NOUN", "VERB"]])  # f1 100
    both("udpos", "qaa", [["NOUN", "NOUN", "NOUN"]], [["NOUN", "NOUN", "VERB"]])  # f1 0 (acc 66.7)
    both("panx", "en", [["B-PER", "O"]], [["B-PER", "O"]])  # 100
    both("panx", "qaa", [["B-PER", "O", "B-LOC"]], [["B-PER", "O", "B-ORG"]])  # 50
    qa = [{"id": "q", "answers": {"text": ["Eiffel Tower in Paris"]}}]
    both("xquad", "en", qa, {"q": "Eiffel Tower in Paris"})  # em 100, f1 100
    both("xquad", "qaa", qa, {"q": "Eiffel Tower"})  # em 0, f1 66.7
    both("mlqa", "en", qa, {"q": "the Eiffel Tower in Paris"})  # em 100, f1 100
    both("mlqa", "qaa", qa, {"q": "nothing"})  # 0, 0
    both("tydiqa", "en", qa, {"q": "eiffel tower in paris."})  # 100, 100
    both("tydiqa", "qaa", qa, {})  # unanswered: 0, 0
    both("bucc2018", "en", [("a", "b")], [("a", "b")])  # f1 100
    both("bucc2018", "qaa", [("a", "b"), ("c", "d")], [("a", "b"), ("x", "y"), ("c", "e")])  # f1 40
    both("tatoeba", "en", [0, 1], [0, 1])  # 100
    both("tatoeba", "qaa", [0, 1], [1, 0])  # 0


EXPECTED_TASK = {
    "xnli": 75.0,
    "pawsx": 50.0,
    "udpos": 50.0,
    "panx": 75.0,
    "xquad": (50.0 + (100 + 200 / 3) / 2) / 2,
    "mlqa": 50.0,
    "tydiqa": 50.0,
    "bucc2018": 70.0,
    "tatoeba": 50.0,
}


def test_benchmark_full(tmp_path):
    _write_submission(tmp_path / "gold", tmp_path / "pred")
    result = score_benchmark(tmp_path / "gold", tmp_path / "pred")
    for task, expected in EXPECTED_TASK.items():
        assert result["tasks"][task]["avg_metric"] == approx(expected), task
    udpos = result["tasks"]["udpos"]
    assert udpos["f1"] == {"en": 100.0, "qaa": 0.0}
    assert udpos["avg_accuracy"] == approx((100 + 200 / 3) / 2)  # reported, but not the task score
    assert result["tasks"]["xquad"]["avg_exact_match"] == 50.0
    overall = result["overall"]
    assert overall["all_task"] == approx(sum(EXPECTED_TASK.values()) / 9)
    assert overall["classification"] == approx(62.5)
    assert overall["tagging"] == approx(62.5)
    assert overall["qa"] == approx((EXPECTED_TASK["xquad"] + 100) / 3)
    assert overall["retrieval"] == approx(60.0)
    assert result["missing"] == []


def test_benchmark_subset_only_reports_complete_categories(tmp_path):
    _write_submission(tmp_path / "gold", tmp_path / "pred")
    result = score_benchmark(tmp_path / "gold", tmp_path / "pred", tasks=["xnli", "pawsx", "xquad"])
    assert set(result["tasks"]) == {"xnli", "pawsx", "xquad"}
    assert result["overall"] == {
        "all_task": None,
        "classification": approx(62.5),
        "tagging": None,
        "qa": None,
        "retrieval": None,
    }
    assert result["missing"] == ["udpos", "panx", "mlqa", "tydiqa", "bucc2018", "tatoeba"]


def test_benchmark_missing_prediction_file_is_named(tmp_path):
    _write_submission(tmp_path / "gold", tmp_path / "pred")
    missing = tmp_path / "pred" / "panx" / "test-qaa.tsv"
    missing.unlink()
    with pytest.raises(ScoreInputError, match="test-qaa.tsv"):
        score_benchmark(tmp_path / "gold", tmp_path / "pred")


# ------------------------------------------------------------ CLI


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""), HF_HUB_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-m", "xstilts.metrics.cli", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_cli_single_task_prints_json():
    done = _cli(
        "xquad",
        "--lang",
        "en",
        "--gold",
        str(FIXTURES / "squad_gold.json"),
        "--pred",
        str(FIXTURES / "squad_pred.json"),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"exact_match": approx(100 / 3), "f1": approx(500 / 9)}


@pytest.mark.parametrize(
    "task, gold, pred, location",
    [
        ("xnli", "xnli_gold.tsv", "xnli_pred_short.tsv", "xnli_pred_short.tsv:3:"),
        ("udpos", "udpos_gold.tsv", "udpos_pred_badlen.tsv", "udpos_pred_badlen.tsv:5:"),
        ("mlqa", "squad_gold.json", "bad.json", "bad.json:3:"),
        ("xnli", "xnli_gold.tsv", "no_such_file.tsv", "no_such_file.tsv: file not found"),
    ],
)
def test_cli_bad_input_exits_2_naming_file_and_line(task, gold, pred, location):
    done = _cli(task, "--lang", "en", "--gold", str(FIXTURES / gold), "--pred", str(FIXTURES / pred))
    assert done.returncode == 2
    assert location in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""


def test_cli_benchmark(tmp_path):
    _write_submission(tmp_path / "gold", tmp_path / "pred")
    done = _cli(
        "--benchmark",
        "xtreme",
        "--gold-dir",
        str(tmp_path / "gold"),
        "--pred-dir",
        str(tmp_path / "pred"),
        "--tasks",
        "bucc2018,tatoeba",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["overall"]["retrieval"] == approx(60.0)
    assert result["tasks"]["bucc2018"]["precision"]["qaa"] == approx(100 / 3)
    (tmp_path / "gold" / "tatoeba" / "test-en.tsv").unlink()
    (tmp_path / "gold" / "tatoeba" / "test-qaa.tsv").unlink()
    done = _cli(
        "--benchmark",
        "xtreme",
        "--gold-dir",
        str(tmp_path / "gold"),
        "--pred-dir",
        str(tmp_path / "pred"),
        "--tasks",
        "tatoeba",
    )
    assert done.returncode == 2 and "tatoeba" in done.stderr


def test_import_stays_light():
    code = (
        "import sys, xstilts.metrics, xstilts.metrics.cli; "
        "heavy = [m for m in ('torch', 'transformers', 'seqeval', 'sklearn') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr


# ------------------------------------------------------------ warnings (stderr, numbers unchanged)


def _warnings_of(task, gold_path, pred_path):
    messages = []
    result = score_files(task, "en", gold_path, pred_path, on_warning=messages.append)
    assert result == score_files(task, "en", gold_path, pred_path)  # warnings never change a score
    return result, messages


def test_label_outside_label_set_warns_with_file_and_line(tmp_path):
    gold, pred = tmp_path / "gold.tsv", tmp_path / "pred.tsv"
    gold.write_text("entailment\nneutral\ncontradiction\n", encoding="utf-8")
    pred.write_text("entailment\nmaybe\ncontradiction\n", encoding="utf-8")
    result, messages = _warnings_of("xnli", gold, pred)
    assert result == {"accuracy": approx(200 / 3)}
    assert messages == [
        (f"{pred}:2: warning: label 'maybe' is not in the xnli label set ('entailment', 'neutral', 'contradiction')")
    ]


def test_tag_warning_names_the_tags_own_line(tmp_path):
    gold, pred = tmp_path / "gold.tsv", tmp_path / "pred.tsv"
    gold.write_text("NOUN\nVERB\n\nDET\nNOUN\n\n", encoding="utf-8")
    pred.write_text("NOUN\nVERB\n\nDET\nNOUNS\n\n", encoding="utf-8")
    _, messages = _warnings_of("udpos", gold, pred)
    assert len(messages) == 1 and messages[0].startswith(f"{pred}:5: warning: tag 'NOUNS' is not in the udpos")
    pred.write_text("B-PER\nO\n\nB-MISC\nO\n\n", encoding="utf-8")
    gold.write_text("B-PER\nO\n\nB-LOC\nO\n\n", encoding="utf-8")
    _, messages = _warnings_of("panx", gold, pred)
    assert [m.split(": warning")[0] for m in messages] == [f"{pred}:4"]


def test_many_bad_labels_are_counted_not_listed(tmp_path):
    gold, pred = tmp_path / "gold.tsv", tmp_path / "pred.tsv"
    gold.write_text("1\n" * 8, encoding="utf-8")
    pred.write_text("2\n" * 8, encoding="utf-8")
    _, messages = _warnings_of("pawsx", gold, pred)
    assert len(messages) == 6
    assert [m.split(": warning")[0] for m in messages[:5]] == [f"{pred}:{n}" for n in range(1, 6)]
    assert messages[5] == f"{pred}: warning: 3 more lines with labels outside the pawsx label set"


def test_tatoeba_index_out_of_range_warns(tmp_path):
    gold, pred = tmp_path / "gold.tsv", tmp_path / "pred.tsv"
    gold.write_text("0\n1\n2\n", encoding="utf-8")
    pred.write_text("3\n-1\n2\n", encoding="utf-8")
    result, messages = _warnings_of("tatoeba", gold, pred)
    assert result == {"accuracy": approx(100 / 3)}
    assert messages == [
        f"{pred}:1: warning: index 3 is outside 0..2 (the 3 candidates of {gold})",
        f"{pred}:2: warning: index -1 is outside 0..2 (the 3 candidates of {gold})",
    ]
    pred.write_text("0\nfirst\n2\n", encoding="utf-8")
    assert _warnings_of("tatoeba", gold, pred)[1] == [f"{pred}:2: warning: 'first' is not an integer index"]
    # A gold index beyond the line count widens the candidate range (XTREME's mock files do this).
    gold.write_text("0\n7\n2\n", encoding="utf-8")
    pred.write_text("7\n3\n2\n", encoding="utf-8")
    assert _warnings_of("tatoeba", gold, pred)[1] == []


def test_bucc_ids_outside_golds_id_space_warn(tmp_path):
    gold, pred = tmp_path / "gold.tsv", tmp_path / "pred.tsv"
    gold.write_text("de-001\ten-007\nde-002\ten-003\n", encoding="utf-8")
    pred.write_text("de-001\ten-007\nen-003\tde-002\n", encoding="utf-8")  # line 2 swapped
    result, messages = _warnings_of("bucc2018", gold, pred)
    assert result["precision"] == approx(50.0)
    assert messages == [
        f"{pred}:2: warning: source id 'en-003' is outside gold's source ids (de-...)",
        f"{pred}:2: warning: target id 'de-002' is outside gold's target ids (en-...)",
    ]
    # Ids without a LANG- prefix: the id space is unknown, nothing to say.
    gold.write_text("1\t7\n", encoding="utf-8")
    pred.write_text("7\t1\n", encoding="utf-8")
    assert _warnings_of("bucc2018", gold, pred)[1] == []


def test_clean_input_gives_no_warning():
    for task, gold, pred in [
        ("xnli", "xnli_gold.tsv", "xnli_pred.tsv"),
        ("udpos", "udpos_gold.tsv", "udpos_pred.tsv"),
        ("bucc2018", "bucc_gold.tsv", "bucc_pred.tsv"),
    ]:
        assert _warnings_of(task, FIXTURES / gold, FIXTURES / pred)[1] == []


def test_cli_warns_on_stderr_and_keeps_exit_status_and_numbers(tmp_path):
    gold, pred = tmp_path / "gold.tsv", tmp_path / "pred.tsv"
    gold.write_text("0\n1\n", encoding="utf-8")
    pred.write_text("0\n9\n", encoding="utf-8")
    done = _cli("tatoeba", "--lang", "de", "--gold", str(gold), "--pred", str(pred))
    assert done.returncode == 0
    assert json.loads(done.stdout) == {"accuracy": 50.0}
    assert done.stderr == f"{pred}:2: warning: index 9 is outside 0..1 (the 2 candidates of {gold})\n"


def test_label_sets_equal_the_registry():
    from xstilts import registry

    for task, labels in LABEL_SETS.items():
        if task not in registry.tasks():  # xcopa arrives with the XTREME-R registry entries
            continue
        spec = registry.get(task)
        assert spec.labels is not None, task
        assert set(spec.labels) == {str(label) for label in labels}, task


def test_sentence_chunks_add_up_to_span_f1():
    # Per-sentence chunk sets (as bootstrap statistics use them) give the corpus scores of both scorers.
    gold = [["CCONJ", "SCONJ", "NOUN"], ["B-PER", "I-PER"], ["SCONJ"]]
    pred = [["CCONJ", "CCONJ", "NOUN"], ["B-PER", "O"], ["CCONJ"]]
    for scorer in tagging.TAGGING_SCORERS:
        pairs = [(tagging.sentence_chunks(g, scorer), tagging.sentence_chunks(p, scorer)) for g, p in zip(gold, pred)]
        correct = sum(len(g & p) for g, p in pairs)
        n_pred, n_gold = sum(len(p) for _, p in pairs), sum(len(g) for g, _ in pairs)
        expected = tagging.span_f1(gold, pred, scorer)
        assert 100 * correct / n_pred == approx(expected["precision"]), scorer
        assert 100 * correct / n_gold == approx(expected["recall"]), scorer
