"""The latent world: people, cities, organisations, object knowledge, event scripts and facts.

A `Fact` is a language-independent proposition (relation + arguments). `fact_clause` turns it into
a `Clause`, optionally transformed (negated, passive, slots dropped, hypernym, questioned slot), so
that the same fact can be rendered into every toy language and every task.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field, replace

from .grammar import NP, Clause, common, name_np, pron, wh_np, year_np
from .lexicon import (
    CITY_NAMES,
    COLOURS,
    JOBS,
    OBJECT_KINDS,
    ORG_NAMES,
    PERSON_FIRST_F,
    PERSON_FIRST_M,
    PERSON_LAST,
    VERBS,
    ObjectKind,
)


@dataclass(frozen=True)
class Person:
    name: str
    gender: str  # "f" | "m" (pronoun choice)
    city: str  # birth place
    home: str  # where the person lives now
    org: str  # employer
    birth_year: int
    job: str

    @property
    def pronoun(self) -> str:
        return "she" if self.gender == "f" else "he"


@dataclass(frozen=True)
class Org:
    name: str
    kind: str
    city: str
    founder: str
    year: int


# objects that can be bought/sold/owned in event facts (kind noun -> allowed colours)
TRADE_OBJECTS = [
    "apple",
    "banana",
    "book",
    "map",
    "car",
    "truck",
    "bicycle",
    "horse",
    "cow",
    "bed",
    "chair",
    "shirt",
    "coat",
    "guitar",
    "piano",
    "ball",
    "flower",
    "hammer",
    "phone",
    "boat",
    "lamp",
    "bottle",
    "pen",
    "towel",
]
OBJECTS_BY_NOUN = {o.noun: o for o in OBJECT_KINDS}


@dataclass(frozen=True)
class Fact:
    """rel in: born lives works job founded bought sold visited met located."""

    rel: str
    subj: str  # person or organisation name
    args: tuple = ()  # relation-specific, see fact_clause

    def key(self) -> tuple:
        return (self.rel, self.subj, self.args)


# relation -> questionable slots (slot -> answer span label)
QUESTION_SLOTS = {
    "born": ("subj", "city", "year"),
    "lives": ("subj", "city"),
    "works": ("subj", "org"),
    "job": ("subj", "job"),
    "founded": ("subj", "org", "year"),
    "bought": ("subj", "count", "obj", "city"),
    "sold": ("subj", "obj", "to"),
    "visited": ("subj", "city", "year"),
    "met": ("subj", "obj", "city"),
    "located": ("city",),
}
# relations where a subject has exactly one value (a different value contradicts)
FUNCTIONAL = {"born", "lives", "works", "job"}


HELDOUT_SHARE = 0.25  # share of people and organisations that occur only in dev/test examples


class World:
    """All entities of one seed. Attribute lookups are deterministic functions of the seed.

    People and organisations are split into a training pool and a held-out pool: training splits
    of every task draw their entities from the first, dev and test splits from the second (see
    `view`), so no dev/test example can repeat a training example or be answered from memory."""

    def __init__(self, seed: int, n_persons: int = 160):
        rng = random.Random(f"{seed}:world")
        names = [(f, "f") for f in PERSON_FIRST_F] + [(m, "m") for m in PERSON_FIRST_M]
        combos = [(f, g, last) for f, g in names for last in PERSON_LAST]
        rng.shuffle(combos)
        self.cities = list(CITY_NAMES)
        n_held = round(n_persons * HELDOUT_SHARE)
        held_orgs = set(rng.sample(range(len(ORG_NAMES)), round(len(ORG_NAMES) * HELDOUT_SHARE)))
        self.heldout_names: set[str] = set()
        self.orgs: list[Org] = []
        self.persons: list[Person] = []
        for i, (first, gender, last) in enumerate(combos[:n_persons]):
            self.persons.append(
                Person(
                    f"{first} {last}",
                    gender,
                    rng.choice(self.cities),
                    rng.choice(self.cities),
                    "",
                    rng.randint(1940, 2005),
                    rng.choice(JOBS),
                )
            )
            if i >= n_persons - n_held:
                self.heldout_names.add(self.persons[-1].name)
        held_people = [p for p in self.persons if p.name in self.heldout_names]
        train_people = [p for p in self.persons if p.name not in self.heldout_names]
        for i, (name, kind) in enumerate(ORG_NAMES):
            founders = held_people if i in held_orgs else train_people
            self.orgs.append(
                Org(name, kind, rng.choice(self.cities), rng.choice(founders).name, rng.randint(1850, 2015))
            )
            if i in held_orgs:
                self.heldout_names.add(name)
        # everyone works for an organisation of their own pool
        pools = {held: [o for o in self.orgs if (o.name in self.heldout_names) == held] for held in (False, True)}
        self.persons = [replace(p, org=rng.choice(pools[p.name in self.heldout_names]).name) for p in self.persons]
        self.person_by_name = {p.name: p for p in self.persons}
        self.org_by_name = {o.name: o for o in self.orgs}
        self.objects = OBJECT_KINDS

    def view(self, heldout: bool) -> World:
        """The same world sampling only training (heldout=False) or held-out entities; name
        lookups still know every entity."""
        v = copy.copy(self)
        v.persons = [p for p in self.persons if (p.name in self.heldout_names) == heldout]
        v.orgs = [o for o in self.orgs if (o.name in self.heldout_names) == heldout]
        return v

    # ---- sampling ----
    def person(self, rng: random.Random, exclude=()) -> Person:
        while True:
            p = rng.choice(self.persons)
            if p.name not in exclude:
                return p

    def city(self, rng: random.Random, exclude=()) -> str:
        while True:
            c = rng.choice(self.cities)
            if c not in exclude:
                return c

    def org(self, rng: random.Random, exclude=()) -> Org:
        while True:
            o = rng.choice(self.orgs)
            if o.name not in exclude:
                return o

    def random_fact(self, rng: random.Random, rel: str | None = None, subj: Person | None = None) -> Fact:
        """A fact consistent with the world (functional relations use the person's attributes)."""
        rel = rel or rng.choice(list(QUESTION_SLOTS))
        p = subj or self.person(rng)
        if rel == "born":
            return Fact("born", p.name, (p.city, p.birth_year))
        if rel == "lives":
            return Fact("lives", p.name, (p.home,))
        if rel == "works":
            return Fact("works", p.name, (p.org,))
        if rel == "job":
            return Fact("job", p.name, (p.job,))
        if rel == "founded":
            o = rng.choice(self.orgs)
            return Fact("founded", o.founder, (o.name, o.year))
        if rel == "located":
            o = rng.choice(self.orgs)
            return Fact("located", o.name, (o.city,))
        if rel == "bought":
            noun = rng.choice(TRADE_OBJECTS)
            return Fact("bought", p.name, (rng.randint(2, 9), rng.choice(COLOURS), noun, self.city(rng)))
        if rel == "sold":
            noun = rng.choice(TRADE_OBJECTS)
            return Fact("sold", p.name, (rng.choice(COLOURS), noun, self.person(rng, (p.name,)).name))
        if rel == "visited":
            return Fact("visited", p.name, (self.city(rng), rng.randint(1960, 2023)))
        if rel == "met":
            return Fact("met", p.name, (self.person(rng, (p.name,)).name, self.city(rng)))
        raise KeyError(f"unknown relation {rel!r}")

    def free_fact(self, rng: random.Random, rel: str | None = None, subj: Person | None = None) -> Fact:
        """A fact whose values are drawn afresh (not the world's attributes): tasks that must be
        answered from their input (NLI, extractive QA) state such facts, so nothing about a
        person can be memorised across examples."""
        rel = rel or rng.choice(list(QUESTION_SLOTS))
        p = subj or self.person(rng)
        if rel == "born":
            return Fact("born", p.name, (self.city(rng), rng.randint(1940, 2005)))
        if rel == "lives":
            return Fact("lives", p.name, (self.city(rng),))
        if rel == "works":
            return Fact("works", p.name, (self.org(rng).name,))
        if rel == "job":
            return Fact("job", p.name, (rng.choice(JOBS),))
        if rel == "founded":
            return Fact("founded", p.name, (self.org(rng).name, rng.randint(1850, 2015)))
        if rel == "located":
            return Fact("located", self.org(rng).name, (self.city(rng),))
        return self.random_fact(rng, rel, p)

    # ---- noun phrases ----
    def entity_np(self, name: str, span: str | None = None) -> NP:
        if name in self.person_by_name:
            return name_np(name, "PER", span)
        if name in self.org_by_name:
            return name_np(name, "ORG", span)
        return name_np(name, "LOC", span)


def fact_clause(
    world: World,
    f: Fact,
    *,
    q: str | None = None,
    neg: bool = False,
    passive: bool = False,
    omit: frozenset = frozenset(),
    hyper: bool = False,
    subj_np: NP | None = None,
    tense: str | None = None,
) -> Clause:
    """Clause for a fact. q: questioned slot (see QUESTION_SLOTS); omit: optional slots to drop;
    hyper: use the object's category noun; subj_np: override the subject (e.g. a pronoun)."""
    ent = world.entity_np
    subj = subj_np or ent(f.subj, "subj")
    if q == "subj":
        subj = wh_np("which", world.org_by_name[f.subj].kind) if f.subj in world.org_by_name else wh_np("who")
    a = f.args
    r = f.rel

    def where(city: str, label: str = "city") -> NP:
        return wh_np("where") if q == label else ent(city, label)

    if r == "born":
        city, year = a
        pps = []
        if "city" not in omit:
            pps.append(("in", where(city)))
        if "year" not in omit:
            pps.append(("in", wh_np("when") if q == "year" else year_np(year, "year")))
        return Clause(
            subj, "bear", passive=True, pps=tuple(pps), neg=neg, question=q is not None, tense=tense or "past"
        )
    if r == "lives":
        return Clause(subj, "live", pps=(("in", where(a[0])),), tense=tense or "pres", neg=neg, question=q is not None)
    if r == "works":
        org = world.org_by_name[a[0]]
        obj = wh_np("which", org.kind) if q == "org" else ent(org.name, "org")
        return Clause(subj, "work", pps=(("for", obj),), tense=tense or "pres", neg=neg, question=q is not None)
    if r == "job":
        pred = wh_np("what") if q == "job" else common(a[0], "a", span="job")
        return Clause(subj, "be", pred_np=pred, tense=tense or "pres", neg=neg, question=q is not None)
    if r == "located":
        return Clause(subj, "be", pps=(("in", where(a[0])),), tense=tense or "pres", neg=neg, question=q is not None)
    if r == "founded":
        org_name, year = a
        org = world.org_by_name[org_name]
        obj = (
            wh_np("which", org.kind)
            if q == "org"
            else (common(org.kind, "a", span="org") if hyper else ent(org_name, "org"))
        )
        pps = () if "year" in omit else (("in", wh_np("when") if q == "year" else year_np(year, "year")),)
        return _transitive(subj, "found_org", obj, pps, neg, passive, q, tense)
    if r == "bought":
        count, colour, noun, city = a
        kind = OBJECTS_BY_NOUN[noun].category if hyper else noun
        if q == "count":
            obj = wh_np("how_many", kind)
        elif q == "obj":
            obj = wh_np("what")
        else:
            obj = common(
                kind,
                "a" if "count" in omit else None,
                adjs=() if "colour" in omit else (colour,),
                count=None if "count" in omit else count,
                plural="count" not in omit,
                span="obj",
            )
        pps = () if "city" in omit else (("in", where(city)),)
        return _transitive(subj, "buy", obj, pps, neg, passive, q, tense)
    if r == "sold":
        colour, noun, buyer = a
        kind = OBJECTS_BY_NOUN[noun].category if hyper else noun
        obj = wh_np("what") if q == "obj" else common(kind, "the", () if "colour" in omit else (colour,), span="obj")
        pps = () if "to" in omit else (("to", wh_np("who") if q == "to" else ent(buyer, "to")),)
        return _transitive(subj, "sell", obj, pps, neg, passive, q, tense)
    if r == "visited":
        city, year = a
        obj = wh_np("which", "city") if q == "city" else ent(city, "city")
        pps = () if "year" in omit else (("in", wh_np("when") if q == "year" else year_np(year, "year")),)
        return _transitive(subj, "visit", obj, pps, neg, passive, q, tense)
    if r == "met":
        other, city = a
        obj = wh_np("who") if q == "obj" else ent(other, "obj")
        pps = () if "city" in omit else (("in", where(city)),)
        return _transitive(subj, "meet", obj, pps, neg, passive, q, tense)
    if r == "was_in":  # derived: anyone who bought/visited/met in a city was in that city
        return Clause(subj, "be", pps=(("in", where(a[0])),), tense=tense or "past", neg=neg, question=q is not None)
    raise KeyError(f"unknown relation {r!r} in fact {f}")


def _transitive(subj: NP, verb: str, obj: NP, pps, neg: bool, passive: bool, q, tense) -> Clause:
    pps = tuple(pps)
    if passive and obj.kind != "wh" and subj.kind != "wh":
        return Clause(
            obj, verb, passive=True, agent=subj, pps=pps, neg=neg, question=q is not None, tense=tense or "past"
        )
    return Clause(subj, verb, obj=obj, pps=pps, neg=neg, question=q is not None, tense=tense or "past")


# --------------------------------------------------------------------------------------------
# Object knowledge (commonsense) and event scripts
# --------------------------------------------------------------------------------------------


def object_clause(o: ObjectKind, prop: str, neg: bool = False) -> Clause:
    """Generic statements: 'A knife is usually in the kitchen.', 'People usually cut with a knife.'"""
    thing = common(o.noun, "a")
    if prop == "place":
        return Clause(thing, "be", pps=(("in", common(o.place, "the")),), tense="pres", adv_pre=("usually",), neg=neg)
    if prop == "colour":
        return Clause(thing, "be", pred_adjs=(o.colour,), tense="pres", adv_pre=("usually",), neg=neg)
    if prop == "category":
        return Clause(thing, "be", pred_np=common(o.category, "a"), tense="pres", neg=neg)
    if prop == "use":
        people = common("person", None, plural=True)
        if o.use_prep:
            return Clause(people, o.use_verb, pps=((o.use_prep, thing),), tense="pres", adv_pre=("usually",), neg=neg)
        return Clause(
            people, o.use_verb, obj=common(o.noun, None, plural=True), tense="pres", adv_pre=("usually",), neg=neg
        )
    raise KeyError(f"unknown object property {prop!r}")


@dataclass(frozen=True)
class Step:
    verb: str
    obj: tuple | None = None  # (noun, det, adjs) | ("CITY",) | ("FRIEND",)
    pps: tuple = ()  # ((prep, (noun, det) | ("CITY",) | ("FRIEND",)), ...)


@dataclass(frozen=True)
class Script:
    label: str  # activity label (hellaswag)
    goal: Step  # why the protagonist does it (cosmosqa)
    steps: tuple[Step, ...]
    topic: str  # noun the outcome sentence talks about


def _s(verb, obj=None, *pps):
    return Step(verb, obj, tuple(pps))


SCRIPTS = [
    Script(
        "Taking a train",
        _s("visit", ("CITY",)),
        (
            _s("buy", ("ticket", "a"), ("at", ("station", "the"))),
            _s("wait", None, ("at", ("station", "the"))),
            _s("board", ("train", "the")),
            _s("arrive", None, ("in", ("CITY",))),
        ),
        "train",
    ),
    Script(
        "Cooking dinner",
        _s("eat", ("dinner", None)),
        (
            _s("buy", ("vegetable", None, (), True), ("at", ("market", "the"))),
            _s("cut", ("vegetable", "the", (), True), ("with", ("knife", "a"))),
            _s("cook", ("vegetable", "the", (), True), ("in", ("pan", "a"))),
            _s("eat", ("dinner", "the")),
        ),
        "dinner",
    ),
    Script(
        "Planting a garden",
        _s("plant", ("flower", None, (), True)),
        (
            _s("buy", ("seed", None, (), True), ("at", ("market", "the"))),
            _s("dig", ("garden", "the")),
            _s("plant", ("seed", "the", (), True), ("in", ("garden", "the"))),
            _s("water", ("flower", "the", (), True)),
        ),
        "garden",
    ),
    Script(
        "Writing a letter",
        _s("help", ("FRIEND",)),
        (
            _s("take", ("pen", "a")),
            _s("write", ("letter", "a")),
            _s("put", ("letter", "the"), ("in", ("envelope", "an"))),
            _s("send", ("letter", "the"), ("to", ("FRIEND",))),
        ),
        "letter",
    ),
    Script(
        "Washing a car",
        _s("clean", ("car", "the")),
        (
            _s("fill", ("bucket", "a"), ("with", ("water_n", None))),
            _s("clean", ("car", "the"), ("with", ("soap", None))),
            _s("dry", ("car", "the"), ("with", ("towel", "a"))),
            _s("drive", ("car", "the"), ("to", ("CITY",))),
        ),
        "car",
    ),
    Script(
        "Going to a concert",
        _s("enjoy", ("music", "the")),
        (
            _s("buy", ("ticket", None, (), True), ("for", ("concert", "the"))),
            _s("meet", ("FRIEND",), ("at", ("hall", "the"))),
            _s("listen", None, ("to", ("music", "the"))),
            _s("return", ("home", None)),
        ),
        "concert",
    ),
    Script(
        "Fixing a bicycle",
        _s("ride", ("bicycle", "the")),
        (
            _s("find", ("bicycle", "the", ("broken",)), ("in", ("garage", "the"))),
            _s("take", ("hammer", "a")),
            _s("fix", ("bicycle", "the"), ("with", ("hammer", "the"))),
            _s("ride", ("bicycle", "the"), ("to", ("park", "the"))),
        ),
        "bicycle",
    ),
    Script(
        "Visiting a doctor",
        _s("see", ("doctor", "a")),
        (
            _s("call", ("hospital", "the")),
            _s("wait", None, ("at", ("hospital", "the"))),
            _s("see", ("doctor", "the")),
            _s("take", ("medicine", "the")),
        ),
        "doctor",
    ),
    Script(
        "Reading a book",
        _s("read", ("book", "a")),
        (
            _s("go", None, ("to", ("library", "the"))),
            _s("find", ("book", "a", ("old",))),
            _s("read", ("book", "the"), ("in", ("park", "the"))),
            _s("return", ("book", "the"), ("to", ("library", "the"))),
        ),
        "book",
    ),
    Script(
        "Buying clothes",
        _s("wear", ("coat", "a", ("new",))),
        (
            _s("go", None, ("to", ("shop", "the"))),
            _s("find", ("coat", "a", ("brown",))),
            _s("pay", None, ("for", ("coat", "the"))),
            _s("wear", ("coat", "the"), ("to", ("school", None))),
        ),
        "coat",
    ),
    Script(
        "Playing music",
        _s("sing", ("song", "a")),
        (
            _s("take", ("guitar", "the")),
            _s("play", ("guitar", "the")),
            _s("sing", ("song", "a")),
            _s("clean", ("guitar", "the")),
        ),
        "song",
    ),
    Script(
        "Baking bread",
        _s("eat", ("bread", "fresh")),
        (
            _s("buy", ("flour", None), ("at", ("market", "the"))),
            _s("bake", ("bread", None), ("in", ("oven", "the"))),
            _s("cut", ("bread", "the"), ("with", ("knife", "a"))),
            _s("eat", ("bread", "the")),
        ),
        "bread",
    ),
    Script(
        "Taking a boat trip",
        _s("visit", ("CITY",)),
        (
            _s("buy", ("ticket", "a"), ("at", ("harbor", "the"))),
            _s("board", ("boat", "the")),
            _s("sail", None, ("to", ("CITY",))),
            _s("leave", ("boat", "the")),
        ),
        "trip",
    ),
    Script(
        "Moving house",
        _s("live", None, ("in", ("CITY",))),
        (
            _s("pack", ("box", None, (), True)),
            _s("carry", ("box", "the", (), True), ("to", ("truck", "the"))),
            _s("drive", ("truck", "the"), ("to", ("CITY",))),
            _s("open", ("box", "the", (), True)),
        ),
        "truck",
    ),
    Script(
        "Feeding animals",
        _s("help", ("farmer", "the")),
        (
            _s("go", None, ("to", ("farm", "the"))),
            _s("take", ("hay", "the")),
            _s("feed", ("cow", "the", (), True)),
            _s("clean", ("farm", "the")),
        ),
        "farm",
    ),
    Script(
        "Watching a movie",
        _s("watch", ("movie", "a")),
        (
            _s("buy", ("ticket", None, (), True), ("at", ("theater", "the"))),
            _s("meet", ("FRIEND",), ("at", ("theater", "the"))),
            _s("watch", ("movie", "the")),
            _s("return", ("home", None)),
        ),
        "movie",
    ),
]


def _step_np(world: World, spec: tuple, city: str, friend: str) -> NP:
    if spec[0] == "CITY":
        return world.entity_np(city)
    if spec[0] == "FRIEND":
        return world.entity_np(friend)
    noun, det = spec[0], spec[1]
    adjs = spec[2] if len(spec) > 2 else ()
    plural = spec[3] if len(spec) > 3 else False
    if det == "fresh":  # "fresh bread"
        return common(noun, None, ("fresh",))
    if det == "an":
        det = "a"
    return common(noun, det, adjs, plural=plural)


def step_clause(world: World, step: Step, subj: NP | None, city: str, friend: str, tense: str = "past", **kw) -> Clause:
    obj = _step_np(world, step.obj, city, friend) if step.obj else None
    pps = tuple((prep, _step_np(world, spec, city, friend)) for prep, spec in step.pps)
    return Clause(subj, step.verb, obj=obj, pps=pps, tense=tense, **kw)


@dataclass
class Episode:
    """One protagonist running through a script."""

    script: Script
    person: Person
    city: str
    friend: str
    extras: dict = field(default_factory=dict)

    def clause(self, world: World, i: int, use_name: bool | None = None, **kw) -> Clause:
        first = i == 0 if use_name is None else use_name
        subj = world.entity_np(self.person.name) if first else pron(self.person.pronoun)
        return step_clause(world, self.script.steps[i], subj, self.city, self.friend, **kw)


def episode(world: World, rng: random.Random, script: Script | None = None) -> Episode:
    p = world.person(rng)
    return Episode(script or rng.choice(SCRIPTS), p, world.city(rng, (p.home,)), world.person(rng, (p.name,)).name)


def verb_is_transitive(verb: str) -> bool:
    return VERBS[verb][4] in ("trans", "dat")
