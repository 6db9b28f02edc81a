"""The training loop shared by every phase: one task or several at once (multitask), resumable.

Why not ``transformers.Trainer``: the multitask intermediate model samples a task per step and routes each
batch to that task's head on a shared encoder, and a resumed run must replay exactly the same batches and
dropout masks so that its metrics equal an uninterrupted run's. The loop below is short and keeps both
explicit; ``benchmarks/trainer_vs_loop.py`` measures its throughput against ``Trainer`` on the same model.
Library pieces are used where they fit: transformers' collators, length-grouped indices and LR schedule.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
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


MODEL_COLUMNS = (
    "input_ids",
    "attention_mask",
    "labels",
    "start_positions",
    "end_positions",
    "candidate_input_ids",  # dense retrieval: the query's relevant candidate, for in-batch negatives
    "candidate_attention_mask",
)


def _lengths(features) -> list[int]:
    from xstilts.inference import feature_lengths

    return feature_lengths(features).tolist()


class BatchSchedule:
    """Deterministic batches for every optimizer step, recomputable from (seed, step) alone.

    Each task yields length-grouped batches (transformers' ``get_length_grouped_indices``: shuffled
    mega-batches sorted by length, so padding stays small) from a fresh permutation per pass over its data.
    With several tasks, ONE task is drawn per optimizer step (as jiant's runner: all ``accum`` micro-batches of
    a step come from that task), with probability proportional to its (capped) size raised to 1/temperature.
    Yields ``(task, indices)`` per micro-batch.
    """

    def __init__(
        self,
        sizes: list[int],
        lengths: list[list[int]],
        batch_size: int,
        seed: int,
        accum: int = 1,
        temperature: float = 1.0,
        cap: int | None = None,
        uniform: bool = False,
        fixed: dict[int, float] | None = None,
    ):
        """``fixed``: tasks drawn with a fixed probability (masked-LM co-training); they do not count towards
        an epoch, which stays one pass over the other tasks' (capped) data."""
        self.lengths, self.batch_size, self.seed, self.accum = lengths, batch_size, seed, accum
        fixed = fixed or {}
        capped = [0 if t in fixed else (min(n, cap) if cap else n) for t, n in enumerate(sizes)]
        weights = np.array([float(n > 0) if uniform else n for n in capped], dtype=float) ** (1.0 / temperature)
        self.probs = weights / weights.sum() * (1.0 - sum(fixed.values()))
        for task, p in fixed.items():
            self.probs[task] = p
        self.micro_batches_per_epoch = math.ceil(
            sum(math.ceil(n / batch_size) for n in capped) / (1.0 - sum(fixed.values()))
        )

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
            for _ in range(self.accum):
                if not queues[task]:
                    epochs[task] += 1
                    queues[task] = self._task_batches(task, epochs[task])
                yield task, queues[task].pop(0)


class ScheduledBatches(torch.utils.data.IterableDataset):
    """Collated micro-batches in schedule order, read from the Arrow tables batch by batch.

    Nothing is turned into Python lists up front: each batch is a ``take`` of its rows from the memory-mapped
    ``datasets`` table, so a multitask set of millions of examples costs no more memory than one batch. With
    DataLoader workers, worker w prepares every n-th batch; the DataLoader returns them in order, so the
    sequence of batches (and with it the result) does not depend on the number of workers.
    """

    def __init__(self, tasks: list[TrainTask], schedule: BatchSchedule, skip: int):
        super().__init__()
        self.collates, self.schedule, self.skip = [t.collate for t in tasks], schedule, skip
        self.tables = [
            t.features.select_columns([c for c in MODEL_COLUMNS if c in t.features.column_names]) for t in tasks
        ]

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        worker, workers = (info.id, info.num_workers) if info else (0, 1)
        for n, (task, idx) in enumerate(self.schedule):
            if n < self.skip or (n - self.skip) % workers != worker:
                continue  # indices only: replaying the schedule up to a resumed step reads no data
            columns = self.tables[task][idx]
            rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
            yield task, len(idx), self.collates[task](rows)


def _rng_state() -> dict:
    """RNG states as tensors and plain containers, so that checkpoints load with ``weights_only=True``."""
    kind, keys, pos, has_gauss, gauss = np.random.get_state()
    return {
        "python": random.getstate(),
        "numpy": [kind, torch.from_numpy(keys.astype(np.int64)), pos, has_gauss, gauss],
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
    }


def _set_rng_state(state: dict) -> None:
    version, internal, gauss_next = state["python"]
    random.setstate((version, tuple(internal), gauss_next))
    kind, keys, pos, has_gauss, gauss = state["numpy"]
    np.random.set_state((kind, keys.numpy().astype(np.uint32), pos, has_gauss, gauss))
    torch.set_rng_state(state["torch"])
    if state["cuda"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _optimizer(params: list[torch.nn.Parameter], names: list[str], hp: dict, device: torch.device):
    no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight")
    groups = [
        {"params": [p for p, n in zip(params, names) if not n.endswith(no_decay)], "weight_decay": hp["weight_decay"]},
        {"params": [p for p, n in zip(params, names) if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    # the fused kernel on CPU too: for a small model the per-tensor update loop is a fifth of a training step
    return torch.optim.AdamW(groups, lr=hp["learning_rate"], fused=device.type in ("cuda", "cpu"))


def _unique_parameters(tasks: list[TrainTask]):
    """Every trainable tensor once (multitask heads share one encoder), with a stable name."""
    seen, params, names = set(), [], []
    for t in tasks:
        for name, p in t.model.named_parameters():
            if id(p) not in seen:
                seen.add(id(p))
                params.append(p)
                names.append(f"{t.name}.{name}")
    return params, names


def _snapshot(params: list[torch.nn.Parameter], names: list[str]) -> dict:
    """A CPU copy of every unique parameter: ONE copy of a shared encoder, however many heads sit on it."""
    return {n: p.detach().to("cpu", copy=True) for n, p in zip(names, params)}


def _restore(params: list[torch.nn.Parameter], names: list[str], snapshot: dict) -> None:
    with torch.no_grad():
        for n, p in zip(names, params):
            p.copy_(snapshot[n])


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
    runtime=None,
    sampling: dict | None = None,
    fixed_probs: dict | None = None,
    stop_after_steps: int | None = None,
) -> dict:
    """Train, select on English dev (``hp["selection"]``), and leave the kept weights in the task models.

    ``hp`` holds only result-deciding settings (``xstilts.settings.TrainingSettings``); ``runtime``
    (``RuntimeSettings``: logging and checkpoint intervals) cannot change the result and is not part of
    ``fingerprint``. Returns a summary (steps, dev history, selected step, examples/s). A checkpoint with the
    parameters, optimizer, scheduler, RNG states and step is written every ``runtime.checkpoint_every`` steps;
    a later call with the same ``fingerprint`` resumes from it and replays the same batches.
    """
    from transformers import get_linear_schedule_with_warmup

    from xstilts.settings import RuntimeSettings, TrainingSettings

    hp = asdict(TrainingSettings(**hp))  # typed: an unknown key fails here; a missing one takes its one default
    runtime = runtime or RuntimeSettings()
    sampling = sampling or {}
    accum = hp["grad_accum"]
    schedule = BatchSchedule(
        [len(t.features) for t in tasks],
        [_lengths(t.features) for t in tasks],
        hp["batch_size"],
        seed,
        accum,
        sampling.get("temperature", 1.0),
        sampling.get("cap"),
        sampling.get("uniform", False),
        fixed_probs,
    )
    steps_per_epoch = max(1, math.ceil(schedule.micro_batches_per_epoch / accum))
    total_steps = max(1, math.ceil(hp["epochs"] * schedule.micro_batches_per_epoch / accum))
    select = hp["selection"] == "best_dev" and any(t.evaluate is not None for t in tasks)
    eval_every = hp["eval_every"] or steps_per_epoch
    params, names = _unique_parameters(tasks)
    optimizer = _optimizer(params, names, hp, device)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(hp["warmup_ratio"] * total_steps), total_steps)

    step, history, best = 0, [], {"score": -math.inf, "step": None, "state": None}
    ckpt_path = checkpoint_dir / "checkpoint.pt" if checkpoint_dir else None
    if ckpt_path and ckpt_path.exists():
        state = torch.load(ckpt_path, weights_only=True)  # tensors and plain containers only, never code
        if state["fingerprint"] == fingerprint:
            _restore(params, names, state["params"])
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
    workers = runtime.data_workers if device.type == "cuda" else 0  # on a CPU, workers compete with the math
    loader = torch.utils.data.DataLoader(
        ScheduledBatches(tasks, schedule, skip=step * accum),
        batch_size=None,
        num_workers=workers,
        pin_memory=device.type == "cuda",
        # its own generator: the loader's base seed must not be drawn from the
        # global RNG, or a resumed run's dropout masks would shift by one draw
        generator=torch.Generator().manual_seed(seed),
    )
    batches = iter(loader)

    seen_examples, window_loss, window_steps, t0 = 0, torch.zeros((), device=device), 0, time.perf_counter()
    while step < total_steps:
        for _ in range(accum):
            task_id, n_examples, batch = next(batches)
            batch = {k: v.to(device, non_blocking=True) for k, v in batch.items()}
            with autocast:
                loss = tasks[task_id].model(**batch).loss / accum
            loss.backward()
            window_loss += loss.detach()  # no .item() per micro-batch: it would wait for the GPU every time
            seen_examples += n_examples
        torch.nn.utils.clip_grad_norm_(params, hp["max_grad_norm"])
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        window_steps += 1
        if step % runtime.log_every == 0 or step == total_steps:
            rate = seen_examples / (time.perf_counter() - t0)
            log.info(
                "step %d/%d loss %.4f lr %.2e %.0f examples/s",
                step,
                total_steps,
                float(window_loss) / window_steps,
                scheduler.get_last_lr()[0],
                rate,
            )
            window_loss, window_steps = torch.zeros((), device=device), 0
        if select and (step % eval_every == 0 or step == total_steps):
            scores = {t.name: t.evaluate(t.model) for t in tasks if t.evaluate is not None}
            for t in tasks:
                t.model.train()
            score = float(np.mean([s["score"] for s in scores.values()]))
            history.append({"step": step, "score": score, "tasks": scores})
            log.info("dev at step %d: %s", step, json.dumps(scores))
            if score > best["score"]:
                best = {"score": score, "step": step, "state": _snapshot(params, names)}
        if ckpt_path and runtime.checkpoint_every and step % runtime.checkpoint_every == 0 and step < total_steps:
            checkpoint_dir.mkdir(parents=True, exist_ok=True)
            _atomic_save(
                {
                    "fingerprint": fingerprint,
                    "step": step,
                    "history": history,
                    "best": best,
                    "params": _snapshot(params, names),
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
        _restore(params, names, best["state"])
    elapsed = time.perf_counter() - t0
    return {
        "steps": total_steps,
        "selected_step": best["step"] if best["state"] is not None else total_steps,
        "selection": "best English dev" if best["state"] is not None else "last checkpoint",
        "dev_history": history,
        "train_seconds": elapsed,
        "examples_per_second": seen_examples / max(elapsed, 1e-9),
    }
