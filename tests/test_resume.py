"""A training job killed with SIGKILL resumes from its last checkpoint and ends with exactly the metrics and
weights of an uninterrupted run with the same seed (CPU)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import load_file
from test_formats import _materialise, _nli

TRAIN_SCRIPT = """
import json, sys, torch
from xstilts import jobs, process
torch.set_num_threads(1)
args = json.loads(sys.argv[1])
from xstilts.settings import RuntimeSettings
process.setup_logging(args.pop("log"))
jobs.train_model(runtime=RuntimeSettings(**args.pop("runtime")), **args)
"""


def _args(tmp_path, encoder, train, dev, dev_data, name):
    hp = {
        "learning_rate": 2e-3,
        "batch_size": 8,
        "grad_accum": 1,
        "epochs": 4,
        "warmup_ratio": 0.1,
        "weight_decay": 0.01,
        "eval_every": 25,
    }
    return {
        "tasks": ["mnli"],
        "encoder": encoder,
        "train_features": {"mnli": train},
        "dev_features": {"mnli": dev},
        "dev_data": {"mnli": dev_data},
        "hp": hp,
        "seed": 3,
        "out_dir": str(tmp_path / name / "out"),
        "save": "model",
        "checkpoint_dir": str(tmp_path / name / "ckpt"),
        "runtime": {"device": "cpu", "log_every": 10, "checkpoint_every": 10},
        "log": str(tmp_path / f"{name}.log"),
    }


def _start(args):
    env = dict(os.environ, OMP_NUM_THREADS="1")
    return subprocess.Popen([sys.executable, "-c", TRAIN_SCRIPT, json.dumps(args)], env=env)


def test_killed_training_resumes_to_identical_results(tiny_encoder, tmp_path):
    rng = random.Random(0)
    _, train = _materialise(tmp_path, "mnli", tiny_encoder, "train", _nli(400, rng), 32)
    dev_data, dev = _materialise(tmp_path, "mnli", tiny_encoder, "validation", _nli(48, rng), 32)

    reference = _args(tmp_path, tiny_encoder, train, dev, dev_data, "reference")
    assert _start(reference).wait(timeout=600) == 0

    killed = _args(tmp_path, tiny_encoder, train, dev, dev_data, "killed")
    proc = _start(killed)
    checkpoint = Path(killed["checkpoint_dir"]) / "checkpoint.pt"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if checkpoint.exists() and torch.load(checkpoint, weights_only=True)["step"] >= 30:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "training finished before it could be killed; make the run longer"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (Path(killed["out_dir"]) / "dev_metrics.json").exists()
    killed_at = torch.load(checkpoint, weights_only=True)["step"]

    killed["log"] = str(tmp_path / "resumed.log")
    # runtime settings cannot change a result, so changing them between the kill and the retry keeps the checkpoint
    killed["runtime"].update(checkpoint_every=7, log_every=3)
    assert _start(killed).wait(timeout=600) == 0
    assert f"at step {killed_at} of" in Path(killed["log"]).read_text()  # it resumed, it did not start over
    assert not checkpoint.exists()  # a finished run removes its checkpoint

    ref_out, new_out = Path(reference["out_dir"]), Path(killed["out_dir"])
    assert json.loads((new_out / "dev_metrics.json").read_text()) == json.loads(
        (ref_out / "dev_metrics.json").read_text()
    )
    ref_weights = load_file(ref_out / "model" / "model.safetensors")
    new_weights = load_file(new_out / "model" / "model.safetensors")
    assert ref_weights.keys() == new_weights.keys()
    for name in ref_weights:
        assert torch.equal(ref_weights[name], new_weights[name]), name


def test_checkpoint_for_other_settings_is_ignored(tiny_encoder, tmp_path):
    """A leftover checkpoint written under other hyper-parameters must not be resumed."""
    rng = random.Random(0)
    _, train = _materialise(tmp_path, "mnli", tiny_encoder, "train", _nli(64, rng), 32)
    dev_data, dev = _materialise(tmp_path, "mnli", tiny_encoder, "validation", _nli(16, rng), 32)
    first = _args(tmp_path, tiny_encoder, train, dev, dev_data, "a")
    first["hp"]["epochs"] = 1
    first["runtime"]["checkpoint_every"] = 2
    first["stop_after_steps"] = 4
    assert _start(first).wait(timeout=600) != 0  # stopped on purpose, checkpoint left behind
    second = dict(first, hp=dict(first["hp"], learning_rate=1e-3), log=str(tmp_path / "b.log"))
    second.pop("stop_after_steps")
    assert _start(second).wait(timeout=600) == 0
    assert "ignoring checkpoint" in Path(second["log"]).read_text()
