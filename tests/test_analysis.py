"""Paired bootstrap, language metadata and typological distance (no results tree needed)."""

import math
import random

import numpy as np
import pytest

from xstilts.analysis import bootstrap as bs
from xstilts.analysis.languages import distances_from, is_toy, metadata_for, real_languages, typological_distance
from xstilts.metrics import score_task, task_score

TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG"]


def _labels(n, rng, classes=("entailment", "neutral", "contradiction")):
    return [rng.choice(classes) for _ in range(n)]


def _corrupt(gold, rate, rng, classes=("entailment", "neutral", "contradiction")):
    return [g if rng.random() > rate else rng.choice([c for c in classes if c != g]) for g in gold]


def _sentences(n, rng):
    out = []
    for _ in range(n):
        tags, length = [], rng.randint(3, 9)
        while len(tags) < length:
            kind = rng.choice(["O", "O", "PER", "LOC", "ORG"])
            tags += ["O"] if kind == "O" else [f"B-{kind}"] + [f"I-{kind}"] * rng.randint(0, 2)
        out.append(tags[:length])
    return out


def _corrupt_tags(sentences, rate, rng):
    return [[t if rng.random() > rate else rng.choice(TAGS) for t in s] for s in sentences]


def _qa(n, rng):
    words = ["red house", "the old bridge", "Anna", "in 1999", "three cats", "a river"]
    gold = [
        {"id": f"q{i}", "context": "", "question": "", "answers": {"text": [rng.choice(words)], "answer_start": [0]}}
        for i in range(n)
    ]
    return gold, words


def _qa_pred(gold, words, rate, rng):
    # some questions left unanswered: they count 0
    return {
        g["id"]: (g["answers"]["text"][0] if rng.random() > rate else rng.choice(words))
        for g in gold
        if rng.random() > 0.05
    }


def _bucc(rng, n=60):
    gold = [(f"de-{i}", f"en-{i}") for i in range(n)]
    pred = [(s, t if rng.random() > 0.3 else f"en-{rng.randrange(n)}") for s, t in gold if rng.random() > 0.2]
    pred += [(f"de-x{i}", f"en-{i}") for i in range(5)]  # spurious sources not in gold
    return gold, pred


def _cases(rng):
    gold_labels = _labels(300, rng)
    sentences = _sentences(120, rng)
    qa_gold, words = _qa(150, rng)
    bucc_gold, bucc_pred = _bucc(rng)
    return {
        "xnli": (gold_labels, [_corrupt(gold_labels, 0.4, rng), _corrupt(gold_labels, 0.3, rng)]),
        "panx": (sentences, [_corrupt_tags(sentences, 0.2, rng), _corrupt_tags(sentences, 0.1, rng)]),
        "udpos": (
            [["NOUN", "VERB", "SCONJ", "NOUN", "NOUN"]] * 20,
            [[[rng.choice(["NOUN", "VERB", "SCONJ", "ADJ"]) for _ in range(5)] for _ in range(20)]],
        ),
        "xquad": (qa_gold, [_qa_pred(qa_gold, words, 0.4, rng)]),
        "mlqa": (qa_gold, [_qa_pred(qa_gold, words, 0.2, rng)]),
        "bucc2018": (bucc_gold, [bucc_pred]),
    }


@pytest.mark.parametrize("task", ["xnli", "panx", "udpos", "xquad", "mlqa", "bucc2018"])
def test_point_estimate_equals_official_metric(task):
    gold, preds = _cases(random.Random(1))[task]
    stats = bs.example_statistics(task, "en", gold, preds)
    points = bs.score_from_sums(bs.statistic_kind(task), stats.sum(axis=1), stats.shape[1])
    for pred, point in zip(preds, points):
        assert point == pytest.approx(task_score(task, score_task(task, "en", gold, pred)), abs=1e-9)


def test_resampled_tagging_f1_equals_rescoring_the_resampled_sentences():
    rng = random.Random(2)
    gold = _sentences(40, rng)
    pred = _corrupt_tags(gold, 0.25, rng)
    stats = bs.example_statistics("panx", "en", gold, [pred])[0]
    draw = np.random.default_rng(5).integers(0, len(gold), size=len(gold))
    resampled = bs.score_from_sums("f1", stats[draw].sum(axis=0), len(gold))
    expected = score_task("panx", "en", [gold[i] for i in draw], [pred[i] for i in draw])["f1"]
    assert resampled == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("task", ["xnli", "panx", "xquad", "bucc2018"])
def test_identical_predictions_give_a_zero_interval(task):
    gold, preds = _cases(random.Random(3))[task]
    results = bs.language_replicates(
        task, "en", gold, {"none": {0: preds[0]}, "same": {0: preds[0]}}, 200, np.random.default_rng(0)
    )
    boot = bs.Bootstrap(n_resamples=200, seed=0)
    for row, result in results.items():
        boot.results[(row, task, "en")] = result
    diff = boot.difference("same", [task])
    assert (diff["delta"], diff["ci_low"], diff["ci_high"], diff["significant"]) == (0.0, 0.0, 0.0, False)


def test_clearly_better_system_is_significant_and_worse_system_negative():
    rng = random.Random(4)
    gold = _labels(500, rng)
    preds = {
        "none": {0: _corrupt(gold, 0.5, rng), 1: _corrupt(gold, 0.5, rng)},
        "better": {0: _corrupt(gold, 0.1, rng), 1: _corrupt(gold, 0.1, rng)},
        "worse": {0: _corrupt(gold, 0.8, rng), 1: _corrupt(gold, 0.8, rng)},
    }
    boot = bs.Bootstrap(n_resamples=500, seed=0)
    for row, result in bs.language_replicates("xnli", "qaa", gold, preds, 500, np.random.default_rng(0)).items():
        boot.results[(row, "xnli", "qaa")] = result
    better, worse = boot.difference("better", ["xnli"]), boot.difference("worse", ["xnli"])
    assert better["significant"] and better["ci_low"] > 0 and better["ci_low"] <= better["delta"] <= better["ci_high"]
    assert worse["significant"] and worse["ci_high"] < 0
    # pooled over seeds: the row's point is the mean of its seeds
    assert boot.results[("better", "xnli", "qaa")].point == pytest.approx(
        np.mean(list(boot.results[("better", "xnli", "qaa")].per_seed.values()))
    )


def test_replicates_are_seeded_and_independent_of_row_order():
    rng = random.Random(6)
    gold = _labels(100, rng)
    a, b = _corrupt(gold, 0.3, rng), _corrupt(gold, 0.5, rng)
    first = bs.language_replicates(
        "xnli", "en", gold, {"none": {0: a}, "x": {0: b}}, 100, bs.language_seed(0, "xnli", "en")
    )
    second = bs.language_replicates(
        "xnli", "en", gold, {"x": {0: b}, "none": {0: a}}, 100, bs.language_seed(0, "xnli", "en")
    )
    assert np.array_equal(first["x"].replicates, second["x"].replicates)
    other = bs.language_replicates("xnli", "en", gold, {"none": {0: a}}, 100, bs.language_seed(1, "xnli", "en"))
    assert not np.array_equal(first["none"].replicates, other["none"].replicates)


def test_gap_difference_pairs_english_and_language():
    boot = bs.Bootstrap(n_resamples=3, seed=0)
    rep = lambda *v: np.array(v, dtype=float)  # noqa: E731
    boot.results[("none", "xnli", "en")] = bs.LanguageResult({0: 80.0}, rep(80, 81, 79))
    boot.results[("none", "xnli", "qaa")] = bs.LanguageResult({0: 60.0}, rep(60, 61, 59))
    boot.results[("mnli", "xnli", "en")] = bs.LanguageResult({0: 82.0}, rep(82, 83, 81))
    boot.results[("mnli", "xnli", "qaa")] = bs.LanguageResult({0: 70.0}, rep(70, 71, 69))
    diff = boot.gap_difference("mnli", "xnli", ["qaa"])
    assert diff["delta"] == pytest.approx((82 - 70) - (80 - 60))  # the gap narrows by 8 points
    assert diff["ci_low"] == pytest.approx(-8) and diff["ci_high"] == pytest.approx(-8)


def test_typological_distance():
    assert typological_distance({"a": 1, "b": 0}, {"a": 1, "b": 0}) == pytest.approx(0)
    assert typological_distance({"a": 1, "b": 0}, {"a": 0, "b": 1}) == pytest.approx(1)
    assert typological_distance({"a": 1, "b": 1, "c": 0}, {"a": 1, "b": 0, "c": 0}, "hamming") == pytest.approx(1 / 3)
    assert math.isnan(typological_distance({"a": 1}, {"b": 1}))  # nothing shared
    with pytest.raises(ValueError, match="unknown distance"):
        typological_distance({"a": 1}, {"a": 1}, "euclid")


def test_real_language_metadata_is_complete():
    langs = real_languages()
    assert {"en", "ar", "sw", "zh", "qu", "ht"} <= set(langs) and len(langs) >= 45
    for code, meta in langs.items():
        assert meta["resource_class"] in range(6), code
        assert meta["family"] and meta["script"], code
        assert len(meta["typology"]) == 103, code  # URIEL syntax_knn
    assert langs["en"]["resource_class"] == 5 and langs["sw"]["resource_class"] == 2
    d = distances_from("en", ["de", "ja"])
    assert 0 <= d["de"] < d["ja"]  # German is typologically closer to English than Japanese


def test_toy_world_metadata_comes_from_toy_languages():
    assert is_toy(["en", "qaa"]) and not is_toy(["en", "de"])
    meta = metadata_for(["en", "qaa", "qae"])
    assert meta["qae"]["resource_class"] == 1 and meta["en"]["family"] == "Toy-Anglic"
    d = distances_from("en", ["qaa", "qab"])
    assert d["qaa"] == pytest.approx(0, abs=1e-12) and d["qab"] > 0.3


def test_xcopa_bootstrap_statistics_compare_labels_as_the_scorer_does():
    """XCOPA's labels are JSON integers compared with ==: a string "1" is wrong, as in metrics.score_task."""
    from xstilts.analysis.bootstrap import example_statistics, score_from_sums, statistic_kind
    from xstilts.metrics import score_task

    gold, preds = [0, 1, 1], [[0, 1, 0], ["0", "1", "1"]]
    stats = example_statistics("xcopa", "qaa", gold, preds)
    assert statistic_kind("xcopa") == "accuracy" and stats.shape == (2, 3, 1)
    points = score_from_sums("accuracy", stats.sum(axis=1), 3)
    assert list(points) == pytest.approx([score_task("xcopa", "qaa", gold, pred)["accuracy"] for pred in preds])
    assert points[1] == 0.0
