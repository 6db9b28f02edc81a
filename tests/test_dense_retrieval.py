"""Dense retrieval (Mewsli-X, LAReQA) with known answers: the in-batch loss, CLS pooling, a planted retrieval, the
cross-language LAReQA pool, sentence breaking, the mention query text, and training through the shared loop."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from datasets import Dataset
from transformers import AutoModel, AutoTokenizer

from xstilts import jobs, registry
from xstilts.formats import dense_retrieval as dr
from xstilts.formats import get_format
from xstilts.metrics import score_task
from xstilts.settings import RuntimeSettings

CPU = torch.device("cpu")


def test_in_batch_loss_on_a_hand_case():
    """Two queries, two candidates: softmax cross-entropy towards the diagonal."""
    logits = torch.tensor([[2.0, 0.0], [1.0, 3.0]])
    expected = (math.log(1 + math.exp(-2.0)) + math.log(1 + math.exp(-2.0))) / 2
    assert dr.in_batch_loss(logits).item() == pytest.approx(expected, rel=1e-6)
    # a candidate of another pair that scores higher makes the loss larger
    assert dr.in_batch_loss(torch.tensor([[0.0, 2.0], [1.0, 3.0]])).item() > expected


def test_dual_encoder_pools_cls_and_scales_cosines(tiny_encoder):
    """The vector is the encoder's pooled output over <s> (its pooler, as the reference's outputs[1]),
    L2-normalised; the training logits are 100 x the cosines, the loss the in-batch cross-entropy."""
    model = dr.build_model(tiny_encoder, registry.get("lareqa"), []).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    batch = tokenizer(["Anna sat in Paris", "the red ending"], padding=True, return_tensors="pt")
    other = tokenizer(["good the bad", "Paris"], padding=True, return_tensors="pt")
    with torch.no_grad():
        out = model(batch["input_ids"], batch["attention_mask"])["embedding"]
        hidden = model.encoder(**batch).last_hidden_state[:, 0]
        pooled = torch.tanh(model.encoder.pooler.dense(hidden))
        assert torch.allclose(out, torch.nn.functional.normalize(pooled, dim=-1), atol=1e-6)
        assert torch.allclose(out.norm(dim=-1), torch.ones(2), atol=1e-6)
        train = model(batch["input_ids"], batch["attention_mask"], other["input_ids"], other["attention_mask"])
        c = model(other["input_ids"], other["attention_mask"])["embedding"]
    assert model.logit_scale.item() == dr.LOGIT_SCALE_INIT
    assert torch.allclose(train.logits, 100.0 * out @ c.T, atol=1e-4)
    assert train.loss.item() == pytest.approx(dr.in_batch_loss(train.logits).item(), rel=1e-6)


def _canonical(items):
    return dr.canonical_dataset({k: [it[k] for it in items] for k in dr.CANONICAL})


def _item(kind, item_id, text, group="", groups=()):
    return {"kind": kind, "id": item_id, "text": text, "group": group, "groups": list(groups)}


def test_planted_retrieval_is_recovered_with_identical_embeddings(tiny_encoder):
    """Each query has the very text of its entity's description: equal inputs give equal vectors, so the
    gold entity ranks first (cosine 1) and MRR@20 is 100 whatever the (random) weights."""
    spec = registry.get("mewslix")
    texts = ["Anna sat in Paris", "the red ending", "good bad not", "ka lo mi ne", "of and the a", "Paris Paris"]
    items = [_item("candidate", f"Q{i}", t, groups=[f"Q{i}"]) for i, t in enumerate(texts)]
    items += [_item("query", f"m{i}", t, f"Q{i}") for i, t in enumerate(texts)]
    data = _canonical(items)
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    features = dr.featurize(data, tokenizer, spec, 32, train=False)
    model = dr.build_model(tiny_encoder, spec, [])
    pred = dr.predict(model, tokenizer, features, data, spec, [], 4, CPU)
    gold = dr.gold(data, spec, [])
    assert gold == {f"m{i}": [f"Q{i}"] for i in range(len(texts))}
    assert all(ranked[0] == f"Q{i}" and len(ranked) == len(texts) for i, ranked in enumerate(pred.values()))
    assert score_task("mewslix", "en", gold, pred) == {"map@20": pytest.approx(100.0)}


def test_search_is_inner_product_top_k():
    keys = np.eye(4, dtype=np.float32)
    queries = np.array([[0.1, 0.9, 0.0, 0.5], [1.0, 0.0, 0.2, 0.0]], dtype=np.float32)
    assert dr.search(queries, keys, 3).tolist() == [[1, 3, 0], [0, 2, 1]]
    assert dr.search(queries, keys, 20).shape == (2, 4)  # k is capped at the pool size


def _xquad_r(lang, marker):
    """Two parallel paragraphs; question ids are shared by the translations."""
    p1 = f"Anna lives in Paris{marker}. She sells red cars{marker}."
    p2 = f"The harbour is old{marker}. Ships leave at dawn{marker}."
    rows = []
    for qid, context, answer in (("a", p1, "Paris"), ("b", p1, "red cars"), ("c", p2, "at dawn")):
        rows.append(
            {
                "id": qid,
                "context": context,
                "question": f"question {qid}{marker}?",
                "answers": {"text": [answer], "answer_start": [context.index(answer)]},
            }
        )
    return Dataset.from_list(rows)


def test_lareqa_pool_spans_all_languages():
    """A question is ranked against the sentences of every language, and its translations' answer sentences
    count as relevant: retrieving only the same-language answer scores AP 1/2 with two languages."""
    spec = registry.get("lareqa")
    fmt = get_format("dense_retrieval")
    data = {lang: fmt.canonicalize(_xquad_r(lang, m), spec, None, lang=lang) for lang, m in (("en", ""), ("de", " de"))}
    pool = fmt.shared(data, spec)
    assert sorted(pool.ids) == sorted(f"{lang}_{p}_{s}" for lang in ("en", "de") for p in (1, 2) for s in (0, 1))
    gold = {lang: fmt.gold(data[lang], spec, [], shared=pool) for lang in data}
    assert gold["en"] == {"a_en": ["en_1_0", "de_1_0"], "b_en": ["en_1_1", "de_1_1"], "c_en": ["en_2_1", "de_2_1"]}
    assert gold["de"]["a_de"] == ["en_1_0", "de_1_0"]
    # alone, English sees only its own sentences
    assert fmt.gold(data["en"], spec, [])["a_en"] == ["en_1_0"]
    perfect = {q: list(ids) for q, ids in gold["en"].items()}
    same_language_only = {q: [ids[0], "en_2_0"] for q, ids in gold["en"].items()}
    assert score_task("lareqa", "en", gold["en"], perfect)["map@20"] == pytest.approx(100.0)
    assert score_task("lareqa", "en", gold["en"], same_language_only)["map@20"] == pytest.approx(50.0)
    # candidates hold their sentence followed by the paragraph, newlines removed (the reference's input)
    text = dict(zip(data["en"]["id"], data["en"]["text"]))
    assert text["en_1_1"] == "She sells red cars." + "Anna lives in Paris. She sells red cars."


def test_cell_pool_predicts_across_languages(tiny_encoder):
    """predict with the cell's pool returns candidate ids of both languages, each pool candidate embedded once."""
    spec = registry.get("lareqa")
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    data = {lang: dr.canonicalize(_xquad_r(lang, m), spec, None, lang=lang) for lang, m in (("en", ""), ("de", " de"))}
    features = {lang: dr.featurize(d, tokenizer, spec, 32, train=False) for lang, d in data.items()}
    pool = dr.shared(features, spec)
    model = dr.build_model(tiny_encoder, spec, [])
    calls = []
    real = dr.embed

    def counting(model, tokenizer, feats, batch_size, device):
        calls.append(len(feats))
        return real(model, tokenizer, feats, batch_size, device)

    dr.embed = counting
    try:
        preds = {
            lang: dr.predict(model, tokenizer, features[lang], data[lang], spec, [], 4, CPU, shared=pool)
            for lang in data
        }
    finally:
        dr.embed = real
    assert calls == [8, 3, 3]  # the 8 pool sentences once, then each language's 3 questions
    for ranked in preds["de"].values():
        assert sorted(ranked) == sorted(pool.ids)


def test_sentence_breaks():
    text = 'He met Dr. Smith in Paris. "Yes." 2015 was good. then more. 这是一。这是二。'
    spans = dr.sentence_breaks(text)
    assert [text[s:e] for s, e in spans] == [
        "He met Dr. Smith in Paris.",
        '"Yes."',
        "2015 was good. then more.",
        "这是一。",
        "这是二。",
    ]


def test_mewslix_query_marks_the_mention_in_its_sentence():
    from xstilts.sources.local.dense import mention_text

    text = "It rained. Anna {the city} met Paris there.\nEnd."
    start = text.index("Paris")
    context = {"text": text, "sentence_spans": [{"start": 0, "end": 10}, {"start": 11, "end": 43}]}
    mention = {"mention_span": {"start": start, "end": start + 5, "text": "Paris"}}
    assert mention_text(context, mention, "f", 1) == "Paris: Anna (the city) met { Paris } there."


def test_training_pairs_each_query_with_its_candidate(tiny_encoder):
    spec = registry.get("mewslix")
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    data = _canonical([_item("candidate", "Q1", "Paris", groups=["Q1"]), _item("query", "m1", "Anna Paris", "Q1")])
    train = dr.featurize(data, tokenizer, spec, 32, train=True)
    assert len(train) == 1
    assert train[0]["input_ids"] == tokenizer("Anna Paris")["input_ids"]
    assert train[0]["candidate_input_ids"] == tokenizer("Paris")["input_ids"]


@pytest.mark.slow
def test_dual_encoder_trains_through_the_shared_loop(tiny_encoder, tmp_path):
    """In-batch training on a planted match (query = 'find X', candidate = 'X ...') lifts dev MRR@20 well above
    the random encoder's, selected on the English dev pool; the saved model reloads with its logit scale."""
    import random

    spec = registry.get("mewslix")
    rng = random.Random(0)
    syll = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "ga", "bu", "fe"]
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    # the randomly initialised encoder without dropout: through independent dropout masks on both towers its
    # nearly parallel initial vectors (mean cosine ~0.95) collapse to one point at logit scale 100 (in-batch
    # loss stuck at ln 16, measured); with dropout off the same loop overfits a batch to loss 0
    from transformers import AutoModelForMaskedLM

    encoder = AutoModelForMaskedLM.from_pretrained(
        tiny_encoder, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0
    )
    encoder.save_pretrained(tmp_path / "encoder")
    tokenizer.save_pretrained(tmp_path / "encoder")
    tiny_encoder = str(tmp_path / "encoder")

    def split(n, name):
        items = []
        for i in range(n):
            word = "".join(rng.choice(syll) for _ in range(3))
            items.append(_item("candidate", f"{name}{i}", f"{word} is a thing", groups=[f"{name}{i}"]))
            items.append(_item("query", f"m{name}{i}", f"find {word}", f"{name}{i}"))
        data = _canonical(items)
        data.save_to_disk(str(tmp_path / "data" / name / "en"))
        dr.featurize(data, tokenizer, spec, 16, train=name == "train").save_to_disk(str(tmp_path / "f" / name / "en"))
        return str(tmp_path / "data" / name), str(tmp_path / "f" / name)

    _, train = split(192, "train")
    dev_data, dev = split(40, "validation")
    hp = {
        "learning_rate": 2e-3,
        "batch_size": 16,
        "grad_accum": 1,
        "epochs": 6,
        "warmup_ratio": 0.1,
        "weight_decay": 0.0,
    }
    summary = jobs.train_model(
        ["mewslix"],
        tiny_encoder,
        {"mewslix": train},
        {"mewslix": dev},
        {"mewslix": dev_data},
        hp,
        seed=0,
        out_dir=str(tmp_path / "out"),
        save="model",
        runtime=RuntimeSettings(device="cpu", eval_batch_size=32, log_every=10),
    )
    metrics = json.loads((tmp_path / "out" / "dev_metrics.json").read_text())["dev"]["mewslix"]
    assert summary["selection"] == "best English dev" and len(summary["dev_history"]) == 6
    first = summary["dev_history"][0]["score"]
    assert metrics["map@20"] > 40.0 and metrics["map@20"] > first, summary["dev_history"]
    reloaded = dr.build_model(str(tmp_path / "out" / "model"), spec, [])
    assert isinstance(reloaded.encoder, type(AutoModel.from_pretrained(tiny_encoder)))
    assert reloaded.logit_scale.item() != dr.LOGIT_SCALE_INIT  # the learned scale was saved


def test_bootstrap_statistics_of_the_ranking_tasks_are_the_per_query_scores():
    """The paired bootstrap resamples queries: each one's reciprocal rank (Mewsli-X) or AP@20 (LAReQA), whose
    mean is the task's map@20."""
    from xstilts.analysis.bootstrap import example_statistics, score_from_sums, statistic_kind

    gold = {"q1": ["a"], "q2": ["b", "c"]}
    pred = {"q1": ["x", "a"], "q2": ["b", "y", "c"]}
    for task, expected in (("mewslix", [0.5, 1.0]), ("lareqa", [0.5, (1 + 2 / 3) / 2])):
        stats = example_statistics(task, "en", gold, [pred])
        assert stats[0, :, 0].tolist() == pytest.approx(expected)
        score = score_from_sums(statistic_kind(task), stats.sum(axis=1), 2)[0]
        assert score == pytest.approx(score_task(task, "en", gold, pred)["map@20"])
