"""Word-level token classification: UD-POS, PAN-X (NER, IOB2), CCG supertags.

Words are labelled on their first sub-word; the other sub-words are ignored in the loss (-100) and in
prediction. Tags stay strings in the cached features, so that a tag set taken from the training data (CCG)
needs no second tokenization pass: ids are assigned when a model's label list is known.
"""

from __future__ import annotations

import numpy as np

from xstilts.formats import (
    auto_model,
    config_labels,
    map_rows,
    metric_name,
    nothing_shared,
    padding_collator,
    unchanged,
)
from xstilts.inference import run_model

IGNORE = -100


def canonicalize(ds, spec, labels, lang=None):
    cols = spec.columns
    tag_feature = ds.features[cols["tags"]]
    names = getattr(getattr(tag_feature, "feature", None), "names", None)  # hub ClassLabel ints -> tag names

    def convert(record, idx):
        tokens, tags = list(record[cols["tokens"]]), list(record[cols["tags"]])
        if names is not None:
            tags = [names[t] for t in tags]
        if len(tokens) != len(tags):
            raise ValueError(f"{spec.name} row {idx}: {len(tokens)} tokens but {len(tags)} tags")
        if labels is not None:
            unknown = sorted(set(tags) - set(labels))
            if unknown:
                raise ValueError(f"{spec.name} row {idx}: unknown tags {unknown}; expected {', '.join(labels)}")
        return {"id": str(idx), "tokens": [str(t) for t in tokens], "tags": [str(t) for t in tags]}

    return map_rows(ds, convert, with_indices=True, remove_columns=ds.column_names)


def featurize(ds, tokenizer, spec, max_length, train):
    def encode(batch):
        enc = tokenizer(batch["tokens"], is_split_into_words=True, truncation=True, max_length=max_length)
        word_ids, token_tags = [], []
        for i, tags in enumerate(batch["tags"]):
            ids = enc.word_ids(i)
            previous, row = None, []
            for w in ids:
                row.append(tags[w] if w is not None and w != previous else None)
                previous = w
            word_ids.append([-1 if w is None else w for w in ids])
            token_tags.append(row)
        enc["word_ids"] = word_ids
        enc["token_tags"] = token_tags
        return enc

    return map_rows(ds, encode, batched=True, remove_columns=ds.column_names)


def label_inventory(train_features, spec) -> list[str]:
    """The model's tag inventory: fixed by the registry, or (CCG) every tag seen in training, sorted."""
    if spec.labels is not None:
        return list(spec.labels)
    return sorted({t for row in train_features["token_tags"] for t in row if t is not None})


def attach_labels(features, labels):
    """Attach integer ``labels`` for a given tag inventory; tags outside it are ignored in the loss."""
    index = {t: i for i, t in enumerate(labels)}

    def attach(batch):
        return {"labels": [[IGNORE if t is None else index.get(t, IGNORE) for t in row] for row in batch["token_tags"]]}

    return map_rows(features, attach, batched=True)


def build_model(encoder, spec, labels):
    return auto_model("AutoModelForTokenClassification", encoder, labels)


def collator(tokenizer):
    return padding_collator(tokenizer)


def fallback_tag(labels) -> str:
    """Tag predicted for words cut off by truncation (they still count in the metric, as missing output would)."""
    for tag in ("O", "X"):
        if tag in labels:
            return tag
    return labels[0]


def predict(model, tokenizer, features, examples, spec, labels, batch_size, device, shared=None):
    features = attach_labels(features, labels) if "labels" not in features.column_names else features
    logits = run_model(model, features, collator(tokenizer), batch_size, device, token_level=True)["logits"]
    fallback = fallback_tag(labels)
    predictions = []
    word_ids = features.select_columns(["word_ids"]).to_dict()["word_ids"]  # one Arrow conversion
    tokens = examples.select_columns(["tokens"]).to_dict()["tokens"]
    for row_logits, row_word_ids, row_tokens in zip(logits, word_ids, tokens):
        best = row_logits.argmax(axis=-1).tolist()
        words = [fallback] * len(row_tokens)
        seen = set()
        for pos, w in enumerate(row_word_ids):
            if w >= 0 and w not in seen:  # a word's tag is its first piece's
                words[w] = labels[best[pos]]
                seen.add(w)
        predictions.append(words)
    return predictions


def gold(examples, spec, labels, shared=None):
    return [list(tags) for tags in examples["tags"]]


def dev_score(pred, gold_tags, spec):
    """Model selection uses the task's main metric: seqeval F1 for XTREME targets, token accuracy for CCG."""
    if spec.metric == "f1":
        from xstilts.metrics import score_task

        scores = score_task(spec.name, "en", gold_tags, pred)
        return {"score": scores["f1"], **scores}
    flat = [(p, g) for ps, gs in zip(pred, gold_tags) for p, g in zip(ps, gs)]
    accuracy = 100.0 * float(np.mean([p == g for p, g in flat]))
    return {"score": accuracy, "accuracy": accuracy}


saved_labels = config_labels
submission = unchanged
main_metric = metric_name
shared = nothing_shared
