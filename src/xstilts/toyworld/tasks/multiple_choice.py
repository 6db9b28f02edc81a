"""Toy CommonsenseQA, CosmosQA, HellaSwag, Social IQa, COPA and XCOPA: pick one of several answers.

Grouped as `xstilts.formats.multiple_choice` groups them. CommonsenseQA asks about object
knowledge; the others draw on the world's event scripts (`world.episode`).
"""

from __future__ import annotations

import random
from dataclasses import replace
from functools import partial

from ..grammar import Clause, EnglishRenderer, Tok, common, pron, wh_np
from ..languages import TOY_TASK_LANGUAGES
from ..lexicon import FEELINGS_NEG, FEELINGS_POS, NEGATIVE_ADJ, POSITIVE_ADJ
from ..world import OBJECT_KINDS, SCRIPTS, Step, World, episode, step_clause
from .common import Ctx, Rows, builds, hexid
from .texts import (
    Join,
    Lead,
    Rest,
    Sentence,
    Template,
    clause_say,
    conj_say,
    english,
    fill,
    sentence,
    split,
    template,
    thaw,
    vp_clause,
    vp_say,
    vp_toks,
    word_text,
    words,
)

# --------------------------------------------------------------------------------------------
# CommonsenseQA
# --------------------------------------------------------------------------------------------

_YOU, _PEOPLE = pron("you"), common("person", None, plural=True)


def _csqa_question(kind: str, o, art: str) -> Template:
    """One of CommonsenseQA's question templates about object kind `o` (see `_csqa_latent`)."""
    en = EnglishRenderer()
    thing, place = common(o.noun, "a"), common(o.place, "the")
    usually = dict(adv_pre=("usually",), tense="pres", question=True)
    find_where = Clause(_YOU, "find", obj=thing, pps=(("in", wh_np("where")),), **usually)
    kept_where = Clause(thing, "keep", passive=True, pps=(("in", wh_np("where")),), **usually)
    table = {
        "place0": (
            f"Where would you usually find {art} {o.noun}?",
            "where would you usually find",
            thing,
            "?",
            find_where,
        ),
        "place1": (f"Where is {art} {o.noun} usually kept?", "where is", thing, "usually kept ?", kept_where),
        "colour": (
            f"What colour is {art} {o.noun} usually?",
            "what colour is",
            thing,
            "usually ?",
            Clause(thing, "be", pred_np=wh_np("which", "colour"), adv_post=("usually",), tense="pres", question=True),
        ),
        "use": (
            f"What do people usually do with {art} {o.noun}?",
            "what do people usually do with",
            thing,
            "?",
            Clause(_PEOPLE, "do", obj=wh_np("what"), pps=(("with", thing),), **usually),
        ),
        "category": (
            f"What kind of thing is {art} {o.noun}?",
            "what kind of thing is",
            thing,
            "?",
            Clause(thing, "be", pred_np=wh_np("which", "kind"), tense="pres", question=True),
        ),
        "reverse0": (
            f"What would you usually find in the {o.place}?",
            "what would you usually find in",
            place,
            "?",
            Clause(_YOU, "find", obj=wh_np("what"), pps=(("in", place),), **usually),
        ),
        "reverse1": (
            f"Which thing is usually kept in the {o.place}?",
            "which thing is usually kept in",
            place,
            "?",
            Clause(wh_np("which", "thing"), "keep", passive=True, pps=(("in", place),), **usually),
        ),
    }
    text, before, np, after, meaning = table[kind]
    return template(text, words(before) + en.np(np, "acc", after_prep=True) + words(after), clause_say(meaning))


def _csqa_latent(ctx: Ctx, split: str, n: int) -> list[dict]:
    """Rows of one split with `texts` in place of the question and the choices (see `_csqa_question`). A share
    of the (object, property) facts is reserved for dev: a dev question's answer is in no training question,
    only in the pretraining corpus."""
    props = {
        "place": sorted({o.place for o in OBJECT_KINDS}),
        "colour": sorted({o.colour for o in OBJECT_KINDS}),
        "use": sorted({o.use_verb for o in OBJECT_KINDS}),
        "category": sorted({o.category for o in OBJECT_KINDS}),
    }
    kinds = ("place", "place", "colour", "use", "category", "reverse")
    rng = ctx.rng("commonsenseqa", split)
    out: list[dict] = []
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
            question = _csqa_question(f"reverse{rng.choice((0, 1))}", o, art)
            answer, answer_kind = o.noun, "noun"
            wrong = sorted({x.noun for x in OBJECT_KINDS if x.place != o.place})
        else:
            concept = o.noun
            answer = {"place": o.place, "colour": o.colour, "use": o.use_verb, "category": o.category}[kind]
            place = rng.choice((0, 1))  # drawn for every kind, as the template table always drew it
            question = _csqa_question(f"place{place}" if kind == "place" else kind, o, art)
            answer_kind = kind
            wrong = [v for v in props[kind] if v != answer]
        choices = rng.sample(wrong, 4) + [answer]
        rng.shuffle(choices)
        key = "ABCDE"[choices.index(answer)]
        upos = {"colour": "ADJ", "use": "VERB"}.get(answer_kind, "NOUN")
        out.append(
            {
                "id": hexid(ctx.seed, "csqa", split, i, n=32),
                "question": question,
                "question_concept": concept,  # the question's concept as a label: stays English
                "choices": {"label": list("ABCDE"), "text": [word_text(c, upos, c) for c in choices]},
                "answerKey": key,
            }
        )
    return out


@builds("commonsenseqa")
def build_commonsenseqa(ctx: Ctx) -> Rows:
    """Questions about object knowledge (`_csqa_latent`)."""
    return {
        (split, "en"): [fill(row, english) for row in _csqa_latent(ctx, split, n)]
        for split, n in (("train", 2000), ("validation", 300))
    }


# --------------------------------------------------------------------------------------------
# Event scripts: CosmosQA and HellaSwag
# --------------------------------------------------------------------------------------------

NONE_OF_THE_ABOVE = "None of the above choices ."


def _none_of_the_above() -> Template:
    def say(r):
        return [Tok(r.lex["none"], "PRON", "O", None, "none")] + r.pp(
            "of", common("choice", "the", adjs=("above",), plural=True)
        )

    toks = words("none of the above choices .")
    return template(NONE_OF_THE_ABOVE, toks, lambda r: say(r) + [Tok(".", "PUNCT")], exact=False)


def cosmos_example(ctx: Ctx, w: World, rng: random.Random) -> tuple[list[Sentence], Template, list, Sentence]:
    """(context sentences, question, wrong answers, answer) as texts (their ``en``: the English strings)."""
    en = EnglishRenderer()
    ep = episode(w, rng)
    pr = ep.person.pronoun
    steps = ep.script.steps
    others = [s for s in SCRIPTS if s is not ep.script]
    kind = rng.choice(("next", "why", "feel"))
    k = rng.randint(1, len(steps) - 2) if kind == "next" else rng.randint(1, len(steps))
    context = [sentence(ctx, ep.clause(w, j)) for j in range(k)]
    name = ep.person.name
    who = w.entity_np(name)

    def other_step(script) -> Sentence:
        return sentence(ctx, step_clause(w, rng.choice(script.steps), pron(pr), ep.city, ep.friend))

    if kind == "next":
        if rng.choice((0, 1)) == 0:
            question = template(
                f"What did {name} probably do next?",
                words("what did") + en.np(who) + words("probably do next ?"),
                clause_say(
                    Clause(who, "do", obj=wh_np("what"), adv_pre=("probably",), adv_post=("next",), question=True)
                ),
            )
        else:
            question = template(
                f"What may happen after {name} finished this?",
                words("what may happen after") + en.np(who) + words("finished this ?"),
                clause_say(
                    Clause(
                        wh_np("what"),
                        "happen",
                        tense="pres",
                        question=True,
                        sub=("after", Clause(who, "finish", obj=pron("this"))),
                    )
                ),
            )
        answer = sentence(ctx, ep.clause(w, k, use_name=False))
        o1, o2 = rng.sample(others, 2)
        wrong = [
            other_step(o1),
            other_step(o2),
            sentence(ctx, ep.clause(w, rng.randrange(k), use_name=False))
            if rng.random() < 0.6
            else _none_of_the_above(),
        ]
    elif kind == "why":
        j = rng.randrange(k)
        step = ep.clause(w, j)
        vp = ctx.en_vp(step)
        asked = replace(
            step, subj=who, tense="past", front=None, question=True, pps=step.pps + (("for", wh_np("what")),)
        )
        question = template(
            f"Why did {name} {vp}?", words("why did") + en.np(who) + vp_toks(step) + words("?"), clause_say(asked)
        )

        def because(s) -> Template:
            goal = step_clause(w, s.goal, None, ep.city, ep.friend)
            wanted = Clause(pron(pr), "want", sub=("to", vp_clause(goal)))
            return template(
                f"Because {pr} wanted to {ctx.en_vp(goal)}.",
                words(f"because {pr} wanted to") + vp_toks(goal) + words("."),
                conj_say("because", lambda r: r.clause(wanted, final_punct=False), "."),
            )

        answer = because(ep.script)
        wrong = [because(s) for s in rng.sample(others, 3)]
    else:
        positive = rng.random() < 0.5
        adj = rng.choice(POSITIVE_ADJ if positive else NEGATIVE_ADJ)
        context.append(
            sentence(ctx, Clause(common(ep.script.topic, "the"), "be", pred_adjs=(adj,), very=rng.random() < 0.3))
        )
        question = template(
            f"How did {name} probably feel?",
            words("how did") + en.np(who) + words("probably feel ?"),
            clause_say(Clause(who, "feel", obj=wh_np("what"), adv_pre=("probably",), question=True)),
        )
        feel = lambda f: sentence(ctx, Clause(pron(pr), "feel", pred_adjs=(f,)))  # noqa: E731
        answer = feel(rng.choice(FEELINGS_POS if positive else FEELINGS_NEG))
        wrong = [feel(f) for f in rng.sample(FEELINGS_NEG if positive else FEELINGS_POS, 3)]
    return context, question, wrong, answer


def _cosmos_latent(ctx: Ctx, split: str, n: int) -> list[dict]:
    rng, w = ctx.rng("cosmosqa", split), ctx.world_for(split)
    out = []
    for i in range(ctx.n(n)):
        context, question, wrong, answer = ctx.draw(
            split, partial(cosmos_example, ctx, w, rng), lambda ex: [t.en for t in ex[0]] + [ex[1].en]
        )
        choices = wrong[:3] + [answer]
        rng.shuffle(choices)
        out.append(
            {
                "id": hexid(ctx.seed, "cosmos", split, i, n=30) + "##" + str(i),
                "context": Join(tuple(context)),
                "question": question,
                **{f"answer{j}": c for j, c in enumerate(choices)},
                "label": [c.en for c in choices].index(answer.en),
            }
        )
    return out


@builds("cosmosqa")
def build_cosmosqa(ctx: Ctx) -> Rows:
    return {
        (split, "en"): [fill(row, english) for row in _cosmos_latent(ctx, split, n)]
        for split, n in (("train", 2000), ("validation", 300))
    }


def hellaswag_example(ctx: Ctx, w: World, rng: random.Random):
    """(script, context sentences, the answer's `Split`, wrong endings' splits)."""
    ep = episode(w, rng)
    steps = ep.script.steps
    k = rng.randint(1, len(steps) - 1)
    ctx_a = [sentence(ctx, ep.clause(w, j)) for j in range(k)]
    front = ("adv", "then") if rng.random() < 0.5 else None
    answer = split(ctx, ep.clause(w, k, use_name=False, front=front))
    others = [s for s in SCRIPTS if s is not ep.script]
    subj = pron(ep.person.pronoun)
    other_step = rng.choice(rng.choice(others).steps)
    wrong = [
        # a step of the same script that was already done
        split(ctx, ep.clause(w, rng.randrange(k), use_name=False)),
        # a step from another script
        split(ctx, step_clause(w, other_step, subj, ep.city, ep.friend)),
        # the right next verb with objects from another script ("boarded the bread")
        split(ctx, step_clause(w, replace(other_step, verb=steps[k].verb), subj, ep.city, ep.friend)),
    ]
    if k + 1 < len(steps) and rng.random() < 0.5:  # skipping ahead in the script
        wrong[1] = split(ctx, ep.clause(w, k + 1, use_name=False))
    if len({s.en_rest for s in wrong} | {answer.en_rest}) < 4:
        wrong[2] = split(ctx, step_clause(w, rng.choice(rng.choice(others).steps), subj, ep.city, ep.friend))
    return ep.script, ctx_a, answer, wrong


def _hellaswag_latent(ctx: Ctx, split_name: str, n: int) -> list[dict]:
    rng, w = ctx.rng("hellaswag", split_name), ctx.world_for(split_name)
    out = []
    for i in range(ctx.n(n)):
        script, ctx_a, answer, wrong = ctx.draw(
            split_name, partial(hellaswag_example, ctx, w, rng), lambda ex: [t.en for t in ex[1]]
        )
        endings = wrong + [answer]
        rng.shuffle(endings)
        ctx_a = Join(tuple(ctx_a))
        out.append(
            {
                "ind": i,
                "activity_label": script.label,  # no model input: stays English
                "ctx_a": ctx_a,
                "ctx_b": Lead(answer),
                "ctx": Join((ctx_a, Lead(answer))),
                "endings": [Rest(s) for s in endings],
                "source_id": f"toyworld~{SCRIPTS.index(script)}-{hexid(ctx.seed, split_name, i, n=8)}",
                "split": "train" if split_name == "train" else "val",
                "split_type": "indomain",
                "label": str([s.en_rest for s in endings].index(answer.en_rest)),
            }
        )
    return out


@builds("hellaswag")
def build_hellaswag(ctx: Ctx) -> Rows:
    return {
        (split_name, "en"): [fill(row, english) for row in _hellaswag_latent(ctx, split_name, n)]
        for split_name, n in (("train", 2000), ("validation", 300))
    }


# --------------------------------------------------------------------------------------------
# Social IQa: why someone did something, what they needed first, what they want next
# --------------------------------------------------------------------------------------------

# steps that occur in more than one script ("returned home") leave the script open: never a context
_SHARED_STEPS = {
    step for step in {s for sc in SCRIPTS for s in sc.steps} if sum(step in sc.steps for sc in SCRIPTS) > 1
}
SIQA_KINDS = ("intent", "need", "want")


def siqa_example(ctx: Ctx, w: World, rng: random.Random) -> tuple[Sentence, Template, list[Template], Template]:
    """(context, question, wrong answers, answer). The context is one step of a script; the three answers are
    the same kind of answer (the script's goal, the step before or the step after) for the context's script
    and for two other scripts, at the same position of each script: only the context says which one fits."""
    en = EnglishRenderer()
    kind = rng.choice(SIQA_KINDS)
    while True:
        ep = episode(w, rng)
        k = rng.randint(1, len(ep.script.steps) - 2)
        if ep.script.steps[k] not in _SHARED_STEPS:
            break
    name = ep.person.name
    who = w.entity_np(name)
    context = sentence(ctx, ep.clause(w, k, use_name=True))

    def vp(step: Step) -> Template:
        cl = step_clause(w, step, None, ep.city, ep.friend)
        return template(ctx.en_vp(cl), vp_toks(cl), vp_say(cl), is_sentence=False)

    def answer_of(script) -> Template:
        if kind == "intent":
            goal = vp(script.goal)
            return template(f"to {goal.en}", words("to") + thaw(goal.toks), conj_say("to", goal.say), is_sentence=False)
        return vp(script.steps[k - 1] if kind == "need" else script.steps[k + 1])

    this = pron("this")
    question = {
        "intent": (
            f"Why did {name} do this?",
            words("why did") + en.np(who) + words("do this ?"),
            Clause(who, "do", obj=this, pps=(("for", wh_np("what")),), question=True),
        ),
        "need": (
            f"What did {name} need to do before this?",
            words("what did") + en.np(who) + words("need to do before this ?"),
            Clause(who, "need", obj=wh_np("what"), pps=(("before", this),), question=True),
        ),
        "want": (
            f"What will {name} want to do next?",
            words("what will") + en.np(who) + words("want to do next ?"),
            Clause(who, "want", obj=wh_np("what"), adv_post=("next",), tense="pres", question=True),
        ),
    }[kind]
    question = template(question[0], question[1], clause_say(question[2]))
    answer = answer_of(ep.script)
    wrong: list[Template] = []
    for other in rng.sample([sc for sc in SCRIPTS if sc is not ep.script], len(SCRIPTS) - 1):
        text = answer_of(other)
        if text.en != answer.en and text.en not in [t.en for t in wrong]:
            wrong.append(text)
        if len(wrong) == 2:
            break
    return context, question, wrong, answer


def _siqa_latent(ctx: Ctx, split: str, n: int) -> list[dict]:
    rng, w = ctx.rng("siqa", split), ctx.world_for(split)
    out = []
    for _ in range(ctx.n(n)):
        context, question, wrong, answer = ctx.draw(split, partial(siqa_example, ctx, w, rng), lambda ex: [ex[0].en])
        answers = wrong + [answer]
        rng.shuffle(answers)
        out.append(
            {
                "context": context,
                "question": question,
                **{f"answer{x}": a for x, a in zip("ABC", answers)},
                "label": str([a.en for a in answers].index(answer.en) + 1),
            }
        )  # Social IQa's labels count from 1
    return out


@builds("siqa")
def build_siqa(ctx: Ctx) -> Rows:
    return {
        (split, "en"): [fill(row, english) for row in _siqa_latent(ctx, split, n)]
        for split, n in (("train", 2000), ("validation", 300))
    }


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
