"""Toy SQuAD, XQuAD, MLQA and TyDi QA: extractive QA over contexts of facts drawn per context.

Grouped as `xstilts.formats.span_qa` groups them: one sampler (`qa_example`) and one renderer
that locates the answer span in every language (`render_qa`); the builders differ in splits,
languages, context lengths and id formats.
"""

from __future__ import annotations

import random

from ..grammar import Clause, Tok, detokenize, pron
from ..languages import TOY_TASK_LANGUAGES, TYDIQA_ID_PREFIX
from ..world import QUESTION_SLOTS, Fact, World, episode, fact_clause
from .common import Ctx, Rows, builds, hexid
from .facts import FUNCTIONAL_SLOTS

# Facts per context (fewest, most). SQuAD's paragraphs, and XQuAD's (SQuAD dev), are longer than MLQA's and
# TyDi QA's; the toy's stay within about one 128-token window, so that training reads each context once.
CONTEXT_FACTS = {"squad": (3, 8), "xquad": (3, 8), "mlqa": (3, 7), "tydiqa": (2, 6)}
STORY_MIN_FACTS = 7  # contexts that may hold up to this many facts sometimes hold a short story as well

ANSWER_SPAN = {
    "subj": "subj",
    "city": "city",
    "year": "year",
    "org": "org",
    "job": "job",
    "count": "obj",
    "obj": "obj",
    "to": "to",
}


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
            f = (
                Fact("located", o.name, (w.city(rng),))
                if rng.random() < 0.5
                else Fact("founded", w.person(rng, (topic.name,)).name, (o.name, rng.randint(1850, 2015)))
            )
        else:  # a distractor about someone else, often with the same relation
            f = w.free_fact(rng, rng.choice(own + ["born", "job"]), w.person(rng, (topic.name,)))
        if _statement_key(f) not in {_statement_key(x) for x in facts}:
            facts.append(f)
    story = []
    if n_max >= STORY_MIN_FACTS and rng.random() < 0.3:  # a short story about the topic makes long contexts
        ep = episode(w, rng)
        ep.person = topic
        story = [ep.clause(w, i, use_name=i == 0) for i in range(len(ep.script.steps))]
    clauses = []
    for j, f in enumerate(facts):
        use_pron = j > 0 and f.subj == topic.name and facts[j - 1].subj == topic.name and rng.random() < 0.3
        passive = f.rel in ("bought", "visited", "met", "sold") and rng.random() < 0.15 and not use_pron
        clauses.append(fact_clause(w, f, passive=passive, subj_np=pron(topic.pronoun, "subj") if use_pron else None))
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


def render_qa(ctx: Ctx, lang: str, ex, render=None) -> dict:
    """One QA row in `lang`; `render(clause) -> tokens` replaces the language's renderer (the simulated
    machine translation of `toyworld.recipes`), the answer span is located in whatever it renders."""
    render = render or (lambda cl: ctx.R.render(lang, cl))
    topic, facts, clauses, j, slot = ex
    parts, offset, answer = [], 0, None
    for k, cl in enumerate(clauses):
        toks = render(cl)
        text, spans = detokenize(toks, offset)
        if k == j:
            answer = _answer_span(toks, spans, slot, f"{lang} fact {facts[k]}")
        parts.append(text)
        offset += len(text) + 1
    context = " ".join(parts)
    start, end = answer
    question = detokenize(render(fact_clause(ctx.world, facts[j], q=slot)))[0]
    title = render(Clause(ctx.world.entity_np(topic.name), "be", pred_adjs=("good",)))
    title = "_".join(t.text for t in title if t.upos == "PROPN")
    return {
        "title": title,
        "context": context,
        "question": question,
        "answers": {"text": [context[start:end]], "answer_start": [start]},
    }


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
    return [ctx.draw(split, lambda: qa_example(w, rng, n_min, n_max), lambda ex: _qa_texts(ctx, ex)) for _ in range(n)]


@builds("squad")
def build_squad(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, n in (("train", 2000), ("validation", 300)):
        rows[(split, "en")] = [
            {"id": hexid(ctx.seed, "squad", split, i), **render_qa(ctx, "en", ex)}
            for i, ex in enumerate(_qa_latent(ctx, "squad", split, ctx.n(n), *CONTEXT_FACTS["squad"]))
        ]
    return rows


def _reorder(row: dict) -> dict:
    return {k: row[k] for k in ("id", "title", "context", "question", "answers")}


@builds("xquad")
def build_xquad(ctx: Ctx) -> Rows:
    latent = _qa_latent(ctx, "xquad", "test", ctx.n(300), *CONTEXT_FACTS["xquad"])
    return {
        ("test", lang): [
            _reorder({"id": hexid(ctx.seed, "xquad", i, n=32), **render_qa(ctx, lang, ex)})
            for i, ex in enumerate(latent)
        ]
        for lang in TOY_TASK_LANGUAGES["xquad"]
    }


@builds("mlqa")
def build_mlqa(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for split, langs in (("validation", ["en"]), ("test", TOY_TASK_LANGUAGES["mlqa"])):
        latent = _qa_latent(ctx, "mlqa", split, ctx.n(300), *CONTEXT_FACTS["mlqa"])
        for lang in langs:
            rows[(split, lang)] = [
                _reorder({"id": hexid(ctx.seed, "mlqa", split, i, n=40), **render_qa(ctx, lang, ex)})
                for i, ex in enumerate(latent)
            ]
    return rows


@builds("tydiqa")
def build_tydiqa(ctx: Ctx) -> Rows:
    """train.mixed mixes English with other languages (ids start with the language name);
    test.<lang> hold the per-language evaluation sets (XTREME evaluates on the official dev set)."""
    langs = TOY_TASK_LANGUAGES["tydiqa"]
    rng = ctx.rng("tydiqa", "train")
    train = []
    for lang in langs:
        for i, ex in enumerate(
            _qa_latent(ctx, "tydiqa", "train", ctx.n(2000 if lang == "en" else 400), *CONTEXT_FACTS["tydiqa"], rng)
        ):
            train.append(
                _reorder(
                    {
                        "id": f"{TYDIQA_ID_PREFIX[lang]}-{int(hexid(ctx.seed, lang, i, n=15), 16)}-{i % 3}",
                        **render_qa(ctx, lang, ex),
                    }
                )
            )
    rng.shuffle(train)
    rows: Rows = {("train", "mixed"): train}
    rng = ctx.rng("tydiqa", "validation")
    for lang in langs:
        rows[("test", lang)] = [
            _reorder(
                {
                    "id": f"{TYDIQA_ID_PREFIX[lang]}-{int(hexid(ctx.seed, 'dev', lang, i, n=15), 16)}-0",
                    **render_qa(ctx, lang, ex),
                }
            )
            for i, ex in enumerate(_qa_latent(ctx, "tydiqa", "test", ctx.n(300), *CONTEXT_FACTS["tydiqa"], rng))
        ]
    return rows
