"""Toy CommonsenseQA, CosmosQA, HellaSwag, Social IQa, COPA and XCOPA: pick one of several answers.

Grouped as `xstilts.formats.multiple_choice` groups them. CommonsenseQA asks about object
knowledge; the others draw on the world's event scripts (`world.episode`).
"""

from __future__ import annotations

import random
from dataclasses import replace
from functools import partial

from ..grammar import Clause, EnglishRenderer, capitalize, common, detokenize, pron
from ..languages import TOY_TASK_LANGUAGES
from ..lexicon import FEELINGS_NEG, FEELINGS_POS, NEGATIVE_ADJ, POSITIVE_ADJ
from ..world import OBJECT_KINDS, SCRIPTS, Step, World, episode, step_clause
from .common import Ctx, Rows, builds, hexid

# --------------------------------------------------------------------------------------------
# CommonsenseQA
# --------------------------------------------------------------------------------------------


@builds("commonsenseqa")
def build_commonsenseqa(ctx: Ctx) -> Rows:
    """Questions about object knowledge. A share of the (object, property) facts is reserved for
    dev: a dev question's answer is in no training question, only in the pretraining corpus."""
    rows: Rows = {}
    props = {
        "place": sorted({o.place for o in OBJECT_KINDS}),
        "colour": sorted({o.colour for o in OBJECT_KINDS}),
        "use": sorted({o.use_verb for o in OBJECT_KINDS}),
        "category": sorted({o.category for o in OBJECT_KINDS}),
    }
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
                question = rng.choice(
                    (f"What would you usually find in the {o.place}?", f"Which thing is usually kept in the {o.place}?")
                )
                answer = o.noun
                wrong = sorted({x.noun for x in OBJECT_KINDS if x.place != o.place})
            else:
                concept = o.noun
                answer = {"place": o.place, "colour": o.colour, "use": o.use_verb, "category": o.category}[kind]
                question = {
                    "place": rng.choice(
                        (f"Where would you usually find {art} {o.noun}?", f"Where is {art} {o.noun} usually kept?")
                    ),
                    "colour": f"What colour is {art} {o.noun} usually?",
                    "use": f"What do people usually do with {art} {o.noun}?",
                    "category": f"What kind of thing is {art} {o.noun}?",
                }[kind]
                wrong = [v for v in props[kind] if v != answer]
            choices = rng.sample(wrong, 4) + [answer]
            rng.shuffle(choices)
            key = "ABCDE"[choices.index(answer)]
            out.append(
                {
                    "id": hexid(ctx.seed, "csqa", split, i, n=32),
                    "question": question,
                    "question_concept": concept,
                    "choices": {"label": list("ABCDE"), "text": choices},
                    "answerKey": key,
                }
            )
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
        question = rng.choice((f"What did {name} probably do next?", f"What may happen after {name} finished this?"))
        answer = ctx.text("en", ep.clause(w, k, use_name=False))
        o1, o2 = rng.sample(others, 2)
        wrong = [
            other_step(o1),
            other_step(o2),
            ctx.text("en", ep.clause(w, rng.randrange(k), use_name=False))
            if rng.random() < 0.6
            else "None of the above choices .",
        ]
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
        context.append(
            ctx.text("en", Clause(common(ep.script.topic, "the"), "be", pred_adjs=(adj,), very=rng.random() < 0.3))
        )
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
            context, question, wrong, answer = ctx.draw(
                split, partial(cosmos_example, ctx, w, rng), lambda ex: ex[0] + [ex[1]]
            )
            choices = wrong[:3] + [answer]
            rng.shuffle(choices)
            out.append(
                {
                    "id": hexid(ctx.seed, "cosmos", split, i, n=30) + "##" + str(i),
                    "context": " ".join(context),
                    "question": question,
                    **{f"answer{j}": c for j, c in enumerate(choices)},
                    "label": choices.index(answer),
                }
            )
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
        split_step(step_clause(w, replace(other_step, verb=steps[k].verb), subj, ep.city, ep.friend))[1],
    ]
    if k + 1 < len(steps) and rng.random() < 0.5:  # skipping ahead in the script
        wrong[1] = split_step(ep.clause(w, k + 1, use_name=False))[1]
    if len(set(wrong + [answer])) < 4:
        wrong[2] = split_step(step_clause(w, rng.choice(rng.choice(others).steps), subj, ep.city, ep.friend))[1]
    return ep.script, ctx_a, ctx_b, wrong, answer


@builds("hellaswag")
def build_hellaswag(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng, w = ctx.rng("hellaswag", split), ctx.world_for(split)
        out = []
        for i in range(ctx.n(n)):
            script, ctx_a, ctx_b, wrong, answer = ctx.draw(
                split, partial(hellaswag_example, ctx, w, rng), lambda ex: ex[1]
            )
            ctx_a = " ".join(ctx_a)
            endings = wrong + [answer]
            rng.shuffle(endings)
            out.append(
                {
                    "ind": i,
                    "activity_label": script.label,
                    "ctx_a": ctx_a,
                    "ctx_b": ctx_b,
                    "ctx": ctx_a + " " + ctx_b,
                    "endings": endings,
                    "source_id": f"toyworld~{SCRIPTS.index(script)}-{hexid(ctx.seed, split, i, n=8)}",
                    "split": "train" if split == "train" else "val",
                    "split_type": "indomain",
                    "label": str(endings.index(answer)),
                }
            )
        rows[(split, "en")] = out
    return rows


# --------------------------------------------------------------------------------------------
# Social IQa: why someone did something, what they needed first, what they want next
# --------------------------------------------------------------------------------------------

# steps that occur in more than one script ("returned home") leave the script open: never a context
_SHARED_STEPS = {
    step for step in {s for sc in SCRIPTS for s in sc.steps} if sum(step in sc.steps for sc in SCRIPTS) > 1
}
SIQA_KINDS = ("intent", "need", "want")


def siqa_example(ctx: Ctx, w: World, rng: random.Random) -> tuple[str, str, list[str], str]:
    """(context, question, wrong answers, answer). The context is one step of a script; the three answers are
    the same kind of answer (the script's goal, the step before or the step after) for the context's script
    and for two other scripts, at the same position of each script: only the context says which one fits."""
    kind = rng.choice(SIQA_KINDS)
    while True:
        ep = episode(w, rng)
        k = rng.randint(1, len(ep.script.steps) - 2)
        if ep.script.steps[k] not in _SHARED_STEPS:
            break
    name = ep.person.name
    context = ctx.text("en", ep.clause(w, k, use_name=True))

    def vp(step: Step) -> str:
        return ctx.en_vp(step_clause(w, step, None, ep.city, ep.friend))

    def answer_of(script) -> str:
        if kind == "intent":
            return f"to {vp(script.goal)}"
        return vp(script.steps[k - 1] if kind == "need" else script.steps[k + 1])

    question = {
        "intent": f"Why did {name} do this?",
        "need": f"What did {name} need to do before this?",
        "want": f"What will {name} want to do next?",
    }[kind]
    answer = answer_of(ep.script)
    wrong: list[str] = []
    for other in rng.sample([sc for sc in SCRIPTS if sc is not ep.script], len(SCRIPTS) - 1):
        text = answer_of(other)
        if text != answer and text not in wrong:
            wrong.append(text)
        if len(wrong) == 2:
            break
    return context, question, wrong, answer


@builds("siqa")
def build_siqa(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rng, w = ctx.rng("siqa", split), ctx.world_for(split)
        out = []
        for _ in range(ctx.n(n)):
            context, question, wrong, answer = ctx.draw(split, partial(siqa_example, ctx, w, rng), lambda ex: [ex[0]])
            answers = wrong + [answer]
            rng.shuffle(answers)
            out.append(
                {
                    "context": context,
                    "question": question,
                    **{f"answer{x}": a for x, a in zip("ABC", answers)},
                    "label": str(answers.index(answer) + 1),
                }
            )  # Social IQa's labels count from 1
        rows[(split, "en")] = out
    return rows


# --------------------------------------------------------------------------------------------
# COPA (English) and XCOPA (the toy languages): the cause or the effect of a premise
# --------------------------------------------------------------------------------------------

COPA_OPPOSITE = 0.5  # share of wrong alternatives that are the premise's other neighbour in its own script


def copa_example(w: World, rng: random.Random):
    """(premise, question, correct, wrong) as clauses. The premise is a middle step of a script; its cause is
    the step before, its effect the step after. The wrong alternative is either the other neighbour (only the
    question tells them apart) or another script's step at the correct one's position (only the premise does)."""
    while True:
        ep = episode(w, rng)
        k = rng.randint(1, len(ep.script.steps) - 2)
        if ep.script.steps[k] not in _SHARED_STEPS:
            break
    question = rng.choice(("cause", "effect"))
    j, opposite = (k - 1, k + 1) if question == "cause" else (k + 1, k - 1)
    subj = pron(ep.person.pronoun)
    correct = ep.clause(w, j, use_name=False)
    if rng.random() < COPA_OPPOSITE:
        wrong = ep.clause(w, opposite, use_name=False)
    else:
        others = [sc for sc in SCRIPTS if sc is not ep.script and sc.steps[j] != ep.script.steps[j]]
        wrong = step_clause(w, rng.choice(others).steps[j], subj, ep.city, ep.friend)
    return ep.clause(w, k, use_name=True), question, correct, wrong


def _copa_latent(ctx: Ctx, task: str, split: str, n: int) -> list[tuple]:
    rng, w = ctx.rng(task, split), ctx.world_for(split)
    latent = []
    for _ in range(ctx.n(n)):
        premise, question, correct, wrong = ctx.draw(
            split, partial(copa_example, w, rng), lambda ex: [ctx.text("en", ex[0])]
        )
        label = int(rng.random() < 0.5)
        latent.append((premise, question, (wrong, correct) if label else (correct, wrong), label))
    return latent


def _copa_rows(ctx: Ctx, latent: list[tuple], lang: str, xcopa: bool) -> list[dict]:
    return [
        {
            "premise": ctx.text(lang, premise),
            "choice1": ctx.text(lang, first),
            "choice2": ctx.text(lang, second),
            "question": question,
            "label": label,
            "idx": i,
            **({"changed": False} if xcopa else {}),
        }
        for i, (premise, question, (first, second), label) in enumerate(latent)
    ]


@builds("copa")
def build_copa(ctx: Ctx) -> Rows:
    """English COPA: XCOPA's training (400 in the real set) and model selection data (100)."""
    return {
        (split, "en"): _copa_rows(ctx, _copa_latent(ctx, "copa", split, n), "en", False)
        for split, n in (("train", 1000), ("validation", 200))
    }


@builds("xcopa")
def build_xcopa(ctx: Ctx) -> Rows:
    """The test set, parallel in every toy language of XCOPA (its question stays "cause"/"effect", as in XCOPA)."""
    latent = _copa_latent(ctx, "xcopa", "test", 300)
    return {("test", lang): _copa_rows(ctx, latent, lang, True) for lang in TOY_TASK_LANGUAGES["xcopa"]}
