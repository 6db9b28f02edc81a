"""Sentence retrieval without training: BUCC 2018 bitext mining and Tatoeba, as XTREME evaluates them.

Sentences are embedded by mean pooling the hidden states of one encoder layer over the non-padding tokens,
then L2-normalised (google-research/xtreme ``third_party/evaluate_retrieval.py``, ``pool_type=mean``).

* Tatoeba (``utils_retrieve.similarity_search(x=non-English, y=English)``): the non-English sentences are
  indexed and every English sentence queries them; prediction line i is the index of the non-English
  sentence retrieved for English sentence i, and gold line i the index of its translation.
* BUCC (``mine_bitext(retrieval='max', margin='ratio', neighborhood=4)`` then ``bucc_eval``): duplicate
  sentences are unified, each source sentence takes its best ratio-margin match among its own k nearest
  targets and each target among its own k nearest sources, all those candidates are taken greedily by
  descending score one to one, and pairs whose sentence occurs more than once in its file are dropped (the
  reference maps sentences back to ids and forgets repeated ones). The threshold maximising F1 on the dev
  gold (midway between the best candidate and the next) is then applied to test; the reference tunes it
  on each split's own gold and never applies the dev one (google-research/xtreme#60).

The data layout (``canonicalize``): one row per sentence with ``side`` (``src`` = the non-English
language, ``tgt`` = English), ``id``, ``text`` and ``match`` (the gold partner's id, None for BUCC's
distractors).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from xstilts.formats import map_rows, nothing_shared
from xstilts.inference import run_model

SIDES = ("src", "tgt")  # src: the non-English language; tgt: English


def canonicalize(ds, spec, labels, lang=None):
    """Tatoeba rows (source_sentence = non-English, target_sentence = English) become two sides whose i-th
    sentences match.

    BUCC is read from its original files straight into this layout by the data loader.
    """
    if "side" in ds.column_names:
        return ds
    rows = {"side": [], "id": [], "text": [], "match": []}
    for i, (src, tgt) in enumerate(zip(ds["source_sentence"], ds["target_sentence"])):
        for side, text, other in (("src", src, f"tgt-{i}"), ("tgt", tgt, f"src-{i}")):
            rows["side"].append(side)
            rows["id"].append(f"{side}-{i}")
            rows["text"].append(text)
            rows["match"].append(other)
    from datasets import Dataset

    return Dataset.from_dict(rows)


def featurize(ds, tokenizer, spec, max_length, train):
    def encode(batch):
        return tokenizer(batch["text"], truncation=True, max_length=max_length)

    return map_rows(ds, encode, batched=True, remove_columns=["text"])


# ----------------------------------------------------------------------------------------------- embedding
class MeanPooledLayer(torch.nn.Module):
    """Wraps an encoder so that ``run_model`` gets one pooled, normalised vector per sentence."""

    def __init__(self, encoder, layer: int):
        super().__init__()
        self.encoder, self.layer = encoder, layer

    def forward(self, input_ids, attention_mask, **_):
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True
        ).hidden_states
        states = hidden[self.layer]
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1)
        return {"embedding": torch.nn.functional.normalize(pooled, dim=-1)}


def resolve_layer(layer: int, num_layers: int) -> int:
    """hidden_states[0] is the embedding output, so layers count 1..num_layers; negative counts from the top.

    XTREME's ``--specific_layer L`` indexes the transformer layers from 0 (``hidden_states[1:]``), so its
    layer 13 of XLM-R large (``run_tatoeba.sh``) is layer 14 here, jiant's "layer 14 of 24".
    """
    resolved = layer if layer >= 0 else num_layers + 1 + layer
    if not 0 <= resolved <= num_layers:
        raise ValueError(f"retrieval layer {layer} does not exist in an encoder with {num_layers} layers")
    return resolved


def embed(encoder, tokenizer, features, layer, batch_size, device) -> np.ndarray:
    from xstilts.padding import PadToLongest

    pooled = MeanPooledLayer(encoder, resolve_layer(layer, encoder.config.num_hidden_layers))
    out = run_model(pooled, features, PadToLongest(tokenizer), batch_size, device, outputs=("embedding",))
    return np.stack(out["embedding"]).astype(np.float32)


def _normalized(vectors: np.ndarray) -> np.ndarray:
    """A float32 copy with unit rows (the reference normalises with ``faiss.normalize_L2`` in place)."""
    import faiss

    vectors = np.array(vectors, dtype=np.float32, copy=True, order="C")
    faiss.normalize_L2(vectors)
    return vectors


def knn(queries: np.ndarray, keys: np.ndarray, k: int):
    """Exact cosine neighbours of unit vectors, best first: returns (similarities, indices), k <= len(keys)."""
    import faiss

    index = faiss.IndexFlatIP(keys.shape[1])
    if hasattr(faiss, "StandardGpuResources") and faiss.get_num_gpus() > 0:
        index = faiss.index_cpu_to_gpu(faiss.StandardGpuResources(), 0, index)
    index.add(np.ascontiguousarray(keys, dtype=np.float32))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, keys.shape[0]))


# ----------------------------------------------------------------------------------------------- Tatoeba
def nearest_neighbour(non_english: np.ndarray, english: np.ndarray) -> list[int]:
    """Tatoeba 1-NN as ``similarity_search(x=non_english, y=english, normalize=True)``: the non-English
    sentences are indexed (L2 distance of unit vectors, i.e. cosine) and each English sentence queries;
    element i is the index of the non-English sentence nearest to English sentence i."""
    import faiss

    index = faiss.IndexFlatL2(non_english.shape[1])
    index.add(_normalized(non_english))
    _, nearest = index.search(_normalized(english), 1)
    return [int(n[0]) for n in nearest]


# ----------------------------------------------------------------------------------------------- BUCC mining
def ratio_margin_candidates(src: np.ndarray, tgt: np.ndarray, k: int = 4):
    """Each sentence's k nearest neighbours on the other side and their ratio-margin scores
    (``score_candidates``):

        margin(x, y) = cos(x, y) / ((mean_k cos(x, NN_k(x)) + mean_k cos(y, NN_k(y))) / 2)

    with NN_k taken forward (source -> target) for x and backward for y. Returns
    ``(fwd_ind, fwd_scores, bwd_ind, bwd_scores)``: row i of ``fwd_*`` are source i's neighbours (target
    indices) and their margins, row j of ``bwd_*`` target j's neighbours (source indices) and margins.
    """
    src, tgt = _normalized(src), _normalized(tgt)
    fwd_sim, fwd_ind = knn(src, tgt, k)
    bwd_sim, bwd_ind = knn(tgt, src, k)
    fwd_mean, bwd_mean = fwd_sim.mean(axis=1), bwd_sim.mean(axis=1)
    # the search's similarities are the cosines the reference recomputes pair by pair (equal to float
    # rounding), and need no (sentences x k x dim) gather: BUCC test has ~400k sentences a side
    fwd_scores = fwd_sim / ((fwd_mean[:, None] + bwd_mean[fwd_ind]) / 2)
    bwd_scores = bwd_sim / ((bwd_mean[:, None] + fwd_mean[bwd_ind]) / 2)
    return fwd_ind, fwd_scores.astype(np.float64), bwd_ind, bwd_scores.astype(np.float64)


def mine_max(src: np.ndarray, tgt: np.ndarray, k: int = 4, threshold: float = 0.0) -> list[tuple[float, int, int]]:
    """``mine_bitext(mode='mine', retrieval='max', margin='ratio')``: source i proposes its best-scored
    target among its own k forward neighbours, target j its best source among its own k backward
    neighbours; all proposals are taken by descending score, each sentence in at most one pair, and a pair
    is kept when its score exceeds ``threshold`` (the reference's 0). Returns (score, src, tgt) triples."""
    fwd_ind, fwd_scores, bwd_ind, bwd_scores = ratio_margin_candidates(src, tgt, k)
    fwd_best = fwd_ind[np.arange(len(fwd_ind)), fwd_scores.argmax(axis=1)]
    bwd_best = bwd_ind[np.arange(len(bwd_ind)), bwd_scores.argmax(axis=1)]
    proposals = np.concatenate(
        [np.stack([np.arange(len(fwd_best)), fwd_best], axis=1), np.stack([bwd_best, np.arange(len(bwd_best))], axis=1)]
    )
    scores = np.concatenate([fwd_scores.max(axis=1), bwd_scores.max(axis=1)])
    seen_src, seen_tgt, pairs = set(), set(), []
    for n in np.argsort(-scores):
        i, j = (int(v) for v in proposals[n])
        if i in seen_src or j in seen_tgt:
            continue
        seen_src.add(i)  # a proposal below the threshold still uses up its two sentences, as in the reference
        seen_tgt.add(j)
        if scores[n] > threshold:
            pairs.append((float(scores[n]), i, j))  # plain floats: numpy floats would not serialise to JSON
    return pairs


def _unique_rows(keys: list) -> tuple[list[int], set[int]]:
    """First row of every distinct key (``text_load_unify``) and the rows whose key is repeated (the
    sentences ``read_sent2id`` forgets)."""
    first, counts = {}, {}
    for row, key in enumerate(keys):
        first.setdefault(key, row)
        counts[key] = counts.get(key, 0) + 1
    return list(first.values()), {row for key, row in first.items() if counts[key] > 1}


def mine_candidates(
    src: np.ndarray,
    tgt: np.ndarray,
    src_ids: list[str],
    tgt_ids: list[str],
    k: int = 4,
    src_keys: list | None = None,
    tgt_keys: list | None = None,
) -> dict[tuple[str, str], float]:
    """BUCC candidates ``{(src_id, tgt_id): margin}`` as ``mine_bitext`` + ``read_candidate2score`` give them.

    ``*_keys`` identify equal sentences (default: every sentence distinct); mining runs over the distinct
    sentences, and a pair whose sentence occurs more than once is dropped, as the reference does.
    """
    src_rows, src_repeated = _unique_rows(src_keys if src_keys is not None else list(range(len(src))))
    tgt_rows, tgt_repeated = _unique_rows(tgt_keys if tgt_keys is not None else list(range(len(tgt))))
    candidates = {}
    for score, i, j in mine_max(src[src_rows], tgt[tgt_rows], k):
        i, j = src_rows[i], tgt_rows[j]
        if i not in src_repeated and j not in tgt_repeated:
            pair = (src_ids[i], tgt_ids[j])
            candidates[pair] = max(score, candidates.get(pair, score))
    return candidates


def best_threshold(candidates: dict[tuple[str, str], float], gold_pairs: set) -> float:
    """``bucc_optimize``: walk the candidates by descending score; where F1 against the gold pairs is best,
    the threshold lies midway between that candidate's score and the next one's (0 when no candidate is
    correct). Where the reference would index past its last candidate (best F1 at the lowest score), the
    threshold is that lowest score."""
    items = sorted(candidates.items(), key=lambda item: -item[1])
    threshold, best_f1, correct = 0.0, 0.0, 0
    for n, (pair, score) in enumerate(items, start=1):
        correct += pair in gold_pairs
        if correct:
            precision, recall = correct / n, correct / len(gold_pairs)
            f1 = 2 * precision * recall / (precision + recall)
            if f1 > best_f1:
                best_f1 = f1
                threshold = (score + items[n][1]) / 2 if n < len(items) else score
    return float(threshold)


def extract(candidates: dict[tuple[str, str], float], threshold: float) -> list[tuple[str, str]]:
    """``bucc_extract``: the candidate pairs scoring at least ``threshold``."""
    return [pair for pair, score in candidates.items() if score >= threshold]


# ----------------------------------------------------------------------------------------------- protocol
def sides(features):
    """Split one language's rows into (src row indices, tgt row indices)."""
    side = features.select_columns(["side"]).to_dict()["side"]
    return [i for i, s in enumerate(side) if s == "src"], [i for i, s in enumerate(side) if s == "tgt"]


def gold(examples, spec, labels=None, shared=None):
    """BUCC: the gold (src_id, tgt_id) pairs. Tatoeba: line i = the index, among the non-English sentences,
    of the translation of English sentence i (the meaning of an XTREME Tatoeba prediction line)."""
    side, ids, match = examples["side"], examples["id"], examples["match"]
    if spec.mode == "mining":
        return [(i, m) for s, i, m in zip(side, ids, match) if s == "src" and m is not None]
    src_index = {i: n for n, i in enumerate(i for s, i in zip(side, ids) if s == "src")}
    return [src_index[m] for s, i, m in zip(side, ids, match) if s == "tgt"]


@dataclass
class Embedded:
    """One language's sentences, embedded: vectors, ids and sentence keys per side."""

    src: np.ndarray
    tgt: np.ndarray
    src_ids: list[str]
    tgt_ids: list[str]
    src_keys: list
    tgt_keys: list


def embed_sides(encoder, tokenizer, features, layer, batch_size, device) -> Embedded:
    src_rows, tgt_rows = sides(features)
    vectors = embed(encoder, tokenizer, features, layer, batch_size, device)
    columns = features.select_columns(["id", "input_ids"]).to_dict()  # one Arrow conversion per column
    ids, tokens = columns["id"], columns["input_ids"]
    # equal token ids stand for equal sentences (the features no longer carry the text)
    return Embedded(
        vectors[src_rows],
        vectors[tgt_rows],
        [ids[i] for i in src_rows],
        [ids[i] for i in tgt_rows],
        [tuple(tokens[i]) for i in src_rows],
        [tuple(tokens[i]) for i in tgt_rows],
    )


@dataclass
class Result:
    pred: list
    gold: list
    details: dict = field(default_factory=dict)  # BUCC: the threshold and its dev scores


def mine(test: Embedded, dev: Embedded, test_gold: list, dev_gold: list, k: int) -> Result:
    """BUCC: the threshold chosen on the dev candidates against dev gold, applied to the test candidates."""
    from xstilts.metrics.bucc import pair_f1

    dev_candidates = mine_candidates(dev.src, dev.tgt, dev.src_ids, dev.tgt_ids, k, dev.src_keys, dev.tgt_keys)
    threshold = best_threshold(dev_candidates, {tuple(p) for p in dev_gold})
    dev_scores = pair_f1(dev_gold, extract(dev_candidates, threshold))  # as bucc_eval reports it
    test_candidates = mine_candidates(test.src, test.tgt, test.src_ids, test.tgt_ids, k, test.src_keys, test.tgt_keys)
    return Result(
        extract(test_candidates, threshold),
        test_gold,
        {
            "threshold": threshold,
            **{f"dev_{name}": value for name, value in dev_scores.items()},
            "dev_candidates": len(dev_candidates),
            "test_candidates": len(test_candidates),
        },
    )


def evaluate(
    encoder, tokenizer, spec, test_features, dev_features, layer: int, k: int, batch_size: int, device
) -> Result:
    """One language: BUCC mining with the dev threshold, or Tatoeba 1-NN from English into the other side."""
    test = embed_sides(encoder, tokenizer, test_features, layer, batch_size, device)
    test_gold = gold(test_features, spec)
    if spec.mode == "mining":
        if dev_features is None:
            raise ValueError(
                f"{spec.name}: mining needs dev data to choose the score threshold (tasks.yaml {spec.name}.validation)"
            )
        dev = embed_sides(encoder, tokenizer, dev_features, layer, batch_size, device)
        return mine(test, dev, test_gold, gold(dev_features, spec), k)
    return Result(nearest_neighbour(test.src, test.tgt), test_gold)


def main_metric(spec) -> str:
    return spec.metric


shared = nothing_shared  # each language pair is its own retrieval problem
