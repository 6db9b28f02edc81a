"""The task registry (``data/tasks.yaml``) as typed objects.

Everything task-specific lives in that YAML file; code dispatches on ``TaskSpec.format`` so that no task
gets its own copy of training or evaluation code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

FORMATS = ("classification", "multiple_choice", "span_qa", "tagging", "retrieval")
MULTITASK = "multitask"   # the intermediate model trained on several tasks at once
BASELINE = "none"         # no intermediate training: the pretrained encoder goes straight to the target


@dataclass(frozen=True)
class DataRef:
    """A split of a task's data (targets borrow training data, e.g. XNLI trains on MNLI)."""

    task: str
    split: str


@dataclass(frozen=True)
class TaskSpec:
    name: str
    format: str
    role: str
    metric: str
    columns: dict = field(default_factory=dict)
    labels: tuple[str, ...] | None = None   # None: the tag set comes from the training data (CCG)
    train: DataRef | None = None
    validation: DataRef | None = None
    test: str | None = None
    languages: tuple[str, ...] = ()
    mode: str | None = None                 # retrieval: mining | nearest_neighbour
    hub: dict | None = None
    recipe_data: dict | None = None         # intermediate data in other languages: {native, translated}

    @property
    def is_target(self) -> bool:
        return self.role == "target"

    @property
    def trainable(self) -> bool:
        return self.format != "retrieval"

    def train_ref(self) -> DataRef:
        """The English training data of this task (its own train split for intermediate tasks)."""
        return self.train if self.is_target else DataRef(self.name, "train")

    def validation_ref(self) -> DataRef | None:
        return self.validation if self.is_target else DataRef(self.name, "validation")


def _ref(value) -> DataRef | None:
    return None if value is None else DataRef(value["task"], value["split"])


REGISTRY_VERSION = 1
ROLES = ("intermediate", "target")
TASK_KEYS = {"format", "role", "metric", "columns", "labels", "train", "validation", "test", "languages", "mode",
             "hub", "recipe_data"}


class RegistryError(ValueError):
    """data/tasks.yaml does not describe its tasks the way the code reads them."""


@cache
def _load() -> dict:
    text = resources.files("xstilts").joinpath("data/tasks.yaml").read_text()
    data = yaml.safe_load(text)
    check(data)
    return data


def check(data: dict) -> None:
    """The registry's shape, checked once on first use: errors name the task and the key."""
    where = "xstilts/data/tasks.yaml"
    if data.get("version") != REGISTRY_VERSION:
        raise RegistryError(f"{where}: version {data.get('version')!r}; this xstilts reads version {REGISTRY_VERSION}")
    unknown = set(data) - {"version", "benchmarks", "tasks"}
    if unknown:
        raise RegistryError(f"{where}: unknown top-level key {sorted(unknown)[0]!r}")
    entries = data["tasks"]
    for name, entry in entries.items():
        bad = sorted(set(entry) - TASK_KEYS)
        if bad:
            raise RegistryError(f"{where}: tasks.{name}: unknown key {bad[0]!r}; allowed: {', '.join(sorted(TASK_KEYS))}")
        for key, allowed in (("format", FORMATS), ("role", ROLES)):
            if entry.get(key) not in allowed:
                raise RegistryError(f"{where}: tasks.{name}.{key}: {entry.get(key)!r}; allowed: {', '.join(allowed)}")
        for key in ("train", "validation"):
            ref = entry.get(key)
            if ref is not None and ref.get("task") not in entries:
                raise RegistryError(f"{where}: tasks.{name}.{key}.task: unknown task {ref.get('task')!r}")
    for bench, spec in data.get("benchmarks", {}).items():
        for category, members in spec["categories"].items():
            for task in members:
                if entries.get(task, {}).get("role") != "target":
                    raise RegistryError(f"{where}: benchmarks.{bench}.categories.{category}: {task!r} is not a "
                                        "target task of the registry")


@cache
def tasks() -> dict[str, TaskSpec]:
    out = {}
    for name, entry in _load()["tasks"].items():
        labels = entry.get("labels")
        out[name] = TaskSpec(
            name=name,
            format=entry["format"],
            role=entry["role"],
            metric=entry["metric"],
            columns=entry.get("columns") or {},
            labels=None if labels in (None, "from_data") else tuple(str(x) for x in labels),
            train=_ref(entry.get("train")),
            validation=_ref(entry.get("validation")),
            test=entry.get("test"),
            languages=tuple(entry.get("languages", ("en",))),
            mode=entry.get("mode"),
            hub=entry.get("hub"),
            recipe_data=entry.get("recipe_data"),
        )
    return out


def get(name: str) -> TaskSpec:
    try:
        return tasks()[name]
    except KeyError:
        raise KeyError(f"unknown task {name!r}; known tasks: {', '.join(sorted(tasks()))}") from None


def intermediate_tasks() -> list[str]:
    return [n for n, t in tasks().items() if t.role == "intermediate"]


def target_tasks() -> list[str]:
    return [n for n, t in tasks().items() if t.role == "target"]


def categories(benchmark: str = "xtreme") -> dict[str, tuple[str, ...]]:
    """The benchmark's categories and their tasks, in the benchmark's order."""
    return {name: tuple(tasks) for name, tasks in _load()["benchmarks"][benchmark]["categories"].items()}


def benchmark_tasks(benchmark: str = "xtreme") -> tuple[str, ...]:
    """The benchmark's tasks in the registry's order (the order of the grid's tables)."""
    members = {t for tasks in categories(benchmark).values() for t in tasks}
    return tuple(t for t in tasks() if t in members)
