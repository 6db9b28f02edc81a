"""Batched forward passes for evaluation: length-sorted batches with dynamic padding."""

from __future__ import annotations

import numpy as np
import torch

MODEL_INPUTS = ("input_ids", "attention_mask", "labels")


def feature_lengths(features) -> np.ndarray:
    """Token count per feature (multiple choice: its longest choice)."""
    ids = features["input_ids"]
    return np.array([max(len(c) for c in x) if x and isinstance(x[0], list) else len(x) for x in ids])


def run_model(model, features, collate, batch_size: int, device, outputs=("logits",), token_level=False):
    """Run ``model`` over ``features`` and return ``{output_name: [array per feature]}`` in feature order.

    Batches are formed from length-sorted features so that padding stays minimal; token-level outputs are cut
    back to each feature's own length.
    """
    columns = [c for c in MODEL_INPUTS if c in features.column_names]
    rows = {c: list(features[c]) for c in columns}
    lengths = feature_lengths(features)
    order = np.argsort(-lengths, kind="stable")
    results = {name: [None] * len(features) for name in outputs}
    model.eval()
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            batch = collate([{c: rows[c][i] for c in columns} for i in idx])
            batch = {k: v.to(device) for k, v in batch.items()}
            out = model(**batch)
            for name in outputs:
                values = out[name].float().cpu().numpy()
                for j, i in enumerate(idx):
                    results[name][i] = values[j][: lengths[i]] if token_level else values[j]
    return results
