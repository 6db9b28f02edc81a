"""Batched forward passes for evaluation: length-sorted batches with dynamic padding."""

from __future__ import annotations

import numpy as np
import torch

MODEL_INPUTS = ("input_ids", "attention_mask", "labels")


def feature_lengths(features) -> np.ndarray:
    """Token count per feature (multiple choice: its longest choice), read from the Arrow column.

    Computed with pyarrow so that a training set of millions of features is never turned into Python lists.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    column = features.select_columns(["input_ids"]).with_format("arrow")[:].column("input_ids").combine_chunks()
    if pa.types.is_list(column.type.value_type) or pa.types.is_large_list(column.type.value_type):
        choices = pc.list_flatten(column)  # one row per choice
        choice_lengths = pc.list_value_length(choices).to_numpy(zero_copy_only=False)
        offsets = column.offsets.to_numpy()
        return np.array(
            [choice_lengths[a:b].max() if b > a else 0 for a, b in zip(offsets[:-1], offsets[1:])], dtype=np.int64
        )
    return pc.list_value_length(column).to_numpy(zero_copy_only=False).astype(np.int64)


def run_model(model, features, collate, batch_size: int, device, outputs=("logits",), token_level=False):
    """Run ``model`` over ``features`` and return ``{output_name: [array per feature]}`` in feature order.

    Batches are formed from length-sorted features so that padding stays minimal; token-level outputs are cut
    back to each feature's own length.
    """
    columns = [c for c in MODEL_INPUTS if c in features.column_names]
    rows = features.select_columns(columns).to_dict()  # one Arrow conversion, not a Python object per row
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
