# Paths, wildcard constraints and input functions shared by every rule.
# Everything task-specific comes from the package's registry; rules stay thin.
from pathlib import Path

import xstilts.config as xcfg
from xstilts import layout, registry
from xstilts.registry import BASELINE, MULTITASK

xcfg.check(config, workdir=workflow.basedir)

R = config["results_dir"]
ENV = "../../envs/xstilts.yaml"
SEEDS = config["seeds"]
ROWS = xcfg.rows(config)
TARGETS = config["targets"]
TRAINED_TARGETS = [t for t in TARGETS if registry.get(t).trainable]
RETRIEVAL_TARGETS = [t for t in TARGETS if not registry.get(t).trainable]
TOY_MODEL = config["model"]["source"] == "toy"


def _alternatives(names):
    return "|".join(sorted(names)) or "NONE"


wildcard_constraints:
    task=_alternatives(registry.tasks()),
    inter=_alternatives(set(registry.intermediate_tasks()) | {MULTITASK}),
    row=_alternatives(set(registry.intermediate_tasks()) | {MULTITASK, BASELINE}),
    seed=r"\d+",
    split=r"train|validation|test|dev",
    maxlen=r"\d+",


# ---------------------------------------------------------------- encoder and tokenizer
def world_dir(task=None):
    """The toy world, for tasks that read from it (and for the toy model's corpus)."""
    uses_world = TOY_MODEL if task is None else xcfg.source_for(config, task)["type"] == "toy"
    return [f"{R}/world"] if uses_world else []


def tokenizer_dir():
    """The toy tokenizer exists before pretraining ends, so tokenizing need not wait for it."""
    return f"{R}/model/tokenizer" if TOY_MODEL else f"{R}/model/base"


def toy_architecture():
    """XLMRobertaConfig settings of the toy model (model.toy without its training settings)."""
    return {k: v for k, v in config["model"]["toy"].items() if k not in ("pretrain", "hparams", "vocab_size")}


def base_encoder():
    """Phase 1's encoder: the pretrained toy model, or a local copy of model.name_or_path at model.revision."""
    return f"{R}/model/base"


def encoder_of(row, seed):
    """The encoder a row hands to target training: the base model, or the intermediate model's."""
    if row == BASELINE:
        return base_encoder()
    return layout.pattern(R, layout.INTERMEDIATE.format(inter=row, seed=seed) + "/encoder")


# ---------------------------------------------------------------- data
def split_languages(task, split):
    """Training and selection data is English; the test split (and BUCC's dev) covers the configured languages."""
    spec = registry.get(task)
    if split == spec.test or not spec.trainable:
        return xcfg.languages_for(config, task)
    return ["en"]


def data_dir(task, split):
    return f"{R}/data/{task}/{split}"


def max_length(phase, task, cell=None):
    if not registry.get(task).trainable:
        return config["retrieval"]["max_length"]
    return xcfg.hparams_for(config, phase, task, cell)["max_length"]


def features_dir(task, split, length):
    return f"{R}/features/{task}/{split}/L{length}"


def training_data(phase, task, cell=None):
    """Feature and data directories for training one task: (train features, dev features, dev data)."""
    spec = registry.get(task)
    length = max_length(phase, task, cell)
    train, dev = spec.train_ref(), spec.validation_ref()
    return (
        features_dir(train.task, train.split, length),
        features_dir(dev.task, dev.split, length) if dev else None,
        data_dir(dev.task, dev.split) if dev else None,
    )


def intermediate_tasks_of(inter):
    return xcfg.multitask_tasks(config) if inter == MULTITASK else [inter]


def intermediate_hparams(inter):
    return xcfg.hparams_for(config, "intermediate", inter)


def intermediate_sampling(inter):
    """How a multitask row samples its tasks (settings that decide its result, so they are params)."""
    return xcfg.multitask_sampling(config) if inter == MULTITASK else {}


def cell_name(row, target):
    return f"{row}/{target}"


# ---------------------------------------------------------------- per-rule input functions
def intermediate_inputs(w):
    inputs = {"encoder": base_encoder()}
    for task in intermediate_tasks_of(w.inter):
        train, dev, dev_data = training_data("intermediate", task)
        inputs[f"train_{task}"] = train
        inputs[f"dev_{task}"] = dev
        inputs[f"devdata_{task}"] = dev_data
    return inputs


def target_inputs(w):
    train, dev, dev_data = training_data("target", w.target, cell_name(w.row, w.target))
    return {"encoder": encoder_of(w.row, w.seed), "train": train, "dev": dev or [], "dev_data": dev_data or []}


def eval_inputs(w):
    length = max_length("target", w.target, cell_name(w.row, w.target))
    test = registry.get(w.target).test
    return {
        "model": layout.pattern(R, layout.TARGET.format(row=w.row, target=w.target, seed=w.seed) + "/model"),
        "features": features_dir(w.target, test, length),
        "data": data_dir(w.target, test),
    }


def retrieval_inputs(w):
    spec = registry.get(w.target)
    length = config["retrieval"]["max_length"]
    inputs = {"encoder": encoder_of(w.row, w.seed), "test": features_dir(w.target, spec.test, length)}
    if spec.validation:
        inputs["dev"] = features_dir(spec.validation.task, spec.validation.split, length)
    return inputs


def _tables(stem, caption, category, subcategory=None, labels=None):
    """The CSV goes into the report (rendered as a table); Markdown and LaTeX are plain outputs."""
    return [report(f"{stem}.csv", caption=caption, category=category, subcategory=subcategory, labels=labels)] + [
        f"{stem}.{ext}" for ext in TABLE_FORMATS[1:]
    ]



# ---------------------------------------------------------------- warm start (local runs only)
def _warm_start_allowed():
    """Forking jobs from a preloaded process only makes sense where jobs run on this machine, in this Python."""
    uses_conda = "conda" in str(getattr(workflow.deployment_settings, "deployment_method", "")).lower()
    return config["runtime"]["warm_start"] and workflow.local_exec and not workflow.remote_exec and not uses_conda


_WARM = {}


onstart:
    if _warm_start_allowed():
        import os, tempfile, uuid
        from xstilts import warmstart

        path = os.path.join(tempfile.gettempdir(), f"xstilts-{uuid.uuid4().hex[:12]}.sock")
        proc = warmstart.start(path)
        if proc is not None:
            os.environ[warmstart.ENV_VAR] = path
            _WARM["proc"] = proc


def _stop_warm_start():
    proc = _WARM.pop("proc", None)
    if proc is not None:
        proc.terminate()
        proc.wait(timeout=30)


onsuccess:
    _stop_warm_start()


onerror:
    _stop_warm_start()
