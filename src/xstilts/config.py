"""Checks on a grid configuration beyond its JSON schema, and the resolution of per-job settings.

The schema (``workflow/schemas/config.schema.yaml``) catches malformed keys and values; this module catches
what needs the task registry or the file system: unknown tasks and languages, missing local data, and the
licensed CCGbank. Every error names the key and the allowed values, before any job runs.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from xstilts import registry, settings
from xstilts.registry import BASELINE, MULTITASK



class ConfigError(ValueError):
    pass


def _allowed(values) -> str:
    return ", ".join(sorted(values))


def source_for(config: dict, task: str) -> dict:
    return dict(config["data"]["tasks"].get(task, config["data"]["source"]))


def available_languages(config: dict, task: str) -> list[str]:
    """Languages the task's data source provides: the toy world's coverage, or the benchmark's list."""
    spec = registry.get(task)
    if source_for(config, task)["type"] == "toy":
        from xstilts.toyworld.languages import TOY_TASK_LANGUAGES

        return list(TOY_TASK_LANGUAGES[task])
    return list(spec.languages)


def languages_for(config: dict, target: str) -> list[str]:
    return list(config["languages"].get(target) or available_languages(config, target))


def rows(config: dict) -> list[str]:
    """The table's rows: the no-intermediate baseline first, then the configured intermediate models."""
    return [BASELINE] + [t for t in config["intermediate"] if t != BASELINE]


def multitask_tasks(config: dict) -> list[str]:
    return list(config["multitask"].get("tasks") or registry.intermediate_tasks())


def data_tasks(config: dict) -> set[str]:
    """Every task whose data the grid reads."""
    needed = set()
    for row in rows(config):
        if row == MULTITASK:
            needed |= set(multitask_tasks(config))
        elif row != BASELINE:
            needed.add(row)
    for target in config["targets"]:
        spec = registry.get(target)
        needed.add(target)
        if spec.train:
            needed.add(spec.train.task)
        if spec.validation:
            needed.add(spec.validation.task)
    return needed


def hparams_for(config: dict, phase: str, task: str, cell: str | None = None) -> dict:
    """The resolved settings of one fine-tuning job as a plain dict (see ``xstilts.settings.resolve``)."""
    fmt = None if task == MULTITASK else registry.get(task).format
    try:
        return settings.resolve(config, phase, task, fmt, cell).for_phase(phase)
    except settings.SettingsError as err:
        raise ConfigError(str(err)) from None


def multitask_sampling(config: dict) -> dict:
    return asdict(settings.MultitaskSettings(**{k: v for k, v in config["multitask"].items() if k != "tasks"}))


def pretrain_hparams(config: dict) -> dict:
    try:
        return settings.pretrain_settings(config).for_phase("pretrain")
    except settings.SettingsError as err:
        raise ConfigError(str(err)) from None


def check(config: dict, workdir: str | Path = ".") -> None:
    """Raise ConfigError with a message naming the key and the allowed values."""
    known = registry.tasks()
    inter_ok = set(registry.intermediate_tasks()) | {MULTITASK, BASELINE}
    for task in config["intermediate"]:
        if task not in inter_ok:
            raise ConfigError(f"intermediate: unknown task {task!r}; allowed: {_allowed(inter_ok)}")
    for task in config["targets"]:
        if task not in registry.target_tasks():
            raise ConfigError(f"targets: unknown task {task!r}; allowed: {_allowed(registry.target_tasks())}")
    for task in config["multitask"].get("tasks") or []:
        if task not in registry.intermediate_tasks():
            raise ConfigError(f"multitask.tasks: unknown task {task!r}; allowed: {_allowed(registry.intermediate_tasks())}")
    for task in config["data"]["tasks"]:
        if task not in known:
            raise ConfigError(f"data.tasks: unknown task {task!r}; allowed: {_allowed(known)}")
    for task in config["hparams"]["task"]:
        if task not in known and task != MULTITASK:
            raise ConfigError(f"hparams.task: unknown task {task!r}; allowed: {_allowed(set(known) | {MULTITASK})}")
    for fmt in config["hparams"]["format"]:
        if fmt not in registry.FORMATS:
            raise ConfigError(f"hparams.format: unknown format {fmt!r}; allowed: {_allowed(registry.FORMATS)}")
    for cell in config["hparams"]["cell"]:
        parts = cell.split("/")
        if len(parts) != 2 or parts[0] not in inter_ok or parts[1] not in registry.target_tasks():
            raise ConfigError(f"hparams.cell: {cell!r} is not 'INTERMEDIATE/TARGET' with INTERMEDIATE in "
                              f"{_allowed(inter_ok)} and TARGET in {_allowed(registry.target_tasks())}")
    for target, langs in config["languages"].items():
        if target not in config["targets"]:
            raise ConfigError(f"languages: {target!r} is not among targets ({', '.join(config['targets'])})")
        allowed = available_languages(config, target)
        for lang in langs:
            if lang not in allowed:
                raise ConfigError(f"languages.{target}: unknown language {lang!r}; allowed: {_allowed(allowed)}")
    if config["model"]["source"] == "pretrained" and not config["model"].get("name_or_path"):
        raise ConfigError("model.name_or_path: required when model.source is 'pretrained' (e.g. xlm-roberta-large)")
    uses_toy = any(source_for(config, t)["type"] == "toy" for t in data_tasks(config))
    if config["model"]["source"] == "toy" and not uses_toy:
        raise ConfigError("model.source: 'toy' pretrains on the toy corpus, but no task uses the toy data source; "
                          "use model.source: pretrained with model.name_or_path")
    for task in sorted(data_tasks(config)):
        source = source_for(config, task)
        spec = known[task]
        if source["type"] == "hub" and not spec.hub:
            hint = ("CCGbank (LDC2005T13) is licensed and has no public copy: set data.tasks.ccg to "
                    "{type: local, path: /path/to/ccgbank} or remove ccg from intermediate and multitask.tasks"
                    if task == "ccg" else
                    f"set data.tasks.{task} to {{type: local, path: DIR}} with the original files")
            raise ConfigError(f"data.tasks.{task}: the hub has no usable copy of {task}; {hint}")
        if source["type"] == "local":
            if not source.get("path"):
                raise ConfigError(f"data.tasks.{task}.path: required for a local source")
            path = Path(workdir) / source["path"]
            if not path.exists():
                raise ConfigError(f"data.tasks.{task}.path: {source['path']} does not exist")
    check_settings(config)


def check_settings(config: dict) -> None:
    """Resolve every training job's settings once, so that a misplaced key fails before any job runs."""
    if config["model"]["source"] == "toy":
        pretrain_hparams(config)
    multitask_sampling(config)
    for row in rows(config):
        if row != BASELINE:
            selection = hparams_for(config, "intermediate", row)["selection"]
            _check_squad_selection(config, row, selection)
        for target in config["targets"]:
            if registry.get(target).trainable:
                hparams_for(config, "target", target, f"{row}/{target}")


def _check_squad_selection(config: dict, row: str, selection: str) -> None:
    """XQuAD is 1190 questions of 48 SQuAD v1.1 dev articles (and their translations): an intermediate model
    selected on real SQuAD dev would be selected on XQuAD's English test questions."""
    tasks = multitask_tasks(config) if row == MULTITASK else [row]
    if ("squad" in tasks and selection == "best_dev" and "xquad" in config["targets"]
            and source_for(config, "squad")["type"] != "toy"):
        key = f"hparams.task.{row}.selection"
        raise ConfigError(f"{key}: the {row} row would select on SQuAD v1.1 dev, which holds XQuAD's English test "
                          "questions (XQuAD is a target); set selection: last (as jiant's X-STILTs guide keeps the "
                          "last checkpoint)")
