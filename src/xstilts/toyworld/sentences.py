"""Samplers for individual sentences (shared by the corpus, tagging, retrieval and SST tasks)."""

from __future__ import annotations

import random

from .grammar import Clause, common, pron
from .lexicon import AGES, NEGATIVE_ADJ, POSITIVE_ADJ, SIZES
from .world import OBJECT_KINDS, QUESTION_SLOTS, World, episode, fact_clause, object_clause

TRANSITIVE_RELS = ("founded", "bought", "sold", "visited", "met")
REVIEW_NOUNS = [
    "movie",
    "film",
    "hotel",
    "restaurant",
    "meal",
    "concert",
    "show",
    "trip",
    "song",
    "story",
    "game",
    "food",
    "service",
    "book",
    "room",
    "music",
]
POSITIVE_VERBS = ["love", "enjoy", "like", "praise"]
NEGATIVE_VERBS = ["hate", "dislike"]


def fact_sentence(world: World, rng: random.Random, rel: str | None = None, allow_neg: bool = True) -> Clause:
    f = world.random_fact(rng, rel)
    neg = allow_neg and rng.random() < 0.1
    passive = f.rel in TRANSITIVE_RELS and rng.random() < 0.2
    subj = None
    if f.subj in world.person_by_name and rng.random() < 0.1:
        subj = pron(world.person_by_name[f.subj].pronoun)
    return fact_clause(world, f, neg=neg, passive=passive, subj_np=subj)


def question_sentence(world: World, rng: random.Random) -> Clause:
    f = world.random_fact(rng)
    return fact_clause(world, f, q=rng.choice(QUESTION_SLOTS[f.rel]))


def object_sentence(rng: random.Random) -> Clause:
    return object_clause(rng.choice(OBJECT_KINDS), rng.choice(("place", "colour", "use", "category")))


def script_sentence(world: World, rng: random.Random) -> Clause:
    ep = episode(world, rng)
    i = rng.randrange(len(ep.script.steps))
    front = ("adv", "then") if i and rng.random() < 0.3 else None
    return ep.clause(world, i, use_name=rng.random() < 0.6, front=front)


def sentiment_clause(world: World, rng: random.Random) -> tuple[Clause, int]:
    """A review-like sentence and its polarity (1 positive). Negation ('not', 'never') flips the
    polarity of the sentiment words; 'because' clauses agree with the overall polarity."""
    surface = rng.random() < 0.5
    adjs_pool = POSITIVE_ADJ if surface else NEGATIVE_ADJ
    noun = rng.choice(REVIEW_NOUNS)
    pattern = rng.choice(("cop", "cop", "verb", "never", "because"))
    neg = pattern != "never" and rng.random() < 0.3
    label = int(surface != neg) if pattern != "never" else int(not surface)
    neutral_adj = (rng.choice(SIZES + AGES),) if rng.random() < 0.3 else ()
    pps = (("in", world.entity_np(world.city(rng))),) if rng.random() < 0.3 else ()
    if pattern == "cop":
        adjs = tuple(rng.sample(adjs_pool, rng.choice((1, 1, 2))))
        subj = common(noun, "the", neutral_adj)
        return Clause(
            subj, "be", pred_adjs=adjs, neg=neg, very=rng.random() < 0.3, tense=rng.choice(("past", "pres"))
        ), label
    subj = world.entity_np(world.person(rng).name) if rng.random() < 0.6 else common("person", None, plural=True)
    verb = rng.choice(POSITIVE_VERBS if surface else NEGATIVE_VERBS)
    obj_adjs = neutral_adj + ((rng.choice(adjs_pool),) if rng.random() < 0.5 else ())
    obj = common(noun, "the", obj_adjs)
    if pattern == "never":
        return Clause(subj, verb, obj=obj, pps=pps, adv_pre=("never",)), label
    sub = None
    if pattern == "because":
        sub_noun = rng.choice([n for n in REVIEW_NOUNS if n != noun] + ["staff"])
        sub_adj = rng.choice(POSITIVE_ADJ if label else NEGATIVE_ADJ)
        sub = ("because", Clause(common(sub_noun, "the"), "be", pred_adjs=(sub_adj,), tense="past"))
    return Clause(subj, verb, obj=obj, pps=pps, neg=neg, sub=sub), label


def random_sentence(
    world: World, rng: random.Random, declarative_only: bool = False, entity_heavy: bool = False
) -> Clause:
    """A sentence from the mixture used for the corpus and the tagging tasks."""
    r = rng.random()
    if entity_heavy:
        return fact_sentence(world, rng) if r < 0.85 else script_sentence(world, rng)
    if r < 0.45:
        return fact_sentence(world, rng)
    if r < 0.6:
        return object_sentence(rng)
    if r < 0.75:
        return script_sentence(world, rng)
    if r < 0.9 or declarative_only:
        return sentiment_clause(world, rng)[0]
    return question_sentence(world, rng)


__all__ = [
    "fact_sentence",
    "question_sentence",
    "object_sentence",
    "script_sentence",
    "sentiment_clause",
    "random_sentence",
    "TRANSITIVE_RELS",
    "REVIEW_NOUNS",
]
