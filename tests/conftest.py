import os

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in the tests may reach the hub
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory):
    """A randomly initialised 1-layer XLM-R with a Unigram tokenizer trained on a small local corpus."""
    import random

    from transformers import XLMRobertaForMaskedLM

    from xstilts.pretrain import build_config, train_tokenizer

    root = tmp_path_factory.mktemp("tiny")
    rng = random.Random(0)
    syll = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "ga", "bu", "fe"]
    words = sorted({"".join(rng.choice(syll) for _ in range(rng.randint(1, 3))) for _ in range(300)})
    # frequent words become single pieces, like real function words and names
    words += ["Anna", "Paris", "the", "a", "in", "of", "and", "not", "good", "bad", "red", "ending", "sat"] * 20
    (root / "corpus").mkdir()
    lines = [" ".join(rng.choice(words) for _ in range(rng.randint(4, 14))) for _ in range(3000)]
    (root / "corpus" / "en.txt").write_text("\n".join(lines))
    tok_dir = root / "tokenizer"
    tokenizer = train_tokenizer(root, 600, tok_dir)
    from workflow_helpers import TINY_ENCODER_ARCH

    model = XLMRobertaForMaskedLM(build_config(tokenizer, TINY_ENCODER_ARCH))
    model.save_pretrained(root / "base")
    tokenizer.save_pretrained(root / "base")
    return str(root / "base")
