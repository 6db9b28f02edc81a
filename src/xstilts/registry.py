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


@cache
def _load() -> dict:
    text = resources.files("xstilts").joinpath("data/tasks.yaml").read_text()
    return yaml.safe_load(text)


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


def categories() -> dict[str, list[str]]:
    return dict(_load()["categories"])
