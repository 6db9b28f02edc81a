"""Extractive question answering in SQuAD format: SQuAD, XQuAD, MLQA, TyDiQA-GoldP.

Long contexts are split into overlapping windows, a new window starting every ``doc_stride`` context tokens
(128, as XTREME and jiant, from 256 tokens up; a third of shorter toy windows); a window that does not contain
the whole answer is trained to point at <s>. At prediction time the best span over all windows of a question
wins.
"""

from __future__ import annotations

import numpy as np

from xstilts.formats import (
    auto_model,
    map_rows,
    no_labels,
    nothing_shared,
    padding_collator,
    registry_labels,
    unchanged,
)
from xstilts.inference import run_model

MAX_ANSWER_TOKENS = 30
TOP_N = 20


def canonicalize(ds, spec, labels, lang=None):
    def convert(record, idx):
        answers = record["answers"]
        texts, starts = list(answers["text"]), [int(s) for s in answers["answer_start"]]
        for text, start in zip(texts, starts):
            if record["context"][start : start + len(text)] != text:
                raise ValueError(
                    f"{spec.name} id {record['id']}: answer {text!r} is not at offset {start} of the context"
                )
        return {
            "id": str(record["id"]),
            "context": record["context"],
            "question": record["question"].lstrip(),
            "answers": {"text": texts, "answer_start": starts},
        }

    return map_rows(ds, convert, with_indices=True, remove_columns=ds.column_names)


def doc_stride(max_length: int) -> int:
    """Tokens between the starts of consecutive windows (the reference's ``doc_stride``, a STEP: not the
    tokenizer's ``stride``, which is the overlap)."""
    return 128 if max_length >= 256 else max_length // 3


def max_question_tokens(max_length: int) -> int:
    """Questions are cut to 64 tokens (BERT's and XTREME's max_query_length), a quarter of short windows,
    so that every window keeps room for more context than the stride."""
    return min(64, max_length // 4)


def window_count(context_tokens: int, question_tokens: int, max_length: int, special_tokens: int) -> int:
    """Windows of one example as the reference builds them (HF ``squad_convert_example_to_features``, jiant
    ``squad_style``): starts at 0, doc_stride, 2 doc_stride, ... until a window reaches the context's end."""
    room = max_length - question_tokens - special_tokens
    if context_tokens <= room:
        return 1
    return 1 + -(-(context_tokens - room) // doc_stride(max_length))


def _clip_questions(tokenizer, questions: list[str], limit: int) -> tuple[list[str], list[int]]:
    """Questions cut to ``limit`` tokens, and each clipped question's own token count."""
    enc = tokenizer(questions, add_special_tokens=False, return_offsets_mapping=True)
    clipped = [
        q if len(offsets) <= limit else q[: offsets[limit - 1][1]]
        for q, offsets in zip(questions, enc["offset_mapping"])
    ]
    counts = [len(ids) for ids in tokenizer(clipped, add_special_tokens=False)["input_ids"]]
    return clipped, counts


def featurize(ds, tokenizer, spec, max_length, train):
    special = tokenizer.num_special_tokens_to_add(pair=True)
    step = doc_stride(max_length)

    def windows(questions, contexts, question_tokens):
        """The tokenizer's overlap is what makes consecutive windows start ``step`` tokens apart; it depends on
        the question's length, so questions of one length are tokenized together."""
        overlap = max_length - question_tokens - special - step
        return tokenizer(
            questions,
            contexts,
            truncation="only_second",
            max_length=max_length,
            stride=overlap,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )

    def encode(batch):
        questions, lengths = _clip_questions(tokenizer, batch["question"], max_question_tokens(max_length))
        by_length = {}
        for i, n in enumerate(lengths):
            by_length.setdefault(n, []).append(i)
        pieces = []  # (sample, window number, input_ids, attention_mask, sequence ids, offsets)
        for n, members in by_length.items():
            enc = windows([questions[i] for i in members], [batch["context"][i] for i in members], n)
            for w, local in enumerate(enc.pop("overflow_to_sample_mapping")):
                pieces.append(
                    (
                        members[local],
                        w,
                        enc["input_ids"][w],
                        enc["attention_mask"][w],
                        enc.sequence_ids(w),
                        enc["offset_mapping"][w],
                    )
                )
        pieces.sort(key=lambda p: (p[0], p[1]))
        out = {
            "input_ids": [],
            "attention_mask": [],
            "example_id": [],
            "offsets": [],
            "start_positions": [],
            "end_positions": [],
        }
        for sample, _, input_ids, attention_mask, seq_ids, offsets in pieces:
            context_offsets = [o if s == 1 else (-1, -1) for o, s in zip(offsets, seq_ids)]
            out["input_ids"].append(input_ids)
            out["attention_mask"].append(attention_mask)
            out["example_id"].append(batch["id"][sample])
            out["offsets"].append([list(o) for o in context_offsets])
            start_tok, end_tok = 0, 0
            answers = batch["answers"][sample]
            if train and answers["text"]:
                a_start = answers["answer_start"][0]
                a_end = a_start + len(answers["text"][0])
                inside = [t for t, (s, e) in enumerate(context_offsets) if s != -1 and s < a_end and e > a_start]
                first_ctx = next(t for t, s in enumerate(seq_ids) if s == 1)
                last_ctx = max(t for t, s in enumerate(seq_ids) if s == 1)
                if inside and context_offsets[first_ctx][0] <= a_start and context_offsets[last_ctx][1] >= a_end:
                    start_tok, end_tok = inside[0], inside[-1]
            out["start_positions"].append(start_tok)
            out["end_positions"].append(end_tok)
        return out

    return map_rows(ds, encode, batched=True, remove_columns=ds.column_names)


def build_model(encoder, spec, labels):
    return auto_model("AutoModelForQuestionAnswering", encoder, num_labels=2)  # start and end logits


def collator(tokenizer):
    return padding_collator(tokenizer)


def best_span(start_logits, end_logits, offsets) -> tuple[float, int, int] | None:
    """The best valid span of one window among its TOP_N start and TOP_N end tokens: ``(score, first char,
    end char)``, or None. Valid: both tokens in the context (offset not -1), end not before start, at most
    MAX_ANSWER_TOKENS tokens. Ties go to the higher-ranked start, then the higher-ranked end."""
    starts = np.argsort(start_logits)[::-1][:TOP_N]
    ends = np.argsort(end_logits)[::-1][:TOP_N]
    valid = (offsets[starts, 0] != -1)[:, None] & (offsets[ends, 0] != -1)[None, :]
    valid &= (ends[None, :] >= starts[:, None]) & (ends[None, :] - starts[:, None] + 1 <= MAX_ANSWER_TOKENS)
    if not valid.any():
        return None
    scores = np.where(valid, start_logits[starts][:, None] + end_logits[ends][None, :], -np.inf)
    i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)  # argmax: the first maximum, row-major
    return float(scores[i, j]), int(offsets[starts[i], 0]), int(offsets[ends[j], 1])


def predict(model, tokenizer, features, examples, spec, labels, batch_size, device, shared=None):
    """Return ``{question id: answer text}``; the best-scoring valid span over all windows."""
    features = features.remove_columns([c for c in ("start_positions", "end_positions") if c in features.column_names])
    out = run_model(
        model,
        features,
        collator(tokenizer),
        batch_size,
        device,
        outputs=("start_logits", "end_logits"),
        token_level=True,
    )
    ids = examples.select_columns(["id", "context"]).to_dict()  # one Arrow conversion, not a row at a time
    contexts = dict(zip(ids["id"], ids["context"]))
    best: dict[str, tuple[float, str]] = {qid: (-np.inf, "") for qid in ids["id"]}
    windows = features.select_columns(["example_id", "offsets"]).to_dict()
    for start_logits, end_logits, qid, offsets in zip(
        out["start_logits"], out["end_logits"], windows["example_id"], windows["offsets"]
    ):
        span = best_span(start_logits, end_logits, np.asarray(offsets, dtype=np.int64).reshape(-1, 2))
        if span is not None and span[0] > best[qid][0]:  # the first window wins a tie
            best[qid] = (span[0], contexts[qid][span[1] : span[2]])
    return {qid: text for qid, (_, text) in best.items()}


def gold(examples, spec, labels, shared=None):
    return [
        {
            "id": qid,
            "context": c,
            "question": q,
            "answers": {"text": list(a["text"]), "answer_start": list(a["answer_start"])},
        }
        for qid, c, q, a in zip(examples["id"], examples["context"], examples["question"], examples["answers"])
    ]


def metric_task(spec) -> str:
    """Which official QA script scores this task: MLQA's for MLQA, SQuAD v1.1's for the others."""
    return "mlqa" if spec.name == "mlqa" else "xquad"


def dev_score(pred, gold_records, spec):
    """EM and F1 by the task's official script; selection uses their mean, XTREME's QA task score."""
    from xstilts.metrics import score_task, task_score

    scores = score_task(metric_task(spec), "en", gold_records, pred)
    return {"score": task_score("xquad", scores), **scores}


def main_metric(spec) -> str:
    return "(exact_match + f1) / 2"


label_inventory = registry_labels  # start and end logits, no named labels
attach_labels = unchanged
saved_labels = no_labels
submission = unchanged
shared = nothing_shared
