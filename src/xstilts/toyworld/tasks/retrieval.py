"""Toy BUCC 2018 and Tatoeba: parallel sentences to retrieve across languages (test data only).

Grouped as `xstilts.formats.retrieval` groups them. BUCC keeps its original file layout: its builder
returns file name -> lines, which generate.py writes as they are.
"""

from __future__ import annotations

from ..grammar import Clause
from ..languages import TOY_TASK_LANGUAGES
from ..sentences import random_sentence
from .common import Ctx, Rows, builds


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


@builds("bucc2018")
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


@builds("tatoeba")
def build_tatoeba(ctx: Ctx) -> Rows:
    rows: Rows = {}
    for lang in TOY_TASK_LANGUAGES["tatoeba"]:
        rng = ctx.rng("tatoeba", lang)
        sents = _unique_sentences(ctx, rng, ctx.n(300), set())
        rows[("test", lang)] = [
            {
                "source_sentence": ctx.text(lang, cl),
                "target_sentence": ctx.text("en", cl),
                "source_lang": lang,
                "target_lang": "eng",
            }
            for cl in sents
        ]
    return rows
