"""The task registry (``data/tasks.yaml``) as typed objects.

Everything task-specific lives in that YAML file; code dispatches on ``TaskSpec.format`` so that no task
gets its own copy of training or evaluation code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

FORMATS = ("classification", "multiple_choice", "span_qa", "tagging", "retrieval", "dense_retrieval")
MULTITASK = "multitask"  # the intermediate model trained on several tasks at once
BASELINE = "none"  # no intermediate training: the pretrained encoder goes straight to the target


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
    labels: tuple[str, ...] | None = None  # None: the tag set comes from the training data (CCG)
    train: DataRef | None = None
    validation: DataRef | None = None
    test: str | None = None
    languages: tuple[str, ...] = ()
    mode: str | None = None  # retrieval: mining | nearest_neighbour
    hub: dict | None = None
    recipe_data: dict | None = None  # intermediate data in other languages: {native, translated}

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
ROLES = ("intermediate", "target", "data")  # data: a target's English training/selection data (COPA), no grid row
BENCHMARK_KEYS = {"categories", "planned", "added_languages"}
TASK_KEYS = {
    "format",
    "role",
    "metric",
    "columns",
    "labels",
    "train",
    "validation",
    "test",
    "languages",
    "mode",
    "hub",
    "recipe_data",
}


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
    unknown = set(data) - {"version", "benchmarks", "paper", "tasks"}
    if unknown:
        raise RegistryError(f"{where}: unknown top-level key {sorted(unknown)[0]!r}")
    entries = data["tasks"]
    for name, entry in entries.items():
        bad = sorted(set(entry) - TASK_KEYS)
        if bad:
            raise RegistryError(
                f"{where}: tasks.{name}: unknown key {bad[0]!r}; allowed: {', '.join(sorted(TASK_KEYS))}"
            )
        for key, allowed in (("format", FORMATS), ("role", ROLES)):
            if entry.get(key) not in allowed:
                raise RegistryError(f"{where}: tasks.{name}.{key}: {entry.get(key)!r}; allowed: {', '.join(allowed)}")
        for key in ("train", "validation"):
            ref = entry.get(key)
            if ref is not None and ref.get("task") not in entries:
                raise RegistryError(f"{where}: tasks.{name}.{key}.task: unknown task {ref.get('task')!r}")
        refs = [(other.get(key) or {}).get("task") for other in entries.values() for key in ("train", "validation")]
        if entry.get("role") == "data" and name not in refs:
            raise RegistryError(f"{where}: tasks.{name}: role data, but no target trains or selects on it")
    for bench, spec in data.get("benchmarks", {}).items():
        _check_benchmark(where, bench, spec, entries)
    for name in (data.get("paper") or {}).get("intermediate", []):
        if entries.get(name, {}).get("role") != "intermediate":
            raise RegistryError(f"{where}: paper.intermediate: {name!r} is not an intermediate task of the registry")


def _check_benchmark(where: str, bench: str, spec: dict, entries: dict) -> None:
    at = f"{where}: benchmarks.{bench}"
    bad = sorted(set(spec) - BENCHMARK_KEYS)
    if bad:
        raise RegistryError(f"{at}: unknown key {bad[0]!r}; allowed: {', '.join(sorted(BENCHMARK_KEYS))}")
    planned = list(spec.get("planned") or [])
    members = [t for tasks in spec["categories"].values() for t in tasks]
    for task in planned:
        if task in entries:
            raise RegistryError(f"{at}.planned: {task!r} is a registry task now; remove it from planned")
        if task not in members:
            raise RegistryError(f"{at}.planned: {task!r} is in none of the benchmark's categories")
    for category, tasks in spec["categories"].items():
        for task in tasks:
            if task not in planned and entries.get(task, {}).get("role") != "target":
                raise RegistryError(
                    f"{at}.categories.{category}: {task!r} is not a target task of the registry (nor planned)"
                )
    for task, langs in (spec.get("added_languages") or {}).items():
        if task not in members or task in planned:
            raise RegistryError(f"{at}.added_languages: {task!r} is not a registry task of the benchmark")
        twice = sorted(set(langs) & set(entries[task].get("languages", ())))
        if twice or len(set(langs)) != len(langs):
            raise RegistryError(
                f"{at}.added_languages.{task}: {twice or langs} listed twice (the task's "
                "`languages` are included already)"
            )


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


def data_tasks() -> list[str]:
    """Tasks that only provide a target's English data (COPA for XCOPA): never a row or a column."""
    return [n for n, t in tasks().items() if t.role == "data"]


def paper_intermediate_tasks() -> list[str]:
    """The paper's nine intermediate tasks (registry order): the default multitask mix. Tasks added since
    (siqa) are intermediate tasks a config may name, outside the paper's grid."""
    paper = set(_load()["paper"]["intermediate"])
    return [n for n in intermediate_tasks() if n in paper]


def benchmarks() -> tuple[str, ...]:
    return tuple(_load()["benchmarks"])


def _benchmark(benchmark: str) -> dict:
    try:
        return _load()["benchmarks"][benchmark]
    except KeyError:
        raise KeyError(f"unknown benchmark {benchmark!r}; known: {', '.join(benchmarks())}") from None


def categories(benchmark: str = "xtreme") -> dict[str, tuple[str, ...]]:
    """The benchmark's categories and their tasks, in the benchmark's order (planned tasks included)."""
    return {name: tuple(tasks) for name, tasks in _benchmark(benchmark)["categories"].items()}


def planned_tasks(benchmark: str) -> tuple[str, ...]:
    """Tasks the benchmark has and the registry does not have yet (XTREME-R: mewslix, lareqa)."""
    return tuple(_benchmark(benchmark).get("planned") or ())


def benchmark_tasks(benchmark: str = "xtreme") -> tuple[str, ...]:
    """The benchmark's registry tasks in the registry's order (the order of the grid's tables); planned
    tasks are left out."""
    members = {t for tasks in categories(benchmark).values() for t in tasks}
    return tuple(t for t in tasks() if t in members)


def benchmark_languages(benchmark: str, task: str) -> tuple[str, ...]:
    """The task's test languages in the benchmark: its `languages` plus the benchmark's added ones
    (XTREME-R's UD-POS adds lt, pl, uk, wo, ro)."""
    if task in planned_tasks(benchmark):
        raise KeyError(
            f"{task!r} is planned for {benchmark} but not a registry task yet: no languages here "
            "(xstilts.metrics.tasks has the benchmark's list)"
        )
    if task not in benchmark_tasks(benchmark):
        raise KeyError(f"{task!r} is not a task of {benchmark}; its tasks: {', '.join(benchmark_tasks(benchmark))}")
    added = (_benchmark(benchmark).get("added_languages") or {}).get(task, ())
    return get(task).languages + tuple(added)


def task_benchmarks(task: str) -> tuple[str, ...]:
    """The benchmarks that have the task as a registry task (xnli: xtreme and xtreme-r; pawsx: xtreme)."""
    return tuple(b for b in benchmarks() if task in benchmark_tasks(b))


def known_languages(task: str) -> tuple[str, ...]:
    """Every real test language of the task in any benchmark (its `languages`, then the languages the
    benchmarks add): what a real data source may be asked for."""
    out = list(get(task).languages)
    for bench in task_benchmarks(task):
        out += [lang for lang in benchmark_languages(bench, task) if lang not in out]
    return tuple(out)
