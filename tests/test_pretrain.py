"""Phase 1 is reproducible: the tokenizer trained in two processes is byte-identical (the Unigram trainer
itself orders ties by a per-process hash seed), and the tiny XLM-R round-trips through save/load."""

import subprocess
import sys

TRAIN = "import sys; from xstilts.pretrain import train_tokenizer; train_tokenizer(sys.argv[1], 2000, sys.argv[2])"


def test_tokenizer_is_identical_across_processes(tmp_path):
    from xstilts.toyworld import generate_world

    generate_world(tmp_path / "world", seed=0, scale=0.05)
    for name in ("a", "b", "c"):
        subprocess.run([sys.executable, "-c", TRAIN, str(tmp_path / "world"), str(tmp_path / name)], check=True)
    first = (tmp_path / "a" / "tokenizer.json").read_bytes()
    assert (tmp_path / "b" / "tokenizer.json").read_bytes() == first
    assert (tmp_path / "c" / "tokenizer.json").read_bytes() == first


def test_tiny_xlmr_saves_as_safetensors_and_reloads(tiny_encoder):
    from pathlib import Path

    from transformers import AutoModel, AutoTokenizer

    assert (Path(tiny_encoder) / "model.safetensors").exists()
    model = AutoModel.from_pretrained(tiny_encoder)
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    assert model.config.model_type == "xlm-roberta" and model.config.vocab_size == len(tokenizer)
    assert tokenizer.mask_token == "<mask>" and tokenizer.pad_token_id == 1


def test_pretraining_blocks_pack_whole_sentences_and_match_the_tokenizer(tiny_encoder):
    """mlm_features reads ids from the Rust tokenizer directly; they must be the ids transformers' own call
    gives, packed greedily into blocks of <s> sentence</s> sentence</s> ... </s>, an over-long one cut."""
    from transformers import AutoTokenizer

    from xstilts.pretrain import mlm_features

    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    lines = ["", "Anna sat in Paris", " ".join(["Anna"] * 40), "the good and the bad", "not red"]
    blocks = mlm_features(lines, tokenizer, 16)["input_ids"]
    ids = [s + [tokenizer.eos_token_id] for s in tokenizer(lines, add_special_tokens=False)["input_ids"]]
    expected, current = [], []
    for sentence in ids:
        if current and len(current) + len(sentence) > 14:
            expected.append(current)
            current = []
        current = (current + sentence)[:14]
    expected.append(current)
    assert blocks == [[tokenizer.bos_token_id] + b + [tokenizer.eos_token_id] for b in expected]
    assert max(map(len, blocks)) == 16 and len(blocks) >= 3  # the long line fills one block, cut
