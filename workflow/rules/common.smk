# Paths, wildcard constraints and input functions shared by every rule.
# Everything task-specific comes from the package's registry; rules stay thin.
import re
from pathlib import Path

import xstilts.config as xcfg
from xstilts import layout, registry
from xstilts.registry import BASELINE, MULTITASK

xcfg.check(config, workdir=workflow.basedir)

R = config["results_dir"]
ENV = "../../envs/xstilts.yaml"
SEEDS = config["seeds"]
RECIPES = xcfg.recipes_of(config)  # every row but the baseline: a task, multitask, or a named recipe
ROWS = [BASELINE] + list(RECIPES)
JOINT_ROWS = [r for r in RECIPES if RECIPES[r].joint]  # no intermediate model: trained with each target
SEQUENTIAL_ROWS = [r for r in RECIPES if not RECIPES[r].joint]
TARGETS = config["targets"]
TRAINED_TARGETS = [t for t in TARGETS if registry.get(t).trainable]
RETRIEVAL_TARGETS = [t for t in TARGETS if not registry.get(t).trainable]
TOY_MODEL = config["model"]["source"] == "toy"


def _alternatives(names):
    return "|".join(re.escape(n) for n in sorted(names)) or "NONE"


wildcard_constraints:
    task=_alternatives(registry.tasks()),
    inter=_alternatives(SEQUENTIAL_ROWS),
    row=_alternatives([BASELINE] + SEQUENTIAL_ROWS),
    seed=r"\d+",
    # train@LANG / train@LANG.mt: a recipe's non-English intermediate data (native / machine-translated)
    split=r"train|validation|test|dev|train@[a-z]+(\.mt)?",
    maxlen=r"\d+",
    lang=r"[a-z]+",


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
    return layout.pattern(R, layout.INTERMEDIATE_ENCODER.format(inter=row, seed=seed))


# ---------------------------------------------------------------- data
def split_languages(task, split):
    """Training and selection data is English; the test split (and BUCC's dev) covers the configured languages;
    a recipe's intermediate data variant (train@LANG[.mt]) holds that one language."""
    from xstilts.recipes import parse_split

    spec = registry.get(task)
    _, variant_lang, _ = parse_split(split)
    if variant_lang:
        return [variant_lang]
    if split == spec.test or not spec.trainable:
        return xcfg.languages_for(config, task)
    return ["en"]


def data_dir(task, split):
    return f"{R}/data/{task}/{split}"


def max_length(phase, task, cell=None):
    """Tokenized length of a task's features (``task`` may be a recipe row: its own default length)."""
    if task in registry.tasks() and not registry.get(task).trainable:
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
    return list(RECIPES[inter].tasks)


def intermediate_hparams(inter):
    return xcfg.hparams_for(config, "intermediate", inter)


def recipe_data_inputs(recipe, length_of, prefix="", with_dev=True):
    """Training features of a recipe's tasks (one directory per data variant and language), English dev."""
    inputs = {}
    for task, splits in recipe.data_splits().items():
        length = length_of(task)
        for split in splits:
            inputs[f"{prefix}train_{task}@{split}"] = features_dir(task, split, length)
        dev = registry.get(task).validation_ref()
        if dev and with_dev:
            inputs[f"{prefix}dev_{task}"] = features_dir(dev.task, dev.split, length)
            inputs[f"{prefix}devdata_{task}"] = data_dir(dev.task, dev.split)
    return inputs


def mlm_inputs(recipe, length):
    """Masked-LM blocks of unlabelled text per language, for a recipe that interleaves MLM."""
    if not recipe.mlm:
        return {}
    return {f"mlm_{lang}": f"{R}/features/mlm/{lang}/L{length}" for lang in recipe.mlm["languages"]}


def mlm_text(w):
    """Unlabelled text of one language: the toy world's corpus, or data.mlm_text.LANG."""
    if w.lang in config["data"]["mlm_text"]:
        return [config["data"]["mlm_text"][w.lang]]
    return [f"{R}/world"]


def recipe_as_dict(name):
    from xstilts.recipes import as_dict

    return as_dict(RECIPES[name])


def cell_name(row, target):
    return f"{row}/{target}"


def target_training(row, target):
    """Everything that decides a row's model for ``target`` besides the seed: the format, the English training
    data, the settings and, where they select on it, the dev set."""
    spec = registry.get(target)
    hparams = xcfg.hparams_for(config, "target", target, cell_name(row, target))
    selection = hparams.pop("selection")
    selects_on = spec.validation_ref() if selection == "best_dev" else None  # None: the last checkpoint
    return (spec.format, spec.train_ref(), selects_on, sorted(hparams.items()))


def trained_as(row, target):
    """The target whose model a cell evaluates: the first target of the row trained identically. XQuAD and
    MLQA fine-tune on SQuAD v1.1; with the same settings and the last checkpoint kept (XTREME's train_qa.sh
    evaluates one SQuAD model on both) they are one training job, not two that compute the same weights."""
    same = target_training(row, target)
    return next(t for t in TRAINED_TARGETS if target_training(row, t) == same)


# ---------------------------------------------------------------- per-rule input functions
def intermediate_inputs(w):
    recipe = RECIPES[w.inter]
    inputs = {"encoder": base_encoder()}
    inputs.update(recipe_data_inputs(recipe, lambda task: max_length("intermediate", task)))
    inputs.update(mlm_inputs(recipe, max_length("intermediate", w.inter)))
    return inputs


def joint_inputs(w):
    """A joint recipe's tasks and the target's English data, trained together from the base encoder."""
    inputs = target_inputs(w)
    inputs["encoder"] = base_encoder()
    inputs.update(
        recipe_data_inputs(RECIPES[w.row], lambda task: max_length("intermediate", task), "recipe_", with_dev=False)
    )
    return inputs


def target_inputs(w):
    train, dev, dev_data = training_data("target", w.target, cell_name(w.row, w.target))
    return {"encoder": encoder_of(w.row, w.seed), "train": train, "dev": dev or [], "dev_data": dev_data or []}


def eval_inputs(w):
    length = max_length("target", w.target, cell_name(w.row, w.target))
    test = registry.get(w.target).test
    return {
        "model": layout.pattern(
            R, layout.TARGET_MODEL.format(row=w.row, target=trained_as(w.row, w.target), seed=w.seed)
        ),
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


onstart:
    from xstilts.scheduling import drop_local_submission_limit

    drop_local_submission_limit(workflow)  # its timers cost a local run ~20 s of CPU (see the module)
    if _warm_start_allowed():
        from xstilts import warmstart

        # a private socket, removed however the run ends; ML jobs that start during its imports wait for it
        warmstart.start_for_workflow(wait=False)


onsuccess:
    from xstilts import warmstart

    warmstart.stop_for_workflow()


onerror:
    from xstilts import warmstart

    warmstart.stop_for_workflow()
