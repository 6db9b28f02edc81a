"""Checks on a grid configuration beyond its JSON schema, and the resolution of per-job settings.

The schema (``workflow/schemas/config.schema.yaml``) catches malformed keys and values; this module catches
what needs the task registry or the file system: unknown tasks and languages, missing local data, and the
licensed CCGbank. Every error names the key and the allowed values, before any job runs.
"""

from __future__ import annotations

from pathlib import Path

from xstilts import registry, settings
from xstilts.registry import BASELINE, MULTITASK


class ConfigError(ValueError):
    pass


def _allowed(values) -> str:
    return ", ".join(sorted(values))


def source_for(config: dict, task: str) -> dict:
    return dict(config["data"]["tasks"].get(task, config["data"]["source"]))


def benchmark_of(config: dict) -> str:
    """The benchmark the grid runs (``benchmark``: xtreme, the default, or xtreme-r)."""
    return config.get("benchmark") or "xtreme"


def available_languages(config: dict, task: str) -> list[str]:
    """Languages the task's data source provides: the toy world's coverage, or the grid's benchmark's list
    (``registry.benchmark_languages``: XTREME-R adds e.g. lt, pl, uk, wo, ro to UD-POS)."""
    if source_for(config, task)["type"] == "toy":
        from xstilts.toyworld.languages import TOY_TASK_LANGUAGES

        return list(TOY_TASK_LANGUAGES[task])
    if registry.get(task).is_target and task in registry.benchmark_tasks(benchmark_of(config)):
        return list(registry.benchmark_languages(benchmark_of(config), task))
    return list(registry.get(task).languages)


def languages_for(config: dict, target: str) -> list[str]:
    return list(config["languages"].get(target) or available_languages(config, target))


def recipes_of(config: dict) -> dict:
    """Every row but the baseline as a ``xstilts.recipes.Recipe`` (checked; errors are ConfigErrors)."""
    from xstilts import recipes

    try:
        return recipes.resolve(config, lambda task, translated: recipe_languages(config, task, translated))
    except recipes.RecipeError as err:
        raise ConfigError(str(err)) from None


def recipe_languages(config: dict, task: str, translated: bool) -> list[str]:
    """Languages in which a task's source provides intermediate training data (native or translated)."""
    from xstilts.sources import recipe_languages as provided

    return ["en"] * (not translated) + [
        lang for lang in provided(registry.get(task), source_for(config, task), translated) if lang != "en"
    ]


def rows(config: dict) -> list[str]:
    """The table's rows: the no-intermediate baseline first, then the configured intermediate models."""
    return [BASELINE] + list(recipes_of(config))


def multitask_tasks(config: dict) -> list[str]:
    return list(config["multitask"].get("tasks") or registry.paper_intermediate_tasks())


def data_tasks(config: dict) -> set[str]:
    """Every task whose data the grid reads."""
    needed = set()
    for recipe in recipes_of(config).values():
        needed |= set(recipe.tasks)
    for target in config["targets"]:
        spec = registry.get(target)
        needed.add(target)
        if spec.train:
            needed.add(spec.train.task)
        if spec.validation:
            needed.add(spec.validation.task)
    return needed


def hparams_for(config: dict, phase: str, task: str, cell: str | None = None) -> dict:
    """The resolved settings of one fine-tuning job as a plain dict (see ``xstilts.settings.resolve``).

    ``task`` is a task or a row: a recipe of one task resolves as that task, then the recipe's own layer
    (``hparams.task.RECIPE``); a recipe of several tasks (multitask included) has no format layer."""
    member = None
    if task in registry.tasks():
        fmt = registry.get(task).format
    else:
        members = recipes_of(config)[task].tasks
        member = members[0] if len(members) == 1 else None
        fmt = registry.get(member).format if member else None
    try:
        return settings.resolve(config, phase, task, fmt, cell, member).for_phase(phase)
    except settings.SettingsError as err:
        raise ConfigError(str(err)) from None


def pretrain_hparams(config: dict) -> dict:
    try:
        return settings.pretrain_settings(config).for_phase("pretrain")
    except settings.SettingsError as err:
        raise ConfigError(str(err)) from None


def check(config: dict, workdir: str | Path = ".") -> None:
    """Raise ConfigError with a message naming the key and the allowed values."""
    known = registry.tasks()
    row_recipes = recipes_of(config)  # every row checked: tasks, recipe keys, languages its source provides
    inter_ok = set(row_recipes) | {BASELINE}
    for task in config["targets"]:
        if task not in registry.target_tasks():
            raise ConfigError(f"targets: unknown task {task!r}; allowed: {_allowed(registry.target_tasks())}")
    check_benchmark(config)
    for task in config["multitask"].get("tasks") or []:
        if task not in registry.intermediate_tasks():
            raise ConfigError(
                f"multitask.tasks: unknown task {task!r}; allowed: {_allowed(registry.intermediate_tasks())}"
            )
    for task in config["data"]["tasks"]:
        if task not in known:
            raise ConfigError(f"data.tasks: unknown task {task!r}; allowed: {_allowed(known)}")
    for where, layers in (("hparams", config["hparams"]), ("model.toy.hparams", config["model"]["toy"]["hparams"])):
        for task in layers["task"]:
            if task not in known and task not in row_recipes and task != MULTITASK:
                raise ConfigError(
                    f"{where}.task: unknown task or recipe {task!r}; allowed: "
                    f"{_allowed(set(known) | set(row_recipes) | {MULTITASK})}"
                )
    for fmt in config["hparams"]["format"]:
        if fmt not in registry.FORMATS:
            raise ConfigError(f"hparams.format: unknown format {fmt!r}; allowed: {_allowed(registry.FORMATS)}")
    for cell in config["hparams"]["cell"]:
        parts = cell.split("/")
        if len(parts) != 2 or parts[0] not in inter_ok or parts[1] not in registry.target_tasks():
            raise ConfigError(
                f"hparams.cell: {cell!r} is not 'INTERMEDIATE/TARGET' with INTERMEDIATE in "
                f"{_allowed(inter_ok)} and TARGET in {_allowed(registry.target_tasks())}"
            )
    for target, langs in config["languages"].items():
        if target not in config["targets"]:
            raise ConfigError(f"languages: {target!r} is not among targets ({', '.join(config['targets'])})")
        allowed = available_languages(config, target)
        for lang in langs:
            if lang not in allowed:
                raise ConfigError(f"languages.{target}: unknown language {lang!r}; allowed: {_allowed(allowed)}")
    if config["model"]["source"] == "pretrained" and not config["model"].get("name_or_path"):
        raise ConfigError("model.name_or_path: required when model.source is 'pretrained' (e.g. xlm-roberta-large)")
    check_pretrained_model(config, workdir)
    uses_toy = any(source_for(config, t)["type"] == "toy" for t in data_tasks(config))
    if config["model"]["source"] == "toy" and not uses_toy:
        raise ConfigError(
            "model.source: 'toy' pretrains on the toy corpus, but no task uses the toy data source; "
            "use model.source: pretrained with model.name_or_path"
        )
    for task in sorted(data_tasks(config)):
        source = source_for(config, task)
        spec = known[task]
        if source["type"] == "hub" and not spec.hub:
            hint = (
                "CCGbank (LDC2005T13) is licensed and has no public copy: set data.tasks.ccg to "
                "{type: local, path: /path/to/ccgbank} or remove ccg from intermediate and multitask.tasks"
                if task == "ccg"
                else f"set data.tasks.{task} to {{type: local, path: DIR}} with the original files"
            )
            raise ConfigError(f"data.tasks.{task}: the hub has no usable copy of {task}; {hint}")
        if source["type"] == "local":
            if not source.get("path"):
                raise ConfigError(f"data.tasks.{task}.path: required for a local source")
            path = Path(workdir) / source["path"]
            if not path.exists():
                raise ConfigError(f"data.tasks.{task}.path: {source['path']} does not exist")
    check_cells_in_grid(config)
    check_file_system(config, workdir)
    check_settings(config)


def check_benchmark(config: dict) -> None:
    """Every target belongs to the grid's benchmark: a grid is one benchmark's tables, category means and
    submission score (XCOPA is XTREME-R's, PAWS-X and BUCC are XTREME's only)."""
    bench = benchmark_of(config)
    if bench not in registry.benchmarks():
        raise ConfigError(f"benchmark: unknown benchmark {bench!r}; allowed: {_allowed(registry.benchmarks())}")
    allowed = registry.benchmark_tasks(bench)
    for task in config["targets"]:
        if task not in allowed:
            others = registry.task_benchmarks(task)
            hint = f" ({task} is a task of {', '.join(others)}: set benchmark: {others[0]})" if others else ""
            raise ConfigError(
                f"targets: {task!r} is not a task of benchmark {bench}; allowed with benchmark: {bench}: "
                f"{', '.join(allowed)}{hint}"
            )


def check_settings(config: dict) -> None:
    """Resolve every training job's settings once, so that a misplaced key fails before any job runs."""
    if config["model"]["source"] == "toy":
        pretrain_hparams(config)
    row_recipes = recipes_of(config)
    for row in rows(config):
        if row != BASELINE and not row_recipes[row].joint:
            selection = hparams_for(config, "intermediate", row)["selection"]
            _check_squad_selection(config, row, row_recipes[row].tasks, selection)
        for target in config["targets"]:
            if registry.get(target).trainable:
                hparams_for(config, "target", target, f"{row}/{target}")


def _check_squad_selection(config: dict, row: str, tasks, selection: str) -> None:
    """XQuAD is 1190 questions of 48 SQuAD v1.1 dev articles (and their translations): an intermediate model
    selected on real SQuAD dev would be selected on XQuAD's English test questions."""
    if (
        "squad" in tasks
        and selection == "best_dev"
        and "xquad" in config["targets"]
        and source_for(config, "squad")["type"] != "toy"
    ):
        key = f"hparams.task.{row}.selection"
        raise ConfigError(
            f"{key}: the {row} row would select on SQuAD v1.1 dev, which holds XQuAD's English test "
            "questions (XQuAD is a target); set selection: last (as jiant's X-STILTs guide keeps the "
            "last checkpoint)"
        )


# ------------------------------------------------------------------------ what would otherwise fail at a job
MODEL_WEIGHTS = ("*.safetensors", "*.safetensors.index.json", "pytorch_model*.bin", "pytorch_model*.bin.index.json")


def local_model_dir(name_or_path: str, workdir: str | Path = ".") -> Path | None:
    """The local directory that ``model.name_or_path`` names, or None for a hub id.

    A hub id is ``name`` or ``owner/name``; anything else (absolute, ``./``, ``~``, deeper paths) is a path, and a
    missing one is an error here rather than, at the base_model job, transformers' offer to download it."""
    path = Path(name_or_path).expanduser()
    full = path if path.is_absolute() else Path(workdir) / path
    if full.is_dir():
        return full
    if full.exists():
        raise ConfigError(
            f"model.name_or_path: {name_or_path} is a file; expected a directory written by "
            "save_pretrained, or a hub id such as FacebookAI/xlm-roberta-large"
        )
    if path.is_absolute() or name_or_path.startswith((".", "~")) or name_or_path.strip("/").count("/") > 1:
        raise ConfigError(
            f"model.name_or_path: {name_or_path} does not exist (a directory written by save_pretrained "
            "was expected; a hub id is NAME or OWNER/NAME)"
        )
    return None


def check_pretrained_model(config: dict, workdir: str | Path = ".") -> None:
    """A local ``model.name_or_path`` exists and holds a checkpoint; ``model.revision`` is for hub ids only (for
    a local directory transformers ignores it, so a 'pinned' grid would not be pinned)."""
    model = config["model"]
    if model["source"] != "pretrained":
        return
    local = local_model_dir(model["name_or_path"], workdir)
    if local is None:
        return
    if model.get("revision"):
        raise ConfigError(
            f"model.revision: {model['name_or_path']} is a local directory, which has no revisions; "
            "remove model.revision (the base_model job reruns when the directory's files change)"
        )
    if not (local / "config.json").is_file():
        raise ConfigError(
            f"model.name_or_path: {local} has no config.json; point it at a directory written by "
            "save_pretrained (config.json, weights, tokenizer files)"
        )
    if not any(next(local.glob(pattern), None) for pattern in MODEL_WEIGHTS):
        raise ConfigError(f"model.name_or_path: {local} holds no weights (expected {' or '.join(MODEL_WEIGHTS)})")


def local_model_files(config: dict, workdir: str | Path = ".") -> list[str]:
    """The files of a local ``model.name_or_path`` (inputs of the base_model job, so that re-saving a model there
    reruns the grid as a new ``model.revision`` does for a hub id); [] for a hub id or the toy model."""
    if config["model"]["source"] != "pretrained":
        return []
    local = local_model_dir(config["model"]["name_or_path"], workdir)
    return sorted(str(p) for p in local.iterdir() if p.is_file()) if local else []


def check_cells_in_grid(config: dict) -> None:
    """A cell override for a cell the grid does not train would be silently ignored: refuse it."""
    grid = [f"{row}/{target}" for row in rows(config) for target in config["targets"] if registry.get(target).trainable]
    for where, layers in (
        ("hparams", config["hparams"]),
        ("model.toy.hparams", config["model"]["toy"].get("hparams") or {}),
    ):
        for cell in layers.get("cell") or {}:
            if cell not in grid:
                raise ConfigError(
                    f"{where}.cell: {cell!r} is not a cell of this grid (rows x trained targets); "
                    f"the grid's cells: {', '.join(grid)}"
                )


def _source_key(config: dict, task: str) -> str:
    return f"data.tasks.{task}" if task in config["data"]["tasks"] else "data.source"


def check_file_system(config: dict, workdir: str | Path = ".") -> None:
    """results_dir can be created and written; every local data path is a directory in its task's layout."""
    results = config["results_dir"]
    if not str(results).strip():
        raise ConfigError(
            "results_dir: empty; outputs would land in the working directory's root (set e.g. results_dir: results)"
        )
    target = Path(workdir) / results
    _check_writable(target)
    for task in sorted(data_tasks(config)):
        source = source_for(config, task)
        if source["type"] != "local" or not source.get("path"):
            continue
        from xstilts.sources.local import check_layout

        try:
            check_layout(Path(workdir) / source["path"], task)
        except (OSError, KeyError) as err:
            message = err.args[0] if isinstance(err, KeyError) else str(err)
            raise ConfigError(f"{_source_key(config, task)}.path: {message}") from None


def _check_writable(target: Path) -> None:
    """results_dir itself if it exists, else its nearest existing parent, must take a new directory. Tried for
    real (and removed at once): permission bits say nothing for root or on a read-only file system."""
    import tempfile

    existing = target
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"results_dir: {target} cannot be created: {existing} is a file")
    try:
        Path(tempfile.mkdtemp(prefix=".xstilts-write-test-", dir=existing)).rmdir()
    except OSError as err:
        what = "is not writable" if existing == target else f"cannot be created in {existing}"
        raise ConfigError(f"results_dir: {target} {what} ({err.strerror})") from None


# ------------------------------------------------------------------------ reading and validating config files
def read_config_file(path: str | Path) -> dict:
    """One YAML config file as a dict, or a ConfigError of one line naming the file (and line)."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the config file ({getattr(err, 'strerror', None) or err})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        context = getattr(err, "context", None)
        raise ConfigError(f"{where}: YAML syntax error: {problem}" + (f" ({context})" if context else "")) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: the top level is a {type(data).__name__}; a config file is a mapping of settings (key: value)"
        )
    return data


def validate_config(config: dict, schema: str | Path) -> None:
    """The JSON schema check of the Snakefile (``snakemake.utils.validate``, which also fills in the schema's
    defaults), with a ConfigError that names the one failing key and what is allowed there, instead of
    Snakemake's message that prints the whole schema and config."""
    import jsonschema
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    message = None
    try:
        validate(config, str(schema), set_default=True)
    except WorkflowError as err:
        cause = err.__context__  # validate() raises WorkflowError from within `except ValidationError`
        if not isinstance(cause, jsonschema.ValidationError):
            raise
        message = schema_error_message(cause)
    if message:  # raised outside the except block: no chained context for `xstilts plan` to dig up
        raise ConfigError(message)


def schema_error_message(error) -> str:
    """'key.path: what is wrong; allowed: ...' from a jsonschema ValidationError."""
    from jsonschema.exceptions import best_match

    if error.context:  # anyOf / oneOf: the most relevant branch
        error = best_match(error.context)
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    where = where.lstrip(".") or "(top level)"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties") or {})
        unknown = sorted(k for k in error.instance if k not in allowed)
        key = where if where != "(top level)" else ""
        names = ", ".join(f"{key}.{k}" if key else str(k) for k in unknown)
        return f"unknown key {names}; allowed {'in ' + where if key else 'at the top level'}: {', '.join(allowed)}"
    if error.validator == "enum":
        return f"{where}: {error.instance!r} is not allowed; allowed: {', '.join(map(str, error.validator_value))}"
    message = error.message if len(error.message) <= 200 else error.message[:200] + " ..."
    return f"{where}: {message}"
