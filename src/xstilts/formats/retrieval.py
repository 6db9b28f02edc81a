"""Sentence retrieval without training: BUCC 2018 bitext mining and Tatoeba.

Sentences are embedded by mean pooling the hidden states of one encoder layer over the non-padding tokens,
then L2-normalised. faiss does the exact inner-product neighbour search (on GPU when faiss has one).
BUCC scores candidate pairs with the ratio margin of Artetxe & Schwenk (2019) over k neighbours in both
directions; the score threshold is chosen on the dev gold pairs and then applied to test (the reference
script tunes it but never applies it to test).
"""

from __future__ import annotations

import numpy as np
import torch

from xstilts.inference import run_model

SIDES = ("src", "tgt")


def canonicalize(ds, spec, labels):
    """Tatoeba rows (source_sentence, target_sentence) become two sides whose i-th sentences match.

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

    return ds.map(encode, batched=True, remove_columns=["text"])


class MeanPooledLayer(torch.nn.Module):
    """Wraps an encoder so that ``run_model`` gets one pooled, normalised vector per sentence."""

    def __init__(self, encoder, layer: int):
        super().__init__()
        self.encoder, self.layer = encoder, layer

    def forward(self, input_ids, attention_mask, **_):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True).hidden_states
        states = hidden[self.layer]
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1)
        return {"embedding": torch.nn.functional.normalize(pooled, dim=-1)}


def resolve_layer(layer: int, num_layers: int) -> int:
    """hidden_states[0] is the embedding output, so layers count 1..num_layers; negative counts from the top."""
    resolved = layer if layer >= 0 else num_layers + 1 + layer
    if not 0 <= resolved <= num_layers:
        raise ValueError(f"retrieval layer {layer} does not exist in an encoder with {num_layers} layers")
    return resolved


def embed(encoder, tokenizer, features, layer, batch_size, device) -> np.ndarray:
    from transformers import DataCollatorWithPadding

    pooled = MeanPooledLayer(encoder, resolve_layer(layer, encoder.config.num_hidden_layers))
    out = run_model(pooled, features, DataCollatorWithPadding(tokenizer), batch_size, device, outputs=("embedding",))
    return np.stack(out["embedding"]).astype(np.float32)


def knn(queries: np.ndarray, keys: np.ndarray, k: int):
    """Exact cosine neighbours (vectors are normalised): returns (similarities, indices)."""
    import faiss

    index = faiss.IndexFlatIP(keys.shape[1])
    if hasattr(faiss, "StandardGpuResources") and faiss.get_num_gpus() > 0:
        index = faiss.index_cpu_to_gpu(faiss.StandardGpuResources(), 0, index)
    index.add(keys)
    return index.search(queries, min(k, keys.shape[0]))


def margin_candidates(src: np.ndarray, tgt: np.ndarray, k: int = 4):
    """Ratio-margin scored pairs, best target per source and best source per target, then one-to-one.

    margin(x, y) = cos(x, y) / (mean_k cos(x, NN_k(x)) / 2 + mean_k cos(y, NN_k(y)) / 2)
    Candidates are taken greedily by descending score so that each sentence appears in at most one pair
    (the "max" retrieval of Artetxe & Schwenk). Returns a list of (score, src_index, tgt_index).
    """
    sim_st, idx_st = knn(src, tgt, k)
    sim_ts, idx_ts = knn(tgt, src, k)
    avg_src, avg_tgt = sim_st.mean(1).astype(float), sim_ts.mean(1).astype(float)

    def margin(i, j) -> float:  # plain floats: numpy float32 would not serialise to JSON
        return float(src[i] @ tgt[j]) / float((avg_src[i] + avg_tgt[j]) / 2)

    scored = {}
    for i in range(len(src)):
        for j in idx_st[i]:
            scored[(i, int(j))] = margin(i, int(j))
    for j in range(len(tgt)):
        for i in idx_ts[j]:
            scored[(int(i), j)] = margin(int(i), j)
    best_fwd = {}
    for (i, j), score in scored.items():
        if score > best_fwd.get(i, (-np.inf,))[0]:
            best_fwd[i] = (score, j)
    best_bwd = {}
    for (i, j), score in scored.items():
        if score > best_bwd.get(j, (-np.inf,))[0]:
            best_bwd[j] = (score, i)
    pool = [(s, i, j) for i, (s, j) in best_fwd.items()] + [(s, i, j) for j, (s, i) in best_bwd.items()]
    pool.sort(key=lambda x: -x[0])
    used_src, used_tgt, pairs = set(), set(), []
    for score, i, j in pool:
        if i not in used_src and j not in used_tgt:
            used_src.add(i)
            used_tgt.add(j)
            pairs.append((score, i, j))
    return pairs


def best_threshold(candidates, gold_pairs: set) -> tuple[float, float]:
    """The score threshold maximising F1 against gold pairs; returns (threshold, dev F1 in percent)."""
    ordered = sorted(candidates, key=lambda c: -c[0])
    best_f1, best_thr, tp = 0.0, float("inf"), 0
    for n, (score, pair) in enumerate(ordered, start=1):
        tp += pair in gold_pairs
        precision, recall = tp / n, tp / max(len(gold_pairs), 1)
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        if f1 > best_f1:
            best_f1, best_thr = f1, score
    return best_thr, 100.0 * best_f1


def sides(features):
    """Split one language's features into (src rows, tgt rows) index lists."""
    side = features["side"]
    return [i for i, s in enumerate(side) if s == "src"], [i for i, s in enumerate(side) if s == "tgt"]
