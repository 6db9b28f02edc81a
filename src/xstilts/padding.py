"""Dynamic padding of token features into a batch: the tensors transformers' ``DataCollatorWithPadding``,
``DataCollatorForTokenClassification`` and ``DataCollatorForMultipleChoice`` build, built with NumPy.

Written by hand for speed alone: those collators send every batch through the tokenizer's ``pad``, which
walks each nested Python list element by element (5.6 ms for a batch of 32 four-choice Cosmos QA features
against 0.4 ms here, ``python benchmarks/collate.py``). ``tests/test_formats.py`` checks the tensors equal
the library collators' on every format's features.
"""

from __future__ import annotations

import itertools

import numpy as np

LABEL_PAD = -100  # what the losses ignore; transformers' DataCollatorForTokenClassification pads labels so
RENAMED = {"label": "labels", "label_ids": "labels"}  # as the library collators name the target


def pad_sequences(seqs: list, value: int) -> np.ndarray:
    """``[len(seqs), longest]`` int64, each sequence left-aligned and followed by ``value``."""
    lengths = np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs))
    out = np.full((len(seqs), int(lengths.max(initial=0))), value, dtype=np.int64)
    flat = np.fromiter(itertools.chain.from_iterable(seqs), dtype=np.int64, count=int(lengths.sum()))
    out[np.arange(out.shape[1]) < lengths[:, None]] = flat
    return out


class PadToLongest:
    """Collate feature rows (dicts) into tensors, padding every list column to the batch's longest sequence.

    A column of lists of lists (multiple choice: one sequence per choice) is padded over all choices of the
    batch and shaped ``[batch, choices, longest]``; scalar columns (class labels, answer positions) are
    stacked. Padding is on the right, with the tokenizer's pad id for ``input_ids``, its pad token type for
    ``token_type_ids``, 0 for masks and -100 for token labels."""

    def __init__(self, tokenizer):
        if tokenizer.padding_side != "right":
            raise ValueError(f"tokenizer pads on the {tokenizer.padding_side}; xstilts pads on the right")
        self.pad_values = {
            "input_ids": tokenizer.pad_token_id,
            "token_type_ids": tokenizer.pad_token_type_id,
            "attention_mask": 0,
            "special_tokens_mask": 1,
            "labels": LABEL_PAD,
        }

    def pad_value(self, column: str) -> int:
        if column in self.pad_values:
            return self.pad_values[column]
        if column.endswith("attention_mask"):
            return 0  # a second sequence's mask, e.g. dense retrieval's candidates
        if column.endswith("input_ids"):
            return self.pad_values["input_ids"]
        raise KeyError(f"no padding value for the list column {column!r}")

    def __call__(self, rows: list[dict]) -> dict:
        import torch

        batch = {}
        for column in rows[0]:
            name = RENAMED.get(column, column)
            values = [row[column] for row in rows]
            if not isinstance(values[0], (list, tuple)):
                batch[name] = torch.tensor(values)  # int64 for ids, float32 for scores, as the library's
            elif values[0] and isinstance(values[0][0], (list, tuple)):
                choices = len(values[0])
                flat = pad_sequences([seq for row in values for seq in row], self.pad_value(name))
                batch[name] = torch.from_numpy(flat.reshape(len(values), choices, flat.shape[1]))
            else:
                batch[name] = torch.from_numpy(pad_sequences(values, self.pad_value(name)))
        return batch
