"""Phase 1 for the toy world: a Unigram tokenizer and a tiny XLM-R masked LM, trained on the toy corpus.

The model is ``XLMRobertaForMaskedLM`` built from an ``XLMRobertaConfig`` (the real architecture, only
smaller), saved with ``save_pretrained`` as safetensors and reloaded with ``from_pretrained`` like any hub
checkpoint, so every later phase treats it exactly as it treats ``xlm-roberta-large``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import torch

log = logging.getLogger("xstilts.pretrain")

SPECIAL_TOKENS = ["<s>", "<pad>", "</s>", "<unk>"]  # XLM-R's ids 0..3; <mask> is appended last


def corpus_files(world_dir: str | Path) -> list[Path]:
    files = sorted((Path(world_dir) / "corpus").glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no corpus files in {Path(world_dir) / 'corpus'}")
    return files


def read_corpus(world_dir) -> list[str]:
    lines = []
    for path in corpus_files(world_dir):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def train_tokenizer(world_dir: str | Path, vocab_size: int, out_dir: str | Path):
    """Train a SentencePiece-style Unigram model with ``tokenizers`` and wrap it as an XLM-R tokenizer."""
    from tokenizers import SentencePieceUnigramTokenizer
    from transformers import XLMRobertaTokenizer

    unigram = SentencePieceUnigramTokenizer()
    unigram.train_from_iterator(
        read_corpus(world_dir),
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        unk_token="<unk>",
        show_progress=False,
    )
    vocab = canonical_vocab(json.loads(unigram.to_str())["model"]["vocab"])
    tokenizer = XLMRobertaTokenizer(vocab=vocab)
    tokenizer.save_pretrained(str(out_dir))
    log.info("tokenizer: %d pieces (asked for %d)", len(tokenizer), vocab_size)
    return tokenizer


def canonical_vocab(vocab: list) -> list[tuple[str, float]]:
    """The trained pieces in an order that does not depend on the run.

    The Unigram trainer sums scores in hash-map order, which Rust randomises per process: the same pieces
    come out with scores that differ in the last bits and near-ties in another order, so piece ids (and
    every number downstream) would change from run to run. Rounding the scores and sorting by (score,
    piece) after the special tokens makes the tokenizer reproducible.
    """
    special = [(piece, score) for piece, score in vocab[: len(SPECIAL_TOKENS)]]
    assert [p for p, _ in special] == SPECIAL_TOKENS, special
    pieces = [(piece, round(score, 8)) for piece, score in vocab[len(SPECIAL_TOKENS) :]]
    # Characters the trainer must keep but did not select get made-up scores, a ladder of steps of 1e-4 at
    # the bottom, handed out in hash order: give the same scores out again in character order.
    singles = sorted((score, piece) for piece, score in pieces if len(piece) == 1)
    ladder = singles[:1]
    for score, piece in singles[1:]:
        if abs(score - ladder[-1][0] - 1e-4) > 1e-7:
            break
        ladder.append((score, piece))
    if len(ladder) > 1:
        rungs = {piece for _, piece in ladder}
        scores = sorted((score for score, _ in ladder), reverse=True)
        pieces = [(p, s) for p, s in pieces if p not in rungs] + list(zip(sorted(rungs), scores))
    return special + sorted(pieces, key=lambda item: (-item[1], item[0]))


def build_config(tokenizer, arch: dict):
    """The tiny XLM-R's config from ``model.toy`` (validated: the schema supplies its defaults)."""
    from transformers import XLMRobertaConfig

    return XLMRobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=arch["hidden_size"],
        num_hidden_layers=arch["num_hidden_layers"],
        num_attention_heads=arch["num_attention_heads"],
        intermediate_size=arch["intermediate_size"],
        max_position_embeddings=arch["max_position_embeddings"],
        hidden_dropout_prob=arch["hidden_dropout_prob"],
        attention_probs_dropout_prob=arch["attention_probs_dropout_prob"],
        type_vocab_size=1,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )


def mlm_features(lines: list[str], tokenizer, block_size: int):
    """Concatenate tokenized sentences into blocks of ``block_size`` tokens (<s> ... </s> each)."""
    from datasets import Dataset

    if tokenizer.is_fast:  # the Rust tokenizer itself: the same ids without transformers' per-line masks and
        # Python lists of everything (toy corpus, 148,000 lines: 4.8 s -> 2.9 s on one core)
        ids = [e.ids for e in tokenizer.backend_tokenizer.encode_batch(lines, add_special_tokens=False)]
    else:
        ids = tokenizer(lines, add_special_tokens=False)["input_ids"]
    body = block_size - 2
    blocks, current = [], []
    for sentence in ids:
        sentence = sentence + [tokenizer.eos_token_id]
        if len(current) + len(sentence) > body and current:
            blocks.append(current)
            current = []
        current = (current + sentence)[:body]
    if current:
        blocks.append(current)
    input_ids = [[tokenizer.bos_token_id] + b + [tokenizer.eos_token_id] for b in blocks]
    return Dataset.from_dict({"input_ids": input_ids, "attention_mask": [[1] * len(x) for x in input_ids]})


class MaskedPositionsMLM(torch.nn.Module):
    """Computes the MLM loss from the masked positions only.

    ``XLMRobertaForMaskedLM`` projects every position onto the vocabulary although the loss uses ~15% of
    them; for a tiny encoder that projection is most of the compute. The weights are the wrapped model's
    own, so the saved checkpoint is an ordinary ``XLMRobertaForMaskedLM``.
    """

    def __init__(self, mlm):
        super().__init__()
        self.mlm = mlm

    def forward(self, input_ids, attention_mask, labels):
        from transformers.modeling_outputs import MaskedLMOutput

        hidden = self.mlm.roberta(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        chosen = labels != -100
        logits = self.mlm.lm_head(hidden[chosen])
        return MaskedLMOutput(loss=torch.nn.functional.cross_entropy(logits, labels[chosen]))
