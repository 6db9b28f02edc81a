"""Toy CommonsenseQA, CosmosQA and HellaSwag: pick one of several answers or endings.

Grouped as `xstilts.formats.multiple_choice` groups them. CommonsenseQA asks about object
knowledge; CosmosQA and HellaSwag both draw on the world's event scripts (`world.episode`).
"""
from __future__ import annotations

import random
from dataclasses import replace
from functools import partial

from ..grammar import Clause, EnglishRenderer, capitalize, common, detokenize, pron
from ..lexicon import FEELINGS_NEG, FEELINGS_POS, NEGATIVE_ADJ, POSITIVE_ADJ
from ..world import OBJECT_KINDS, SCRIPTS, World, episode, step_clause
from .common import Ctx, Rows, builds, hexid

# --------------------------------------------------------------------------------------------
# CommonsenseQA
# --------------------------------------------------------------------------------------------

@builds("commonsenseqa")
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


@builds("cosmosqa")
def build_cosmosqa(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng, w = ctx.rng("cosmosqa", split), ctx.world_for(split)
        out = []
        for i in range(ctx.n(n)):
            context, question, wrong, answer = ctx.draw(split, partial(cosmos_example, ctx, w, rng),
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


@builds("hellaswag")
def build_hellaswag(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng, w = ctx.rng("hellaswag", split), ctx.world_for(split)
        out = []
        for i in range(ctx.n(n)):
            script, ctx_a, ctx_b, wrong, answer = ctx.draw(
                split, partial(hellaswag_example, ctx, w, rng), lambda ex: ex[1])
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
