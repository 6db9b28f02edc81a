"""Toy Mewsli-X and LAReQA: dense retrieval of entities and of answer sentences (`xstilts.formats.dense_retrieval`).

Mewsli-X keeps the original get-mewsli-x.sh layout (file name -> JSON lines, read by the local reader):
`candidate_set_entities.jsonl`, `wikipedia_pairs-{train,dev}.jsonl` (English mention -> entity pairs) and
`wikinews_mentions-test.jsonl` (mentions in every toy language). Entities are NAMESAKES: every name is
shared by several entities whose descriptions state different facts (job, birth place, home), and a
mention's sentence states one of its entity's facts, so the name alone picks the right entity at chance
among its namesakes: the mention must be matched to the description by content. Test descriptions are in
randomly chosen toy languages (Mewsli-X's candidate descriptions are in 50 languages), test entities are
held-out people with facts drawn afresh, unseen in training (Mewsli-X is "doubly zero-shot").

LAReQA trains and selects on the toy SQuAD's own rows (its train and validation files, re-rendered here) and
is tested on the toy XQuAD's rows in XQuAD-R's hub columns (XQuAD-R is XQuAD with sentence annotations): a
question is matched to the sentence stating the fact it asks about, and its translations' answer
sentences, in every toy language, are relevant.
"""

from __future__ import annotations

import json

from ..grammar import detokenize
from ..languages import TOY_LANGUAGES, TOY_TASK_LANGUAGES
from ..world import fact_clause
from .common import TASK_BUILDERS, Ctx, Rows, builds, hexid

NAMESAKES = 3  # entities per name
MEWSLIX_FACTS = ("job", "born", "lives")


def _name_span(toks, spans, where: str) -> tuple[int, int]:
    """Character span of the subject name (without a glued case suffix)."""
    idx = [i for i, t in enumerate(toks) if t.span == "subj"]
    if not idx:
        raise ValueError(f"no subject name in {where}: {toks}")
    last = toks[idx[-1]]
    end = spans[idx[-1]][0] + last.core if last.core else spans[idx[-1]][1]
    return spans[idx[0]][0], end


def _entities(ctx: Ctx, split: str, n_names: int, rng, tag: str = "gold") -> list[dict]:
    """n_names people, each the name of NAMESAKES entities with pairwise different job, birth city and home."""
    w = ctx.world_for(split)
    people, out = [], []
    while len(people) < min(n_names, len(w.persons)):
        p = w.person(rng, {q.name for q in people})
        people.append(p)
    for p in people:
        used = {rel: set() for rel in MEWSLIX_FACTS}
        for k in range(NAMESAKES):
            facts = []
            for rel in MEWSLIX_FACTS:
                while True:
                    f = w.free_fact(rng, rel, p)
                    value = f.args[0]
                    if value not in used[rel]:
                        used[rel].add(value)
                        facts.append(f)
                        break
            qid = f"Q{int(hexid(ctx.seed, 'mewslix', split, tag, p.name, k, n=10), 16) % 10**9}"
            out.append({"entity_id": qid, "name": p.name, "facts": facts})
    return out


def _entity_json(ctx: Ctx, entity: dict, lang: str) -> dict:
    parts, spans, offset = [], [], 0
    for f in entity["facts"]:
        text = ctx.text(lang, fact_clause(ctx.world, f))
        parts.append(text)
        spans.append({"start": offset, "end": offset + len(text)})
        offset += len(text) + 1
    title = entity["name"].replace(" ", "_")
    return {
        "entity_id": entity["entity_id"],
        "title": entity["name"],
        "description": " ".join(parts),
        "sentence_spans": spans,
        "description_language": lang,
        "description_url": f"https://{lang}.wikipedia.toy/wiki/{title}",
    }


def _mention_context(ctx: Ctx, entity: dict, lang: str, rng, split: str, example_id: str) -> tuple[dict, dict]:
    """An article of two or three sentences; one states a fact of `entity` naming it (the mention)."""
    w = ctx.world_for(split)
    fact = rng.choice(entity["facts"])
    others = [w.free_fact(rng, rng.choice(("visited", "bought", "met")), w.person(rng, (entity["name"],)))]
    if rng.random() < 0.5:
        others.append(w.free_fact(rng, rng.choice(("visited", "bought")), w.person(rng, (entity["name"],))))
    at = rng.randint(0, len(others))
    clauses = [fact_clause(w, f) for f in others]
    clauses.insert(at, fact_clause(w, fact))
    parts, spans, offset, mention = [], [], 0, None
    for k, cl in enumerate(clauses):
        toks = ctx.R.render(lang, cl)
        text, tok_spans = detokenize(toks, offset)
        if k == at:
            start, end = _name_span(toks, tok_spans, f"{lang} {fact}")
            mention = {"start": start, "end": end}
        parts.append(text)
        spans.append({"start": offset, "end": offset + len(text)})
        offset += len(text) + 1
    text = " ".join(parts)
    mention["text"] = text[mention["start"] : mention["end"]]
    context = {
        "document_title": f"{lang}-{example_id}",
        "document_url": f"https://{lang}.wikinews.toy/wiki/{example_id}",
        "document_id": example_id,
        "language": lang,
        "text": text,
        "sentence_spans": spans,
    }
    return context, {"example_id": example_id, "mention_span": mention, "entity_id": entity["entity_id"]}


def _dump(rows: list[dict]) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in rows]


@builds("mewslix")
def build_mewslix(ctx: Ctx) -> dict[str, list[str]]:
    """The get-mewsli-x.sh layout: file name -> lines."""
    files: dict[str, list[str]] = {}
    for split, word, n_names, n_pairs in (("train", "train", 60, 1200), ("validation", "dev", 12, 150)):
        rng = ctx.rng("mewslix", split)
        entities = _entities(ctx, split, ctx.n(n_names), rng)
        pairs = []
        for i in range(ctx.n(n_pairs)):
            entity = rng.choice(entities)
            example_id = f"WP-{word}-{hexid(ctx.seed, 'mewslix', split, i, n=12)}"
            context, mention = _mention_context(ctx, entity, "en", rng, split, example_id)
            context["section_title"] = "Toy"
            pairs.append(
                {
                    "contextual_mention": {"context": context, "mention": mention},
                    "entity": _entity_json(ctx, entity, "en"),
                }
            )
        files[f"wikipedia_pairs-{word}.jsonl"] = _dump(pairs)
    rng = ctx.rng("mewslix", "test")
    gold = _entities(ctx, "test", ctx.n(16), rng)
    distractors = _entities(ctx, "test", ctx.n(8), ctx.rng("mewslix", "test", "distractors"), "distractor")
    pool = {e["entity_id"]: e for e in gold + distractors}
    description_langs = sorted(TOY_LANGUAGES)
    files["candidate_set_entities.jsonl"] = _dump(
        [_entity_json(ctx, e, rng.choice(description_langs)) for e in pool.values()]
    )
    articles = []
    for lang in TOY_TASK_LANGUAGES["mewslix"]:
        for i in range(ctx.n(80)):
            example_id = f"WN-{lang}-{hexid(ctx.seed, 'mewslix', 'test', lang, i, n=12)}"
            context, mention = _mention_context(ctx, rng.choice(gold), lang, rng, "test", example_id)
            articles.append({"context": context, "mentions": [mention]})
    files["wikinews_mentions-test.jsonl"] = _dump(articles)
    return files


@builds("lareqa")
def build_lareqa(ctx: Ctx) -> Rows:
    """Training/selection: the toy SQuAD's rows; test: the toy XQuAD's, in XQuAD-R's columns (no title)."""
    squad, xquad = TASK_BUILDERS["squad"](ctx), TASK_BUILDERS["xquad"](ctx)
    rows: Rows = {key: value for key, value in squad.items()}
    for lang in TOY_TASK_LANGUAGES["lareqa"]:
        rows[("test", lang)] = [
            {k: r[k] for k in ("id", "context", "question", "answers")} for r in xquad[("test", lang)]
        ]
    return rows
