"""Multiple choice: CommonsenseQA, Cosmos QA, HellaSwag, Social IQa, COPA and XCOPA.

Each choice is encoded as the pair (context, choice) and the model scores all choices of an example jointly
(``AutoModelForMultipleChoice``).
"""

from __future__ import annotations

import numpy as np

from xstilts.formats import (
    auto_model,
    label_index,
    lookup,
    map_rows,
    metric_name,
    no_labels,
    nothing_shared,
    padding_collator,
    registry_labels,
    unchanged,
)
from xstilts.inference import run_model


def _choices(record, spec_choices):
    if isinstance(spec_choices, list):
        return [record[c] for c in spec_choices]
    return list(lookup(record, spec_choices))


def canonicalize(ds, spec, labels, lang=None):
    cols = spec.columns
    first = int(cols.get("first_label", 0))

    def convert(record, idx):
        where = f"{spec.name} row {idx}"
        context = " ".join(str(record[c]) for c in cols["context"])
        choices = _choices(record, cols["choices"])
        prefix = record[cols["choice_prefix"]] if "choice_prefix" in cols else ""
        if prefix:
            choices = [f"{prefix} {c}" for c in choices]
        raw = record[cols["label"]]
        if "label_names" in cols:  # e.g. CommonsenseQA: answerKey "C" among choices.label A..E
            names = [str(x) for x in lookup(record, cols["label_names"])]
            label = label_index(str(raw), names, where)
        else:  # HellaSwag stores its label as a string digit; Social IQa counts from 1 (first_label: 1)
            label = label_index(int(raw) - first, [str(i) for i in range(len(choices))], where)
        return {"id": str(record.get("id", idx)), "context": context, "choices": choices, "label": label}

    return map_rows(ds, convert, with_indices=True, remove_columns=ds.column_names)


def featurize(ds, tokenizer, spec, max_length, train):
    def encode(batch):
        firsts, seconds = [], []
        for context, choices in zip(batch["context"], batch["choices"]):
            firsts += [context] * len(choices)
            seconds += choices
        enc = tokenizer(firsts, seconds, truncation="only_first", max_length=max_length)
        out, pos = {k: [] for k in enc}, 0
        for choices in batch["choices"]:
            for k in enc:
                out[k].append(enc[k][pos : pos + len(choices)])
            pos += len(choices)
        out["labels"] = batch["label"]
        return out

    return map_rows(ds, encode, batched=True, remove_columns=ds.column_names)


def build_model(encoder, spec, labels):
    return auto_model("AutoModelForMultipleChoice", encoder, num_labels=1)  # one score per choice


def collator(tokenizer):
    return padding_collator(tokenizer)


def predict(model, tokenizer, features, examples, spec, labels, batch_size, device, shared=None):
    logits = run_model(model, features, collator(tokenizer), batch_size, device)
    return [int(np.argmax(row)) for row in logits["logits"]]


def gold(examples, spec, labels, shared=None):
    return list(examples["label"])


def dev_score(pred, gold_labels, spec):
    accuracy = 100.0 * float(np.mean([p == g for p, g in zip(pred, gold_labels)]))
    return {"score": accuracy, "accuracy": accuracy}


def submission(pred):
    """The chosen answer's index as a plain int: XTREME-R's XCOPA file holds ``{"label": 0}`` rows, compared with
    ``==`` to the gold's JSON integers (the string "0" would score as wrong)."""
    return [int(p) for p in pred]


label_inventory = registry_labels  # no named labels: one score per choice
attach_labels = unchanged
saved_labels = no_labels
main_metric = metric_name
shared = nothing_shared
