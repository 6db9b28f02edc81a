"""Toy language metadata, morphology tables and task coverage.

Codes qaa..qae come from the ISO 639 range reserved for local use, so they can never be mistaken
for real languages. `lexical_overlap_with_en` is filled in by the generator (it is measured).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

_TYPOLOGY_KEYS = (
    "S_SVO",
    "S_SOV",
    "S_VSO",
    "S_ADJECTIVE_BEFORE_NOUN",
    "S_ADJECTIVE_AFTER_NOUN",
    "S_ADPOSITION_BEFORE_NOUN",
    "S_ADPOSITION_AFTER_NOUN",
    "S_DEFINITE_AFFIX_OR_WORD",
    "S_NEGATIVE_WORD",
    "S_NEGATIVE_AFFIX",
    "S_POLAR_Q_PARTICLE",
    "S_WH_FRONT",
    "M_SUFFIXING",
    "M_CASE_MARKING",
    "M_TENSE_AFFIX",
    "M_PLURAL_AFFIX",
    "P_NON_LATIN_SCRIPT",
)


def _typology(order: str, adj: str, adp: str, **flags: int) -> dict[str, int]:
    feats = {k: 0 for k in _TYPOLOGY_KEYS}
    feats["S_" + order] = 1
    feats["S_ADJECTIVE_BEFORE_NOUN" if adj == "AdjN" else "S_ADJECTIVE_AFTER_NOUN"] = 1
    feats["S_ADPOSITION_BEFORE_NOUN" if adp == "prep" else "S_ADPOSITION_AFTER_NOUN"] = 1
    feats.update(flags)
    return feats


def _lang(name, order, adj, adp, morph, script, family, resource, share, **flags) -> dict:
    return {
        "name": name,
        "word_order": order,
        "adjective_order": adj,
        "adposition": adp,
        "morphology": morph,
        "script": script,
        "family": family,
        "resource_class": resource,
        "corpus_share": share,
        "lexical_overlap_with_en": None,
        "typology": _typology(order, adj, adp, **flags),
    }


TOY_LANGUAGES: dict[str, dict] = {
    "en": _lang(
        "English",
        "SVO",
        "AdjN",
        "prep",
        "none",
        "Latin",
        "Toy-Anglic",
        5,
        1.0,
        S_DEFINITE_AFFIX_OR_WORD=1,
        S_NEGATIVE_WORD=1,
        S_WH_FRONT=1,
        M_PLURAL_AFFIX=1,
    ),
    "qaa": _lang(
        "Toy-Near",
        "SVO",
        "AdjN",
        "prep",
        "none",
        "Latin",
        "Toy-Anglic",
        4,
        0.8,
        S_DEFINITE_AFFIX_OR_WORD=1,
        S_NEGATIVE_WORD=1,
        S_WH_FRONT=1,
        M_PLURAL_AFFIX=1,
    ),
    "qab": _lang(
        "Toy-SOV",
        "SOV",
        "NAdj",
        "postp",
        "suffixing",
        "Latin",
        "Toy-Isolate-1",
        4,
        0.8,
        S_NEGATIVE_WORD=1,
        S_POLAR_Q_PARTICLE=1,
        M_SUFFIXING=1,
        M_CASE_MARKING=1,
        M_TENSE_AFFIX=1,
        M_PLURAL_AFFIX=1,
    ),
    "qac": _lang(
        "Toy-VSO",
        "VSO",
        "NAdj",
        "prep",
        "agglutinative",
        "Latin",
        "Toy-Isolate-2",
        3,
        0.5,
        S_DEFINITE_AFFIX_OR_WORD=1,
        S_NEGATIVE_AFFIX=1,
        S_WH_FRONT=1,
        M_SUFFIXING=1,
        M_TENSE_AFFIX=1,
        M_PLURAL_AFFIX=1,
    ),
    "qad": _lang(
        "Toy-Script",
        "SVO",
        "AdjN",
        "prep",
        "none",
        "Cyrillic",
        "Toy-Anglic",
        3,
        0.5,
        S_DEFINITE_AFFIX_OR_WORD=1,
        S_NEGATIVE_WORD=1,
        S_WH_FRONT=1,
        M_PLURAL_AFFIX=1,
        P_NON_LATIN_SCRIPT=1,
    ),
    "qae": _lang(
        "Toy-Low",
        "SOV",
        "AdjN",
        "postp",
        "suffixing",
        "Latin",
        "Toy-Isolate-3",
        1,
        0.1,
        S_NEGATIVE_AFFIX=1,
        S_POLAR_Q_PARTICLE=1,
        M_SUFFIXING=1,
        M_CASE_MARKING=1,
        M_TENSE_AFFIX=1,
        M_PLURAL_AFFIX=1,
    ),
}

TOY_TASK_LANGUAGES: dict[str, list[str]] = {
    "xnli": ["en", "qaa", "qab", "qac", "qad", "qae"],
    "pawsx": ["en", "qaa", "qab", "qac", "qad"],
    "udpos": ["en", "qaa", "qab", "qac", "qad", "qae"],
    "panx": ["en", "qaa", "qab", "qac", "qad", "qae"],
    "xquad": ["en", "qaa", "qab", "qac", "qad"],
    "mlqa": ["en", "qaa", "qab", "qac"],
    "tydiqa": ["en", "qaa", "qab", "qae"],
    "bucc2018": ["qaa", "qab", "qac", "qad"],
    "tatoeba": ["qaa", "qab", "qac", "qad", "qae"],
    "xcopa": ["qaa", "qab", "qac", "qad", "qae"],  # no English test set, like XCOPA (English is COPA)
    "mewslix": ["en", "qaa", "qab", "qac", "qad", "qae"],  # mentions; entity descriptions in all six languages
    "lareqa": ["en", "qaa", "qab", "qac", "qad"],  # XQuAD-R is XQuAD's languages: the toy XQuAD's
}

# tydiqa ids start with the language name, as in the real file ("english-...", "arabic-...")
TYDIQA_ID_PREFIX = {
    "en": "english",
    "qaa": "toyNear",
    "qab": "toySOV",
    "qac": "toyVSO",
    "qad": "toyScript",
    "qae": "toyLow",
}


@dataclass(frozen=True)
class Morphology:
    """How a language with its own vocabulary (qab, qac, qae) inflects and orders words."""

    order: str  # SOV | VSO
    adj_before_noun: bool
    prepositions: bool
    articles: bool  # definite article word before the noun phrase
    plural: str  # noun plural suffix
    case: dict[str, str]  # case -> suffix on the phrase-final word ("acc", "loc", ...)
    case_preps: dict[str, str]  # adposition concept realised as a case suffix instead of a word
    past: str
    pres: str
    passive: str
    neg_suffix: str | None  # None: negation is a separate particle before the verb
    q_particle: bool  # polar/wh question particle at the end (wh in situ)
    link_vowel: str  # inserted between consonant-final stem and consonant suffix
    name_sep: str = "'"  # suffix on a name is written after an apostrophe


MORPHOLOGY = {
    "qab": Morphology(
        "SOV",
        False,
        False,
        False,
        plural="ri",
        case={"acc": "o"},
        case_preps={},
        past="ta",
        pres="ru",
        passive="are",
        neg_suffix=None,
        q_particle=True,
        link_vowel="u",
    ),
    "qac": Morphology(
        "VSO",
        False,
        True,
        True,
        plural="lem",
        case={},
        case_preps={},
        past="ek",
        pres="ur",
        passive="il",
        neg_suffix="ma",
        q_particle=False,
        link_vowel="e",
    ),
    "qae": Morphology(
        "SOV",
        True,
        False,
        False,
        plural="t",
        case={"acc": "n", "loc": "ssa", "all": "lle", "abl": "sta"},
        case_preps={"in": "loc", "at": "loc", "to": "all", "from": "abl"},
        past="si",
        pres="va",
        passive="ttu",
        neg_suffix="ko",
        q_particle=True,
        link_vowel="i",
    ),
}


def language_metadata(overlaps: dict[str, float] | None = None) -> dict[str, dict]:
    """A deep copy of TOY_LANGUAGES with measured lexical overlaps filled in."""
    meta = copy.deepcopy(TOY_LANGUAGES)
    for lang, value in (overlaps or {}).items():
        meta[lang]["lexical_overlap_with_en"] = round(value, 4)
    return meta
