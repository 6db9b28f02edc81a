"""Toy PAWS-X, QQP and SST-2: the sentence(-pair) classification tasks other than NLI.

Grouped as `xstilts.formats.classification` groups them; NLI, also a classification format, has a
module of its own because of its premise-hypothesis machinery (nli.py).
"""

from __future__ import annotations

import random
from dataclasses import replace
from functools import partial

from ..grammar import NP, Clause, EnglishRenderer, common, year_np
from ..languages import TOY_TASK_LANGUAGES
from ..lexicon import COLOURS, NOUNS
from ..sentences import TRANSITIVE_RELS, sentiment_clause
from ..world import QUESTION_SLOTS, Fact, World, fact_clause
from .common import Ctx, Rows, builds
from .facts import other_value

# --------------------------------------------------------------------------------------------
# PAWS-X: same words, same or different meaning
# --------------------------------------------------------------------------------------------

ASYMMETRIC_VERBS = ["call", "help", "see", "praise", "visit"]  # "A met B" = "B met A": excluded
PAWS_KINDS = ("transitive", "dative", "move", "coordinated_subject", "coordinated_object")
PAWS_NONPARAPHRASE_REORDER = 0.5
PAWS_NOUNS = ["car", "bicycle", "coat", "shirt", "lamp", "chair", "boat", "book", "horse", "piano"]


def paws_example(w: World, rng: random.Random) -> tuple[Clause, Clause, int]:
    """Two sentences with the same words. Both labels use every kind of pair and the same
    reordering (adjuncts or conjuncts swapped, which keeps the meaning); a non-paraphrase also
    swaps who does what to whom (or which city, which colour). Only word order tells them apart."""
    label = int(rng.random() < 0.45)
    kind = rng.choice(PAWS_KINDS)
    a = w.person(rng)
    b = w.person(rng, (a.name,))
    c = w.person(rng, (a.name, b.name))
    A, B, C = (w.entity_np(p.name) for p in (a, b, c))
    c1 = w.city(rng)
    c2 = w.city(rng, (c1,))
    where = ("in", w.entity_np(c1))
    when = ("in", year_np(rng.randint(1960, 2023)))
    verb = rng.choice(ASYMMETRIC_VERBS)
    same = bool(label)
    # a paraphrase reorders adjuncts or conjuncts; a non-paraphrase swaps roles and, as often
    # as not, also reorders (so that no adjacency of words is more frequent with one label)
    reorder = same or rng.random() < PAWS_NONPARAPHRASE_REORDER
    if kind == "transitive":  # the two adjuncts swap; non-paraphrase: subject and object swap too
        s1 = Clause(A, verb, obj=B, pps=(where, when))
        s2 = Clause(A if same else B, verb, obj=B if same else A, pps=(when, where) if reorder else (where, when))
    elif kind == "dative":  # "A sold the car to B in C" / "A sold the car in C to B" / "B sold ... to A"
        thing = common(rng.choice(PAWS_NOUNS), "the", (rng.choice(COLOURS),))
        adjunct = rng.choice((where, when))
        s1 = Clause(A, "sell", obj=thing, pps=(("to", B), adjunct))
        to = ("to", B if same else A)
        s2 = Clause(A if same else B, "sell", obj=thing, pps=(adjunct, to) if reorder else (to, adjunct))
    elif kind == "move":  # "from X to Y" / "to Y from X" / "to X from Y"
        C1, C2 = w.entity_np(c1), w.entity_np(c2)
        tail = (when,) if rng.random() < 0.5 else ()
        s1 = Clause(A, "move", pps=(("from", C1), ("to", C2)) + tail)
        fr, to = ("from", C1 if same else C2), ("to", C2 if same else C1)
        s2 = Clause(A, "move", pps=((to, fr) if reorder else (fr, to)) + tail)
    elif kind == "coordinated_subject":  # "A and B called C" / "B and A called C" / "B and C called A"
        pps = (when,) if rng.random() < 0.5 else ()
        s1 = Clause(NP("coord", parts=(A, B)), verb, obj=C, pps=pps)
        s2 = (
            Clause(NP("coord", parts=(B, A)), verb, obj=C, pps=pps)
            if same
            else Clause(NP("coord", parts=(B, C) if reorder else (C, B)), verb, obj=A, pps=pps)
        )
    else:  # "a red car and a blue boat" / "a blue boat and a red car" / "a red boat and a blue car"
        n1, n2 = rng.sample(PAWS_NOUNS, 2)
        k1, k2 = rng.sample(COLOURS, 2)
        pps = (when,) if rng.random() < 0.5 else ()
        o1 = NP("coord", parts=(common(n1, "a", (k1,)), common(n2, "a", (k2,))))
        o2 = NP(
            "coord",
            parts=(common(n2, "a", (k2,)), common(n1, "a", (k1,)))
            if same
            else (common(n2, "a", (k1,)), common(n1, "a", (k2,)))
            if reorder
            else (common(n1, "a", (k2,)), common(n2, "a", (k1,))),
        )
        s1, s2 = Clause(A, "buy", obj=o1, pps=pps), Clause(A, "buy", obj=o2, pps=pps)
    if rng.random() < 0.5:
        s1, s2 = s2, s1
    return s1, s2, label


@builds("pawsx")
def build_pawsx(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n, langs in (
        ("train", 2000, ["en"]),
        ("validation", 300, ["en"]),
        ("test", 300, TOY_TASK_LANGUAGES["pawsx"]),
    ):
        rng, w = ctx.rng("pawsx", split), ctx.world_for(split)
        latent = [
            ctx.draw(split, partial(paws_example, w, rng), lambda ex: [ctx.text("en", ex[0]), ctx.text("en", ex[1])])
            for _ in range(ctx.n(n))
        ]
        for lang in langs:
            rows[(split, lang)] = [
                {"sentence1": ctx.text(lang, s1), "sentence2": ctx.text(lang, s2), "label": str(label)}
                for s1, s2, label in latent
            ]
    return rows


# --------------------------------------------------------------------------------------------
# QQP: duplicate questions
# --------------------------------------------------------------------------------------------


def _question_variants(ctx: Ctx, f: Fact, slot: str) -> list[Clause]:
    """Different wordings of the same question."""
    w = ctx.world
    base = fact_clause(w, f, q=slot)
    out = [base]
    if slot in ("city",) and f.rel in ("born", "lives", "bought", "met", "located"):
        out.append(_replace_wh(base, NP("wh", head="city", wh="which")))
    if slot == "year":
        out.append(_replace_wh(base, NP("wh", head="year", wh="which")))
    if slot == "subj" and f.subj in w.person_by_name:
        out.append(replace(base, subj=NP("wh", head="person", wh="which")))
        if f.rel in TRANSITIVE_RELS and base.obj is not None:
            out.append(Clause(base.obj, base.verb, passive=True, agent=NP("wh", wh="who"), pps=base.pps, question=True))
    if slot in ("obj", "count") and f.rel == "bought":
        out.append(fact_clause(w, f, q=slot, omit=frozenset({"city"})))
    if slot == "org" and f.rel in ("works", "founded"):  # "For which bank ..." / "For which company ..."
        kind = w.org_by_name[f.args[0]].kind
        generic = NP("wh", head="company" if kind != "company" else "organisation", wh="which")
        if generic.head in NOUNS:
            out.append(_replace_wh(base, generic) if f.rel == "works" else replace(base, obj=generic))
    return out


def _replace_wh(cl: Clause, new: NP) -> Clause:
    pps = tuple((p, new if np.kind == "wh" else np) for p, np in cl.pps)
    return replace(cl, pps=pps)


def qqp_latent(ctx: Ctx, split: str, n: int) -> list[tuple[Clause, Clause, int]]:
    """(question 1, question 2, label) clauses of one split, in row order (`build_qqp` renders them;
    `toyworld.recipes` renders the same questions in another language)."""
    rng, w = ctx.rng("qqp", split), ctx.world_for(split)
    out = []
    while len(out) < n:
        f = w.random_fact(rng)
        slot = rng.choice(QUESTION_SLOTS[f.rel])
        variants = _question_variants(ctx, f, slot)
        c1 = rng.choice(variants)
        t1 = ctx.text("en", c1)
        label = int(rng.random() < 0.4)
        if label:
            others = [v for v in variants if ctx.text("en", v) != t1]
            if not others:
                continue
            c2 = rng.choice(others)
        else:
            kind = rng.random()
            if kind < 0.45 and f.subj in w.person_by_name:  # same question about someone else
                g = Fact(f.rel, w.person(rng, (f.subj,)).name, f.args)
                c2 = rng.choice(_question_variants(ctx, g, slot))
            elif kind < 0.75 and len(QUESTION_SLOTS[f.rel]) > 1:  # another slot of the same fact
                s2 = rng.choice([s for s in QUESTION_SLOTS[f.rel] if s != slot])
                c2 = rng.choice(_question_variants(ctx, f, s2))
            else:  # a changed value
                changed = other_value(w, rng, f)
                g = changed[0] if changed else w.random_fact(rng, f.rel)
                c2 = rng.choice(_question_variants(ctx, g, slot))
            if ctx.text("en", c2) == t1:
                continue
        if not ctx.novel(split, (t1, ctx.text("en", c2))):
            continue
        if rng.random() < 0.5:
            c1, c2 = c2, c1
        out.append((c1, c2, label))
    return out


@builds("qqp")
def build_qqp(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rows[(split, "en")] = [
            {"question1": ctx.text("en", c1), "question2": ctx.text("en", c2), "label": label, "idx": i}
            for i, (c1, c2, label) in enumerate(qqp_latent(ctx, split, ctx.n(n)))
        ]
    return rows


# --------------------------------------------------------------------------------------------
# SST-2
# --------------------------------------------------------------------------------------------


def sst2_latent(ctx: Ctx, split: str, n: int) -> list[tuple[Clause, int]]:
    """(review clause, polarity) of one split, in row order."""
    rng, w = ctx.rng("sst2", split), ctx.world_for(split)
    return [ctx.draw(split, partial(sentiment_clause, w, rng), lambda ex: [ctx.text("en", ex[0])]) for _ in range(n)]


def sst2_sentence(toks) -> str:
    """GLUE SST-2 text is lower-cased and tokenised with a trailing space."""
    return " ".join(t.text for t in toks).lower() + " "


@builds("sst2")
def build_sst2(ctx: Ctx) -> Rows:
    rows: Rows = {}
    en = EnglishRenderer()
    for split, n in (("train", 2000), ("validation", 300)):
        rows[(split, "en")] = [
            {"sentence": sst2_sentence(en.clause(cl)), "label": label, "idx": i}
            for i, (cl, label) in enumerate(sst2_latent(ctx, split, ctx.n(n)))
        ]
    return rows
