"""Slot tables and fact edits shared by several task families: NLI changes a slot to build a
contradiction or another event, QQP to ask a question that only looks like a duplicate, and QA
uses the functional slots to keep a context free of conflicting statements."""

from __future__ import annotations

from ..lexicon import COLOURS, JOBS
from ..world import TRADE_OBJECTS, Fact, World

# argument index of each slot
SLOT_INDEX = {
    "born": {"city": 0, "year": 1},
    "lives": {"city": 0},
    "works": {"org": 0},
    "job": {"job": 0},
    "bought": {"count": 0, "colour": 1, "obj": 2, "city": 3},
    "founded": {"org": 0, "year": 1},
    "sold": {"colour": 0, "obj": 1, "to": 2},
    "visited": {"city": 0, "year": 1},
    "met": {"obj": 0, "city": 1},
    "located": {"city": 0},
}
# slots with one value per subject: another value contradicts ("born in A" vs "born in B")
FUNCTIONAL_SLOTS = {
    "born": ("city", "year"),
    "lives": ("city",),
    "works": ("org",),
    "job": ("job",),
    "founded": ("year",),
    "located": ("city",),
}


def _new_value(w: World, rng, f: Fact, slot: str, old):
    if slot == "city":
        return w.city(rng, (old,))
    if slot == "org":
        return w.org(rng, (old,)).name
    if slot == "job":
        return rng.choice([j for j in JOBS if j != old])
    if slot == "colour":
        return rng.choice([c for c in COLOURS if c != old])
    if slot == "count":
        return rng.choice([c for c in range(2, 10) if c != old])
    if slot == "year":
        return old + rng.choice((-20, -7, -3, 2, 5, 11))
    if slot == "obj" and f.rel in ("bought", "sold"):
        return rng.choice([o for o in TRADE_OBJECTS if o != old])
    if slot in ("obj", "to"):
        return w.person(rng, (old, f.subj)).name
    raise KeyError(f"no value generator for slot {slot!r} of relation {f.rel!r}")


def changed(w: World, rng, f: Fact, slot: str) -> Fact:
    """f with a new value in `slot`."""
    i = SLOT_INDEX[f.rel][slot]
    args = list(f.args)
    args[i] = _new_value(w, rng, f, slot, f.args[i])
    return Fact(f.rel, f.subj, tuple(args))


def other_value(w: World, rng, f: Fact):
    """(fact, slot): f with one functional slot changed, or None (QQP's 'changed value')."""
    slots = FUNCTIONAL_SLOTS.get(f.rel, ())
    if not slots:
        return None
    slot = rng.choice(slots)
    return changed(w, rng, f, slot), slot
