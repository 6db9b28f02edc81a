"""Recipe data in the toy world: native and simulated machine-translated intermediate training data."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xstilts.toyworld import generate_world
from xstilts.toyworld.recipes import RECIPE_TASKS, build_recipe_split, recipe_languages, renderer

REPO = Path(__file__).resolve().parents[1]
SEED, SCALE = 0, 0.05  # 100 training examples per task
LABEL = {
    "mnli": "label",
    "anli": "label",
    "qqp": "label",
    "sst2": "label",
    "squad": "id",
    "ccg": "tags",
    "commonsenseqa": "answerKey",
    "cosmosqa": "label",
    "hellaswag": "label",
    "siqa": "label",
}
TEXT = {
    "mnli": ("premise", "hypothesis"),
    "anli": ("premise", "hypothesis"),
    "qqp": ("question1", "question2"),
    "sst2": ("sentence",),
    "squad": ("context", "question"),
    "ccg": ("tokens",),
    "commonsenseqa": ("question",),
    "cosmosqa": ("context", "question", "answer0"),
    "hellaswag": ("ctx_a", "endings"),
    "siqa": ("context", "question", "answerA"),
}
MULTIPLE_CHOICE = ("commonsenseqa", "cosmosqa", "hellaswag", "siqa")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    out = tmp_path_factory.mktemp("recipes") / "world"
    generate_world(out, seed=SEED, scale=SCALE)
    return out


def _english(world, task):
    with open(world / "tasks" / task / "train.en.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _native_lang(task):
    return recipe_languages(task, False)[0] if task == "ccg" else "qab"


@pytest.mark.parametrize("task", RECIPE_TASKS)
def test_schema_count_and_labels_equal_the_english_files(world, task):
    english = _english(world, task)
    for lang, translated in ((_native_lang(task), False), ("qab", True), ("qad", True)):
        rows = build_recipe_split(world, task, lang, translated)
        assert len(rows) == len(english) == 100
        assert all(list(r) == list(e) for r, e in zip(rows, english))  # same columns, same order
        assert [r[LABEL[task]] for r in rows] == [e[LABEL[task]] for e in english]
        # Toy-Near's cognates leave some short sentences as in English; an MT row may keep every word of one
        least = 0.8 if lang == "qaa" else 0.9
        for col in TEXT[task]:
            assert sum(r[col] != e[col] for r, e in zip(rows, english)) >= least * len(rows), (task, lang, col)


@pytest.mark.parametrize("task", RECIPE_TASKS)
def test_native_and_translated_text_differ(world, task):
    lang = _native_lang(task)
    native = build_recipe_split(world, task, lang, False)
    translated = build_recipe_split(world, task, lang, True)
    differ = sum(any(n[c] != t[c] for c in TEXT[task]) for n, t in zip(native, translated))
    # qaa (CCG's native language) has English grammar: only the MT's word errors tell the two apart
    assert differ >= (0.25 if lang == "qaa" else 0.9) * len(native), (task, lang, differ)


def _verb_final_share(toks_list) -> float:
    final = [[t for t in toks if t.upos not in ("PUNCT", "PART")][-1].upos in ("VERB", "AUX") for toks in toks_list]
    return sum(final) / len(final)


def test_translation_keeps_english_word_order():
    """qab is SOV: natively the verb ends the sentence; the simulated MT keeps English's SVO order."""
    from xstilts.toyworld.grammar import Renderers
    from xstilts.toyworld.tasks import Ctx
    from xstilts.toyworld.tasks.nli import _nli_rows
    from xstilts.toyworld.world import World

    ctx = Ctx(World(SEED), Renderers(SEED), SEED, SCALE)
    hypotheses = [hyp for _, hyp, _, _ in _nli_rows(ctx, "mnli", "train", 2000, False)]
    share = {
        kind: _verb_final_share([renderer(ctx, "mnli", "qab", kind == "mt")(c) for c in hypotheses])
        for kind in ("native", "mt")
    }
    english = _verb_final_share([ctx.R.render("en", c) for c in hypotheses])
    assert share["native"] > 0.9 and share["mt"] < 0.3 and abs(share["mt"] - english) < 0.1, (share, english)


def test_translation_errors_are_at_the_configured_rates():
    """qac's words never coincide with English ones, so an English word in its MT output was left untranslated;
    a word that is neither English nor the error-free translation has the wrong sense."""
    from xstilts.toyworld.grammar import Renderers
    from xstilts.toyworld.recipes import UNTRANSLATED, WRONG_SENSE
    from xstilts.toyworld.tasks import Ctx
    from xstilts.toyworld.tasks.nli import _nli_rows
    from xstilts.toyworld.world import World

    ctx = Ctx(World(SEED), Renderers(SEED), SEED, SCALE)
    clauses = [c for prem, hyp, _, _ in _nli_rows(ctx, "mnli", "train", 2000, False) for c in (*prem, hyp)]
    mt, clean = renderer(ctx, "mnli", "qac", True), renderer(ctx, "mnli", "qac", True, untranslated=0, wrong_sense=0)
    words = kept = wrong = 0
    for cl in clauses:
        english = [t for t in ctx.R.render("en", cl) if t.ner == "O" and t.concept is not None]
        out = [t for t in mt(cl) if t.ner == "O" and t.concept is not None]
        ref = [t for t in clean(cl) if t.ner == "O" and t.concept is not None]
        assert len(english) == len(out) == len(ref)  # word for word (no "how many" in declaratives)
        for e, o, r in zip(english, out, ref):
            words += 1
            kept += o.text.lower() == e.text.lower()
            wrong += o.text.lower() not in (e.text.lower(), r.text.lower())
    assert abs(kept / words - UNTRANSLATED) < 0.03, kept / words
    assert 0.3 * WRONG_SENSE < wrong / words < WRONG_SENSE + 0.02, wrong / words  # content words and ADP only


def test_qa_answer_spans_are_valid_in_the_rendered_context(world):
    english = _english(world, "squad")
    for lang in ("qaa", "qab", "qac", "qad", "qae"):
        for translated in (False, True):
            for row, en in zip(build_recipe_split(world, "squad", lang, translated), english):
                (text,), (start,) = row["answers"]["text"], row["answers"]["answer_start"]
                assert text and row["context"][start : start + len(text)] == text, (lang, translated, row)
                if en["answers"]["text"][0][:1].isdigit():  # years and counts pass unchanged
                    assert text.split()[0] == en["answers"]["text"][0].split()[0]


def _digest(rows) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def test_deterministic_and_independent_of_the_hash_seed(world):
    cases = [("squad", "qab", True), ("mnli", "qac", False), ("ccg", "qad", True), ("qqp", "qae", True)]
    cases += [("hellaswag", "qac", True), ("commonsenseqa", "qae", False)]
    here = [_digest(build_recipe_split(world, *case)) for case in cases]
    assert here == [_digest(build_recipe_split(world, *case)) for case in cases]
    code = (
        "import hashlib, json, sys; from xstilts.toyworld.recipes import build_recipe_split as b; "
        f"print(' '.join(hashlib.sha256(json.dumps(b(sys.argv[1], *c), ensure_ascii=False).encode()).hexdigest() "
        f"for c in {cases!r}))"
    )
    for hash_seed in ("0", "1"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", code, str(world)], env=env, check=True, capture_output=True, text=True
        ).stdout.split()
        assert out == here, hash_seed
    # without a world directory: seed and scale given
    assert _digest(build_recipe_split(None, "squad", "qab", True, seed=SEED, scale=SCALE)) == here[0]


def test_languages_and_refusals(world):
    from xstilts import registry
    from xstilts.sources import load_split
    from xstilts.sources import recipe_languages as source_languages
    from xstilts.zeroshot import ZeroShotViolation, check_zero_shot

    toy = {"type": "toy"}
    others = ["qaa", "qab", "qac", "qad", "qae"]
    for task in ("mnli", "squad", "qqp"):
        assert source_languages(registry.get(task), toy, False) == source_languages(registry.get(task), toy, True)
        assert source_languages(registry.get(task), toy, True) == others
    assert source_languages(registry.get("ccg"), toy, False) == ["qaa", "qad"]
    for task in ("hellaswag", "commonsenseqa", "cosmosqa", "siqa"):
        assert source_languages(registry.get(task), toy, False) == source_languages(registry.get(task), toy, True)
        assert source_languages(registry.get(task), toy, True) == others
    assert source_languages(registry.get("xnli"), toy, True) == []  # a target: no recipe data
    ds = load_split(registry.get("mnli"), "train@qab.mt", "qab", toy, world)
    assert ds.column_names == list(_english(world, "mnli")[0]) and len(ds) == 100
    with pytest.raises(ValueError, match="no native 'qab'"):
        load_split(registry.get("ccg"), "train@qab", "qab", toy, world)
    for task, split in (("xnli", "train@qaa"), ("xquad", "train@qab.mt"), ("mnli", "validation@qaa")):
        with pytest.raises(ZeroShotViolation):
            check_zero_shot(registry.get(task), split, [split.split("@")[1].split(".")[0]])
        with pytest.raises(ZeroShotViolation):
            load_split(registry.get(task), split, "qaa", toy, world)


def test_world_without_manifest_is_refused_clearly(world, tmp_path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(world, old)
    (old / "world.json").unlink()
    with pytest.raises(FileNotFoundError, match="regenerate"):
        build_recipe_split(old, "mnli", "qaa", False)
    shutil.rmtree(old)
    shutil.copytree(world, old)
    (old / "world.json").write_text(json.dumps({"seed": SEED + 1, "scale": SCALE}))
    with pytest.raises(ValueError, match="regenerate"):
        build_recipe_split(old, "mnli", "qaa", False)


def test_toy_recipe_grid_dry_run_resolves(tmp_path):
    """Native and translated recipes on the toy world plan without config errors, with their data variants."""
    import yaml

    from workflow_helpers import copy_repo, snakemake

    work = copy_repo(tmp_path / "repo")
    extra = work / "extra.yaml"
    extra.write_text(
        yaml.safe_dump(
            {
                "intermediate": ["mnli", "mnli-qaa", "mnli-mt", "hs-qab", "hs-qac-mt"],
                "recipes": {
                    "mnli-qaa": {"tasks": ["mnli"], "languages": ["qaa"]},
                    "mnli-mt": {"tasks": ["mnli"], "languages": ["qaa", "qab"], "translated": True},
                    "hs-qab": {"tasks": ["hellaswag"], "languages": ["qab"]},
                    "hs-qac-mt": {"tasks": ["hellaswag"], "languages": ["qac"], "translated": True},
                },
            }
        )
    )
    result = snakemake(work, "-n", "--configfile", "configs/smoke.yaml", "configs/recipes-toy.yaml", str(extra))
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    text = result.stdout + result.stderr
    for variant in ("mnli/train@qaa", "mnli/train@qaa.mt", "mnli/train@qab.mt"):
        assert f"data/{variant}" in text, variant
    for variant in ("hellaswag/train@qab", "hellaswag/train@qac.mt"):
        assert f"data/{variant}" in text, variant


# ---------------------------------------------------------------- multiple-choice tasks (texts from templates)


def _mc_texts(row: dict, task: str) -> list[str]:
    """Every model-input text of a multiple-choice row."""
    if task == "commonsenseqa":
        return [row["question"], *row["choices"]["text"]]
    if task == "cosmosqa":
        return [row["context"], row["question"], *(row[f"answer{j}"] for j in range(4))]
    if task == "hellaswag":
        return [row["ctx_a"], row["ctx_b"], *row["endings"]]
    return [row["context"], row["question"], row["answerA"], row["answerB"], row["answerC"]]


@pytest.mark.parametrize("task", MULTIPLE_CHOICE)
def test_multiple_choice_rows_keep_everything_but_the_text(world, task):
    """Same ids, labels, choice counts and metadata as English; no English template word left natively in the
    languages of their own vocabulary (only names, digits and qab's English loanwords)."""
    from xstilts.toyworld.tasks.texts import TEMPLATE_WORDS

    english = _english(world, task)
    template_words = set(TEMPLATE_WORDS) - {"a"}  # 'a' could be a pseudo-word of qab
    for lang in ("qaa", "qab", "qac", "qad", "qae"):
        for translated in (False, True):
            rows = build_recipe_split(world, task, lang, translated)
            for row, en in zip(rows, english):
                texts, en_texts = _mc_texts(row, task), _mc_texts(en, task)
                assert len(texts) == len(en_texts) and all(isinstance(t, str) for t in texts)
                for key in ("id", "question_concept", "activity_label", "source_id", "ind", "label", "answerKey"):
                    assert row.get(key) == en.get(key), (task, lang, key)
                if not translated and lang in ("qac", "qae"):  # no loanwords there
                    left = {w.lower().strip(".,?") for t in texts for w in t.split()} & template_words
                    assert not left, (task, lang, left, texts)


def test_native_questions_follow_the_language_and_translations_english_order(world):
    """Native qab/qae questions end with the question particle (wh in situ, verb last); the word-by-word
    translation keeps English order: the wh-word first, no particle. qaa keeps English's word count."""
    from xstilts.toyworld.grammar import Renderers

    R = Renderers(SEED)
    english = _english(world, "commonsenseqa")
    for lang in ("qab", "qae"):
        particle = R.lexicons[lang].stems["qpart"]
        native = build_recipe_split(world, "commonsenseqa", lang, False)
        mt = build_recipe_split(world, "commonsenseqa", lang, True)
        assert all(r["question"].endswith(f" {particle}?") for r in native), lang
        assert sum(r["question"].endswith(f" {particle}?") for r in mt) == 0, lang
    qaa = build_recipe_split(world, "commonsenseqa", "qaa", False)
    assert all(len(r["question"].split()) == len(e["question"].split()) for r, e in zip(qaa, english))


def test_hellaswag_split_is_made_in_the_rendered_sentence(world):
    """ctx_b + the right ending is one sentence of the language: in qab (SOV) ctx_b is the subject (after an
    optional fronted adverb), in qac (VSO) the verb comes first, so ctx_b is at most the fronted adverb."""
    from xstilts.toyworld.grammar import Renderers

    stems = Renderers(SEED).lexicons
    english = _english(world, "hellaswag")
    qab = build_recipe_split(world, "hellaswag", "qab", False)
    qac = build_recipe_split(world, "hellaswag", "qac", False)
    then = stems["qac"].stems["then"]
    for b, c, en in zip(qab, qac, english):
        assert b["ctx_b"] and b["ctx"] == f"{b['ctx_a']} {b['ctx_b']}"
        assert c["ctx_b"] in ("", capitalize_(then) + ","), c["ctx_b"]
        assert en["ctx_b"].startswith("Then,") == (c["ctx_b"] != "")
        assert c["ctx"] == " ".join(x for x in (c["ctx_a"], c["ctx_b"]) if x)
    mt = build_recipe_split(world, "hellaswag", "qac", True)  # word for word: English's split
    assert all(len(m["ctx_b"].split()) == len(e["ctx_b"].split()) for m, e in zip(mt, english))


def capitalize_(word: str) -> str:
    return word[:1].upper() + word[1:]


def test_template_words_get_recipe_stems_without_touching_the_lexicon():
    from xstilts.toyworld.grammar import Renderers
    from xstilts.toyworld.lexicon import english_types
    from xstilts.toyworld.tasks.texts import TEMPLATE_CONCEPTS, extend_lexicon

    for lang, lexicon in Renderers(SEED).lexicons.items():
        before = dict(lexicon.stems)
        extend_lexicon(lexicon.stems, lang, SEED)
        assert {k: v for k, v in lexicon.stems.items() if k in before} == before
        new = [lexicon.stems[c] for c in TEMPLATE_CONCEPTS]
        assert len(set(new)) == len(new) and not set(new) & (set(before.values()) | english_types()), lang
    assert not set(TEMPLATE_CONCEPTS) & set(Renderers(SEED).lexicons["qab"].stems)  # the world's lexicon
