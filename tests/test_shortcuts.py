"""Shortcut and repeat audit of the toy world (issue 8): what a reviewer tries first must fail.

On the default run's world (seed 0, scale 1.0; about ten seconds to generate): a hypothesis-only
classifier does not beat the majority class on XNLI, a bag-of-n-grams classifier does not beat it
on PAWS-X, no English dev/test input occurs in any training split, and no QA dev/test question can
be answered by looking it up in training. The audit itself is checked on planted shortcuts.
"""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pytest

from xstilts.toyworld import generate_world
from xstilts.toyworld.audit import (
    CHOICES,
    INPUT_FIELDS,
    bag_of_ngrams_pairs,
    choices_without_context,
    english_splits,
    hypothesis_only,
    qa_lookups,
    repeats,
)
from xstilts.toyworld.world import World

HYPOTHESIS_ONLY_MARGIN = 10.0  # points above the majority class at most
BAG_OF_NGRAMS_MARGIN = 5.0


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("audit") / "world"
    generate_world(out, seed=0, scale=1.0)
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]", text.lower())


@pytest.mark.parametrize("lang", ["en", "qaa"])
def test_hypothesis_alone_does_not_beat_the_majority_class(world, lang):
    result = hypothesis_only(world, lang)
    assert result["accuracy"] <= result["majority"] + HYPOTHESIS_ONLY_MARGIN, result


def test_nli_labels_are_balanced_and_hypotheses_shared_across_labels(world):
    rows = [r for task in ("mnli", "anli") for r in english_splits(world, task)["train"]]
    labels = collections.Counter(r["label"] for r in rows)
    assert min(labels.values()) / max(labels.values()) > 0.85, labels
    # the hypothesis constructions (negation, passive) occur with every label at similar rates
    for marker in (" not ", " by ", " in "):
        rates = [sum(marker in r["hypothesis"] for r in rows if r["label"] == y) / labels[y] for y in (0, 1, 2)]
        assert max(rates) - min(rates) < 0.05, (marker, rates)


def test_paws_bag_of_ngrams_does_not_beat_the_majority_class(world):
    result = bag_of_ngrams_pairs(world)
    assert result["accuracy"] <= result["majority"] + BAG_OF_NGRAMS_MARGIN, result


@pytest.mark.parametrize("task", sorted(CHOICES))
def test_multiple_choice_needs_its_context(world, task):
    """Social IQa and COPA: question and answers without the context (premise) do not beat chance."""
    result = choices_without_context(world, task)
    assert result["accuracy"] <= result["chance"] + BAG_OF_NGRAMS_MARGIN, result


def test_paws_pairs_have_the_same_words_and_differ_in_order(world):
    for split, rows in english_splits(world, "pawsx").items():
        assert {r["label"] for r in rows} == {"0", "1"}, split
        for r in rows:
            a, b = _words(r["sentence1"]), _words(r["sentence2"])
            assert sorted(a) == sorted(b) and a != b, (split, r)


def test_no_english_dev_or_test_input_occurs_in_training(world):
    found = repeats(world)
    evaluated = {key.split("/")[0] for key in found}
    assert evaluated == set(INPUT_FIELDS) | {"bucc2018"}, set(INPUT_FIELDS) ^ evaluated
    assert all(v["inputs"] > 0 for v in found.values()), found
    assert {k: v for k, v in found.items() if v["repeats"]} == {}


def test_no_qa_question_can_be_looked_up_in_training(world):
    found = qa_lookups(world)
    assert set(found) == {"squad/validation", "xquad/test", "mlqa/validation", "mlqa/test", "tydiqa/test"}
    assert {k: v for k, v in found.items() if v["seen_pair"]} == {}


def test_qa_answers_are_read_from_the_context(world):
    """Facts are drawn per context: a question asked in several training contexts has several answers."""
    answers = collections.defaultdict(set)
    for r in english_splits(world, "squad")["train"]:
        answers[r["question"]].add(r["answers"]["text"][0])
    repeated = [q for q, a in answers.items() if len(a) > 1]
    assert len(repeated) > 50, len(repeated)


def test_held_out_entities_never_occur_in_training(world):
    w = World(0)
    assert 0.2 < len(w.heldout_names) / (len(w.persons) + len(w.orgs)) < 0.3
    held = re.compile("|".join(map(re.escape, sorted(w.heldout_names, key=len, reverse=True))))
    for task in INPUT_FIELDS:
        for r in english_splits(world, task).get("train", []):
            text = json.dumps(r, ensure_ascii=False)
            assert not held.search(text), (task, held.search(text).group(0))


def test_names_are_ambiguous_between_person_and_place(world):
    tags = collections.defaultdict(set)
    for r in english_splits(world, "panx")["train"]:
        for tok, tag in zip(r["tokens"], r["ner_tags"]):
            tags[tok].add(tag[2:])
    assert sum({"PER", "LOC"} <= t for t in tags.values()) >= 3


# --------------------------------------------------------------------------------------------
# The audit finds what is planted
# --------------------------------------------------------------------------------------------


def _write(root: Path, task: str, split: str, rows: list[dict], lang: str = "en") -> None:
    path = root / "tasks" / task / f"{split}.{lang}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_audit_catches_planted_shortcuts_and_repeats(tmp_path):
    names = ["entailment", "neutral", "contradiction"]
    cue = ["surely", "maybe", "never"]  # a word in the hypothesis that gives the label away
    train = [
        {"premise": f"P {i}.", "hypothesis": f"Anna {cue[i % 3]} left {i}.", "label": i % 3, "idx": i}
        for i in range(90)
    ]
    test = [
        {
            "language": "en",
            "sentence1": f"Q {i}.",
            "sentence2": f"Bob {cue[i % 3]} came {i}.",
            "gold_label": names[i % 3],
        }
        for i in range(30)
    ]
    _write(tmp_path, "mnli", "train", train)
    _write(tmp_path, "xnli", "test", test)
    assert hypothesis_only(tmp_path)["accuracy"] == 100.0
    paws = [
        {"sentence1": f"A {i}", "sentence2": f"B {i} " + ("same" if i % 2 else "other"), "label": str(i % 2)}
        for i in range(60)
    ]
    _write(tmp_path, "pawsx", "train", paws[:40])
    _write(tmp_path, "pawsx", "test", paws[40:])
    assert bag_of_ngrams_pairs(tmp_path)["accuracy"] == 100.0
    squad = {
        "id": "1",
        "title": "T",
        "context": "Anna lives in Rome. She sings.",
        "question": "Where does Anna live?",
        "answers": {"text": ["Rome"], "answer_start": [14]},
    }
    _write(tmp_path, "squad", "train", [squad])
    _write(tmp_path, "xquad", "test", [{**squad, "context": "Other words. Anna lives in Rome."}])
    _write(tmp_path, "udpos", "test", [{"tokens": ["she", "sings", "."], "pos_tags": ["PRON", "VERB", "PUNCT"]}])
    found = repeats(tmp_path)
    assert found["udpos/test"]["repeats"] == 1  # a sentence of a training context
    assert found["xquad/test"]["repeats"] == 0  # another context ...
    assert qa_lookups(tmp_path)["xquad/test"]["seen_pair"] == 1  # ... but the same question and answer
