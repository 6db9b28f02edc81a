"""Builders for the toy versions of all 18 tasks, with the columns and label sets of the real data.

Every builder samples *latent* examples (facts, clauses, labels) once and renders them into each
language it covers, so multilingual test sets are parallel, like XNLI/XQuAD/PAWS-X.

Held-out data: training splits draw people and organisations from the world's training pool, dev
and test splits from its held-out pool (`Ctx.world_for`). Sentences that name nobody ("She boarded
the train.", "A knife is usually in the kitchen.") are split by a hash of their text: one in
`RESERVED_ONE_IN` is reserved for dev/test (`Ctx.novel`). So no English dev/test input occurs in
any training split of any task, and no QA test question can be answered from training.
"""
from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field, replace

from .grammar import (Clause, EnglishRenderer, NP, Renderers, Tok, capitalize, common, detokenize,
                      pron, year_np)
from .languages import TOY_TASK_LANGUAGES, TYDIQA_ID_PREFIX
from .lexicon import COLOURS, FEELINGS_NEG, FEELINGS_POS, JOBS, NEGATIVE_ADJ, NOUNS, POSITIVE_ADJ
from .sentences import TRANSITIVE_RELS, random_sentence, sentiment_clause
from .world import (OBJECT_KINDS, QUESTION_SLOTS, SCRIPTS, TRADE_OBJECTS, Fact, World, episode,
                    fact_clause, step_clause)

NLI_LABELS = ["entailment", "neutral", "contradiction"]
OPTIONAL_SLOTS = {"born": ("city", "year"), "bought": ("count", "colour", "city"),
                  "sold": ("colour", "to"), "visited": ("year",), "met": ("city",),
                  "founded": ("year",)}
ANSWER_SPAN = {"subj": "subj", "city": "city", "year": "year", "org": "org", "job": "job",
               "count": "obj", "obj": "obj", "to": "to"}
RESERVED_ONE_IN = 8      # share of name-less sentences kept for dev/test
MAX_DRAWS = 10_000
_NORM_WORD = re.compile(r"\w+|[^\w\s]")


def hexid(*parts, n: int = 24) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:n]


def normalise(text: str) -> str:
    """The form in which two inputs count as the same text (case and spacing ignored, so the
    lower-cased, tokenised SST-2 text matches its cased rendering)."""
    return " ".join(_NORM_WORD.findall(text.lower()))


@dataclass
class Ctx:
    world: World
    R: Renderers
    seed: int
    scale: float
    _views: dict = field(init=False, repr=False)
    _names: re.Pattern = field(init=False, repr=False)

    def __post_init__(self):
        self._views = {held: self.world.view(held) for held in (False, True)}
        names = sorted(set(self.world.person_by_name) | set(self.world.org_by_name), key=len, reverse=True)
        self._names = re.compile("|".join(map(re.escape, names)))

    def n(self, base: int) -> int:
        return max(1, round(base * self.scale))

    def rng(self, *parts) -> random.Random:
        return random.Random(":".join(map(str, (self.seed,) + parts)))

    def world_for(self, split: str) -> World:
        """Training entities for train splits, held-out entities for every other split."""
        return self._views[split != "train"]

    def reserved(self, key: str) -> bool:
        """Whether a name-less sentence (or a fact key) belongs to dev/test."""
        return int(hexid(self.seed, "reserved", key, n=8), 16) % RESERVED_ONE_IN == 0

    def novel(self, split: str, texts) -> bool:
        """Train: no name-less sentence of the input is reserved. Dev/test: some sentence names
        a held-out entity or is a reserved name-less sentence - so the input can occur in no
        training split."""
        held = self.world.heldout_names
        if split == "train":
            return not any(not self._names.search(t) and self.reserved(normalise(t)) for t in texts)
        for t in texts:
            names = self._names.findall(t)
            if any(n in held for n in names) or (not names and self.reserved(normalise(t))):
                return True
        return False

    def draw(self, split: str, make, texts):
        """make() until texts(example) is novel for this split (see `novel`)."""
        for _ in range(MAX_DRAWS):
            ex = make()
            if self.novel(split, texts(ex)):
                return ex
        raise RuntimeError(f"no novel {split} example in {MAX_DRAWS} draws of {make}")

    def text(self, lang: str, cl: Clause) -> str:
        return detokenize(self.R.render(lang, cl))[0]

    def en_vp(self, cl: Clause) -> str:
        """English base-form verb phrase ('board the train') of a clause."""
        return detokenize(EnglishRenderer().clause(replace(cl, subj=None, tense="base", front=None),
                                                   final_punct=False))[0]


Rows = dict[tuple[str, str], list[dict]]   # (split, lang) -> rows


# --------------------------------------------------------------------------------------------
# NLI: mnli / xnli / anli
# --------------------------------------------------------------------------------------------

# argument index of each slot
SLOT_INDEX = {"born": {"city": 0, "year": 1}, "lives": {"city": 0}, "works": {"org": 0},
              "job": {"job": 0}, "bought": {"count": 0, "colour": 1, "obj": 2, "city": 3},
              "founded": {"org": 0, "year": 1}, "sold": {"colour": 0, "obj": 1, "to": 2},
              "visited": {"city": 0, "year": 1}, "met": {"obj": 0, "city": 1}, "located": {"city": 0}}
NLI_RELS = ("born", "lives", "works", "job", "founded", "bought", "sold", "visited", "met")
# slots with one value per subject: another value contradicts ("born in A" vs "born in B")
FUNCTIONAL_SLOTS = {"born": ("city", "year"), "lives": ("city",), "works": ("org",), "job": ("job",),
                    "founded": ("year",), "located": ("city",)}
# slots of events that can happen more than once: another value is another event (neutral)
EVENT_SLOTS = {"bought": ("count", "colour", "obj", "city"), "sold": ("colour", "obj", "to"),
               "visited": ("city", "year"), "met": ("obj", "city"), "founded": ("org",)}
# the same kinds of premise-hypothesis relations give each label (see nli_example)
NLI_RELATIONS = {
    (False, 0): ("restate",), (True, 0): ("negate_weaker", "functional_change"),
    (False, 2): ("negate_weaker", "functional_change"), (True, 2): ("restate",),
    (False, 1): ("weaker", "stronger_negated", "event_change", "negated_functional_change",
                 "other_subject", "other_relation"),
    (True, 1): ("weaker", "stronger_negated", "event_change", "negated_functional_change",
                "other_subject", "other_relation"),
}
ANLI_DISTRACTORS = (1, 3)   # facts about other people in an ANLI premise
ANLI_SAME_RELATION = 0.4    # share of them with the hypothesis' relation
NLI_REASONS = {0: "The hypothesis follows from the statement about {}.",
               1: "The premise does not say whether this is true of {}.",
               2: "The hypothesis conflicts with what the premise states about {}."}


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


def _changed(w: World, rng, f: Fact, slot: str) -> Fact:
    i = SLOT_INDEX[f.rel][slot]
    args = list(f.args)
    args[i] = _new_value(w, rng, f, slot, f.args[i])
    return Fact(f.rel, f.subj, tuple(args))


def _other_value(w: World, rng, f: Fact):
    """(fact, slot): f with one functional slot changed, or None (QQP's 'changed value')."""
    slots = FUNCTIONAL_SLOTS.get(f.rel, ())
    if not slots:
        return None
    slot = rng.choice(slots)
    return _changed(w, rng, f, slot), slot


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
    feasible = {"restate": True, "negate_weaker": True, "other_relation": True,
                "functional_change": bool(functional), "negated_functional_change": bool(functional),
                "event_change": bool(event), "other_subject": rel != "founded",  # an org has one founder
                "weaker": _droppable(rel, h_omit)[1] > 0,
                "stronger_negated": bool(h_omit)}
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
        focus = _changed(w, rng, h, rng.choice(event if kind == "event_change" else functional))
        p_neg = kind == "negated_functional_change" or (kind == "event_change" and coin())
        p_omit = _stronger_omit(rng, h_omit, False)
    elif kind == "other_subject":
        focus = Fact(rel, w.person(rng, (h.subj,) + h.args).name, h.args)
        p_neg, p_omit = coin(), _weaker_omit(rng, rel, h_omit, False)
    else:  # other_relation
        focus = w.free_fact(rng, rng.choice([r for r in NLI_RELS if r != rel]), w.person_by_name[h.subj])
        p_neg, p_omit = coin(), _fix_omit(focus.rel, frozenset(
            s for s in OPTIONAL_SLOTS.get(focus.rel, ()) if rng.random() < 0.3))
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
    premise = [fact_clause(w, f, neg=neg, omit=omit, passive=voice() if f.rel == rel else False)
               for f, neg, omit in facts]
    return premise, hyp, label, NLI_REASONS[label].format(h.subj)


def _nli_rows(ctx: Ctx, task: str, split: str, n: int, hard: bool) -> list[tuple]:
    rng, w = ctx.rng(task, split), ctx.world_for(split)
    texts = lambda ex: [ctx.text("en", c) for c in ex[0]] + [ctx.text("en", ex[1])]  # noqa: E731
    return [ctx.draw(split, lambda: nli_example(w, rng, hard), texts) for _ in range(ctx.n(n))]


def build_mnli(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rows[(split, "en")] = [{"premise": " ".join(ctx.text("en", c) for c in prem),
                                "hypothesis": ctx.text("en", hyp), "label": label, "idx": i}
                               for i, (prem, hyp, label, _) in enumerate(_nli_rows(ctx, "mnli", split, n, False))]
    return rows


def build_anli(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rows[(split, "en")] = [{"uid": hexid(ctx.seed, "anli", split, i, n=32),
                                "premise": " ".join(ctx.text("en", c) for c in prem),
                                "hypothesis": ctx.text("en", hyp), "label": label, "reason": reason}
                               for i, (prem, hyp, label, reason) in enumerate(_nli_rows(ctx, "anli", split, n, True))]
    return rows


def build_xnli(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, langs in (("validation", ["en"]), ("test", TOY_TASK_LANGUAGES["xnli"])):
        latent = _nli_rows(ctx, "xnli", split, 300, False)
        for lang in langs:
            rows[(split, lang)] = [{
                "language": lang, "sentence1": " ".join(ctx.text(lang, c) for c in prem),
                "sentence2": ctx.text(lang, hyp), "gold_label": NLI_LABELS[label]}
                for prem, hyp, label, _ in latent]
    return rows


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
        s2 = (Clause(NP("coord", parts=(B, A)), verb, obj=C, pps=pps) if same else
              Clause(NP("coord", parts=(B, C) if reorder else (C, B)), verb, obj=A, pps=pps))
    else:  # "a red car and a blue boat" / "a blue boat and a red car" / "a red boat and a blue car"
        n1, n2 = rng.sample(PAWS_NOUNS, 2)
        k1, k2 = rng.sample(COLOURS, 2)
        pps = (when,) if rng.random() < 0.5 else ()
        o1 = NP("coord", parts=(common(n1, "a", (k1,)), common(n2, "a", (k2,))))
        o2 = NP("coord", parts=(common(n2, "a", (k2,)), common(n1, "a", (k1,))) if same else
                (common(n2, "a", (k1,)), common(n1, "a", (k2,))) if reorder else
                (common(n1, "a", (k2,)), common(n2, "a", (k1,))))
        s1, s2 = Clause(A, "buy", obj=o1, pps=pps), Clause(A, "buy", obj=o2, pps=pps)
    if rng.random() < 0.5:
        s1, s2 = s2, s1
    return s1, s2, label


def build_pawsx(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n, langs in (("train", 2000, ["en"]), ("validation", 300, ["en"]),
                            ("test", 300, TOY_TASK_LANGUAGES["pawsx"])):
        rng, w = ctx.rng("pawsx", split), ctx.world_for(split)
        latent = [ctx.draw(split, lambda: paws_example(w, rng), lambda ex: [ctx.text("en", ex[0]), ctx.text("en", ex[1])])
                  for _ in range(ctx.n(n))]
        for lang in langs:
            rows[(split, lang)] = [{"sentence1": ctx.text(lang, s1), "sentence2": ctx.text(lang, s2),
                                    "label": str(label)} for s1, s2, label in latent]
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
            out.append(Clause(base.obj, base.verb, passive=True, agent=NP("wh", wh="who"), pps=base.pps,
                              question=True))
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


def build_qqp(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng, w = ctx.rng("qqp", split), ctx.world_for(split)
        out = []
        while len(out) < ctx.n(n):
            f = w.random_fact(rng)
            slot = rng.choice(QUESTION_SLOTS[f.rel])
            variants = _question_variants(ctx, f, slot)
            q1 = rng.choice(variants)
            t1 = ctx.text("en", q1)
            label = int(rng.random() < 0.4)
            if label:
                others = [v for v in variants if ctx.text("en", v) != t1]
                if not others:
                    continue
                t2 = ctx.text("en", rng.choice(others))
            else:
                kind = rng.random()
                if kind < 0.45 and f.subj in w.person_by_name:  # same question about someone else
                    g = Fact(f.rel, w.person(rng, (f.subj,)).name, f.args)
                    t2 = ctx.text("en", rng.choice(_question_variants(ctx, g, slot)))
                elif kind < 0.75 and len(QUESTION_SLOTS[f.rel]) > 1:  # another slot of the same fact
                    s2 = rng.choice([s for s in QUESTION_SLOTS[f.rel] if s != slot])
                    t2 = ctx.text("en", rng.choice(_question_variants(ctx, f, s2)))
                else:  # a changed value
                    changed = _other_value(w, rng, f)
                    g = changed[0] if changed else w.random_fact(rng, f.rel)
                    t2 = ctx.text("en", rng.choice(_question_variants(ctx, g, slot)))
                if t2 == t1:
                    continue
            if not ctx.novel(split, (t1, t2)):
                continue
            if rng.random() < 0.5:
                t1, t2 = t2, t1
            out.append({"question1": t1, "question2": t2, "label": label, "idx": len(out)})
        rows[(split, "en")] = out
    return rows


# --------------------------------------------------------------------------------------------
# SST-2
# --------------------------------------------------------------------------------------------

def build_sst2(ctx: Ctx) -> Rows:
    rows: Rows = {}
    en = EnglishRenderer()
    for split, n in (("train", 2000), ("validation", 300)):
        rng, w = ctx.rng("sst2", split), ctx.world_for(split)
        out = []
        for i in range(ctx.n(n)):
            cl, label = ctx.draw(split, lambda: sentiment_clause(w, rng), lambda ex: [ctx.text("en", ex[0])])
            # GLUE SST-2 text is lower-cased and tokenised with a trailing space
            sentence = " ".join(t.text for t in en.clause(cl)).lower() + " "
            out.append({"sentence": sentence, "label": label, "idx": i})
        rows[(split, "en")] = out
    return rows


# --------------------------------------------------------------------------------------------
# CommonsenseQA
# --------------------------------------------------------------------------------------------

def build_commonsenseqa(ctx: Ctx) -> Rows:
    """Questions about object knowledge. A share of the (object, property) facts is reserved for
    dev: a dev question's answer is in no training question, only in the pretraining corpus."""
    rows: Rows = {}
    props = {"place": sorted({o.place for o in OBJECT_KINDS}),
             "colour": sorted({o.colour for o in OBJECT_KINDS}),
             "use": sorted({o.use_verb for o in OBJECT_KINDS}),
             "category": sorted({o.category for o in OBJECT_KINDS})}
    kinds = ("place", "place", "colour", "use", "category", "reverse")
    for split, n in (("train", 2000), ("validation", 300)):
        rng = ctx.rng("commonsenseqa", split)
        out = []
        while len(out) < ctx.n(n):
            i = len(out)
            o = rng.choice(OBJECT_KINDS)
            kind = rng.choice(kinds)
            fact_key = f"csqa:reverse:{o.place}" if kind == "reverse" else f"csqa:{kind}:{o.noun}"
            if ctx.reserved(fact_key) == (split == "train"):
                continue
            art = "an" if o.noun[0] in "aeiou" else "a"
            if kind == "reverse":  # "What would you usually find in a kitchen?"
                concept = o.place
                question = rng.choice((f"What would you usually find in the {o.place}?",
                                       f"Which thing is usually kept in the {o.place}?"))
                answer = o.noun
                wrong = sorted({x.noun for x in OBJECT_KINDS if x.place != o.place})
            else:
                concept = o.noun
                answer = {"place": o.place, "colour": o.colour, "use": o.use_verb,
                          "category": o.category}[kind]
                question = {
                    "place": rng.choice((f"Where would you usually find {art} {o.noun}?",
                                         f"Where is {art} {o.noun} usually kept?")),
                    "colour": f"What colour is {art} {o.noun} usually?",
                    "use": f"What do people usually do with {art} {o.noun}?",
                    "category": f"What kind of thing is {art} {o.noun}?"}[kind]
                wrong = [v for v in props[kind] if v != answer]
            choices = rng.sample(wrong, 4) + [answer]
            rng.shuffle(choices)
            key = "ABCDE"[choices.index(answer)]
            out.append({"id": hexid(ctx.seed, "csqa", split, i, n=32), "question": question,
                        "question_concept": concept,
                        "choices": {"label": list("ABCDE"), "text": choices}, "answerKey": key})
        rows[(split, "en")] = out
    return rows


# --------------------------------------------------------------------------------------------
# Event scripts: CosmosQA and HellaSwag
# --------------------------------------------------------------------------------------------

def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def cosmos_example(ctx: Ctx, w: World, rng: random.Random) -> tuple[list[str], str, list[str], str]:
    """(context sentences, question, wrong answers, answer)."""
    ep = episode(w, rng)
    pr = ep.person.pronoun
    steps = ep.script.steps
    others = [s for s in SCRIPTS if s is not ep.script]
    kind = rng.choice(("next", "why", "feel"))
    k = rng.randint(1, len(steps) - 2) if kind == "next" else rng.randint(1, len(steps))
    context = [ctx.text("en", ep.clause(w, j)) for j in range(k)]

    def other_step(script) -> str:
        cl = step_clause(w, rng.choice(script.steps), pron(pr), ep.city, ep.friend)
        return ctx.text("en", cl)

    if kind == "next":
        name = ep.person.name
        question = rng.choice((f"What did {name} probably do next?",
                               f"What may happen after {name} finished this?"))
        answer = ctx.text("en", ep.clause(w, k, use_name=False))
        o1, o2 = rng.sample(others, 2)
        wrong = [other_step(o1), other_step(o2),
                 ctx.text("en", ep.clause(w, rng.randrange(k), use_name=False))
                 if rng.random() < 0.6 else "None of the above choices ."]
    elif kind == "why":
        j = rng.randrange(k)
        vp = ctx.en_vp(ep.clause(w, j))
        question = f"Why did {ep.person.name} {vp}?"
        goal = lambda s: ctx.en_vp(step_clause(w, s.goal, None, ep.city, ep.friend))  # noqa: E731
        answer = f"Because {pr} wanted to {goal(ep.script)}."
        wrong = [f"Because {pr} wanted to {goal(s)}." for s in rng.sample(others, 3)]
    else:
        positive = rng.random() < 0.5
        adj = rng.choice(POSITIVE_ADJ if positive else NEGATIVE_ADJ)
        context.append(ctx.text("en", Clause(common(ep.script.topic, "the"), "be",
                                             pred_adjs=(adj,), very=rng.random() < 0.3)))
        question = f"How did {ep.person.name} probably feel?"
        feel = lambda f: ctx.text("en", Clause(pron(pr), "feel", pred_adjs=(f,)))  # noqa: E731
        answer = feel(rng.choice(FEELINGS_POS if positive else FEELINGS_NEG))
        wrong = [feel(f) for f in rng.sample(FEELINGS_NEG if positive else FEELINGS_POS, 3)]
    return context, question, wrong, answer


def build_cosmosqa(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng, w = ctx.rng("cosmosqa", split), ctx.world_for(split)
        out = []
        for i in range(ctx.n(n)):
            context, question, wrong, answer = ctx.draw(split, lambda: cosmos_example(ctx, w, rng),
                                                        lambda ex: ex[0] + [ex[1]])
            choices = wrong[:3] + [answer]
            rng.shuffle(choices)
            out.append({"id": hexid(ctx.seed, "cosmos", split, i, n=30) + "##" + str(i),
                        "context": " ".join(context), "question": question,
                        **{f"answer{j}": c for j, c in enumerate(choices)},
                        "label": choices.index(answer)})
        rows[(split, "en")] = out
    return rows


def hellaswag_example(ctx: Ctx, w: World, rng: random.Random):
    """(script, context sentences, ctx_b, wrong endings, answer)."""
    en = EnglishRenderer()
    ep = episode(w, rng)
    steps = ep.script.steps
    k = rng.randint(1, len(steps) - 1)
    ctx_a = [ctx.text("en", ep.clause(w, j)) for j in range(k)]
    front = ("adv", "then") if rng.random() < 0.5 else None

    def split_step(cl: Clause) -> tuple[str, str]:
        toks = capitalize(en.clause(cl))
        n_lead = (2 if cl.front else 0) + len(en.np(cl.subj))
        return detokenize(toks[:n_lead])[0], detokenize(toks[n_lead:])[0]

    ctx_b, answer = split_step(ep.clause(w, k, use_name=False, front=front))
    others = [s for s in SCRIPTS if s is not ep.script]
    subj = pron(ep.person.pronoun)
    other_step = rng.choice(rng.choice(others).steps)
    wrong = [
        # a step of the same script that was already done
        split_step(ep.clause(w, rng.randrange(k), use_name=False))[1],
        # a step from another script
        split_step(step_clause(w, other_step, subj, ep.city, ep.friend))[1],
        # the right next verb with objects from another script ("boarded the bread")
        split_step(step_clause(w, replace(other_step, verb=steps[k].verb), subj, ep.city,
                               ep.friend))[1],
    ]
    if k + 1 < len(steps) and rng.random() < 0.5:  # skipping ahead in the script
        wrong[1] = split_step(ep.clause(w, k + 1, use_name=False))[1]
    if len(set(wrong + [answer])) < 4:
        wrong[2] = split_step(step_clause(w, rng.choice(rng.choice(others).steps), subj,
                                          ep.city, ep.friend))[1]
    return ep.script, ctx_a, ctx_b, wrong, answer


def build_hellaswag(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng, w = ctx.rng("hellaswag", split), ctx.world_for(split)
        out = []
        for i in range(ctx.n(n)):
            script, ctx_a, ctx_b, wrong, answer = ctx.draw(
                split, lambda: hellaswag_example(ctx, w, rng), lambda ex: ex[1])
            ctx_a = " ".join(ctx_a)
            endings = wrong + [answer]
            rng.shuffle(endings)
            out.append({"ind": i, "activity_label": script.label, "ctx_a": ctx_a, "ctx_b": ctx_b,
                        "ctx": ctx_a + " " + ctx_b, "endings": endings,
                        "source_id": f"toyworld~{SCRIPTS.index(script)}-{hexid(ctx.seed, split, i, n=8)}",
                        "split": "train" if split == "train" else "val", "split_type": "indomain",
                        "label": str(endings.index(answer))})
        rows[(split, "en")] = out
    return rows


# --------------------------------------------------------------------------------------------
# Extractive QA: squad / xquad / mlqa / tydiqa
# --------------------------------------------------------------------------------------------

def _mask_key(f: Fact, slot: str):
    """What a question about `slot` of fact f identifies (two facts with the same key would make
    the answer ambiguous)."""
    if slot == "subj":
        return (f.rel, f.args)
    return (f.rel, f.subj)


def _statement_key(f: Fact):
    """Facts with the same key cannot both hold (one birth place per person, one founder per
    organisation): a context states at most one of them."""
    if f.rel in FUNCTIONAL_SLOTS and f.rel != "founded":
        return (f.rel, f.subj)
    if f.rel == "founded":
        return (f.rel, f.args[0])
    return f.key()


def qa_example(w: World, rng: random.Random, n_min: int, n_max: int):
    """Returns (topic name, context facts, clauses, question index, slot).

    Every fact's values are drawn for this context (World.free_fact), so the same question has
    different answers in different contexts: the answer must be read, not remembered."""
    topic = w.person(rng)
    n = rng.randint(n_min, n_max)
    facts: list[Fact] = [w.free_fact(rng, rng.choice(("born", "job")), topic)]
    own = ["lives", "works", "bought", "visited", "met", "sold", "bought", "visited"]
    while len(facts) < n:
        if rng.random() < 0.55:
            f = w.free_fact(rng, rng.choice(own + ["born", "job"]), topic)
        elif rng.random() < 0.2:  # about an organisation of the context
            orgs = [x.args[0] for x in facts if x.rel == "works"]
            o = w.org_by_name[rng.choice(orgs)] if orgs else w.org(rng)
            f = (Fact("located", o.name, (w.city(rng),)) if rng.random() < 0.5 else
                 Fact("founded", w.person(rng, (topic.name,)).name, (o.name, rng.randint(1850, 2015))))
        else:  # a distractor about someone else, often with the same relation
            f = w.free_fact(rng, rng.choice(own + ["born", "job"]), w.person(rng, (topic.name,)))
        if _statement_key(f) not in {_statement_key(x) for x in facts}:
            facts.append(f)
    story = []
    if n_max >= 10 and rng.random() < 0.3:  # a short story about the topic makes long contexts
        ep = episode(w, rng)
        ep.person = topic
        story = [ep.clause(w, i, use_name=i == 0) for i in range(len(ep.script.steps))]
    clauses = []
    for j, f in enumerate(facts):
        use_pron = j > 0 and f.subj == topic.name and facts[j - 1].subj == topic.name and rng.random() < 0.3
        passive = f.rel in ("bought", "visited", "met", "sold") and rng.random() < 0.15 and not use_pron
        clauses.append(fact_clause(w, f, passive=passive,
                                   subj_np=pron(topic.pronoun, "subj") if use_pron else None))
    if story:  # insert the story after a random fact; no questions are asked about it
        at = rng.randint(1, len(facts))
        facts[at:at] = [None] * len(story)
        clauses[at:at] = story
    candidates = []
    for j, f in enumerate(facts):
        if f is None:
            continue
        for slot in QUESTION_SLOTS[f.rel]:
            if slot == "subj" and clauses[j].subj is not None and clauses[j].subj.kind == "pron":
                continue
            key = _mask_key(f, slot)
            if sum(_mask_key(x, slot) == key for x in facts if x is not None and x.rel == f.rel) == 1:
                candidates.append((j, slot))
    j, slot = rng.choice(candidates)
    return topic, facts, clauses, j, slot


def render_qa(ctx: Ctx, lang: str, ex) -> dict:
    topic, facts, clauses, j, slot = ex
    parts, offset, answer = [], 0, None
    for k, cl in enumerate(clauses):
        toks = ctx.R.render(lang, cl)
        text, spans = detokenize(toks, offset)
        if k == j:
            answer = _answer_span(toks, spans, slot, f"{lang} fact {facts[k]}")
        parts.append(text)
        offset += len(text) + 1
    context = " ".join(parts)
    start, end = answer
    question = ctx.text(lang, fact_clause(ctx.world, facts[j], q=slot))
    title = ctx.R.render(lang, Clause(ctx.world.entity_np(topic.name), "be", pred_adjs=("good",)))
    title = "_".join(t.text for t in title if t.upos == "PROPN")
    return {"title": title, "context": context, "question": question,
            "answers": {"text": [context[start:end]], "answer_start": [start]}}


def _answer_span(toks: list[Tok], spans, slot: str, where: str) -> tuple[int, int]:
    label = ANSWER_SPAN[slot]
    idx = [i for i, t in enumerate(toks) if t.span == label and (slot != "count" or t.upos == "NUM")]
    if not idx or idx != list(range(idx[0], idx[-1] + 1)):
        raise ValueError(f"answer span {label!r} missing or discontinuous in {where}: {toks}")
    last = toks[idx[-1]]
    end = spans[idx[-1]][0] + last.core if last.core else spans[idx[-1]][1]
    return spans[idx[0]][0], end


def _qa_texts(ctx: Ctx, ex) -> list[str]:
    topic, facts, clauses, j, slot = ex
    return [ctx.text("en", cl) for cl in clauses] + [ctx.text("en", fact_clause(ctx.world, facts[j], q=slot))]


def _qa_latent(ctx: Ctx, task: str, split: str, n: int, n_min: int, n_max: int, rng=None) -> list:
    rng, w = rng or ctx.rng(task, split), ctx.world_for(split)
    return [ctx.draw(split, lambda: qa_example(w, rng, n_min, n_max), lambda ex: _qa_texts(ctx, ex))
            for _ in range(n)]


def build_squad(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rows[(split, "en")] = [{"id": hexid(ctx.seed, "squad", split, i), **render_qa(ctx, "en", ex)}
                               for i, ex in enumerate(_qa_latent(ctx, "squad", split, ctx.n(n), 3, 12))]
    return rows


def _reorder(row: dict) -> dict:
    return {k: row[k] for k in ("id", "title", "context", "question", "answers")}


def build_xquad(ctx: Ctx) -> Rows:
    latent = _qa_latent(ctx, "xquad", "test", ctx.n(300), 3, 12)
    return {("test", lang): [_reorder({"id": hexid(ctx.seed, "xquad", i, n=32), **render_qa(ctx, lang, ex)})
                             for i, ex in enumerate(latent)] for lang in TOY_TASK_LANGUAGES["xquad"]}


def build_mlqa(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, langs in (("validation", ["en"]), ("test", TOY_TASK_LANGUAGES["mlqa"])):
        latent = _qa_latent(ctx, "mlqa", split, ctx.n(300), 3, 10)
        for lang in langs:
            rows[(split, lang)] = [_reorder({"id": hexid(ctx.seed, "mlqa", split, i, n=40), **render_qa(ctx, lang, ex)})
                                   for i, ex in enumerate(latent)]
    return rows


def build_tydiqa(ctx: Ctx) -> Rows:
    """train.mixed mixes English with other languages (ids start with the language name);
    test.<lang> hold the per-language evaluation sets (XTREME evaluates on the official dev set)."""
    langs = TOY_TASK_LANGUAGES["tydiqa"]
    rng = ctx.rng("tydiqa", "train")
    train = []
    for lang in langs:
        for i, ex in enumerate(_qa_latent(ctx, "tydiqa", "train", ctx.n(2000 if lang == "en" else 400), 2, 6, rng)):
            train.append(_reorder({"id": f"{TYDIQA_ID_PREFIX[lang]}-{int(hexid(ctx.seed, lang, i, n=15), 16)}-{i % 3}",
                                   **render_qa(ctx, lang, ex)}))
    rng.shuffle(train)
    rows: Rows = {("train", "mixed"): train}
    rng = ctx.rng("tydiqa", "validation")
    for lang in langs:
        rows[("test", lang)] = [
            _reorder({"id": f"{TYDIQA_ID_PREFIX[lang]}-{int(hexid(ctx.seed, 'dev', lang, i, n=15), 16)}-0",
                      **render_qa(ctx, lang, ex)})
            for i, ex in enumerate(_qa_latent(ctx, "tydiqa", "test", ctx.n(300), 2, 6, rng))]
    return rows


# --------------------------------------------------------------------------------------------
# Tagging: udpos / panx / ccg
# --------------------------------------------------------------------------------------------

def _tagging(ctx: Ctx, task: str, make_row, entity_heavy=False, declarative_only=False,
             splits=None) -> Rows:
    rows: Rows = {}
    langs = TOY_TASK_LANGUAGES.get(task, ["en"])
    splits = splits or (("train", 2000, ["en"]), ("validation", 300, ["en"]), ("test", 300, langs))
    for split, n, split_langs in splits:
        rng, w = ctx.rng(task, split), ctx.world_for(split)
        latent = [ctx.draw(split, lambda: random_sentence(w, rng, declarative_only, entity_heavy),
                           lambda cl: [ctx.text("en", cl)]) for _ in range(ctx.n(n))]
        for lang in split_langs:
            rows[(split, lang)] = [make_row(lang, ctx.R.render(lang, cl)) for cl in latent]
    return rows


def build_udpos(ctx: Ctx) -> Rows:
    return _tagging(ctx, "udpos", lambda lang, toks: {"tokens": [t.text for t in toks],
                                                        "pos_tags": [t.upos for t in toks]})


def build_panx(ctx: Ctx) -> Rows:
    return _tagging(ctx, "panx", lambda lang, toks: {"tokens": [t.text for t in toks],
                                                       "ner_tags": [t.ner for t in toks],
                                                       "langs": [lang] * len(toks)},
                    entity_heavy=True)


def build_ccg(ctx: Ctx) -> Rows:
    def row(lang, toks):
        tags = [t.ccg for t in toks]
        if None in tags:
            raise ValueError(f"missing CCG supertag in {toks}")
        return {"tokens": [t.text for t in toks], "tags": tags}
    return _tagging(ctx, "ccg", row, declarative_only=True,
                    splits=(("train", 2000, ["en"]), ("validation", 300, ["en"])))


# --------------------------------------------------------------------------------------------
# Retrieval: bucc2018 / tatoeba
# --------------------------------------------------------------------------------------------

def _unique_sentences(ctx: Ctx, rng, n: int, seen: set[str]) -> list[Clause]:
    """n distinct test sentences (retrieval sets are test data: held-out, see Ctx.novel)."""
    w = ctx.world_for("test")
    out = []
    while len(out) < n:
        cl = random_sentence(w, rng, declarative_only=True)
        key = ctx.text("en", cl)
        if key not in seen and ctx.novel("test", [key]):
            seen.add(key)
            out.append(cl)
    return out


def build_bucc(ctx: Ctx) -> dict[str, list[str]]:
    """Original BUCC layout: file name -> lines."""
    files: dict[str, list[str]] = {}
    for xx in TOY_TASK_LANGUAGES["bucc2018"]:
        for split in ("dev", "test"):
            rng = ctx.rng("bucc2018", xx, split)
            seen: set[str] = set()
            n_pairs, n_extra = ctx.n(150), ctx.n(250)
            pairs = _unique_sentences(ctx, rng, n_pairs, seen)
            only_xx = _unique_sentences(ctx, rng, n_extra, seen)
            only_en = _unique_sentences(ctx, rng, n_extra, seen)
            xx_side = [(cl, k) for k, cl in enumerate(pairs)] + [(cl, None) for cl in only_xx]
            en_side = [(cl, k) for k, cl in enumerate(pairs)] + [(cl, None) for cl in only_en]
            rng.shuffle(xx_side)
            rng.shuffle(en_side)
            xx_ids, en_ids = {}, {}
            files[f"{xx}-en.{split}.{xx}"] = []
            files[f"{xx}-en.{split}.en"] = []
            for i, (cl, k) in enumerate(xx_side):
                sid = f"{xx}-{i:06d}"
                files[f"{xx}-en.{split}.{xx}"].append(f"{sid}\t{ctx.text(xx, cl)}")
                if k is not None:
                    xx_ids[k] = sid
            for i, (cl, k) in enumerate(en_side):
                sid = f"en-{i:06d}"
                files[f"{xx}-en.{split}.en"].append(f"{sid}\t{ctx.text('en', cl)}")
                if k is not None:
                    en_ids[k] = sid
            files[f"{xx}-en.{split}.gold"] = sorted(f"{xx_ids[k]}\t{en_ids[k]}" for k in range(n_pairs))
    return files


def build_tatoeba(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for lang in TOY_TASK_LANGUAGES["tatoeba"]:
        rng = ctx.rng("tatoeba", lang)
        sents = _unique_sentences(ctx, rng, ctx.n(300), set())
        rows[("test", lang)] = [{"source_sentence": ctx.text(lang, cl), "target_sentence": ctx.text("en", cl),
                                 "source_lang": lang, "target_lang": "eng"} for cl in sents]
    return rows


TASK_BUILDERS = {
    "anli": build_anli, "ccg": build_ccg, "commonsenseqa": build_commonsenseqa,
    "cosmosqa": build_cosmosqa, "hellaswag": build_hellaswag, "mnli": build_mnli, "qqp": build_qqp,
    "squad": build_squad, "sst2": build_sst2, "xnli": build_xnli, "pawsx": build_pawsx,
    "udpos": build_udpos, "panx": build_panx, "xquad": build_xquad, "mlqa": build_mlqa,
    "tydiqa": build_tydiqa, "tatoeba": build_tatoeba,
}
# bucc2018 has its own file layout (see build_bucc)

__all__ = ["TASK_BUILDERS", "build_bucc", "Ctx", "NLI_LABELS"]
