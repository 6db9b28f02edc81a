"""Memory and speed of training an XLM-R-large-shaped model: xstilts' loop (new), the loop before streaming
batches (old, benchmarks/legacy_loop.py) and transformers.Trainer, on the same model, data and settings.

The model is built from XLM-R large's configuration (24 layers, hidden 1024, 16 heads, vocabulary 250,002)
with random weights: nothing is downloaded. The data is a synthetic MNLI-sized training set (392,702 pairs,
lengths drawn from 16-160 tokens), written as Arrow like the grid's cached features. Each variant runs in its
own process and reports its peak resident memory (ru_maxrss), the time to its first optimizer step, and
non-padding tokens per second over the measured steps; on CUDA also peak GPU memory and model FLOPs
utilisation (6 x parameters x tokens / time / peak bf16 FLOP/s). bf16 autocast, SDPA attention and fused
AdamW on CUDA, as the training loop uses them.

    python benchmarks/training_memory.py                       # CPU: 2 layers of the large shape
    python benchmarks/training_memory.py --device cuda --layers 24 --steps 30
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
HERE = Path(__file__).resolve().parent
MNLI_TRAIN = 392_702
VARIANTS = ("new", "old", "trainer")


def build_data(path: Path, examples: int, seed: int = 0) -> None:
    """A synthetic MNLI-like training set on disk: token ids, attention masks and 3-way labels."""
    import numpy as np
    from datasets import Dataset

    def rows():
        rng = np.random.default_rng(seed)
        for _ in range(examples):
            n = int(rng.integers(16, 161))
            ids = [0] + rng.integers(5, 250_000, n - 2).tolist() + [2]
            yield {"input_ids": ids, "attention_mask": [1] * n, "labels": int(rng.integers(0, 3))}

    Dataset.from_generator(rows, cache_dir=str(path.parent / "cache")).save_to_disk(str(path))


def run_variant(args) -> dict:
    import resource

    import torch
    from datasets import load_from_disk
    from transformers import XLMRobertaConfig, XLMRobertaForSequenceClassification

    torch.manual_seed(0)
    device = torch.device(args.device)
    config = XLMRobertaConfig(
        vocab_size=250_002,
        hidden_size=1024,
        num_hidden_layers=args.layers,
        num_attention_heads=16,
        intermediate_size=4096,
        max_position_embeddings=514,
        type_vocab_size=1,
        num_labels=3,
        attn_implementation="sdpa",
    )
    model = XLMRobertaForSequenceClassification(config)
    n_params = sum(p.numel() for p in model.parameters())
    features = load_from_disk(args.data)

    class Pad:  # dynamic padding as DataCollatorWithPadding, without a tokenizer: XLM-R's pad id is 1
        def __call__(self, rows):
            width = max(len(r["input_ids"]) for r in rows)
            ids = torch.full((len(rows), width), 1, dtype=torch.long)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for i, r in enumerate(rows):
                ids[i, : len(r["input_ids"])] = torch.tensor(r["input_ids"])
                mask[i, : len(r["input_ids"])] = 1
            return {"input_ids": ids, "attention_mask": mask, "labels": torch.tensor([r["labels"] for r in rows])}

    hp = {
        "learning_rate": 1e-5,
        "batch_size": args.batch_size,
        "grad_accum": 1,
        "warmup_ratio": 0.1,
        "weight_decay": 0.01,
        "max_grad_norm": 1.0,
        "selection": "last",
        "epochs": args.steps * args.batch_size / len(features),
    }
    step_times = []

    class Clock(torch.nn.Module):
        """Wraps the model to time each forward (the start of a step) without changing it."""

        def __init__(self, inner):
            super().__init__()
            self.inner, self.config = inner, inner.config

        def forward(self, **batch):
            step_times.append((time.perf_counter(), int(batch["attention_mask"].sum())))
            return self.inner(**batch)

    clocked = Clock(model)
    started = time.perf_counter()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    if args.variant == "new":
        from xstilts.settings import RuntimeSettings
        from xstilts.training import TrainTask, train

        train(
            [TrainTask("mnli", clocked, features, Pad(), None)],
            hp,
            0,
            device,
            None,
            "bench",
            runtime=RuntimeSettings(device=args.device, log_every=10**9),
        )
    elif args.variant == "old":
        sys.path.insert(0, str(HERE))
        from legacy_loop import TrainTask, train

        train([TrainTask("mnli", clocked, features, Pad(), None)], {**hp, "log_every": 10**9}, 0, device, None, "bench")
    else:
        from transformers import Trainer, TrainingArguments

        targs = TrainingArguments(
            output_dir=tempfile.mkdtemp(),
            per_device_train_batch_size=args.batch_size,
            max_steps=args.steps,
            learning_rate=1e-5,
            warmup_steps=0.1,
            weight_decay=0.01,
            train_sampling_strategy="group_by_length",
            save_strategy="no",
            report_to=[],
            logging_steps=10**9,
            use_cpu=device.type == "cpu",
            bf16=device.type == "cuda",
            optim="adamw_torch_fused" if device.type == "cuda" else "adamw_torch",
            dataloader_num_workers=0,
            disable_tqdm=True,
            remove_unused_columns=False,
        )
        Trainer(model=clocked, args=targs, train_dataset=features, data_collator=Pad()).train()
    ended = time.perf_counter()
    out = {
        "variant": args.variant,
        "layers": args.layers,
        "params_m": n_params / 1e6,
        "examples": len(features),
        "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    }
    first, measured = step_times[0][0], step_times[args.warmup :]
    out["first_step_s"] = first - started
    out["tokens_per_s"] = sum(n for _, n in measured[:-1]) / max(measured[-1][0] - measured[0][0], 1e-9)
    out["tokens_per_s_whole_run"] = sum(n for _, n in step_times) / (ended - started)
    if device.type == "cuda":
        out["peak_gpu_gb"] = torch.cuda.max_memory_allocated() / 2**30
        out["mfu"] = 6 * n_params * out["tokens_per_s"] / (args.peak_tflops * 1e12)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--layers", type=int, default=2, help="encoder layers (XLM-R large: 24)")
    parser.add_argument("--examples", type=int, default=MNLI_TRAIN, help="training set size (MNLI: 392,702)")
    parser.add_argument("--steps", type=int, default=20, help="optimizer steps measured per variant")
    parser.add_argument("--warmup", type=int, default=3, help="steps left out of the tokens/s figure")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--peak-tflops", type=float, default=989.0, help="dense bf16 peak of the GPU (H100/H200)")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args)))
        return

    work = Path(tempfile.mkdtemp(prefix="xstilts-mem-"))
    data = work / "mnli_synthetic"
    t0 = time.perf_counter()
    build_data(data, args.examples)
    print(f"synthetic training set: {args.examples} examples written as Arrow in {time.perf_counter() - t0:.0f} s")
    results = []
    for variant in args.variants.split(","):
        cmd = [
            sys.executable,
            __file__,
            "--variant",
            variant,
            "--data",
            str(data),
            "--device",
            args.device,
            "--layers",
            str(args.layers),
            "--steps",
            str(args.steps),
            "--warmup",
            str(args.warmup),
            "--batch-size",
            str(args.batch_size),
            "--peak-tflops",
            str(args.peak_tflops),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{variant}: failed\n{proc.stderr[-3000:]}")
            continue
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]))
    by = {r["variant"]: r for r in results}
    print(
        f"\nmachine: {os.cpu_count()} CPUs, device {args.device}; model: XLM-R large shape with {args.layers} "
        f"layers; batch {args.batch_size}; {args.steps} steps"
    )
    for r in results:
        line = f"{r['variant']:8s} peak RSS {r['peak_rss_gb']:6.2f} GB"
        line += f"  first step after {r['first_step_s']:6.1f} s  {r['tokens_per_s']:9.0f} tokens/s"
        line += f"  whole run {r['tokens_per_s_whole_run']:9.0f} tokens/s"
        if "peak_gpu_gb" in r:
            line += f"  peak GPU {r['peak_gpu_gb']:.1f} GB  MFU {100 * r['mfu']:.1f} %"
        print(line)
    if "new" in by and "old" in by:
        print(
            f"ratio new/old: peak RSS {by['new']['peak_rss_gb'] / by['old']['peak_rss_gb']:.2f}, "
            f"tokens/s {by['new']['tokens_per_s'] / by['old']['tokens_per_s']:.2f}"
        )
    if "new" in by and "trainer" in by:
        print(f"ratio new/Trainer: tokens/s {by['new']['tokens_per_s'] / by['trainer']['tokens_per_s']:.2f}")


if __name__ == "__main__":
    main()
