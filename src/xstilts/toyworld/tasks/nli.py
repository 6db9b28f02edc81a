"""Toy MNLI, ANLI and XNLI: premise-hypothesis pairs about the world's facts.

Grouped because the three share one sampler (`nli_example`); they differ only in columns, in
ANLI's distractor facts and in XNLI's parallel rendering into every toy language.
"""

from __future__ import annotations

import random

from ..languages import TOY_TASK_LANGUAGES
from ..sentences import TRANSITIVE_RELS
from ..world import Fact, World, fact_clause
from .common import Ctx, Rows, builds, hexid
from .facts import FUNCTIONAL_SLOTS, changed

NLI_LABELS = ["entailment", "neutral", "contradiction"]
OPTIONAL_SLOTS = {
    "born": ("city", "year"),
    "bought": ("count", "colour", "city"),
    "sold": ("colour", "to"),
    "visited": ("year",),
    "met": ("city",),
    "founded": ("year",),
}
NLI_RELS = ("born", "lives", "works", "job", "founded", "bought", "sold", "visited", "met")
# slots of events that can happen more than once: another value is another event (neutral)
EVENT_SLOTS = {
    "bought": ("count", "colour", "obj", "city"),
    "sold": ("colour", "obj", "to"),
    "visited": ("city", "year"),
    "met": ("obj", "city"),
    "founded": ("org",),
}
# the same kinds of premise-hypothesis relations give each label (see nli_example)
NLI_RELATIONS = {
    (False, 0): ("restate",),
    (True, 0): ("negate_weaker", "functional_change"),
    (False, 2): ("negate_weaker", "functional_change"),
    (True, 2): ("restate",),
    (False, 1): (
        "weaker",
        "stronger_negated",
        "event_change",
        "negated_functional_change",
        "other_subject",
        "other_relation",
    ),
    (True, 1): (
        "weaker",
        "stronger_negated",
        "event_change",
        "negated_functional_change",
        "other_subject",
        "other_relation",
    ),
}
ANLI_DISTRACTORS = (1, 3)  # facts about other people in an ANLI premise
ANLI_SAME_RELATION = 0.4  # share of them with the hypothesis' relation
NLI_REASONS = {
    0: "The hypothesis follows from the statement about {}.",
    1: "The premise does not say whether this is true of {}.",
    2: "The hypothesis conflicts with what the premise states about {}.",
}


def _fix_omit(rel: str, omit: frozenset) -> frozenset:
    """'X was born.' says nothing: keep the year when both born slots would be dropped."""
    if rel == "born" and {"city", "year"} <= omit:
        return omit - {"year"}
    return omit


def _stronger_omit(rng, h_omit: frozenset, strict: bool) -> frozenset | None:
    """Omitted slots of a premise that states at least what the hypothesis states (strictly more)."""
    if strict and not h_omit:
        return None
    kept = frozenset(s for s in sorted(h_omit) if rng.random() < 0.5)  # sorted: set order varies by hash seed
    if strict and kept == h_omit:
        kept = h_omit - {rng.choice(sorted(h_omit))}
    return kept


def _droppable(rel: str, h_omit: frozenset) -> tuple[list[str], int]:
    """Slots a weaker statement may still drop, and how many of them at most."""
    droppable = [s for s in OPTIONAL_SLOTS.get(rel, ()) if s not in h_omit]
    return droppable, len(droppable) - (1 if rel == "born" and droppable else 0)  # born keeps one slot


def _weaker_omit(rng, rel: str, h_omit: frozenset, strict: bool) -> frozenset | None:
    """Omitted slots of a premise that states at most what the hypothesis states (strictly less)."""
    droppable, most = _droppable(rel, h_omit)
    if most <= 0:
        return None if strict else h_omit
    k = rng.randint(1 if strict else 0, most)
    return h_omit | frozenset(rng.sample(droppable, k))


def nli_example(w: World, rng: random.Random, hard: bool):
    """Returns (premise clauses, hypothesis clause, label id, reason).

    The hypothesis (a fact with fresh values, maybe negated, passive or with slots dropped) is
    drawn first and independently of the label; the label then picks how the premise relates to
    it: restating it (with at least its slots), negating a weaker statement, changing a
    functional slot (one birth place) or an event slot (several visits), stating less, or
    speaking of someone or something else. A hypothesis alone therefore says nothing about the
    label. hard: the premise adds 1-3 facts about other people, some with the hypothesis' values."""
    rel = rng.choice(NLI_RELS)
    h = w.free_fact(rng, rel)
    opt = OPTIONAL_SLOTS.get(rel, ())
    h_omit = _fix_omit(rel, frozenset(s for s in opt if rng.random() < 0.3))
    h_neg = rng.random() < 1 / 3
    voice = lambda: rel in TRANSITIVE_RELS and rng.random() < 0.25  # noqa: E731
    hyp = fact_clause(w, h, neg=h_neg, omit=h_omit, passive=voice())
    label = rng.randrange(3)
    functional = [s for s in FUNCTIONAL_SLOTS.get(rel, ()) if s not in h_omit]
    event = [s for s in EVENT_SLOTS.get(rel, ()) if s not in h_omit]
    feasible = {
        "restate": True,
        "negate_weaker": True,
        "other_relation": True,
        "functional_change": bool(functional),
        "negated_functional_change": bool(functional),
        "event_change": bool(event),
        "other_subject": rel != "founded",  # an org has one founder
        "weaker": _droppable(rel, h_omit)[1] > 0,
        "stronger_negated": bool(h_omit),
    }
    kind = rng.choice([k for k in NLI_RELATIONS[(h_neg, label)] if feasible[k]])
    coin = lambda: rng.random() < 0.5  # noqa: E731
    if kind == "restate":
        focus, p_neg, p_omit = h, False, _stronger_omit(rng, h_omit, False)
    elif kind == "negate_weaker":
        focus, p_neg, p_omit = h, True, _weaker_omit(rng, rel, h_omit, False)
    elif kind == "weaker":
        focus, p_neg, p_omit = h, False, _weaker_omit(rng, rel, h_omit, True)
    elif kind == "stronger_negated":
        focus, p_neg, p_omit = h, True, _stronger_omit(rng, h_omit, True)
    elif kind in ("functional_change", "negated_functional_change", "event_change"):
        focus = changed(w, rng, h, rng.choice(event if kind == "event_change" else functional))
        p_neg = kind == "negated_functional_change" or (kind == "event_change" and coin())
        p_omit = _stronger_omit(rng, h_omit, False)
    elif kind == "other_subject":
        focus = Fact(rel, w.person(rng, (h.subj,) + h.args).name, h.args)
        p_neg, p_omit = coin(), _weaker_omit(rng, rel, h_omit, False)
    else:  # other_relation
        focus = w.free_fact(rng, rng.choice([r for r in NLI_RELS if r != rel]), w.person_by_name[h.subj])
        p_neg, p_omit = (
            coin(),
            _fix_omit(focus.rel, frozenset(s for s in OPTIONAL_SLOTS.get(focus.rel, ()) if rng.random() < 0.3)),
        )
    facts = [(focus, p_neg, p_omit)]
    if hard:  # distractors about other people, often with the hypothesis' relation and values
        taken = {h.subj, focus.subj, *h.args}
        for _ in range(rng.randint(ANLI_DISTRACTORS[0], ANLI_DISTRACTORS[1])):
            other = w.person(rng, taken)
            taken.add(other.name)
            if rng.random() < ANLI_SAME_RELATION:
                f = Fact(rel, other.name, h.args) if rel != "founded" and coin() else w.free_fact(rng, rel, other)
            else:
                f = w.free_fact(rng, rng.choice(NLI_RELS), other)
            facts.append((f, rng.random() < 0.15, frozenset()))
        rng.shuffle(facts)
    premise = [
        fact_clause(w, f, neg=neg, omit=omit, passive=voice() if f.rel == rel else False) for f, neg, omit in facts
    ]
    return premise, hyp, label, NLI_REASONS[label].format(h.subj)


def _nli_rows(ctx: Ctx, task: str, split: str, n: int, hard: bool) -> list[tuple]:
    rng, w = ctx.rng(task, split), ctx.world_for(split)
    texts = lambda ex: [ctx.text("en", c) for c in ex[0]] + [ctx.text("en", ex[1])]  # noqa: E731
    return [ctx.draw(split, lambda: nli_example(w, rng, hard), texts) for _ in range(ctx.n(n))]


@builds("mnli")
def build_mnli(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rows[(split, "en")] = [
            {
                "premise": " ".join(ctx.text("en", c) for c in prem),
                "hypothesis": ctx.text("en", hyp),
                "label": label,
                "idx": i,
            }
            for i, (prem, hyp, label, _) in enumerate(_nli_rows(ctx, "mnli", split, n, False))
        ]
    return rows


@builds("anli")
def build_anli(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rows[(split, "en")] = [
            {
                "uid": hexid(ctx.seed, "anli", split, i, n=32),
                "premise": " ".join(ctx.text("en", c) for c in prem),
                "hypothesis": ctx.text("en", hyp),
                "label": label,
                "reason": reason,
            }
            for i, (prem, hyp, label, reason) in enumerate(_nli_rows(ctx, "anli", split, n, True))
        ]
    return rows


@builds("xnli")
def build_xnli(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, langs in (("validation", ["en"]), ("test", TOY_TASK_LANGUAGES["xnli"])):
        latent = _nli_rows(ctx, "xnli", split, 300, False)
        for lang in langs:
            rows[(split, lang)] = [
                {
                    "language": lang,
                    "sentence1": " ".join(ctx.text(lang, c) for c in prem),
                    "sentence2": ctx.text(lang, hyp),
                    "gold_label": NLI_LABELS[label],
                }
                for prem, hyp, label, _ in latent
            ]
    return rows
