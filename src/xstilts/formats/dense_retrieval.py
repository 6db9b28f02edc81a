"""Trained dense retrieval: XTREME-R's Mewsli-X and LAReQA, as google-research/xtreme trains and evaluates them.

A dual encoder (``third_party/bert.py`` ``BertForRetrieval``, ``xlm_roberta.py`` ``XLMRobertaForRetrieval``):
ONE encoder embeds queries and candidates alike; an item's vector is the encoder's pooled output over its
first token (<s>: the model's pooler, tanh(W h_CLS + b), which is what the reference's ``outputs[1]`` is),
L2-normalised. Training: in-batch negatives, the logits of query i against every candidate of its
micro-batch are ``logit_scale * cos(q_i, c_j)`` with a learned ``logit_scale`` initialised at 100, and the loss
is softmax cross-entropy towards candidate i (query -> candidate only, as the reference). Evaluation
(``evaluate_retrieval.py --pool_type cls --dist cosine``): every candidate of the pool is embedded once and
indexed in a faiss ``IndexFlatIP`` (inner product of unit vectors); each query takes its top
``RANKING_K`` = 20 candidates.

Canonical data (``canonicalize``), one row per item:

    kind     "query" or "candidate"
    id       a query's example id (the key of its prediction) or a candidate's id (what predictions list)
    text     the text the encoder reads
    group    a query's key: the candidates whose ``groups`` hold it are relevant (Mewsli-X: the gold entity
             id; LAReQA: the question id shared by its translations); "" for candidates
    groups   a candidate's keys ([] for queries)

Training pairs each query with its first relevant candidate of the same split (``featurize(train=True)``).

The candidate POOL is what all languages of a grid cell share (``shared``): every distinct candidate id of
every evaluated language, so a LAReQA question is ranked against the sentences of all languages together
and all its translations' answer sentences are relevant (Mewsli-X: every language holds the same entity
set, counted once). Model selection on English dev uses the dev split's own pool.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import torch

from xstilts.formats import map_rows, metric_name, no_labels, padding_collator, registry_labels, unchanged
from xstilts.inference import run_model

KINDS = ("query", "candidate")
LOGIT_SCALE_INIT = 100.0  # bert.py BertForRetrieval: torch.nn.init.constant_(self.logit_scale, 100.0)
CANDIDATE_COLUMNS = ("candidate_input_ids", "candidate_attention_mask")
CANONICAL = ("kind", "id", "text", "group", "groups")


def top_k() -> int:
    from xstilts.metrics.tasks import RANKING_K

    return RANKING_K


# ----------------------------------------------------------------------------------------------- text
_SENTENCE_END = re.compile(r"""[.?!][)'"\u201d\u00bb\]]*(\s+)""")
_OPENERS = "(['\"\u201c\u00ab"
_NO_BREAK_BEFORE = re.compile(
    r"\b(?:Mrs?|Ms|Dr|Prof|Fr|Rev|St|Lt|Gen|Col|Maj|Capt|Sgt|Gov|Sen|Rep|Pres|Mt|Ft|"
    r"Jan|Feb|Aug|Sept?|Oct|Nov|Dec|vs?|e\.g|i\.e|cf|approx|[A-Z])\.$"
)
_UNCASED_END = re.compile(r"[\u3002\uff01\uff1f\u0964\u061f]\s*")  # 。！？ । ؟: no case, maybe no space


def sentence_breaks(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of a paragraph, for data without sentence annotations
    (SQuAD training data, the hub copy of XQuAD-R).

    The reference (``processors/sb_sed.py``) breaks after . ? ! (and closing quotes) followed by whitespace
    and an upper-case letter or digit, then re-joins titles and abbreviations. This follows its main rule
    (with "not a lower-case letter" for "upper case or digit", so that scripts without case break too) and
    its title/month/initial re-joins, not its dozen SQuAD-specific special cases; it also breaks after the
    sentence marks of 。！？।؟, which need no space after them."""
    cuts = []
    for m in _SENTENCE_END.finditer(text):
        following = text[m.end() : m.end() + 3].lstrip(_OPENERS)[:1]
        if following and not following.islower() and not _NO_BREAK_BEFORE.search(text[: m.start(1)]):
            cuts.append((m.start(1), m.end(1)))
    for m in _UNCASED_END.finditer(text):
        if m.end() < len(text):
            cuts.append((m.start() + 1, m.end()))
    spans, start = [], 0
    for cut_start, cut_end in sorted(set(cuts)):
        if cut_start > start:
            spans.append((start, cut_start))
        start = max(start, cut_end)
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans


def squad_items(ds, lang: str) -> dict:
    """SQuAD-format rows (one per question) -> queries (questions) and candidates (every sentence of every
    paragraph), as ``utils_lareqa.load_data`` builds XQuAD-R's question and candidate sets:

    * a candidate is a sentence of a paragraph, its text the sentence followed by the whole paragraph with
      newlines removed (``(sentence + context).replace("\\n", "")``, as in training and evaluation there);
      its id ``{lang}_{paragraph number}_{sentence position}`` (the reference's ``context_id`` and
      ``sent_pos``), paragraphs numbered from 1 in order of first appearance;
    * a question's id is ``{question id}_{lang}`` (the reference's ``uid``), its group the question id, which
      its translations share; the sentence holding its first answer's start is relevant, a question whose
      answer start lies in no sentence is skipped (as the reference does).

    Sentence spans come from a ``sentence_breaks`` column when the source has one (XQuAD-R's JSON files),
    else from ``sentence_breaks()``."""
    rows = {name: [] for name in CANONICAL}
    paragraphs: dict[str, tuple[int, list[tuple[int, int]]]] = {}
    has_breaks = "sentence_breaks" in ds.column_names
    candidates: dict[str, dict] = {}
    for record in ds:
        context = record["context"]
        if context not in paragraphs:
            breaks = [tuple(b) for b in record["sentence_breaks"]] if has_breaks else sentence_breaks(context)
            paragraphs[context] = (len(paragraphs) + 1, breaks)
            for pos, (s, e) in enumerate(breaks):
                cid = f"{lang}_{paragraphs[context][0]}_{pos}"
                candidates[cid] = {"text": (context[s:e] + context).replace("\n", ""), "groups": []}
        number, breaks = paragraphs[context]
        answers = record["answers"]
        starts = answers["answer_start"] if isinstance(answers, Mapping) else [a["answer_start"] for a in answers]
        if not starts:
            continue
        pos = next((i for i, (s, e) in enumerate(breaks) if s <= int(starts[0]) < e), None)
        if pos is None:
            continue
        qid = str(record["id"])
        candidates[f"{lang}_{number}_{pos}"]["groups"].append(qid)
        for name, value in zip(CANONICAL, ("query", f"{qid}_{lang}", record["question"], qid, [])):
            rows[name].append(value)
    for cid, c in candidates.items():
        for name, value in zip(CANONICAL, ("candidate", cid, c["text"], "", c["groups"])):
            rows[name].append(value)
    return rows


def canonical_dataset(rows: dict):
    from datasets import Dataset, Features, Sequence, Value

    features = Features(
        {
            "kind": Value("string"),
            "id": Value("string"),
            "text": Value("string"),
            "group": Value("string"),
            "groups": Sequence(Value("string")),
        }
    )
    return Dataset.from_dict({k: rows[k] for k in CANONICAL}, features=features)


# ----------------------------------------------------------------------------------------------- protocol
def canonicalize(ds, spec, labels, lang: str = "en"):
    """Canonical rows pass through (Mewsli-X: the local reader builds them from the original files);
    SQuAD-format rows (LAReQA: SQuAD v1.1 for training and selection, XQuAD-R for test) are split into
    questions and sentence candidates (``squad_items``)."""
    if "kind" in ds.column_names:
        unknown = set(ds["kind"]) - set(KINDS)
        if unknown:
            raise ValueError(f"{spec.name}: unknown row kind {sorted(unknown)[0]!r}; expected query or candidate")
        return ds
    return canonical_dataset(squad_items(ds, lang))


def featurize(ds, tokenizer, spec, max_length, train):
    """Evaluation: one feature per item (the item's metadata kept). Training: one feature per query, its
    relevant candidate's tokens beside it (``candidate_*``), the pair the in-batch loss needs."""
    if not train:

        def encode(batch):
            return tokenizer(batch["text"], truncation=True, max_length=max_length)

        return map_rows(ds, encode, batched=True, remove_columns=["text"])
    from datasets import Dataset

    kinds, texts, groups = ds["kind"], ds["text"], ds["groups"]
    positive = {}
    for kind, text, keys in zip(kinds, texts, groups):
        if kind == "candidate":
            for key in keys:
                positive.setdefault(key, text)
    pairs = {"id": [], "query": [], "candidate": []}
    for kind, qid, text, key in zip(kinds, ds["id"], texts, ds["group"]):
        if kind == "query" and key in positive:
            pairs["id"].append(qid)
            pairs["query"].append(text)
            pairs["candidate"].append(positive[key])
    if not pairs["id"]:
        raise ValueError(f"{spec.name}: no training query has a relevant candidate")

    def encode_pairs(batch):
        q = tokenizer(batch["query"], truncation=True, max_length=max_length)
        c = tokenizer(batch["candidate"], truncation=True, max_length=max_length)
        return {
            "input_ids": q["input_ids"],
            "attention_mask": q["attention_mask"],
            "candidate_input_ids": c["input_ids"],
            "candidate_attention_mask": c["attention_mask"],
        }

    return map_rows(Dataset.from_dict(pairs), encode_pairs, batched=True, remove_columns=["query", "candidate"])


class DualEncoderOutput(dict):
    """``out.loss`` for training, ``out["embedding"]`` for ``run_model``."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class DualEncoder(torch.nn.Module):
    """One shared encoder for queries and candidates, pooled output over <s>, L2-normalised; a learned
    logit scale (initial 100) for the in-batch softmax. Saved as the encoder's own ``save_pretrained``
    directory with the scale in its config (``retrieval_logit_scale``)."""

    base_model_prefix = "encoder"

    def __init__(self, encoder, logit_scale: float = LOGIT_SCALE_INIT):
        super().__init__()
        self.encoder = encoder
        self.config = encoder.config
        self.logit_scale = torch.nn.Parameter(torch.tensor([float(logit_scale)]))

    @property
    def base_model(self):
        return self.encoder

    def embed(self, input_ids, attention_mask):
        pooled = self.encoder(input_ids=input_ids, attention_mask=attention_mask).pooler_output
        return torch.nn.functional.normalize(pooled.float(), p=2, dim=-1)

    def forward(self, input_ids, attention_mask, candidate_input_ids=None, candidate_attention_mask=None, **_):
        queries = self.embed(input_ids, attention_mask)
        if candidate_input_ids is None:
            return DualEncoderOutput(embedding=queries)
        candidates = self.embed(candidate_input_ids, candidate_attention_mask)
        logits = queries @ candidates.T * self.logit_scale
        loss = in_batch_loss(logits)
        return DualEncoderOutput(loss=loss, logits=logits)

    def save_pretrained(self, directory: str) -> None:
        self.encoder.config.retrieval_logit_scale = float(self.logit_scale.detach().cpu()[0])
        self.encoder.save_pretrained(directory)


def in_batch_loss(logits: torch.Tensor) -> torch.Tensor:
    """Softmax cross-entropy of each query (row) towards its own candidate (the diagonal)."""
    return torch.nn.functional.cross_entropy(logits, torch.arange(logits.shape[0], device=logits.device))


def build_model(encoder, spec, labels):
    from transformers import AutoConfig, AutoModel

    config = AutoConfig.from_pretrained(encoder)
    scale = getattr(config, "retrieval_logit_scale", LOGIT_SCALE_INIT)
    return DualEncoder(AutoModel.from_pretrained(encoder, add_pooling_layer=True), scale)


def collator(tokenizer):
    """Dynamic padding of queries and, in training, of their candidates (the ``candidate_*`` columns)."""
    return padding_collator(tokenizer)


def embed(model, tokenizer, features, batch_size, device) -> np.ndarray:
    if len(features) == 0:
        return np.zeros((0, model.config.hidden_size), dtype=np.float32)
    out = run_model(model, features, collator(tokenizer), batch_size, device, outputs=("embedding",))
    return np.ascontiguousarray(np.stack(out["embedding"]), dtype=np.float32)


@dataclass
class Pool:
    """The candidates a cell's queries are ranked against: ids, relevance keys and (for predictions) their
    features; embedded once per model (``vectors``)."""

    ids: list[str]
    groups: list[list[str]]
    features: object = None  # a datasets.Dataset of the candidates' features, or None (gold files)
    _vectors: dict = field(default_factory=dict, repr=False)

    def relevant(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for cid, keys in zip(self.ids, self.groups):
            for key in keys:
                out.setdefault(key, []).append(cid)
        return out

    def vectors(self, model, tokenizer, batch_size, device) -> np.ndarray:
        if id(model) not in self._vectors:
            self._vectors.clear()
            self._vectors[id(model)] = embed(model, tokenizer, self.features, batch_size, device)
        return self._vectors[id(model)]


def _rows_of(data, kind: str) -> list[int]:
    return [i for i, k in enumerate(data["kind"]) if k == kind]


def pool_of(datasets: list) -> Pool:
    """Every distinct candidate id of the given data (features or prepared examples), first occurrence kept;
    relevance keys of equal ids are merged."""
    from datasets import concatenate_datasets

    ids, groups, index, parts = [], [], {}, []
    for data in datasets:
        keep = []
        for i, (cid, keys) in enumerate(zip(data["id"], data["groups"])):
            if cid in index:
                merged = groups[index[cid]]
                merged.extend(k for k in keys if k not in merged)
                continue
            index[cid] = len(ids)
            ids.append(cid)
            groups.append(list(keys))
            keep.append(i)
        parts.append((data, keep))
    with_features = all("input_ids" in data.column_names for data, _ in parts)
    features = None
    if with_features:
        selected = [data.select(keep) for data, keep in parts if keep]
        features = concatenate_datasets(selected) if len(selected) > 1 else (selected[0] if selected else None)
    return Pool(ids, groups, features)


def _candidates(data):
    return data.select(_rows_of(data, "candidate"))


def shared(datasets: Mapping, spec) -> Pool:
    """The pool of a cell: the candidates of every language given (features at evaluation, prepared examples
    for gold files), each distinct id once."""
    return pool_of([_candidates(data) for data in datasets.values()])


def search(queries: np.ndarray, keys: np.ndarray, k: int) -> np.ndarray:
    """Exact inner-product search (faiss ``IndexFlatIP``): row i = the indices of query i's top k keys."""
    import faiss

    index = faiss.IndexFlatIP(keys.shape[1])
    index.add(np.ascontiguousarray(keys, dtype=np.float32))
    _, nearest = index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, keys.shape[0]))
    return nearest


def predict(model, tokenizer, features, examples, spec, labels, batch_size, device, shared=None):
    """``{query id: [candidate ids, best first]}`` (top 20) against the cell's pool, or against this data's
    own candidates when no pool is given (English dev during training)."""
    pool = shared if shared is not None else pool_of([_candidates(features)])
    if pool.features is None or not pool.ids:
        raise ValueError(f"{spec.name}: no candidates to rank against")
    queries = features.select(_rows_of(features, "query"))
    keys = pool.vectors(model, tokenizer, batch_size, device)
    vectors = embed(model, tokenizer, queries, batch_size, device)
    nearest = search(vectors, keys, top_k()) if len(queries) else np.zeros((0, 0), dtype=np.int64)
    return {qid: [pool.ids[j] for j in row if j >= 0] for qid, row in zip(queries["id"], nearest)}


def gold(examples, spec, labels, shared=None):
    """``{query id: [relevant candidate ids]}``, relevant within the cell's pool (or this data's own
    candidates): Mewsli-X's singleton gold entity, LAReQA's answer sentences in every language."""
    pool = shared if shared is not None else pool_of([_candidates(examples)])
    relevant = pool.relevant()
    out = {}
    for kind, qid, key in zip(examples["kind"], examples["id"], examples["group"]):
        if kind != "query":
            continue
        if key not in relevant:
            raise ValueError(f"{spec.name}: query {qid!r} has no relevant candidate (key {key!r}) in the pool")
        out[qid] = relevant[key]
    return out


def dev_score(pred, gold_ids, spec):
    """The task's own map@20 (Mewsli-X: MRR@20, LAReQA: mAP@20) on the English dev pool."""
    from xstilts.metrics import score_task

    scores = score_task(spec.name, "en", gold_ids, pred)
    return {"score": scores[spec.metric], **scores}


label_inventory = registry_labels  # no labels
attach_labels = unchanged
saved_labels = no_labels
submission = unchanged
main_metric = metric_name
