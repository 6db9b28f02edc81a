"""Builders for the toy versions of all 18 tasks, with the columns and label sets of the real data.

Every builder samples *latent* examples (facts, clauses, labels) once and renders them into each
language it covers, so multilingual test sets are parallel, like XNLI/XQuAD/PAWS-X.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace

from .grammar import (Clause, EnglishRenderer, NP, Renderers, Tok, capitalize, common, detokenize,
                      pron, year_np)
from .languages import TOY_TASK_LANGUAGES, TYDIQA_ID_PREFIX
from .lexicon import COLOURS, FEELINGS_NEG, FEELINGS_POS, JOBS, NEGATIVE_ADJ, NOUNS, POSITIVE_ADJ
from .sentences import TRANSITIVE_RELS, random_sentence, sentiment_clause
from .world import (FUNCTIONAL, OBJECT_KINDS, OBJECTS_BY_NOUN, QUESTION_SLOTS, SCRIPTS, Fact,
                    World, episode, fact_clause, step_clause)

NLI_LABELS = ["entailment", "neutral", "contradiction"]
OPTIONAL_SLOTS = {"born": ("city", "year"), "bought": ("count", "colour", "city"),
                  "sold": ("colour", "to"), "visited": ("year",), "met": ("city",),
                  "founded": ("year",)}
ANSWER_SPAN = {"subj": "subj", "city": "city", "year": "year", "org": "org", "job": "job",
               "count": "obj", "obj": "obj", "to": "to"}


def hexid(*parts, n: int = 24) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:n]


@dataclass
class Ctx:
    world: World
    R: Renderers
    seed: int
    scale: float

    def n(self, base: int) -> int:
        return max(1, round(base * self.scale))

    def rng(self, *parts) -> random.Random:
        return random.Random(":".join(map(str, (self.seed,) + parts)))

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

# argument index of each slot, and the slots whose change makes a statement contradict the fact
SLOT_INDEX = {"born": {"city": 0, "year": 1}, "lives": {"city": 0}, "works": {"org": 0},
              "job": {"job": 0}, "bought": {"count": 0, "colour": 1, "obj": 2, "city": 3},
              "founded": {"org": 0, "year": 1}, "sold": {"colour": 0, "obj": 1, "to": 2},
              "visited": {"city": 0, "year": 1}, "met": {"obj": 0, "city": 1}, "located": {"city": 0}}
CHANGEABLE = {"born": ("city", "year"), "lives": ("city",), "works": ("org",), "job": ("job",),
              "bought": ("count", "colour"), "founded": ("year",), "sold": ("colour",),
              "located": ("city",)}


def _new_value(ctx: Ctx, rng, rel: str, slot: str, old):
    w = ctx.world
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
    raise KeyError(f"no value generator for slot {slot!r} of relation {rel!r}")


def _other_value(ctx: Ctx, rng, f: Fact, omitted=frozenset(), pool=()):
    """(fact, slot): f with one stated slot changed so that it contradicts f, or None.
    Values are preferably taken from `pool` facts (distractors of a hard premise)."""
    slots = [s for s in CHANGEABLE.get(f.rel, ()) if s not in omitted]
    if not slots:
        return None
    slot = rng.choice(slots)
    i = SLOT_INDEX[f.rel][slot]
    seen = [x.args[i] for x in pool if x.rel == f.rel and x.args[i] != f.args[i]]
    value = rng.choice(seen) if seen and rng.random() < 0.7 else _new_value(ctx, rng, f.rel, slot, f.args[i])
    args = list(f.args)
    args[i] = value
    return Fact(f.rel, f.subj, tuple(args)), slot


def _fix_omit(rel: str, omit: frozenset) -> frozenset:
    """'X was born.' says nothing: keep the year when both born slots would be dropped."""
    if rel == "born" and {"city", "year"} <= omit:
        return omit - {"year"}
    return omit


def _stated(facts: list[Fact], subj: str, rel: str) -> bool:
    return any(x.subj == subj and x.rel == rel for x in facts)


def nli_example(ctx: Ctx, rng: random.Random, hard: bool):
    """Returns (premise clauses, hypothesis clause, label id, reason)."""
    w = ctx.world
    rels = ["born", "lives", "works", "job", "founded", "bought", "sold", "visited", "met"]
    focus = w.random_fact(rng, rng.choice(rels))
    facts = [focus]
    if hard:  # distractor facts about other people, mostly with the same relations
        for _ in range(rng.randint(2, 4)):
            rel = focus.rel if rng.random() < 0.5 else rng.choice(rels)
            f = w.random_fact(rng, rel)
            if all(x.rel != f.rel or x.subj != f.subj for x in facts):  # one fact per (rel, subject)
                facts.append(f)
        rng.shuffle(facts)
    opt = OPTIONAL_SLOTS.get(focus.rel, ())
    p_omit = _fix_omit(focus.rel, frozenset(s for s in opt if rng.random() < 0.3))
    premise = [fact_clause(w, f, omit=p_omit if f is focus else frozenset()) for f in facts]
    label = rng.randrange(3)
    fc = lambda f, **kw: fact_clause(w, f, **kw)  # noqa: E731
    hyp = None
    reason = ""
    if label == 0:  # entailment
        options = []
        remaining = [s for s in opt if s not in p_omit]
        if remaining:
            options.append("drop")
        if focus.rel in TRANSITIVE_RELS:
            options.append("passive")
        if focus.rel in ("bought", "sold") and OBJECTS_BY_NOUN[focus.args[2 if focus.rel == "bought" else 1]].category != "thing":
            options.append("hyper")
        if focus.rel in ("bought", "met") and "city" not in p_omit or focus.rel == "visited":
            options.append("was_in")
        if focus.rel == "founded":
            options.append("hyper")
        if focus.rel in FUNCTIONAL:
            options += ["neg_other", "neg_other"]
        kind = rng.choice(options or ["same"])
        if kind == "drop" and _fix_omit(focus.rel, frozenset(opt)) == p_omit:
            kind = "passive" if "passive" in options else "same"
        if kind == "drop":
            extra = frozenset(rng.sample(remaining, rng.randint(1, len(remaining))))
            hyp = fc(focus, omit=_fix_omit(focus.rel, p_omit | extra))
        elif kind == "passive":
            hyp = fc(focus, omit=p_omit, passive=True)
        elif kind == "hyper":
            hyp = fc(focus, omit=p_omit | {"count"}, hyper=True)
        elif kind == "was_in":
            city = focus.args[0] if focus.rel == "visited" else focus.args[-1]
            hyp = fc(Fact("was_in", focus.subj, (city,)))
        elif kind == "neg_other":  # "born in A" entails "not born in B"
            other, slot = _other_value(ctx, rng, focus)
            hyp = fc(other, neg=True, omit=frozenset(opt) - {slot})
        else:
            hyp = fc(focus, omit=p_omit)
        reason = "The hypothesis follows from the statement about " + focus.subj + "."
    elif label == 2:  # contradiction
        changed = _other_value(ctx, rng, focus, p_omit, facts if hard else ())
        if changed is not None and rng.random() < (0.75 if hard else 0.5):
            hyp = fc(changed[0], omit=p_omit)
            reason = "The premise gives a different value for " + focus.subj + "."
        else:
            extra = frozenset(s for s in opt if rng.random() < 0.5)
            hyp = fc(focus, neg=True, omit=_fix_omit(focus.rel, p_omit | extra))
            reason = "The hypothesis denies what the premise states about " + focus.subj + "."
    else:  # neutral
        options = ["other_rel"]
        if p_omit:
            options.append("add")
        if focus.rel != "founded":
            options.append("other_subj")
        kind = rng.choice(options)
        if kind == "add":
            hyp = fc(focus)
        elif kind == "other_subj":
            people = [x.subj for x in facts if x.subj != focus.subj and x.subj in w.person_by_name
                      and not _stated(facts, x.subj, focus.rel)] if hard else []
            subj = rng.choice(people) if people else w.person(rng, {x.subj for x in facts}).name
            if focus.subj in w.org_by_name:
                subj_np = w.entity_np(w.org(rng, {focus.subj}).name)
            else:
                subj_np = w.entity_np(subj)
            hyp = fc(focus, omit=p_omit, subj_np=subj_np, neg=rng.random() < 0.2)
        else:
            subj = focus.subj if focus.subj in w.person_by_name else w.org_by_name[focus.subj].founder
            free = [r for r in ("lives", "works", "job", "born", "visited") if not _stated(facts, subj, r)]
            rel = rng.choice(free)
            f2 = w.random_fact(rng, rel, w.person_by_name[subj])
            if rel in FUNCTIONAL and rng.random() < 0.5:  # the world value is unknown to the reader
                f2 = _other_value(ctx, rng, f2)[0]
            hyp = fc(f2, neg=rng.random() < 0.25)
        reason = "The premise does not say whether this is true."
    return premise, hyp, label, reason


def build_mnli(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng = ctx.rng("mnli", split)
        out = []
        for i in range(ctx.n(n)):
            prem, hyp, label, _ = nli_example(ctx, rng, hard=False)
            out.append({"premise": " ".join(ctx.text("en", c) for c in prem),
                        "hypothesis": ctx.text("en", hyp), "label": label, "idx": i})
        rows[(split, "en")] = out
    return rows


def build_anli(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng = ctx.rng("anli", split)
        out = []
        for i in range(ctx.n(n)):
            prem, hyp, label, reason = nli_example(ctx, rng, hard=True)
            out.append({"uid": hexid(ctx.seed, "anli", split, i, n=32),
                        "premise": " ".join(ctx.text("en", c) for c in prem),
                        "hypothesis": ctx.text("en", hyp), "label": label, "reason": reason})
        rows[(split, "en")] = out
    return rows


def build_xnli(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, langs in (("validation", ["en"]), ("test", TOY_TASK_LANGUAGES["xnli"])):
        rng = ctx.rng("xnli", split)
        latent = [nli_example(ctx, rng, hard=False) for _ in range(ctx.n(300))]
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
PAWS_SAME = ["passive", "coord_subj", "front", "pp_order", "coord_obj"]
PAWS_DIFF = ["role_swap", "passive_swap", "fromto_swap", "dat_swap", "adj_swap"]


def paws_example(ctx: Ctx, rng: random.Random) -> tuple[Clause, Clause, int]:
    w = ctx.world
    label = int(rng.random() < 0.45)
    kind = rng.choice(PAWS_SAME if label else PAWS_DIFF)
    a = w.person(rng)
    b = w.person(rng, (a.name,))
    A, B = w.entity_np(a.name), w.entity_np(b.name)
    c1 = w.city(rng)
    c2 = w.city(rng, (c1,))
    year = rng.randint(1960, 2023)
    when = (("in", year_np(year)),) if rng.random() < 0.5 else ()
    verb = rng.choice(ASYMMETRIC_VERBS)
    if kind in ("passive", "role_swap", "passive_swap"):
        s1 = Clause(A, verb, obj=B, pps=when)
        if kind == "passive":
            s2 = Clause(B, verb, passive=True, agent=A, pps=when)
        elif kind == "role_swap":
            s2 = Clause(B, verb, obj=A, pps=when)
        else:
            s2 = Clause(A, verb, passive=True, agent=B, pps=when)
    elif kind == "coord_subj":
        s1 = Clause(NP("coord", parts=(A, B)), "visit", obj=w.entity_np(c1), pps=when)
        s2 = Clause(NP("coord", parts=(B, A)), "visit", obj=w.entity_np(c1), pps=when)
    elif kind == "front":
        pp = ("in", year_np(year))
        s1 = Clause(A, verb, obj=B, pps=(pp,))
        s2 = Clause(A, verb, obj=B, front=("pp",) + pp)
    elif kind in ("pp_order", "fromto_swap"):
        fr, to = ("from", w.entity_np(c1)), ("to", w.entity_np(c2))
        s1 = Clause(A, "move", pps=(fr, to) + when)
        s2 = (Clause(A, "move", pps=(to, fr) + when) if kind == "pp_order" else
              Clause(A, "move", pps=(("from", w.entity_np(c2)), ("to", w.entity_np(c1))) + when))
    elif kind == "dat_swap":
        thing = common(rng.choice(["car", "book", "horse", "boat", "piano"]), "the", (rng.choice(COLOURS),))
        s1 = Clause(A, "sell", obj=thing, pps=(("to", B),) + when)
        s2 = Clause(B, "sell", obj=thing, pps=(("to", A),) + when)
    else:  # coord_obj / adj_swap
        n1, n2 = rng.sample(["car", "bicycle", "coat", "shirt", "lamp", "chair", "boat", "book"], 2)
        k1, k2 = rng.sample(COLOURS, 2)
        o1 = NP("coord", parts=(common(n1, "a", (k1,)), common(n2, "a", (k2,))))
        if kind == "coord_obj":
            o2 = NP("coord", parts=(common(n2, "a", (k2,)), common(n1, "a", (k1,))))
        else:
            o2 = NP("coord", parts=(common(n1, "a", (k2,)), common(n2, "a", (k1,))))
        s1, s2 = Clause(A, "buy", obj=o1, pps=when), Clause(A, "buy", obj=o2, pps=when)
    if rng.random() < 0.5:
        s1, s2 = s2, s1
    return s1, s2, label


def build_pawsx(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n, langs in (("train", 2000, ["en"]), ("validation", 300, ["en"]),
                            ("test", 300, TOY_TASK_LANGUAGES["pawsx"])):
        rng = ctx.rng("pawsx", split)
        latent = [paws_example(ctx, rng) for _ in range(ctx.n(n))]
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
    w = ctx.world
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng = ctx.rng("qqp", split)
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
                    changed = _other_value(ctx, rng, f)
                    g = changed[0] if changed else w.random_fact(rng, f.rel)
                    t2 = ctx.text("en", rng.choice(_question_variants(ctx, g, slot)))
                if t2 == t1:
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
        rng = ctx.rng("sst2", split)
        out = []
        for i in range(ctx.n(n)):
            cl, label = sentiment_clause(ctx.world, rng)
            # GLUE SST-2 text is lower-cased and tokenised with a trailing space
            sentence = " ".join(t.text for t in en.clause(cl)).lower() + " "
            out.append({"sentence": sentence, "label": label, "idx": i})
        rows[(split, "en")] = out
    return rows


# --------------------------------------------------------------------------------------------
# CommonsenseQA
# --------------------------------------------------------------------------------------------

def build_commonsenseqa(ctx: Ctx) -> Rows:
    rows: Rows = {}
    props = {"place": sorted({o.place for o in OBJECT_KINDS}),
             "colour": sorted({o.colour for o in OBJECT_KINDS}),
             "use": sorted({o.use_verb for o in OBJECT_KINDS}),
             "category": sorted({o.category for o in OBJECT_KINDS})}
    for split, n in (("train", 2000), ("validation", 300)):
        rng = ctx.rng("commonsenseqa", split)
        out = []
        for i in range(ctx.n(n)):
            o = rng.choice(OBJECT_KINDS)
            kind = rng.choice(("place", "place", "colour", "use", "category", "reverse"))
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


def build_cosmosqa(ctx: Ctx) -> Rows:
    w = ctx.world
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng = ctx.rng("cosmosqa", split)
        out = []
        for i in range(ctx.n(n)):
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
            choices = wrong[:3] + [answer]
            rng.shuffle(choices)
            out.append({"id": hexid(ctx.seed, "cosmos", split, i, n=30) + "##" + str(i),
                        "context": " ".join(context), "question": question,
                        **{f"answer{j}": c for j, c in enumerate(choices)},
                        "label": choices.index(answer)})
        rows[(split, "en")] = out
    return rows


def build_hellaswag(ctx: Ctx) -> Rows:
    w = ctx.world
    rows: Rows = {}
    en = EnglishRenderer()
    for split, n in (("train", 2000), ("validation", 300)):
        rng = ctx.rng("hellaswag", split)
        out = []
        for i in range(ctx.n(n)):
            ep = episode(w, rng)
            steps = ep.script.steps
            k = rng.randint(1, len(steps) - 1)
            ctx_a = " ".join(ctx.text("en", ep.clause(w, j)) for j in range(k))
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
            endings = wrong + [answer]
            rng.shuffle(endings)
            out.append({"ind": i, "activity_label": ep.script.label, "ctx_a": ctx_a, "ctx_b": ctx_b,
                        "ctx": ctx_a + " " + ctx_b, "endings": endings,
                        "source_id": f"toyworld~{SCRIPTS.index(ep.script)}-{hexid(ctx.seed, split, i, n=8)}",
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


def qa_example(ctx: Ctx, rng: random.Random, n_min: int, n_max: int):
    """Returns (topic name, context facts, clauses, question index, slot)."""
    w = ctx.world
    topic = w.person(rng)
    n = rng.randint(n_min, n_max)
    facts: list[Fact] = [w.random_fact(rng, rng.choice(("born", "job")), topic)]
    own = ["lives", "works", "bought", "visited", "met", "sold", "bought", "visited"]
    while len(facts) < n:
        if rng.random() < 0.55:
            f = w.random_fact(rng, rng.choice(own + ["born", "job"]), topic)
        elif rng.random() < 0.2:
            o = w.org_by_name[topic.org]
            f = Fact("located", o.name, (o.city,)) if rng.random() < 0.5 else Fact("founded", o.founder, (o.name, o.year))
        else:  # a distractor about someone else, often with the same relation
            f = w.random_fact(rng, rng.choice(own + ["born", "job"]))
        if f.key() not in {x.key() for x in facts}:
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


def build_squad(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng = ctx.rng("squad", split)
        rows[(split, "en")] = [{"id": hexid(ctx.seed, "squad", split, i), **render_qa(ctx, "en", qa_example(ctx, rng, 3, 12))}
                               for i in range(ctx.n(n))]
    return rows


def _reorder(row: dict) -> dict:
    return {k: row[k] for k in ("id", "title", "context", "question", "answers")}


def build_xquad(ctx: Ctx) -> Rows:
    rng = ctx.rng("xquad", "test")
    latent = [qa_example(ctx, rng, 3, 12) for _ in range(ctx.n(300))]
    return {("test", lang): [_reorder({"id": hexid(ctx.seed, "xquad", i, n=32), **render_qa(ctx, lang, ex)})
                             for i, ex in enumerate(latent)] for lang in TOY_TASK_LANGUAGES["xquad"]}


def build_mlqa(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, langs in (("validation", ["en"]), ("test", TOY_TASK_LANGUAGES["mlqa"])):
        rng = ctx.rng("mlqa", split)
        latent = [qa_example(ctx, rng, 3, 10) for _ in range(ctx.n(300))]
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
        n = ctx.n(2000 if lang == "en" else 400)
        for i in range(n):
            ex = qa_example(ctx, rng, 2, 6)
            train.append(_reorder({"id": f"{TYDIQA_ID_PREFIX[lang]}-{int(hexid(ctx.seed, lang, i, n=15), 16)}-{i % 3}",
                                   **render_qa(ctx, lang, ex)}))
    rng.shuffle(train)
    rows: Rows = {("train", "mixed"): train}
    rng = ctx.rng("tydiqa", "validation")
    for lang in langs:
        rows[("test", lang)] = [
            _reorder({"id": f"{TYDIQA_ID_PREFIX[lang]}-{int(hexid(ctx.seed, 'dev', lang, i, n=15), 16)}-0",
                      **render_qa(ctx, lang, qa_example(ctx, rng, 2, 6))}) for i in range(ctx.n(300))]
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
        rng = ctx.rng(task, split)
        latent = [random_sentence(ctx.world, rng, declarative_only, entity_heavy) for _ in range(ctx.n(n))]
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
    out = []
    while len(out) < n:
        cl = random_sentence(ctx.world, rng, declarative_only=True)
        key = ctx.text("en", cl)
        if key not in seen:
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
