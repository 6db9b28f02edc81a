"""What one training step of the toy encoder costs, and what the default grid's choices save.

Times optimizer steps of the tiny XLM-R (config.yaml's `model.toy` shape, random weights, sequence-pair
classification) on one thread, in one process, for each variant: XLM-R's dropout (0.1 on hidden states and
attention weights) against none (the toy default), and AdamW's per-tensor update loop against its fused
kernel (the loop's default on every device). Prints ms per step and each variant's ratio to the first.

    python benchmarks/toy_step.py [--length 128] [--batch 32] [--steps 30]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch
import yaml

REPO = Path(__file__).resolve().parents[1]
VARIANTS = {
    "dropout 0.1, AdamW loop (before)": (0.1, False),
    "dropout 0.1, fused AdamW": (0.1, True),
    "no dropout, AdamW loop": (0.0, False),
    "no dropout, fused AdamW (default)": (0.0, True),
}


def ms_per_step(length: int, batch: int, steps: int, dropout: float, fused: bool) -> float:
    from transformers import XLMRobertaConfig, XLMRobertaForSequenceClassification

    toy = yaml.safe_load((REPO / "config.yaml").read_text())["model"]["toy"]
    config = XLMRobertaConfig(
        vocab_size=toy["vocab_size"],
        hidden_size=toy["hidden_size"],
        num_hidden_layers=toy["num_hidden_layers"],
        num_attention_heads=toy["num_attention_heads"],
        intermediate_size=toy["intermediate_size"],
        max_position_embeddings=toy["max_position_embeddings"],
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout,
        type_vocab_size=1,
        num_labels=3,
    )
    torch.manual_seed(0)
    model = XLMRobertaForSequenceClassification(config).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01, fused=fused)
    ids = torch.randint(5, toy["vocab_size"], (batch, length))
    mask = torch.ones_like(ids)
    mask[:, length * 3 // 4 :] = 0  # some padding, as in a real batch
    labels = torch.randint(0, 3, (batch,))
    warmup = 5
    for step in range(warmup + steps):
        if step == warmup:
            start = time.perf_counter()
        model(input_ids=ids, attention_mask=mask, labels=labels).loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    return (time.perf_counter() - start) / steps * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=128, help="tokens per sequence")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(1)  # as a grid job runs
    print(f"toy encoder, batch {args.batch} x {args.length} tokens, 1 thread, {args.steps} steps per variant")
    baseline = None
    for name, (dropout, fused) in VARIANTS.items():
        ms = ms_per_step(args.length, args.batch, args.steps, dropout, fused)
        baseline = baseline or ms
        print(f"  {name:36s} {ms:7.1f} ms/step   ratio {ms / baseline:.2f}")


if __name__ == "__main__":
    main()
