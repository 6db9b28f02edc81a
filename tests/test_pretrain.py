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
