"""Research recipes' intermediate data in the toy languages: native and (simulated) machine-translated.

A recipe row may train its intermediate task on ``train@LANG`` (native data in LANG) or ``train@LANG.mt``
(machine-translated from English). Nothing of it is in the generated world: `build_recipe_split` makes it on
demand, for the one (task, language, translated) a recipe asks for. It regenerates the task's English
training examples from the world's seed and scale (``world.json``) - the builders draw from seeded streams
(``Ctx.rng(task, split)``), so these are the very latent facts and clauses behind ``train.en.jsonl`` (checked
against the file) - and renders them:

native
    each clause through the language's own renderer, as the target tasks (XNLI, XQuAD) are rendered: its
    vocabulary, morphology and word order. QA answer spans are located again in the rendered context.
translated (``.mt``)
    the English sentence translated word by word through the lexicon: English word order kept, each word in
    the target's vocabulary with its inflection suffix, English function words (articles, auxiliaries,
    prepositions) translated rather than turned into the target's case suffixes or dropped. Errors are drawn
    per word from a stream seeded by (seed, task, language): ``UNTRANSLATED`` of the words are left in English,
    ``WRONG_SENSE`` get another word of the same part of speech. Names, digits and punctuation pass unchanged
    (names transliterated into Cyrillic for qad). So native and translated data differ measurably, in word
    order above all for qab/qac/qae (tests/test_toy_recipes.py).

Labels, row counts, ids and every column that is not text stay as in the English file (ANLI's ``reason``
stays English: it is no model input). CCG's native data exists only for qaa and qad, which share English
grammar token for token (the supertags carry over); the translated CCG data keeps each English token's tag.
The multiple-choice tasks (CommonsenseQA, CosmosQA, HellaSwag, Social IQa) write some of their English from
templates ("Where would you usually find a knife?"); their builders keep every text with what it says
(`tasks.texts`): a clause, or a template's tokens and its meaning as a clause of the language's own grammar.
Natively a template is said as that clause in qab/qac/qae and word by word (cognates) in qaa/qad, which share
English grammar; the machine translation translates its English tokens. Template words the lexicon lacks
(``you``, ``keep``, ``probably``, ...) get stems drawn for recipe data alone (`tasks.texts.extend_lexicon`).
HellaSwag's ``ctx_b``/ending split is made in the rendered sentence (in qac, VSO, the ending starts with the
verb and ``ctx_b`` holds at most the fronted adverb). Metadata columns (CommonsenseQA's ``question_concept``,
HellaSwag's ``activity_label``) stay English.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from .grammar import Renderers, Tok, _attach, capitalize, detokenize
from .languages import MORPHOLOGY, TOY_LANGUAGES
from .lexicon import ADJECTIVES, ADVERBS, FUNCTION_WORDS, NOUNS, PREPOSITIONS, VERBS, to_cyrillic
from .tasks import Ctx, texts
from .tasks.classification import qqp_latent, sst2_latent, sst2_sentence
from .tasks.common import hexid
from .tasks.multiple_choice import _cosmos_latent, _csqa_latent, _hellaswag_latent, _siqa_latent
from .tasks.nli import _nli_rows
from .tasks.span_qa import CONTEXT_FACTS, _qa_latent, render_qa
from .tasks.tagging import tagging_latent
from .world import World

UNTRANSLATED = 0.08  # share of words the simulated MT leaves in English
WRONG_SENSE = 0.06  # share of content words (and prepositions) it replaces by another of the same part of speech
TRAIN_N = 2000  # the builders' English training size at scale 1
RECIPE_LANGUAGES = [lang for lang in TOY_LANGUAGES if lang != "en"]
NATIVE_ONLY = {"ccg": ["qaa", "qad"]}  # CCG supertags exist only where the grammar is English's
MULTIPLE_CHOICE = ("commonsenseqa", "cosmosqa", "hellaswag", "siqa")  # texts in `tasks.texts` objects
RECIPE_TASKS = ("mnli", "anli", "qqp", "sst2", "squad", "ccg", *MULTIPLE_CHOICE)
_SAME_POS = {
    "NOUN": sorted(NOUNS),
    "VERB": sorted(VERBS),
    "ADJ": list(ADJECTIVES),
    "ADV": list(ADVERBS),
    "ADP": list(PREPOSITIONS),
}


def recipe_languages(task: str, translated: bool) -> list[str]:
    """Toy languages with native or machine-translated training data for an intermediate task."""
    if task not in RECIPE_TASKS:
        return []
    if not translated and task in NATIVE_ONLY:
        return list(NATIVE_ONLY[task])
    return list(RECIPE_LANGUAGES)


def world_params(world_dir: str | Path) -> tuple[int, float]:
    from .generate import WORLD_MANIFEST

    path = Path(world_dir) / WORLD_MANIFEST
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: the toy world predates recipe data; regenerate it "
            "(delete the world directory, or `xstilts toy-world`)"
        )
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return int(manifest["seed"]), float(manifest["scale"])


class MachineTranslation:
    """English tokens -> target-language words, one for one, in English order, with errors."""

    def __init__(
        self,
        R: Renderers,
        lang: str,
        rng: random.Random,
        untranslated: float = UNTRANSLATED,
        wrong_sense: float = WRONG_SENSE,
    ):
        self.R, self.lang, self.rng = R, lang, rng
        self.untranslated, self.wrong_sense = untranslated, wrong_sense
        self.fresh = lang in MORPHOLOGY and lang in R.lexicons
        self.m = MORPHOLOGY.get(lang)

    def render(self, cl) -> list[Tok]:
        return self.translate(self.R.render("en", cl))

    def translate(self, toks: list[Tok], capital: bool = True) -> list[Tok]:
        """English tokens -> target tokens; ``capital``: capitalise the first (a sentence, not a fragment)."""
        out = []
        for t in toks:
            text = t.text
            if t.ner != "O" or t.upos in ("NUM", "PUNCT") or t.concept is None:
                if self.lang == "qad" and t.ner != "O":
                    text = to_cyrillic(text)
            elif t.concept == "how_many" and t.text.lower() == "many":
                continue  # "how many" is one word of the lexicon
            else:
                word = text.lower()
                draw = self.rng.random()
                if draw < self.untranslated:
                    text = word
                elif draw < self.untranslated + self.wrong_sense and t.upos in _SAME_POS:
                    other = self.rng.choice([c for c in _SAME_POS[t.upos] if c != t.concept])
                    text = self.word(other, t.upos, _form(t.concept, t.upos, word))
                else:
                    text = self.word(t.concept, t.upos, _form(t.concept, t.upos, word), word)
            out.append(Tok(text, t.upos, t.ner, t.ccg, t.concept, t.span))
        return capitalize(out) if capital else out

    def word(self, concept: str, upos: str, form: str, english: str | None = None) -> str:
        """The target word of a concept in an English form (plural, past, 3sg, participle, base)."""
        if not self.fresh:  # qaa, qad: the cognate of the English word form
            english = english or _english_form(concept, upos, form)
            return self.R.by_lang[self.lang].word(english)
        stems = self.R.lexicons[self.lang].stems
        if english in FUNCTION_WORDS and english in stems:  # him, her, them: their own words
            return stems[english]
        stem = stems[concept]
        m = self.m
        suffix = {"plural": m.plural, "past": m.past, "pres": m.pres, "participle": m.passive}.get(form, "")
        return _attach(stem, suffix, m.link_vowel)


_BE = {"was": "past", "were": "past", "is": "pres", "are": "pres"}
_DO = {"did": "past", "does": "pres", "do": "pres"}


def _form(concept: str, upos: str, word: str) -> str:
    if upos == "NOUN" and concept in NOUNS:
        sg, pl = NOUNS[concept]
        return "plural" if word == pl and pl != sg else "base"
    if concept == "be":
        return _BE.get(word, "base")
    if concept == "do":
        return _DO.get(word, "base")
    if upos in ("VERB", "AUX") and concept in VERBS:
        base, s3, past, part, _ = VERBS[concept]
        if word == past:
            return "past"
        if word == part:
            return "participle"
        return "pres" if word == s3 else "base"
    if word in texts.TEMPLATE_FORMS:  # multiple-choice template words outside the lexicon (kept, finished, choices)
        return texts.TEMPLATE_FORMS[word]
    return "base"


def _english_form(concept: str, upos: str, form: str) -> str:
    if concept in NOUNS and upos == "NOUN":
        return NOUNS[concept][form == "plural"]
    if concept in VERBS:
        base, s3, past, part, _ = VERBS[concept]
        return {"past": past, "participle": part, "pres": s3}.get(form, base)
    return concept


def _ccg_native(ctx: Ctx, lang: str, cl) -> list[Tok]:
    """qaa/qad render English's tokens one for one: the English supertags carry over."""
    english = ctx.R.render("en", cl)
    toks = ctx.R.render(lang, cl)
    if len(toks) != len(english):
        raise ValueError(f"{lang} does not render English's tokens one for one: {toks}")
    for t, e in zip(toks, english):
        t.ccg = e.ccg
    return toks


def renderer(ctx: Ctx, task: str, lang: str, translated: bool, **errors):
    """clause -> tokens in `lang`: the language's own renderer, or the simulated machine translation (one stream
    per seed, task and language; `errors`: `untranslated`, `wrong_sense` rates other than the defaults).
    Multiple-choice tasks: a `Speaker` (text -> string) instead."""
    if task in MULTIPLE_CHOICE:  # texts, not clauses
        mt = MachineTranslation(ctx.R, lang, ctx.rng(task, "train", lang, "mt"), **errors) if translated else None
        return Speaker(ctx, lang, mt)
    if translated:
        return MachineTranslation(ctx.R, lang, ctx.rng(task, "train", lang, "mt"), **errors).render
    if task == "ccg":
        return lambda cl: _ccg_native(ctx, lang, cl)
    return lambda cl: ctx.R.render(lang, cl)


class Speaker:
    """A multiple-choice task's texts (`tasks.texts`) -> strings in one language: natively, or through the
    simulated machine translation (`mt`, its stream seeded as `renderer`'s)."""

    def __init__(self, ctx: Ctx, lang: str, mt: MachineTranslation | None):
        self.R, self.lang, self.mt = ctx.R, lang, mt
        self.fresh = lang in ctx.R.lexicons
        self._splits: dict[int, tuple[str, str]] = {}

    def __call__(self, text) -> str:
        if isinstance(text, (texts.Lead, texts.Rest)):
            lead, rest = self.split(text.split)
            return lead if isinstance(text, texts.Lead) else rest
        if isinstance(text, texts.Sentence):
            toks = self.mt.render(text.clause) if self.mt else self.R.render(self.lang, text.clause)
            return detokenize(toks)[0]
        if self.mt:
            return detokenize(self.mt.translate(texts.thaw(text.toks), capital=text.sentence))[0]
        if self.fresh:
            toks = text.say(self.R.by_lang[self.lang])
        else:  # qaa, qad: English grammar, each word its cognate (as CognateRenderer says clauses)
            cognates = self.R.by_lang[self.lang]
            toks = texts.thaw(text.toks)
            for t in toks:
                if t.ner != "O":
                    t.text = to_cyrillic(t.text) if self.lang == "qad" else t.text
                else:
                    t.text = cognates.word(t.text)
        return detokenize(capitalize(toks) if text.sentence else toks)[0]

    def split(self, split: texts.Split) -> tuple[str, str]:
        """(ctx_b, ending) of a HellaSwag sentence: one rendering (one translation) per sentence."""
        key = id(split)
        if key not in self._splits:
            if self.mt:
                toks, k = self.mt.render(split.clause), split.n_lead  # word for word: English's split
            else:
                toks = self.R.render(self.lang, split.clause)
                k = texts.n_lead(toks, split.clause.front is not None)
            self._splits[key] = (detokenize(toks[:k])[0], detokenize(toks[k:])[0])
        return self._splits[key]


_MC_LATENT = {
    "commonsenseqa": _csqa_latent,
    "cosmosqa": _cosmos_latent,
    "hellaswag": _hellaswag_latent,
    "siqa": _siqa_latent,
}


def _rows(ctx: Ctx, task: str, lang: str, render) -> tuple[list[dict], list[dict]]:
    """(English rows, rows in `lang`) of the task's training split, from the same latent examples."""
    n = ctx.n(TRAIN_N)
    text = lambda cl: detokenize(render(cl))[0]  # noqa: E731
    en_text = lambda cl: ctx.text("en", cl)  # noqa: E731
    if task in ("mnli", "anli"):
        latent = _nli_rows(ctx, task, "train", TRAIN_N, task == "anli")

        def nli(t, i, prem, hyp, label, reason):
            row = {"premise": " ".join(t(c) for c in prem), "hypothesis": t(hyp), "label": label}
            if task == "mnli":
                return {**row, "idx": i}
            return {"uid": hexid(ctx.seed, "anli", "train", i, n=32), **row, "reason": reason}

        return (
            [nli(en_text, i, *ex) for i, ex in enumerate(latent)],
            [nli(text, i, *ex) for i, ex in enumerate(latent)],
        )
    if task == "qqp":
        latent = qqp_latent(ctx, "train", n)

        def qqp(t, i, c1, c2, label):
            return {"question1": t(c1), "question2": t(c2), "label": label, "idx": i}

        return (
            [qqp(en_text, i, *ex) for i, ex in enumerate(latent)],
            [qqp(text, i, *ex) for i, ex in enumerate(latent)],
        )
    if task == "sst2":
        from .grammar import EnglishRenderer

        en = EnglishRenderer()
        latent = sst2_latent(ctx, "train", n)
        return (
            [
                {"sentence": sst2_sentence(en.clause(cl)), "label": label, "idx": i}
                for i, (cl, label) in enumerate(latent)
            ],
            [{"sentence": sst2_sentence(render(cl)), "label": label, "idx": i} for i, (cl, label) in enumerate(latent)],
        )
    if task == "squad":
        latent = _qa_latent(ctx, "squad", "train", n, *CONTEXT_FACTS["squad"])
        return (
            [{"id": hexid(ctx.seed, "squad", "train", i), **render_qa(ctx, "en", ex)} for i, ex in enumerate(latent)],
            [
                {"id": hexid(ctx.seed, "squad", "train", i), **render_qa(ctx, lang, ex, render)}
                for i, ex in enumerate(latent)
            ],
        )
    if task == "ccg":
        latent = tagging_latent(ctx, "ccg", "train", n, declarative_only=True)
        ccg = lambda toks: {"tokens": [t.text for t in toks], "tags": [t.ccg for t in toks]}  # noqa: E731
        return [ccg(ctx.R.render("en", cl)) for cl in latent], [ccg(render(cl)) for cl in latent]
    if task in MULTIPLE_CHOICE:
        latent = _MC_LATENT[task](ctx, "train", TRAIN_N)
        return [texts.fill(r, texts.english) for r in latent], [texts.fill(r, render) for r in latent]
    raise ValueError(f"toy task {task!r} has no recipe data; tasks with some: {', '.join(RECIPE_TASKS)}")


def build_recipe_split(
    world_dir: str | Path | None,
    task: str,
    lang: str,
    translated: bool,
    seed: int | None = None,
    scale: float | None = None,
) -> list[dict]:
    """Rows of ``train@LANG`` (native) or ``train@LANG.mt`` (translated) for a toy intermediate task, in the
    columns of its English file, same order, labels and ids.

    ``world_dir``: a generated world (its ``world.json`` gives seed and scale, and the regenerated English rows
    are checked against its ``train.en.jsonl``); or None with ``seed`` and ``scale``."""
    if lang not in recipe_languages(task, translated):
        kind = "machine-translated" if translated else "native"
        raise ValueError(
            f"the toy world has no {kind} {task} data in {lang!r}; "
            f"languages: {', '.join(recipe_languages(task, translated)) or 'none'}"
        )
    if world_dir is not None:
        seed, scale = world_params(world_dir)
    if seed is None or scale is None:
        raise ValueError("build_recipe_split needs a world directory or both seed and scale")
    ctx = Ctx(World(seed), Renderers(seed), seed, scale)
    if task in MULTIPLE_CHOICE:
        for fresh, lexicon in ctx.R.lexicons.items():  # this context's renderers only: the world's stay
            texts.extend_lexicon(lexicon.stems, fresh, seed)
    english, rows = _rows(ctx, task, lang, renderer(ctx, task, lang, translated))
    if world_dir is not None:
        _check_english(Path(world_dir) / "tasks" / task / "train.en.jsonl", english)
    return rows


def _check_english(path: Path, english: list[dict]) -> None:
    with open(path, encoding="utf-8") as fh:
        on_disk = [json.loads(line) for line in fh]
    if on_disk != english:
        raise ValueError(
            f"{path} is not what this code generates from the world's seed and scale: regenerate "
            "the toy world, so that the recipe data renders the same examples"
        )


__all__ = ["build_recipe_split", "recipe_languages", "renderer", "MachineTranslation", "RECIPE_TASKS"]
