"""data/tasks.yaml is the one description of a task: everything that restates a task fact agrees with it, and
every task has what the grid needs to run it (a format module, a local reader, a toy builder, a metric, toy
languages). Adding a task to the registry without one of them fails here."""
from __future__ import annotations

import copy

import pytest

from xstilts import registry
from xstilts.formats import get_format
from xstilts.metrics import tasks as metric_tables

PROTOCOL = ("canonicalize", "featurize", "build_model", "collator", "predict", "gold", "label_inventory",
            "attach_labels", "saved_labels", "dev_score", "submission", "main_metric")
TARGETS = registry.target_tasks()


def _of_format(*formats: str) -> set[str]:
    return {t for t in TARGETS if registry.get(t).format in formats}


def test_metric_tables_equal_the_registry():
    """The scorer keeps its own tables (it runs without the grid's dependencies); they say what the registry says."""
    assert metric_tables.TASKS == registry.benchmark_tasks("xtreme")
    assert metric_tables.TASK_GROUPS == registry.categories("xtreme")
    for task in TARGETS:
        spec = registry.get(task)
        assert set(metric_tables.XTREME_LANGS[task]) == set(spec.languages), task
        assert metric_tables.MAIN_METRIC[task] == spec.metric, task
        if task in metric_tables.LABEL_SETS:
            assert tuple(str(x) for x in metric_tables.LABEL_SETS[task]) == spec.labels, task
    assert metric_tables.QA_TASKS == _of_format("span_qa")
    assert metric_tables.TAGGING_TASKS == _of_format("tagging")
    nearest = {t for t in TARGETS if registry.get(t).mode == "nearest_neighbour"}
    assert metric_tables.LABEL_TASKS & set(TARGETS) == _of_format("classification") | nearest


@pytest.mark.parametrize("task", list(registry.tasks()))
def test_every_task_has_what_the_grid_needs(task):
    from xstilts.sources.local import READERS
    from xstilts.toyworld.languages import TOY_LANGUAGES, TOY_TASK_LANGUAGES
    from xstilts.toyworld.tasks import TASK_BUILDERS

    spec = registry.get(task)
    module = get_format(spec.format)
    if spec.trainable:
        missing = [name for name in PROTOCOL if not callable(getattr(module, name, None))]
        assert not missing, f"xstilts.formats.{spec.format} lacks {missing}"
    assert task in READERS, f"{task}: no local reader in xstilts.sources.local"
    assert task in TASK_BUILDERS, f"{task}: no toy builder in xstilts.toyworld.tasks"
    if spec.is_target:
        metric_tables.check_task(task)  # the scorer knows it
        toy, real = TOY_TASK_LANGUAGES[task], spec.languages
        assert set(toy) <= set(TOY_LANGUAGES), task
        # retrieval pairs each language with English, so English is not one of its languages
        assert ("en" in toy, "en" in real) == ((False, False) if spec.format == "retrieval" else (True, True)), task


@pytest.mark.parametrize("task", TARGETS)
def test_borrowed_training_data_is_described_alike(task):
    """A target trained on another task's data (XNLI on MNLI, XQuAD on SQuAD) needs that task's format and labels."""
    spec = registry.get(task)
    for ref in (spec.train, spec.validation):
        if ref is not None and ref.task != task:
            other = registry.get(ref.task)
            assert (other.format, other.labels) == (spec.format, spec.labels), (task, ref.task)


def test_one_baseline_name():
    from xstilts.analysis import bootstrap, plots

    assert bootstrap.BASELINE is registry.BASELINE and plots.BASELINE is registry.BASELINE
    assert registry.BASELINE not in registry.tasks()


def _registry_with(**changes) -> dict:
    data = copy.deepcopy(registry._load())
    for path, value in changes.items():
        node = data
        *parents, last = path.split("__")
        for key in parents:
            node = node[key]
        if value is None:
            del node[last]
        else:
            node[last] = value
    return data


@pytest.mark.parametrize("changes, message", [
    ({"version": 2}, "version 2; this xstilts reads version 1"),
    ({"colours": {}}, "unknown top-level key 'colours'"),
    ({"tasks__mnli__labelz": ["a"]}, "tasks.mnli: unknown key 'labelz'"),
    ({"tasks__mnli__format": "regression"}, "tasks.mnli.format: 'regression'; allowed: classification"),
    ({"tasks__xnli__role": "test"}, "tasks.xnli.role: 'test'; allowed: intermediate, target"),
    ({"tasks__xnli__train": {"task": "multinli", "split": "train"}}, "tasks.xnli.train.task: unknown task 'multinli'"),
    ({"benchmarks__xtreme__categories__qa": ["squad"]}, "benchmarks.xtreme.categories.qa: 'squad' is not a target"),
])
def test_registry_errors_name_the_key(changes, message):
    with pytest.raises(registry.RegistryError, match="tasks.yaml") as err:
        registry.check(_registry_with(**changes))
    assert message in str(err.value)
