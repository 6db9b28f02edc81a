"""Throughput of xstilts' training loop against transformers.Trainer on the same model, data and settings.

Why the project has its own loop (xstilts/training.py): multitask sampling over several heads on one encoder,
and exact resumption. This script checks that the choice costs no speed. It trains the same tiny XLM-R
classifier on the same toy MNLI features, once with each, and prints examples/s and their ratio.

    python benchmarks/trainer_vs_loop.py [--examples 4000] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    import torch
    from transformers import AutoTokenizer, Trainer, TrainingArguments, XLMRobertaForMaskedLM

    from xstilts import jobs, registry
    from xstilts.formats import classification
    from xstilts.pretrain import build_config
    from xstilts.training import TrainTask, train

    torch.set_num_threads(args.threads)
    root = Path(tempfile.mkdtemp(prefix="xstilts-bench-"))
    scale = max(0.05, args.examples / 2000)
    jobs.toy_world(str(root / "world"), seed=0, scale=scale)
    jobs.train_tokenizer(str(root / "world"), 8000, str(root / "tok"))
    tokenizer = AutoTokenizer.from_pretrained(root / "tok")
    arch = dict(
        hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=256, max_position_embeddings=258
    )
    XLMRobertaForMaskedLM(build_config(tokenizer, arch)).save_pretrained(root / "base")
    tokenizer.save_pretrained(root / "base")
    jobs.prepare("mnli", "train", ["en"], {"type": "toy"}, str(root / "data"), str(root / "world"))
    jobs.tokenize("mnli", "train", ["en"], str(root / "data"), str(root / "tok"), 128, str(root / "feat"))
    from datasets import load_from_disk

    features = load_from_disk(str(root / "feat" / "en")).select(range(args.examples))
    spec = registry.get("mnli")
    hp = {
        "learning_rate": 2e-3,
        "batch_size": args.batch_size,
        "epochs": 1,
        "warmup_ratio": 0.1,
        "weight_decay": 0.01,
        "log_every": 10_000,
    }

    torch.manual_seed(0)
    model = classification.build_model(str(root / "base"), spec, list(spec.labels))
    start = time.perf_counter()
    train(
        [TrainTask("mnli", model, features, classification.collator(tokenizer), None)],
        hp,
        0,
        torch.device("cpu"),
        None,
        "bench",
    )
    loop_rate = len(features) / (time.perf_counter() - start)

    torch.manual_seed(0)
    model = classification.build_model(str(root / "base"), spec, list(spec.labels))
    targs = TrainingArguments(
        output_dir=str(root / "trainer"),
        per_device_train_batch_size=args.batch_size,
        num_train_epochs=1,
        learning_rate=2e-3,
        warmup_steps=0.1,
        weight_decay=0.01,
        train_sampling_strategy="group_by_length",
        save_strategy="no",
        report_to=[],
        logging_steps=10_000,
        use_cpu=True,
        dataloader_num_workers=0,
        disable_tqdm=True,
    )
    trainer = Trainer(model=model, args=targs, train_dataset=features, data_collator=classification.collator(tokenizer))
    start = time.perf_counter()
    trainer.train()
    trainer_rate = len(features) / (time.perf_counter() - start)

    print(f"examples: {len(features)}, batch {args.batch_size}, threads {args.threads}")
    print(f"xstilts loop:         {loop_rate:8.0f} examples/s")
    print(f"transformers.Trainer: {trainer_rate:8.0f} examples/s")
    print(f"ratio loop/Trainer:   {loop_rate / trainer_rate:8.2f}")


if __name__ == "__main__":
    main()
