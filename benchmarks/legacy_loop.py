"""The training loop as it was before streaming batches (xstilts at commit e3ab7c0), kept only as the baseline
of benchmarks/training_memory.py. Not used by the package.

The training loop shared by every phase: one task or several at once (multitask), resumable.

Why not ``transformers.Trainer``: the multitask intermediate model samples a task per step and routes each
batch to that task's head on a shared encoder, and a resumed run must replay exactly the same batches and
dropout masks so that its metrics equal an uninterrupted run's. The loop below is short and keeps both
explicit; ``benchmarks/trainer_vs_loop.py`` measures its throughput against ``Trainer`` on the same model.
Library pieces are used where they fit: transformers' collators, length-grouped indices and LR schedule.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

log = logging.getLogger("xstilts.training")


@dataclass
class TrainTask:
    name: str
    model: torch.nn.Module  # a transformers model; in multitask runs all share one encoder
    features: object  # datasets.Dataset with model inputs and labels
    collate: Callable
    evaluate: Callable | None  # model -> {"score": float, ...} on English dev, or None


MODEL_COLUMNS = ("input_ids", "attention_mask", "labels", "start_positions", "end_positions")


def _lengths(features) -> list[int]:
    from xstilts.inference import feature_lengths

    return feature_lengths(features).tolist()


class BatchSchedule:
    """Deterministic batches for every step, recomputable from (seed, step) alone.

    Each task yields length-grouped batches (transformers' ``get_length_grouped_indices``: shuffled
    mega-batches sorted by length, so padding stays small) from a fresh permutation per pass over its data.
    With several tasks, the task of each step is drawn with probability proportional to its (capped) size
    raised to 1/temperature.
    """

    def __init__(
        self,
        sizes: list[int],
        lengths: list[list[int]],
        batch_size: int,
        seed: int,
        temperature: float = 1.0,
        cap: int | None = None,
    ):
        self.lengths, self.batch_size, self.seed = lengths, batch_size, seed
        capped = [min(n, cap) if cap else n for n in sizes]
        weights = np.array(capped, dtype=float) ** (1.0 / temperature)
        self.probs = weights / weights.sum()
        self.steps_per_epoch = sum(math.ceil(n / batch_size) for n in capped)

    def _task_batches(self, task: int, epoch: int) -> list[list[int]]:
        from transformers.trainer_pt_utils import get_length_grouped_indices

        g = torch.Generator().manual_seed(self.seed * 1_000_003 + task * 9_176 + epoch)
        order = get_length_grouped_indices(self.lengths[task], self.batch_size, generator=g)
        return [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]

    def __iter__(self):
        rng = np.random.default_rng(self.seed)
        epochs = [0] * len(self.lengths)
        queues = [self._task_batches(t, 0) for t in range(len(self.lengths))]
        while True:
            task = 0 if len(self.probs) == 1 else int(rng.choice(len(self.probs), p=self.probs))
            if not queues[task]:
                epochs[task] += 1
                queues[task] = self._task_batches(task, epochs[task])
            yield task, queues[task].pop(0)


def _rng_state() -> dict:
    return {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
    }


def _set_rng_state(state: dict) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if state["cuda"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _optimizer(params: list[torch.nn.Parameter], names: list[str], hp: dict):
    no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight")
    groups = [
        {"params": [p for p, n in zip(params, names) if not n.endswith(no_decay)], "weight_decay": hp["weight_decay"]},
        {"params": [p for p, n in zip(params, names) if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=hp["learning_rate"])


def _unique_parameters(tasks: list[TrainTask]):
    seen, params, names = set(), [], []
    for t in tasks:
        for name, p in t.model.named_parameters():
            if id(p) not in seen:
                seen.add(id(p))
                params.append(p)
                names.append(f"{t.name}.{name}")
    return params, names


def _atomic_save(obj, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def train(
    tasks: list[TrainTask],
    hp: dict,
    seed: int,
    device: torch.device,
    checkpoint_dir: Path | None,
    fingerprint: str,
    stop_after_steps: int | None = None,
) -> dict:
    """Train, select on English dev, and leave the selected weights in the task models.

    Returns a summary (steps, dev history, selected step, examples/s). A checkpoint with model, optimizer,
    scheduler, RNG states and step is written every ``checkpoint_every`` steps to ``checkpoint_dir``; a
    later call with the same ``fingerprint`` resumes from it and replays the same batches.
    """
    from transformers import get_linear_schedule_with_warmup

    sizes = [len(t.features) for t in tasks]
    schedule = BatchSchedule(
        sizes,
        [_lengths(t.features) for t in tasks],
        hp["batch_size"],
        seed,
        hp.get("multitask_temperature", 1.0),
        hp.get("multitask_cap"),
    )
    accum = hp.get("grad_accum", 1)
    total_steps = max(1, math.ceil(hp["epochs"] * schedule.steps_per_epoch / accum))
    eval_every = hp.get("eval_every") or max(1, math.ceil(schedule.steps_per_epoch / accum))
    params, names = _unique_parameters(tasks)
    optimizer = _optimizer(params, names, hp)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(hp["warmup_ratio"] * total_steps), total_steps)
    columns = [[c for c in MODEL_COLUMNS if c in t.features.column_names] for t in tasks]
    rows = [{c: list(t.features[c]) for c in cols} for t, cols in zip(tasks, columns)]

    step, history, best = 0, [], {"score": -math.inf, "step": None, "state": None}
    ckpt_path = checkpoint_dir / "checkpoint.pt" if checkpoint_dir else None
    if ckpt_path and ckpt_path.exists():
        state = torch.load(ckpt_path, weights_only=False)
        if state["fingerprint"] == fingerprint:
            for t, sd in zip(tasks, state["models"]):
                t.model.load_state_dict(sd)
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
            _set_rng_state(state["rng"])
            step, history, best = state["step"], state["history"], state["best"]
            log.info("resumed from %s at step %d of %d", ckpt_path, step, total_steps)
        else:
            log.warning("ignoring checkpoint %s: it was written for other settings", ckpt_path)

    for t in tasks:
        t.model.to(device).train()
    autocast = (
        torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else torch.autocast("cpu", enabled=False)
    )
    batches = iter(schedule)
    for _ in range(step * accum):  # replay the schedule up to the resumed step (indices only)
        next(batches)

    log_every = hp.get("log_every", 50)
    seen_examples, window_loss, window_steps, t0 = 0, 0.0, 0, time.perf_counter()
    while step < total_steps:
        for _ in range(accum):
            task_id, idx = next(batches)
            task = tasks[task_id]
            batch = task.collate([{c: rows[task_id][c][i] for c in columns[task_id]} for i in idx])
            batch = {k: v.to(device) for k, v in batch.items()}
            with autocast:
                loss = task.model(**batch).loss / accum
            loss.backward()
            window_loss += loss.item()
            seen_examples += len(idx)
        torch.nn.utils.clip_grad_norm_(params, hp.get("max_grad_norm", 1.0))
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        window_steps += 1
        if step % log_every == 0 or step == total_steps:
            rate = seen_examples / (time.perf_counter() - t0)
            log.info(
                "step %d/%d loss %.4f lr %.2e %.0f examples/s",
                step,
                total_steps,
                window_loss / window_steps,
                scheduler.get_last_lr()[0],
                rate,
            )
            window_loss, window_steps = 0.0, 0
        if step % eval_every == 0 or step == total_steps:
            scores = {t.name: t.evaluate(t.model) for t in tasks if t.evaluate is not None}
            for t in tasks:
                t.model.train()
            if scores:
                score = float(np.mean([s["score"] for s in scores.values()]))
                history.append({"step": step, "score": score, "tasks": scores})
                log.info("dev at step %d: %s", step, json.dumps(scores))
                if score > best["score"]:
                    best = {
                        "score": score,
                        "step": step,
                        "state": [
                            copy.deepcopy({k: v.detach().cpu() for k, v in t.model.state_dict().items()}) for t in tasks
                        ],
                    }
        if ckpt_path and hp.get("checkpoint_every") and step % hp["checkpoint_every"] == 0 and step < total_steps:
            checkpoint_dir.mkdir(parents=True, exist_ok=True)
            _atomic_save(
                {
                    "fingerprint": fingerprint,
                    "step": step,
                    "history": history,
                    "best": best,
                    "models": [t.model.state_dict() for t in tasks],
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "rng": _rng_state(),
                },
                ckpt_path,
            )
            log.info("checkpoint written at step %d", step)
        if stop_after_steps is not None and step >= stop_after_steps:
            raise SystemExit(f"stopped after {step} steps as asked (testing resumption)")

    if best["state"] is not None:
        for t, sd in zip(tasks, best["state"]):
            t.model.load_state_dict(sd)
    elapsed = time.perf_counter() - t0
    return {
        "steps": total_steps,
        "selected_step": best["step"] if best["state"] is not None else total_steps,
        "selection": "best English dev" if best["state"] is not None else "last checkpoint",
        "dev_history": history,
        "train_seconds": elapsed,
        "examples_per_second": seen_examples / max(elapsed, 1e-9),
    }
