"""Texts of the multiple-choice toy tasks, kept with what they say, so that recipes can say it in other languages.

The English builders of CommonsenseQA, CosmosQA, HellaSwag and Social IQa write some texts from clauses (a step
of a script) and others from templates ("Where would you usually find a knife?"). Each text they write is one
of these objects; the English files take its ``en`` string, exactly as before. The recipe data
(`xstilts.toyworld.recipes`) renders the same objects natively or through the simulated machine translation:

`Sentence`
    a clause said as a sentence: every renderer says it (as for NLI and QA).
`Template`
    a template's English text, its English tokens (concept and part of speech per word: what the word-by-word
    machine translation and the cognate languages qaa/qad need) and ``say``: the same meaning built for a
    language of its own grammar (qab, qac, qae) from a `FreshRenderer` - a clause in the language's word order
    where English has a fixed phrase ("Why did Anna ...?" is "For what did Anna ...?", modal verbs become
    tense). Template words the lexicon lacks (``TEMPLATE_CONCEPTS``: you, keep, probably, ...) get stems
    of their own, drawn for recipe data only (`extend_lexicon`): the world's lexicons and files do not change.
`Split`
    HellaSwag's sentence split into ``ctx_b`` (what leads: a fronted adverb and the subject) and an ending.
    In another language the split is made in that language's sentence: in the VSO language the verb precedes
    the subject, so only the fronted adverb leads (or nothing) and every ending starts with the verb.
`Join`
    texts joined with spaces (a context of several sentences).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..grammar import Clause, EnglishRenderer, FreshRenderer, Tok, capitalize, detokenize
from ..lexicon import FUNCTION_WORDS, PHONOLOGIES, english_types

# literal template words: English form -> (concept, UPOS). Concepts the lexicon lacks are TEMPLATE_CONCEPTS.
TEMPLATE_WORDS: dict[str, tuple[str, str]] = {
    "a": ("a", "DET"),
    "an": ("a", "DET"),
    "the": ("the", "DET"),
    "is": ("be", "AUX"),
    "do": ("do", "AUX"),
    "did": ("do", "AUX"),
    "what": ("what", "PRON"),
    "which": ("which", "DET"),
    "where": ("where", "ADV"),
    "because": ("because", "SCONJ"),
    "he": ("he", "PRON"),
    "she": ("she", "PRON"),
    "they": ("they", "PRON"),
    "usually": ("usually", "ADV"),
    "find": ("find", "VERB"),
    "feel": ("feel", "VERB"),
    "want": ("want", "VERB"),
    "wanted": ("want", "VERB"),
    "people": ("person", "NOUN"),
    "colour": ("colour", "NOUN"),
    "thing": ("thing", "NOUN"),
    "with": ("with", "ADP"),
    "of": ("of", "ADP"),
    "in": ("in", "ADP"),
    "after": ("after", "ADP"),
    "before": ("before", "ADP"),
    "to": ("to", "ADP"),
    "you": ("you", "PRON"),
    "this": ("this", "PRON"),
    "none": ("none", "PRON"),
    "would": ("would", "AUX"),
    "will": ("will", "AUX"),
    "may": ("may", "AUX"),
    "why": ("why", "ADV"),
    "how": ("how", "ADV"),
    "probably": ("probably", "ADV"),
    "next": ("next", "ADV"),
    "kept": ("keep", "VERB"),
    "happen": ("happen", "VERB"),
    "finished": ("finish", "VERB"),
    "need": ("need", "VERB"),
    "kind": ("kind", "NOUN"),
    "choices": ("choice", "NOUN"),
    "above": ("above", "ADJ"),
}
# concepts of template words that are not in the lexicon, in the order their recipe stems are drawn
TEMPLATE_CONCEPTS = (
    "you",
    "this",
    "none",
    "would",
    "will",
    "may",
    "why",
    "how",
    "probably",
    "next",
    "keep",
    "happen",
    "finish",
    "need",
    "kind",
    "choice",
    "above",
)
# inflected template words of TEMPLATE_CONCEPTS (the machine translation's suffixes)
TEMPLATE_FORMS = {"kept": "participle", "finished": "past", "choices": "plural"}
_FUNCTION = {"you", "this", "none", "would", "will", "may", "why", "how", "probably", "next"}

Say = Callable[[FreshRenderer], list[Tok]]


def words(text: str) -> list[Tok]:
    """Tokens of literal template words (lower case; '?' and '.' as punctuation)."""
    out = []
    for word in text.split():
        if word in ("?", "."):
            out.append(Tok(word, "PUNCT"))
            continue
        concept, upos = TEMPLATE_WORDS[word]
        out.append(Tok(word, upos, "O", None, concept))
    return out


def _frozen(toks: list[Tok]) -> tuple:
    return tuple((t.text, t.upos, t.ner, t.concept) for t in toks)


def thaw(toks: tuple) -> list[Tok]:
    return [Tok(text, upos, ner, None, concept) for text, upos, ner, concept in toks]


@dataclass(frozen=True, eq=False)
class Sentence:
    clause: Clause
    en: str


@dataclass(frozen=True, eq=False)
class Template:
    en: str
    toks: tuple  # (text, upos, ner, concept) per English token, before capitalisation
    say: Say  # the meaning in a language of its own grammar (before capitalisation)
    sentence: bool = True  # capitalised (a question or sentence), else a fragment (a choice, a verb phrase)


@dataclass(frozen=True, eq=False)
class Split:
    clause: Clause  # its subject marked with span "lead"
    en_lead: str
    en_rest: str
    n_lead: int


@dataclass(frozen=True, eq=False)
class Lead:
    split: Split


@dataclass(frozen=True, eq=False)
class Rest:
    split: Split


@dataclass(frozen=True, eq=False)
class Join:
    parts: tuple


def sentence(ctx, cl: Clause) -> Sentence:
    return Sentence(cl, ctx.text("en", cl))


def template(en: str, toks: list[Tok], say: Say, is_sentence: bool = True, exact: bool = True) -> Template:
    """A template's text with its tokens; ``exact``: the tokens detokenize to the English text (checked, so the
    English files keep every byte)."""
    if exact:
        spelled = detokenize(capitalize(thaw(_frozen(toks))) if is_sentence else toks)[0]
        if spelled != en:
            raise ValueError(f"template tokens spell {spelled!r}, not the builder's {en!r}")
    return Template(en, _frozen(toks), say, is_sentence)


def clause_say(cl: Clause) -> Say:
    return lambda r: r.clause(cl)


def vp_clause(cl: Clause) -> Clause:
    """The base-form verb phrase of a clause ('board the train'): what `Ctx.en_vp` writes in English."""
    return replace(cl, subj=None, tense="base", front=None)


def vp_toks(cl: Clause) -> list[Tok]:
    return EnglishRenderer().clause(vp_clause(cl), final_punct=False)


def vp_say(cl: Clause) -> Say:
    return lambda r: r.clause(vp_clause(cl), final_punct=False)


def conj_say(conj: str, inner: Say, punct: str | None = None) -> Say:
    """A conjunction and what it joins: after it in the verb-final languages (as their subordinate clauses
    take it), before it otherwise."""

    def say(r: FreshRenderer) -> list[Tok]:
        tok = Tok(r.lex[conj], "SCONJ" if conj == "because" else "ADP", "O", None, conj)
        body = inner(r)
        out = body + [tok] if r.m.order == "SOV" else [tok] + body
        return out + ([Tok(punct, "PUNCT")] if punct else [])

    return say


def word_text(concept: str, upos: str, english: str) -> Template:
    """A one-word choice (a noun, an adjective, a verb's base form)."""
    return template(
        english,
        [Tok(english, upos, "O", None, concept)],
        lambda r: [Tok(r.lex[concept], upos, "O", None, concept)],
        is_sentence=False,
    )


def split(ctx, cl: Clause) -> Split:
    """HellaSwag's split of a sentence into what leads (fronted adverb and subject) and the rest."""
    from ..grammar import with_span

    marked = replace(cl, subj=with_span(cl.subj, "lead"))
    toks = ctx.R.render("en", marked)
    n_lead = (2 if cl.front else 0) + len(EnglishRenderer().np(cl.subj))
    return Split(marked, detokenize(toks[:n_lead])[0], detokenize(toks[n_lead:])[0], n_lead)


def n_lead(toks: list[Tok], fronted: bool) -> int:
    """Leading tokens of a rendered `Split` clause: the fronted adverb and its comma, then the subject's."""
    k = 2 if fronted else 0
    while k < len(toks) and toks[k].span == "lead":
        k += 1
    return k


def fill(value, say: Callable):
    """A row with texts in it -> the row with each text said by ``say`` (English: ``lambda t: t.en``)."""
    if isinstance(value, Join):
        return " ".join(part for part in (fill(p, say) for p in value.parts) if part)
    if isinstance(value, (Sentence, Template, Lead, Rest)):
        return say(value)
    if isinstance(value, list):
        return [fill(v, say) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, say) for k, v in value.items()}
    return value


def english(value) -> str:
    if isinstance(value, Lead):
        return value.split.en_lead
    if isinstance(value, Rest):
        return value.split.en_rest
    return value.en


def extend_lexicon(stems: dict[str, str], lang: str, seed: int) -> None:
    """Add stems for `TEMPLATE_CONCEPTS` to a fresh lexicon's stems (recipe data only), from a stream of their
    own: the lexicon's other words stay as they are, and no new stem repeats a word or an English form."""
    from ..languages import MORPHOLOGY

    if all(c in stems for c in TEMPLATE_CONCEPTS):
        return
    ph, m = PHONOLOGIES[lang], MORPHOLOGY[lang]
    rng = random.Random(f"{seed}:template-lexicon:{lang}")
    taken = english_types() | set(TEMPLATE_WORDS) | set(stems.values())
    taken |= {m.plural, m.past, m.pres, m.passive, m.neg_suffix or "", *m.case.values()}
    for concept in TEMPLATE_CONCEPTS:
        lo, hi = (1, 2) if concept in _FUNCTION else (ph.min_syl, ph.max_syl)
        for _ in range(1000):
            word = "".join(
                rng.choice(ph.onsets) + rng.choice(ph.vowels) + rng.choice(ph.codas) for _ in range(rng.randint(lo, hi))
            )
            if word not in taken and len(word) >= 2:
                break
        else:  # pragma: no cover - inventories are large enough
            raise RuntimeError(f"could not draw a fresh word for {concept!r} in {lang}")
        taken.add(word)
        stems[concept] = word


assert set(FUNCTION_WORDS).isdisjoint(TEMPLATE_CONCEPTS)
