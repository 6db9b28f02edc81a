"""The real-model path end to end (issue 13, item 10): `model.source: pretrained` with a locally saved XLM-R
and every task format read by the `local` loaders from files in the benchmarks' original layouts (plus one
intermediate task and one target through the `hub` loader from a hub-layout mirror on disk), through Snakemake:
the base model copy, intermediate and target training, evaluation and the tables.

The encoder is a randomly initialised 2-layer XLM-R (``XLMRobertaConfig``) with a Unigram tokenizer trained on
the fixture text the way phase 1 trains the toy tokenizer (``xstilts.pretrain.train_tokenizer``); nothing is
downloaded. Fixtures: tests/fixtures/pretrained_path/local (rebuild with its build_fixtures.py) and
tests/fixtures/sources/hub (Cosmos QA, PAWS-X).
"""

from __future__ import annotations

import csv
import json
import math
import os
import sys
from pathlib import Path

import pytest
import yaml

from workflow_helpers import REPO, TINY_ENCODER_ARCH, copy_repo, job_stats, snakemake

FIXTURES = "tests/fixtures/pretrained_path/local"  # relative to the work tree, as a user's config would say
HUB_MIRROR = "tests/fixtures/sources/hub"
MODEL = "models/tiny-xlmr"  # a local directory: no hub lookup, no revision
RESULTS = "results/pretrained"
INTERMEDIATE = ["mnli", "commonsenseqa", "cosmosqa", "squad"]  # classification, multiple choice (local, hub), span QA
TARGETS = ["xnli", "pawsx", "panx", "xquad", "tatoeba"]  # classification (local, hub), tagging, span QA, retrieval
TRAINED = ["xnli", "pawsx", "panx", "xquad"]
HUB_TASKS = ["cosmosqa", "pawsx"]  # through the hub loader, from hub-layout copies on disk
LANGUAGES = {
    "xnli": ["en", "de", "fr"],
    "pawsx": ["en", "de"],
    "panx": ["en", "de", "fr"],
    "xquad": ["en", "de"],
    "tatoeba": ["de", "fr"],
}
LOCAL_DIRS = {
    "mnli": "MNLI",
    "commonsenseqa": "commonsenseqa",
    "squad": "squad",
    "xnli": "xnli",
    "panx": "panx",
    "xquad": "xquad",
    "tatoeba": "tatoeba",
}

CONFIG = {
    "results_dir": RESULTS,
    "seeds": [0],
    "model": {"source": "pretrained", "name_or_path": MODEL},
    "data": {
        "source": {"type": "local", "path": FIXTURES},  # a ROOT with one directory per task
        # per-task directories, as a user points at separately downloaded data sets
        "tasks": {
            **{task: {"type": "local", "path": f"{FIXTURES}/{d}"} for task, d in LOCAL_DIRS.items()},
            **{task: {"type": "hub", "path": HUB_MIRROR} for task in HUB_TASKS},
        },
    },
    "intermediate": INTERMEDIATE,
    "targets": TARGETS,
    "languages": LANGUAGES,
    "hparams": {
        "default": {
            "learning_rate": 1.0e-3,
            "batch_size": 8,
            "grad_accum": 1,
            "epochs": 1,
            "warmup_ratio": 0.1,
            "max_length": 64,
            "eval_every": 0,
            "selection": "best_dev",
        },
        # SQuAD v1.1 dev holds XQuAD's English test questions: the config check demands the last checkpoint
        "task": {"squad": {"selection": "last"}},
    },
    "retrieval": {"layer": -1, "max_length": 64, "k": 4},
    "runtime": {"device": "cpu", "eval_batch_size": 32, "checkpoint_every": 0},
    "analysis": {"bootstrap_resamples": 20},
}


def build_model(out_dir: Path) -> Path:
    """A tiny XLM-R masked LM with random weights and an XLM-R tokenizer trained on the fixture text."""
    from transformers import XLMRobertaForMaskedLM

    from xstilts.pretrain import build_config, train_tokenizer

    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "pretrained_path"))
    try:
        from build_fixtures import corpus_lines
    finally:
        sys.path.pop(0)
    corpus = out_dir.parent / "tokenizer-corpus"
    (corpus / "corpus").mkdir(parents=True)
    (corpus / "corpus" / "fixtures.txt").write_text("\n".join(corpus_lines()) + "\n", encoding="utf-8")
    tokenizer = train_tokenizer(corpus, 400, out_dir)  # writes the tokenizer files into out_dir
    model = XLMRobertaForMaskedLM(build_config(tokenizer, TINY_ENCODER_ARCH))
    model.save_pretrained(out_dir)  # safetensors (transformers 5 writes nothing else)
    return out_dir


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = copy_repo(tmp_path_factory.mktemp("pretrained") / "repo")
    build_model(work / MODEL)
    config = work / "pretrained.yaml"
    config.write_text(yaml.safe_dump(CONFIG, sort_keys=False))
    done = snakemake(work, "--configfile", config.name, "--cores", "2")
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-6000:]
    return work


def _tensors(path: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(path))


@pytest.mark.slow
def test_base_model_is_the_local_checkpoint(run):
    base = run / RESULTS / "model" / "base"
    copied, original = _tensors(base / "model.safetensors"), _tensors(run / MODEL / "model.safetensors")
    assert set(copied) == set(original)
    for name, tensor in original.items():
        assert copied[name].equal(tensor), name
    assert (base / "tokenizer.json").read_text() == (run / MODEL / "tokenizer.json").read_text()
    provenance = json.loads((base / "provenance.json").read_text())
    assert provenance["job"] == "base_model"
    assert provenance["settings"] == {"name_or_path": MODEL, "revision": None}
    assert provenance["local_dir"] == str((run / MODEL).resolve())
    assert not (run / RESULTS / "world").exists() and not (run / RESULTS / "model" / "tokenizer").exists()


@pytest.mark.slow
def test_every_cell_has_metrics_for_every_language(run):
    from xstilts import registry

    for row in ["none"] + INTERMEDIATE:
        for target in TARGETS:
            cell = run / RESULTS / "eval" / row / "seed0" / target
            metrics = json.loads((cell / "metrics.json").read_text())["metrics"]
            assert sorted(metrics) == sorted(LANGUAGES[target]), (row, target)
            metric = registry.get(target).metric
            for lang, values in metrics.items():
                assert 0 <= values[metric] <= 100, (row, target, lang, values)
            assert _starts_from(run, cell) == MODEL, (row, target)


def _starts_from(work: Path, cell: Path) -> str:
    """Follow the provenance chain of an evaluated cell back to the pretrained model it started from."""
    provenance = json.loads((cell / "provenance.json").read_text())
    path = Path(provenance["settings"].get("model") or provenance["settings"]["encoder"])
    for _ in range(4):  # target model -> intermediate encoder -> base model
        # a trained model's provenance sits beside its weights' directory; the base model's inside it
        where = work / path / "provenance.json"
        provenance = json.loads((where if where.exists() else work / path.parent / "provenance.json").read_text())
        if provenance["job"] == "base_model":
            return provenance["settings"]["name_or_path"]
        path = Path(provenance["settings"]["encoder"])
    raise AssertionError(f"{cell}: no base_model in its provenance chain")


@pytest.mark.slow
def test_training_read_the_local_and_hub_data(run):
    results = run / RESULTS

    def counts(task, split):
        return json.loads((results / "data" / task / split / "counts.json").read_text())

    # as many examples as the fixture files hold (the hub mirror: 1 Cosmos QA and 3 PAWS-X training rows)
    train = {task: counts(task, "train") for task in ("mnli", "commonsenseqa", "cosmosqa", "squad", "pawsx", "panx")}
    assert train == {
        "mnli": {"en": 36},
        "commonsenseqa": {"en": 24},
        "cosmosqa": {"en": 1},
        "squad": {"en": 32},
        "pawsx": {"en": 3},
        "panx": {"en": 32},
    }
    test = {task: counts(task, "test") for task in TARGETS}
    assert test == {
        "xnli": {"en": 18, "de": 18, "fr": 18},
        "pawsx": {"en": 3, "de": 3},
        "panx": {"en": 16, "de": 16, "fr": 16},
        "xquad": {"en": 16, "de": 16},
        "tatoeba": {"de": 48, "fr": 48},
    }  # Tatoeba: one row per sentence, both sides
    for inter in INTERMEDIATE:
        provenance = json.loads((results / "intermediate" / inter / "seed0" / "provenance.json").read_text())
        assert provenance["settings"]["tasks"] == [inter]
        assert Path(provenance["settings"]["encoder"]) == Path(RESULTS) / "model" / "base"


@pytest.mark.slow
def test_main_table_has_every_row_and_target(run):
    with open(run / RESULTS / "tables" / "main.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["intermediate"] for r in rows] == ["none"] + INTERMEDIATE
    for row in rows:
        for target in TARGETS:
            value = float(row[target])
            assert not math.isnan(value) and 0 <= value <= 100, (row["intermediate"], target, row[target])
    assert [c for c in rows[0] if "_" not in c and c != "intermediate"] == TARGETS + [f"avg ({len(TARGETS)} tasks)"]
    table = [line for line in (run / RESULTS / "tables" / "main.md").read_text().splitlines() if line.startswith("|")]
    assert len(table) == 2 + len(rows) and table[2].startswith("| none |")
    assert not any("—" in line for line in table), table  # no missing cell


@pytest.mark.slow
def test_no_pickled_weights_anywhere(run):
    results = run / RESULTS
    pickles = [p for p in results.rglob("*") if p.suffix in (".bin", ".pt", ".pth", ".pkl", ".ckpt")]
    assert not pickles, pickles
    weights = sorted(p.relative_to(results).as_posix() for p in results.rglob("*.safetensors"))
    assert "model/base/model.safetensors" in weights
    assert len(weights) == 1 + len(INTERMEDIATE) + len(INTERMEDIATE + ["none"]) * len(TRAINED)  # base, encoders, cells


@pytest.mark.slow
def test_resaving_the_local_model_reruns_the_grid(run):
    """The local model's files are inputs of base_model: other weights saved there rerun everything that used
    them (as a new model.revision does for a hub id), but not the prepared data; the same bytes rerun nothing."""
    from safetensors.torch import save_file

    weights = run / MODEL / "model.safetensors"
    original, stat = weights.read_bytes(), weights.stat()
    tensors = _tensors(weights)
    name = sorted(tensors)[0]
    tensors[name] = tensors[name] + 1.0
    save_file(tensors, str(weights), metadata={"format": "pt"})
    try:
        dry = snakemake(run, "--configfile", "pretrained.yaml", "-n", "--quiet", "rules")
    finally:
        weights.write_bytes(original)
        os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert dry.returncode == 0, dry.stdout[-3000:] + dry.stderr[-3000:]
    rows = 1 + len(INTERMEDIATE)
    features = len(list((run / RESULTS / "features").glob("*/*/L*")))  # every feature set used the tokenizer
    assert job_stats(dry.stdout + dry.stderr) == {
        "base_model": 1,
        "tokenize": features,
        "train_intermediate": len(INTERMEDIATE),
        "train_target": rows * len(TRAINED),
        "evaluate": rows * len(TRAINED),
        "evaluate_retrieval": rows * (len(TARGETS) - len(TRAINED)),
        "aggregate": 1,
        "submission_scores": 1,
        "plots": 1,
        "all": 1,
    }
    os.utime(weights)  # newer, but the same bytes: Snakemake compares the checksum it recorded
    after = snakemake(run, "--configfile", "pretrained.yaml", "-n", "--quiet", "rules")
    assert after.returncode == 0 and job_stats(after.stdout + after.stderr) == {}, after.stdout[-3000:]


# ------------------------------------------------------------------------------ config checks (no Snakemake run)
def _check(tmp_path, capsys, model: dict) -> tuple[int, str]:
    """``xstilts check-config`` of this test's grid with another ``model`` block: (exit status, stderr)."""
    from xstilts.cli import main

    config = {**CONFIG, "model": model, "results_dir": str(tmp_path / "results")}
    path = tmp_path / "grid.yaml"
    path.write_text(yaml.safe_dump(config))
    status = main(["check-config", "--workflow-dir", str(REPO), "--configfile", str(path)])
    return status, capsys.readouterr().err


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    return build_model(tmp_path_factory.mktemp("saved") / "tiny-xlmr")


def test_local_model_directory_passes(saved_model, tmp_path, capsys):
    status, err = _check(tmp_path, capsys, {"source": "pretrained", "name_or_path": str(saved_model)})
    assert status == 0, err


def test_hub_ids_are_not_taken_for_missing_paths(tmp_path, capsys):
    for hub_id in ("xlm-roberta-large", "FacebookAI/xlm-roberta-large"):
        status, err = _check(tmp_path, capsys, {"source": "pretrained", "name_or_path": hub_id})
        assert status == 0, err


@pytest.mark.parametrize(
    "name, message",
    [
        ("/nowhere/tiny-xlmr", "model.name_or_path: /nowhere/tiny-xlmr does not exist"),
        ("./models/missing", "model.name_or_path: ./models/missing does not exist"),
        ("models/sub/missing", "model.name_or_path: models/sub/missing does not exist"),
    ],
)
def test_missing_local_model_is_refused_before_any_job(tmp_path, capsys, name, message):
    status, err = _check(tmp_path, capsys, {"source": "pretrained", "name_or_path": name})
    assert status == 2 and message in err, err


def test_revision_of_a_local_model_is_refused(saved_model, tmp_path, capsys):
    model = {"source": "pretrained", "name_or_path": str(saved_model), "revision": "0123abc"}
    status, err = _check(tmp_path, capsys, model)
    assert status == 2 and "model.revision:" in err and "local directory" in err, err


def test_local_directory_without_a_checkpoint_is_refused(saved_model, tmp_path, capsys):
    status, err = _check(tmp_path, capsys, {"source": "pretrained", "name_or_path": str(saved_model.parent)})
    assert status == 2 and "has no config.json" in err, err
    empty = tmp_path / "no-weights"
    empty.mkdir()
    (empty / "config.json").write_text((saved_model / "config.json").read_text())
    status, err = _check(tmp_path, capsys, {"source": "pretrained", "name_or_path": str(empty)})
    assert status == 2 and "holds no weights" in err, err
