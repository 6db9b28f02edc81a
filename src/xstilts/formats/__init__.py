"""One module per task format. Each module exposes the same functions:

``canonicalize(ds, spec, labels, lang)``  raw source columns (one language's) -> the format's canonical columns
``featurize(ds, tokenizer, spec, max_length, train)``   tokenized model inputs (a ``datasets.Dataset``)
``build_model(encoder, spec, labels)``  a transformers model with a fresh task head on the given encoder
``collator(tokenizer)``                 pads a list of features into a batch (dynamic padding)
``predict(model, tokenizer, features, examples, spec, labels, batch_size, device, shared=None)``
                                        predictions in the XTREME file format
``gold(examples, spec, labels, shared=None)``  the gold answers in the same format
``shared(datasets, spec)``              what all languages of one grid cell share at evaluation, built once
                                        from ``{lang: data}`` (every language's features when predicting,
                                        its prepared examples when writing gold files) and passed to every
                                        language's ``predict`` and ``gold`` as ``shared=``; ``None`` where each
                                        language stands alone (``nothing_shared``, every format but
                                        dense_retrieval, whose candidate pool spans the cell's languages).
                                        With ``shared=None`` (English dev during training) a format uses
                                        the data it is given alone.
``label_inventory(train_features, spec)``  the labels a new head gets (fixed by the registry, or from data)
``attach_labels(features, labels)``     features with the label ids the loss needs, for that inventory
``saved_labels(model_config, spec)``    the label inventory of a saved fine-tuned model
``dev_score(pred, gold, spec)``         dev metrics with ``"score"``, the one number model selection uses
``submission(pred)``                    predictions as written to the XTREME prediction file
``main_metric(spec)``                   the name of the task score reported in tables

The job layer (``xstilts.jobs``) calls only these, never asking which format a task has.
(retrieval has no training: it exposes encoding, search and its own evaluation instead, and ``gold`` and
``shared`` for the gold files.)
"""

from __future__ import annotations

import importlib
from types import ModuleType

from xstilts.registry import FORMATS


def get_format(name: str) -> ModuleType:
    if name not in FORMATS:
        raise KeyError(f"unknown task format {name!r}; known formats: {', '.join(FORMATS)}")
    return importlib.import_module(f"xstilts.formats.{name}")


def auto_model(class_name: str, encoder: str, labels: list[str] | None = None, **kwargs):
    """``transformers.<class_name>.from_pretrained(encoder)`` with a fresh head (named labels if given)."""
    import transformers

    if labels:
        kwargs.update(
            num_labels=len(labels),
            id2label=dict(enumerate(labels)),
            label2id={label: i for i, label in enumerate(labels)},
        )
    return getattr(transformers, class_name).from_pretrained(encoder, **kwargs)


def padding_collator(tokenizer):
    """Dynamic padding to the longest sequence of each batch (``xstilts.padding``: transformers' collators'
    tensors, built faster)."""
    from xstilts.padding import PadToLongest

    return PadToLongest(tokenizer)


def map_rows(ds, function, **kwargs):
    """``ds.map(function, ...)`` without hashing ``function``. ``datasets`` names each result by pickling the
    transform, closure and tokenizer included (most of a tokenize job's time), for a cache we never read:
    results are the jobs' own outputs (``prepared.load_from_output`` turns caching off). A fresh random name
    can never match a stale cache entry either."""
    from datasets.fingerprint import generate_random_fingerprint

    return ds.map(function, new_fingerprint=generate_random_fingerprint(), **kwargs)


def lookup(record: dict, path: str):
    """Read a possibly nested field such as ``choices.text``."""
    value = record
    for part in path.split("."):
        value = value[part]
    return value


def label_index(value, labels: list[str], where: str) -> int:
    """Map a source label (an int index or a label name) to its index, with an error naming the value."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        if 0 <= value < len(labels):
            return value
        raise ValueError(f"{where}: label index {value} outside 0..{len(labels) - 1} ({', '.join(labels)})")
    text = str(value)
    if text in labels:
        return labels.index(text)
    raise ValueError(f"{where}: unknown label {text!r}; expected one of {', '.join(labels)}")


# ---------------------------------------------------------------- shared pieces of the protocol
def registry_labels(train_features, spec) -> list[str]:
    """The label inventory fixed by the registry (empty for formats without named labels)."""
    return list(spec.labels or [])


def config_labels(model_config, spec) -> list[str]:
    """The label names a saved classifier carries in its config (``id2label``)."""
    return [model_config.id2label[i] for i in range(len(model_config.id2label))]


def no_labels(model_config, spec) -> list[str]:
    return []


def unchanged(values, *_):
    return values


def metric_name(spec) -> str:
    return spec.metric


def nothing_shared(datasets, spec) -> None:
    """The ``shared`` hook of formats whose languages are evaluated each on its own."""
    return None
