"""One function per workflow step. The Snakemake rules call these through ``workflow/scripts/*.py``;
``xstilts`` commands call the same functions.

Settings that decide a job's output arrive as arguments (the rules pass them as ``params:``, so changing
them reruns exactly the affected jobs); settings that cannot change results (evaluation batch size, device,
threads, logging) come separately and never trigger a rerun.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict
from pathlib import Path

from xstilts import registry
from xstilts.formats import get_format

log = logging.getLogger("xstilts.jobs")


def resolve_device(name: str = "auto"):
    import torch

    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def write_json(path: str | Path, obj) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1, default=str) + "\n")
    tmp.replace(path)


def fingerprint(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------------------------- phase 1
def toy_world(out_dir: str, seed: int, scale: float, workers: int = 1) -> dict:
    from xstilts.toyworld import generate_world

    return generate_world(out_dir, seed=seed, scale=scale, workers=workers)


def train_tokenizer(world_dir: str, vocab_size: int, out_dir: str) -> None:
    from xstilts.pretrain import train_tokenizer as train

    train(world_dir, vocab_size, out_dir)


def pretrain(
    world_dir: str,
    tokenizer_dir: str,
    out_dir: str,
    arch: dict,
    hp: dict,
    seed: int,
    runtime=None,
    checkpoint_dir: str | None = None,
) -> dict:
    """Masked-LM pretraining of the tiny XLM-R on the toy corpus (phase 1 of the pipeline)."""
    from transformers import AutoTokenizer, DataCollatorForLanguageModeling, XLMRobertaForMaskedLM

    from xstilts.pretrain import MaskedPositionsMLM, build_config, corpus_files, mlm_features, read_corpus
    from xstilts.provenance import Record
    from xstilts.settings import RuntimeSettings
    from xstilts.training import TrainTask, seed_everything, train

    runtime = runtime or RuntimeSettings()
    record = Record("pretrain", {"arch": arch, "hp": hp}, seed)
    device = resolve_device(runtime.device)
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    seed_everything(seed)
    model = XLMRobertaForMaskedLM(build_config(tokenizer, arch))
    features = mlm_features(read_corpus(world_dir), tokenizer, hp["max_length"])
    log.info(
        "pretraining on %d blocks of up to %d tokens; %.2fM parameters",
        len(features),
        hp["max_length"],
        sum(p.numel() for p in model.parameters()) / 1e6,
    )
    collate = DataCollatorForLanguageModeling(tokenizer, mlm_probability=hp["mlm_probability"])
    task = TrainTask("mlm", MaskedPositionsMLM(model), features, collate, evaluate=None)
    # everything that decides the weights: architecture, settings, seed, the tokenizer (its vocabulary, size
    # included) and the corpus blocks it produced
    decided_by = {
        "arch": arch,
        "hp": hp,
        "seed": seed,
        "tokenizer": _tokenizer_fingerprint(tokenizer),
        "corpus": _files_fingerprint(corpus_files(world_dir)),
    }
    summary = train(
        [task],
        {**hp, "selection": "last"},
        seed,
        device,
        Path(checkpoint_dir) if checkpoint_dir else None,
        fingerprint(decided_by),
        runtime=runtime,
    )
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    record.add(training=summary)
    record.finish(Path(out_dir) / "provenance.json", device)
    _remove_checkpoint(checkpoint_dir)
    return summary


def _files_fingerprint(paths) -> str:
    digest = hashlib.sha256()
    for path in sorted(map(Path, paths)):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _tokenizer_fingerprint(tokenizer) -> str:
    return fingerprint({"vocab_size": len(tokenizer), "tokenizer": tokenizer.backend_tokenizer.to_str()})


def _remove_checkpoint(checkpoint_dir: str | None) -> None:
    """The run finished: its resumable checkpoint is no longer needed."""
    if checkpoint_dir:
        (Path(checkpoint_dir) / "checkpoint.pt").unlink(missing_ok=True)


def base_model(name_or_path: str, revision: str | None, out_dir: str) -> None:
    """Copy the pretrained encoder (masked-LM weights and tokenizer) at the pinned revision into the results.

    Every later job reads this one local snapshot, so the whole grid uses the same weights even if the hub
    repository moves on, and ``model.revision`` is a param: changing it reruns the grid.
    """
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    from xstilts.provenance import Record

    record = Record("base_model", {"name_or_path": name_or_path, "revision": revision})
    local = Path(name_or_path).expanduser()
    if local.is_dir():  # transformers reads a directory as it is (a revision would be ignored: config.py refuses one)
        record.add(local_dir=str(local.resolve()))
    tokenizer = AutoTokenizer.from_pretrained(name_or_path, revision=revision)
    model = AutoModelForMaskedLM.from_pretrained(name_or_path, revision=revision)
    model.save_pretrained(out_dir)  # safetensors
    tokenizer.save_pretrained(out_dir)
    log.info(
        "%s (%s): %.1fM parameters saved to %s",
        name_or_path,
        f"local directory {local.resolve()}" if local.is_dir() else f"revision {revision or 'latest'}",
        sum(p.numel() for p in model.parameters()) / 1e6,
        out_dir,
    )
    record.finish(Path(out_dir) / "provenance.json", resolve_device("cpu"))


# ----------------------------------------------------------------------------------------------- data
def prepare(task: str, split: str, languages: list[str], source: dict, out_dir: str, world_dir: str | None) -> None:
    from xstilts.prepared import prepare as run

    counts = run(task, split, languages, source, out_dir, world_dir)
    write_json(Path(out_dir) / "counts.json", counts)


def tokenize(
    task: str, split: str, languages: list[str], data_dir: str, tokenizer: str, max_length: int, out_dir: str
) -> None:
    from xstilts.prepared import tokenize as run

    counts = run(task, split, languages, data_dir, tokenizer, max_length, out_dir)
    write_json(Path(out_dir) / "counts.json", counts)


def tokenize_mlm(text: list[str], lang: str, tokenizer_dir: str, block_size: int, out_dir: str) -> None:
    """Masked-LM blocks of one language's unlabelled text (a recipe's MLM co-training): the toy world's
    corpus file for ``lang``, or a text file with one sentence or paragraph per line."""
    from transformers import AutoTokenizer

    from xstilts.pretrain import mlm_features

    source = Path(text[0])
    path = source / "corpus" / f"{lang}.txt" if source.is_dir() else source
    if not path.is_file():
        raise FileNotFoundError(f"no unlabelled {lang} text at {path} (set data.mlm_text.{lang} to a text file)")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        raise ValueError(f"{path}: no text lines for masked-LM co-training")
    features = mlm_features(lines, AutoTokenizer.from_pretrained(tokenizer_dir), block_size)
    features.save_to_disk(str(Path(out_dir) / lang))
    write_json(Path(out_dir) / "counts.json", {lang: len(features)})
    log.info("mlm %s: %d blocks of up to %d tokens from %s", lang, len(features), block_size, path)


def write_gold(task: str, languages: list[str], data_dir: str, out_dir: str) -> None:
    """XTREME-format gold files (``TASK/test-LANG.tsv|json``) for ``xstilts score --benchmark``."""
    from xstilts import metrics
    from xstilts.prepared import load_prepared

    spec = registry.get(task)
    fmt = get_format(spec.format)
    examples = {lang: load_prepared(data_dir, lang) for lang in languages}
    shared = fmt.shared(examples, spec)  # what the cell's languages share (a candidate pool), or None
    for lang in languages:
        gold = fmt.gold(examples[lang], spec, list(spec.labels or []), shared=shared)
        metrics.write_gold(task, Path(out_dir) / f"test-{lang}.{metrics.file_suffix(task)}", gold)


# ----------------------------------------------------------------------------------------------- training
def _dev_evaluator(fmt, spec, tokenizer, features, examples, labels, batch_size, device):
    gold = fmt.gold(examples, spec, labels)

    def evaluate(model):
        pred = fmt.predict(model, tokenizer, features, examples, spec, labels, batch_size, device)
        return fmt.dev_score(pred, gold, spec)

    return evaluate


def train_model(
    tasks: list[str],
    encoder: str,
    train_features: dict,
    dev_features: dict,
    dev_data: dict,
    hp: dict,
    seed: int,
    out_dir: str,
    save: str,
    checkpoint_dir: str | None = None,
    runtime=None,
    sampling: dict | None = None,
    mlm: dict | None = None,
    stop_after_steps: int | None = None,
) -> dict:
    """Fine-tune ``encoder`` on one task or several (multitask: one head per task on a shared encoder).

    ``train_features[task]`` is a cached English features directory, or a list of ``(directory, language)``
    pairs whose data are pooled (a recipe's intermediate data); ``dev_features[task]`` / ``dev_data[task]``
    are English. A task without dev data keeps its last checkpoint; only the first task's weights are saved
    (``save="encoder"``: the encoder alone, which passes to the next phase; ``save="model"``: the whole model).
    ``mlm`` = ``{"features": [(dir, lang), ...], "weight": w}`` interleaves masked-LM batches on the shared
    encoder with probability ``w`` per step. ``hp``, ``sampling`` and ``mlm`` decide the result; ``runtime``
    (``RuntimeSettings``) does not.
    """
    from transformers import AutoTokenizer

    from xstilts.prepared import load_prepared
    from xstilts.provenance import Record, dataset_fingerprints
    from xstilts.settings import RuntimeSettings, TrainingSettings
    from xstilts.training import TrainTask, seed_everything, train

    hp = asdict(TrainingSettings(**hp))
    runtime = runtime or RuntimeSettings()
    sampling = sampling or {}
    settings = {"tasks": tasks, "encoder": encoder, "hp": hp, **({"sampling": sampling} if sampling else {})}
    record = Record("train", settings, seed)
    device = resolve_device(runtime.device)
    tokenizer = AutoTokenizer.from_pretrained(encoder)
    seed_everything(seed)
    train_tasks, label_sets, shared = [], {}, None
    if len(tasks) > 1 or mlm:  # several heads: one encoder for all, with the pooler that multiple choice uses
        from transformers import AutoModel

        shared = AutoModel.from_pretrained(encoder, add_pooling_layer=True)
    for name in tasks:
        spec = registry.get(name)
        fmt = get_format(spec.format)
        features = _pooled(train_features[name])
        labels = fmt.label_inventory(features, spec)
        features = fmt.attach_labels(features, labels)
        model = fmt.build_model(encoder, spec, labels)
        if shared is not None:  # multitask: every head sits on the same encoder
            setattr(model, model.base_model_prefix, shared)
        evaluate = None
        if dev_features.get(name):
            dev = load_prepared(dev_features[name], "en")
            dev = fmt.attach_labels(dev, labels)
            evaluate = _dev_evaluator(
                fmt, spec, tokenizer, dev, load_prepared(dev_data[name], "en"), labels, runtime.eval_batch_size, device
            )
        train_tasks.append(TrainTask(name, model, features, fmt.collator(tokenizer), evaluate))
        label_sets[name] = labels
        log.info(
            "%s: %d training features, %s",
            name,
            len(features),
            "selection on English dev" if evaluate and hp["selection"] == "best_dev" else "the last checkpoint is kept",
        )

    fixed = {}
    if mlm:
        train_tasks.append(_mlm_task(encoder, shared, tokenizer, mlm["features"]))
        fixed = {len(train_tasks) - 1: mlm["weight"]}
        settings["mlm"] = {"weight": mlm["weight"], "features": [list(f) for f in mlm["features"]]}
    summary = train(
        train_tasks,
        hp,
        seed,
        device,
        Path(checkpoint_dir) if checkpoint_dir else None,
        fingerprint({**settings, "seed": seed}),
        runtime=runtime,
        sampling=sampling,
        fixed_probs=fixed,
        stop_after_steps=stop_after_steps,
    )
    final = _kept_dev_scores(summary) or {t.name: t.evaluate(t.model) for t in train_tasks if t.evaluate is not None}
    out = Path(out_dir)
    if save == "encoder":
        save_encoder(train_tasks[0].model.base_model, out / save)
    else:
        train_tasks[0].model.save_pretrained(str(out / save))
    tokenizer.save_pretrained(str(out / save))
    write_json(
        out / "dev_metrics.json",
        {
            "selected_step": summary["selected_step"],
            "selection": summary["selection"],
            "dev": final,
            "labels": label_sets,
        },
    )
    record.add(
        training={k: v for k, v in summary.items()},
        data=dataset_fingerprints(
            [f"{d}/{lang}" for n in tasks for d, lang in _parts(train_features[n])]
            + [dev_features[n] + "/en" for n in tasks if dev_features.get(n)]
        ),
    )
    record.finish(out / "provenance.json", device)
    _remove_checkpoint(checkpoint_dir)
    return summary


def _kept_dev_scores(summary: dict) -> dict | None:
    """The dev scores of the weights selection kept, as measured when they were selected: evaluating the
    restored weights again would compute the same numbers."""
    if summary["selection"] != "best English dev":
        return None
    return next(h["tasks"] for h in summary["dev_history"] if h["step"] == summary["selected_step"])


def _parts(features) -> list[tuple[str, str]]:
    """A features argument as (directory, language) pairs: a plain directory is English."""
    return [(features, "en")] if isinstance(features, str) else [tuple(p) for p in features]


def _pooled(features):
    """One training set from one or several (directory, language) parts, in a fixed order."""
    from datasets import concatenate_datasets

    from xstilts.prepared import load_prepared

    parts = [load_prepared(d, lang) for d, lang in _parts(features)]
    return parts[0] if len(parts) == 1 else concatenate_datasets(parts)


def _mlm_task(encoder: str, shared, tokenizer, features):
    """Masked-LM co-training on the shared encoder with the base model's own LM head."""
    from transformers import AutoModelForMaskedLM, DataCollatorForLanguageModeling

    from xstilts.pretrain import MaskedPositionsMLM
    from xstilts.training import TrainTask

    mlm = AutoModelForMaskedLM.from_pretrained(encoder)
    setattr(mlm, mlm.base_model_prefix, shared)
    collate = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15)
    return TrainTask("mlm", MaskedPositionsMLM(mlm), _pooled(features), collate, evaluate=None)


def recipe_inputs(smk_input, tasks: list[str], prefix: str = ""):
    """A recipe job's declared inputs as train_model's arguments: per task the pooled (directory, language)
    parts of its training data, its English dev features and data, and the MLM parts."""
    from xstilts.recipes import parse_split

    train, dev, dev_data, mlm = {}, {}, {}, []
    for key in smk_input.keys():
        if key.startswith(f"{prefix}train_"):
            task, _, split = key[len(f"{prefix}train_") :].partition("@")
            lang = parse_split(split)[1] or "en"
            train.setdefault(task, []).append((smk_input[key], lang))
        elif key.startswith("mlm_"):
            mlm.append((smk_input[key], key[len("mlm_") :]))
    for task in tasks:
        dev[task] = smk_input.get(f"{prefix}dev_{task}")
        dev_data[task] = smk_input.get(f"{prefix}devdata_{task}")
    return train, dev, dev_data, mlm


def save_encoder(encoder, directory: Path) -> None:
    """Save the bare encoder for the next phase, without the intermediate task's label settings.

    The config object is shared with the task head, so it carries num_labels, id2label and problem_type of
    the intermediate task; a fresh head built from it (e.g. QA's two outputs) must not inherit them.
    """
    config = encoder.config
    saved = {k: getattr(config, k, None) for k in ("id2label", "label2id", "problem_type")}
    config.id2label, config.label2id = {0: "LABEL_0", 1: "LABEL_1"}, {"LABEL_0": 0, "LABEL_1": 1}
    config.problem_type = None
    try:
        encoder.save_pretrained(str(directory))
    finally:
        for key, value in saved.items():
            setattr(config, key, value)


# ----------------------------------------------------------------------------------------------- evaluation
def evaluate(
    task: str,
    model_dir: str,
    languages: list[str],
    features_dir: str,
    data_dir: str,
    out_dir: str,
    batch_size: int = 64,
    device_name: str = "auto",
) -> dict:
    """Zero-shot evaluation of one fine-tuned cell on every language of its target, loading the model once."""
    from transformers import AutoConfig, AutoTokenizer

    from xstilts import metrics
    from xstilts.prepared import load_prepared
    from xstilts.provenance import Record

    spec = registry.get(task)
    fmt = get_format(spec.format)
    record = Record("evaluate", {"task": task, "model": model_dir, "languages": languages})
    device = resolve_device(device_name)
    config = AutoConfig.from_pretrained(model_dir)
    labels = fmt.saved_labels(config, spec)
    model = fmt.build_model(model_dir, spec, labels).to(device)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    out, results = Path(out_dir), {}
    features = {lang: load_prepared(features_dir, lang) for lang in languages}
    shared = fmt.shared(features, spec)  # e.g. one candidate pool for every language, embedded once
    for lang in languages:
        examples = load_prepared(data_dir, lang)
        started = time.perf_counter()
        pred = fmt.predict(model, tokenizer, features[lang], examples, spec, labels, batch_size, device, shared=shared)
        log.info(
            "%s %s: %d examples, %.0f examples/s",
            task,
            lang,
            len(examples),
            len(examples) / max(time.perf_counter() - started, 1e-9),
        )
        pred = fmt.submission(pred)
        gold = fmt.gold(examples, spec, labels, shared=shared)
        metrics.write_pred(task, out / f"test-{lang}.{metrics.file_suffix(task)}", pred)
        results[lang] = metrics.score_task(task, lang, gold, pred)
        log.info("%s %s: %s", task, lang, json.dumps(results[lang]))
    summary = _summarise(task, results, fmt.main_metric(spec))
    write_json(out / "metrics.json", summary)
    record.finish(out / "provenance.json", device)
    return summary


def _summarise(task: str, per_language: dict, main_metric: str | None = None) -> dict:
    from xstilts.metrics import MAIN_METRIC, task_score

    scores = {lang: task_score(task, m) for lang, m in per_language.items()}
    return {
        "task": task,
        "main_metric": main_metric or MAIN_METRIC[task],
        "score": scores,
        "average": sum(scores.values()) / len(scores) if scores else None,
        "metrics": per_language,
    }


def evaluate_retrieval(
    task: str,
    encoder_dir: str,
    languages: list[str],
    test_features: str,
    dev_features: str | None,
    layer: int,
    k: int,
    out_dir: str,
    batch_size: int = 128,
    device_name: str = "auto",
) -> dict:
    """Retrieval straight from an encoder (BUCC mining with the dev threshold, Tatoeba 1-NN): the format
    module evaluates each language; this writes its predictions, scores and summary."""
    from transformers import AutoModel, AutoTokenizer

    from xstilts import metrics
    from xstilts.prepared import load_prepared
    from xstilts.provenance import Record

    spec = registry.get(task)
    fmt = get_format(spec.format)
    record = Record("evaluate_retrieval", {"task": task, "encoder": encoder_dir, "layer": layer, "k": k})
    device = resolve_device(device_name)
    encoder = AutoModel.from_pretrained(encoder_dir).to(device)
    tokenizer = AutoTokenizer.from_pretrained(encoder_dir)
    out, results, details = Path(out_dir), {}, {}
    for lang in languages:
        dev = load_prepared(dev_features, lang) if dev_features else None
        result = fmt.evaluate(
            encoder, tokenizer, spec, load_prepared(test_features, lang), dev, layer, k, batch_size, device
        )
        metrics.write_pred(task, out / f"test-{lang}.{metrics.file_suffix(task)}", result.pred)
        results[lang] = metrics.score_task(task, lang, result.gold, result.pred)
        details[lang] = {**results[lang], **result.details}
        log.info("%s %s: %s", task, lang, json.dumps(details[lang]))
    summary = _summarise(task, results, fmt.main_metric(spec))
    summary["retrieval"] = {"layer": layer, "k": k, "details": details}
    write_json(out / "metrics.json", summary)
    record.finish(out / "provenance.json", device)
    return summary
