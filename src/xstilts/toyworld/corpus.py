"""Pretraining corpus and lexical-overlap measurement.

Design choice: about 5% of corpus sentences are code-switched (one to three content words replaced
by their translation in another toy language). Real web corpora contain such mixing, and it gives
the masked LM some cross-lingual anchors beyond shared names and digits. Toy-Script (qad) keeps its
script pure: words switched into it are transliterated to Cyrillic and it never lends Cyrillic
words to the other corpora, so that it shares only digits with them.
"""

from __future__ import annotations

import random

from .grammar import Renderers, capitalize, detokenize
from .languages import TOY_LANGUAGES
from .lexicon import cognate, english_types, to_cyrillic
from .sentences import random_sentence
from .world import World

SCRIPT_PURE = "qad"
CODE_SWITCH_RATE = 0.05
ENGLISH_CORPUS_SENTENCES = 40_000


def corpus_lines(world: World, R: Renderers, lang: str, n: int, seed: int) -> list[str]:
    rng = random.Random(f"{seed}:corpus:{lang}")
    others = [code for code in TOY_LANGUAGES if code not in (lang, SCRIPT_PURE)]
    lines = []
    for _ in range(n):
        toks = R.by_lang[lang].clause(random_sentence(world, rng))
        if rng.random() < CODE_SWITCH_RATE:
            donor = "en" if lang != "en" and rng.random() < 0.7 else rng.choice(others)
            content = [t for t in toks if t.concept and t.upos in ("NOUN", "VERB", "ADJ")]
            for t in rng.sample(content, min(len(content), rng.randint(1, 3))):
                word = R.lemma(donor, t.concept) or t.text
                t.text = to_cyrillic(word) if lang == SCRIPT_PURE else word
        lines.append(detokenize(capitalize(toks))[0])
    return lines


def lexicon_types(R: Renderers, lang: str) -> set[str]:
    """Word types of a language's lexicon (names excluded: they are shared anchors by design)."""
    en = english_types()
    if lang == "en":
        return en
    if lang == "qaa":
        return {cognate(w) for w in en}
    if lang == "qad":
        return {to_cyrillic(cognate(w)) for w in en}
    return set(R.lexicons[lang].stems.values())


def lexical_overlaps(R: Renderers) -> dict[str, float]:
    en = english_types()
    out = {}
    for lang in TOY_LANGUAGES:
        types = lexicon_types(R, lang)
        out[lang] = len(types & en) / len(types)
    return out
