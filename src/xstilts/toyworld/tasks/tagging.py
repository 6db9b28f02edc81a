"""Toy UD-POS, PAN-X and CCG: one tag per word of a sampled sentence.

Grouped as `xstilts.formats.tagging` groups them: the renderers tag every token (UPOS, NER, CCG
supertag), so the three builders share one sampler (`_tagging`) and differ only in the tag column.
"""

from __future__ import annotations

from functools import partial

from ..languages import TOY_TASK_LANGUAGES
from ..sentences import random_sentence
from .common import Ctx, Rows, builds


def tagging_latent(ctx: Ctx, task: str, split: str, n: int, entity_heavy=False, declarative_only=False) -> list:
    """The sentence clauses of one split, in row order."""
    rng, w = ctx.rng(task, split), ctx.world_for(split)
    return [
        ctx.draw(
            split, partial(random_sentence, w, rng, declarative_only, entity_heavy), lambda cl: [ctx.text("en", cl)]
        )
        for _ in range(n)
    ]


def _tagging(ctx: Ctx, task: str, make_row, entity_heavy=False, declarative_only=False, splits=None) -> Rows:
    rows: Rows = {}
    langs = TOY_TASK_LANGUAGES.get(task, ["en"])
    splits = splits or (("train", 2000, ["en"]), ("validation", 300, ["en"]), ("test", 300, langs))
    for split, n, split_langs in splits:
        latent = tagging_latent(ctx, task, split, ctx.n(n), entity_heavy, declarative_only)
        for lang in split_langs:
            rows[(split, lang)] = [make_row(lang, ctx.R.render(lang, cl)) for cl in latent]
    return rows


@builds("udpos")
def build_udpos(ctx: Ctx) -> Rows:
    return _tagging(
        ctx, "udpos", lambda lang, toks: {"tokens": [t.text for t in toks], "pos_tags": [t.upos for t in toks]}
    )


@builds("panx")
def build_panx(ctx: Ctx) -> Rows:
    return _tagging(
        ctx,
        "panx",
        lambda lang, toks: {
            "tokens": [t.text for t in toks],
            "ner_tags": [t.ner for t in toks],
            "langs": [lang] * len(toks),
        },
        entity_heavy=True,
    )


@builds("ccg")
def build_ccg(ctx: Ctx) -> Rows:
    def row(lang, toks):
        tags = [t.ccg for t in toks]
        if None in tags:
            raise ValueError(f"missing CCG supertag in {toks}")
        return {"tokens": [t.text for t in toks], "tags": tags}

    return _tagging(
        ctx, "ccg", row, declarative_only=True, splits=(("train", 2000, ["en"]), ("validation", 300, ["en"]))
    )
