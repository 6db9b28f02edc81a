"""Sentence and sentence-pair classification: MNLI, ANLI, QQP, SST-2, XNLI, PAWS-X."""

from __future__ import annotations

import numpy as np

from xstilts.formats import (
    auto_model,
    config_labels,
    label_index,
    map_rows,
    metric_name,
    nothing_shared,
    padding_collator,
    registry_labels,
    unchanged,
)
from xstilts.inference import run_model


def canonicalize(ds, spec, labels, lang=None):
    cols = spec.columns
    has_pair = "text_b" in cols

    def convert(record, idx):
        return {
            "id": str(idx),
            "text_a": record[cols["text_a"]],
            "text_b": record[cols["text_b"]] if has_pair else None,
            "label": label_index(record[cols["label"]], labels, f"{spec.name} row {idx}"),
        }

    return map_rows(ds, convert, with_indices=True, remove_columns=ds.column_names)


def featurize(ds, tokenizer, spec, max_length, train):
    def encode(batch):
        pair = batch["text_b"] if batch["text_b"][0] is not None else None
        enc = tokenizer(batch["text_a"], pair, truncation=True, max_length=max_length)
        enc["labels"] = batch["label"]
        return enc

    return map_rows(ds, encode, batched=True, remove_columns=ds.column_names)


def build_model(encoder, spec, labels):
    return auto_model("AutoModelForSequenceClassification", encoder, labels)


def collator(tokenizer):
    return padding_collator(tokenizer)


def predict(model, tokenizer, features, examples, spec, labels, batch_size, device, shared=None):
    logits = run_model(model, features, collator(tokenizer), batch_size, device)
    return [labels[int(np.argmax(row))] for row in logits["logits"]]


def gold(examples, spec, labels, shared=None):
    return [labels[i] for i in examples["label"]]


def dev_score(pred, gold_labels, spec):
    accuracy = 100.0 * float(np.mean([p == g for p, g in zip(pred, gold_labels)]))
    return {"score": accuracy, "accuracy": accuracy}


label_inventory = registry_labels
attach_labels = unchanged  # canonical data already holds the label index
saved_labels = config_labels
submission = unchanged
main_metric = metric_name
shared = nothing_shared
