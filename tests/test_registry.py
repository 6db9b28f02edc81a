"""data/tasks.yaml is the one description of a task: everything that restates a task fact agrees with it, and
every task has what the grid needs to run it (a format module, a local reader, a toy builder, a metric, toy
languages). Adding a task to the registry without one of them fails here."""

from __future__ import annotations

import copy

import pytest

from xstilts import registry
from xstilts.formats import get_format
from xstilts.metrics import tasks as metric_tables

TARGETS = registry.target_tasks()


def _of_format(*formats: str) -> set[str]:
    return {t for t in TARGETS if registry.get(t).format in formats}


def test_metric_tables_equal_the_registry():
    """The scorer keeps its own tables (it runs without the grid's dependencies); they say what the registry says."""
    assert metric_tables.TASKS == registry.benchmark_tasks("xtreme")
    assert metric_tables.TASK_GROUPS == registry.categories("xtreme")
    for task in registry.benchmark_tasks("xtreme"):
        assert set(metric_tables.XTREME_LANGS[task]) == set(registry.get(task).languages), task
        assert registry.benchmark_languages("xtreme", task) == registry.get(task).languages, task
    for task in TARGETS:
        spec = registry.get(task)
        assert metric_tables.MAIN_METRIC[task] == spec.metric, task
        if task in metric_tables.LABEL_SETS:
            assert tuple(str(x) for x in metric_tables.LABEL_SETS[task]) == spec.labels, task
    assert metric_tables.QA_TASKS == _of_format("span_qa")
    assert metric_tables.TAGGING_TASKS == _of_format("tagging")
    nearest = {t for t in TARGETS if registry.get(t).mode == "nearest_neighbour"}
    assert metric_tables.LABEL_TASKS & set(TARGETS) == _of_format("classification") | nearest


def test_xtreme_r_tables_equal_the_registry():
    """XTREME-R's categories, tasks and per-task languages: the scorer's tables say what the registry says, for
    every task; since Mewsli-X and LAReQA are registry tasks, none is left planned."""
    planned = registry.planned_tasks("xtreme-r")
    assert metric_tables.XTREME_R_TASK_GROUPS == registry.categories("xtreme-r")
    assert registry.benchmark_tasks("xtreme-r") == metric_tables.XTREME_R_TASKS
    assert planned == () and set(metric_tables.XTREME_R_TASKS) <= set(registry.tasks())
    for task in registry.benchmark_tasks("xtreme-r"):
        langs = registry.benchmark_languages("xtreme-r", task)
        assert len(set(langs)) == len(langs), task
        assert set(langs) == set(metric_tables.XTREME_R_LANGS[task]), task
    assert registry.benchmark_languages("xtreme-r", "udpos")[-5:] == ("lt", "pl", "uk", "wo", "ro")
    for task in ("mewslix", "lareqa"):
        spec = registry.get(task)
        assert (spec.format, spec.role, spec.metric) == ("dense_retrieval", "target", "map@20"), task
        assert metric_tables.file_suffix(task) == "json" and task in metric_tables.RANKING_TASKS
    with pytest.raises(KeyError, match="not a task of xtreme"):
        registry.benchmark_languages("xtreme", "xcopa")


def test_tasks_outside_the_papers_grid_stay_out_of_its_defaults():
    """siqa is an intermediate task but not one of the paper's nine; copa is data (XCOPA's English), no row."""
    paper = registry.paper_intermediate_tasks()
    assert len(paper) == 9 and "siqa" not in paper and "siqa" in registry.intermediate_tasks()
    assert registry.data_tasks() == ["copa"]
    assert "copa" not in registry.intermediate_tasks() + registry.target_tasks()
    assert registry.get("xcopa").train_ref() == registry.DataRef("copa", "train")
    assert registry.get("xcopa").validation_ref() == registry.DataRef("copa", "validation")


@pytest.mark.parametrize("task", list(registry.tasks()))
def test_every_task_has_what_the_grid_needs(task):
    from xstilts.sources.local import READERS
    from xstilts.toyworld.languages import TOY_LANGUAGES, TOY_TASK_LANGUAGES
    from xstilts.toyworld.tasks import TASK_BUILDERS

    spec = registry.get(task)
    get_format(spec.format)  # its module exists; tests/test_protocol.py checks that it implements the protocol
    assert task in READERS, f"{task}: no local reader in xstilts.sources.local"
    assert task in TASK_BUILDERS, f"{task}: no toy builder in xstilts.toyworld.tasks"
    if spec.is_target:
        metric_tables.check_task(task)  # the scorer knows it
        toy, real = TOY_TASK_LANGUAGES[task], spec.languages
        assert set(toy) <= set(TOY_LANGUAGES), task
        # retrieval pairs each language with English, so English is not one of its languages; XCOPA has no
        # English test set (its English is COPA, the training data); the toy world mirrors the benchmark
        assert ("en" in toy) == ("en" in real), task
        if spec.format == "retrieval":
            assert "en" not in real, task
        elif "en" not in real:
            assert spec.train.task != task and registry.get(spec.train.task).role == "data", task


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


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"version": 2}, "version 2; this xstilts reads version 1"),
        ({"colours": {}}, "unknown top-level key 'colours'"),
        ({"tasks__mnli__labelz": ["a"]}, "tasks.mnli: unknown key 'labelz'"),
        ({"tasks__mnli__format": "regression"}, "tasks.mnli.format: 'regression'; allowed: classification"),
        ({"tasks__xnli__role": "test"}, "tasks.xnli.role: 'test'; allowed: intermediate, target"),
        (
            {"tasks__xnli__train": {"task": "multinli", "split": "train"}},
            "tasks.xnli.train.task: unknown task 'multinli'",
        ),
        ({"benchmarks__xtreme__categories__qa": ["squad"]}, "benchmarks.xtreme.categories.qa: 'squad' is not a target"),
        (
            {"tasks__mewslix": None},
            "benchmarks.xtreme-r.categories.retrieval: 'mewslix' is not a target task of the registry (nor planned)",
        ),
        (
            {"benchmarks__xtreme-r__planned": ["lareqa"]},
            "benchmarks.xtreme-r.planned: 'lareqa' is a registry task now",
        ),
        (
            {"benchmarks__xtreme-r__planned": ["mewsli"]},
            "benchmarks.xtreme-r.planned: 'mewsli' is in none of the benchmark's categories",
        ),
        (
            {"benchmarks__xtreme-r__added_languages__xquad": ["ro", "de"]},
            "benchmarks.xtreme-r.added_languages.xquad: ['de'] listed twice",
        ),
        (
            {"benchmarks__xtreme-r__added_languages__pawsx": ["ro"]},
            "benchmarks.xtreme-r.added_languages: 'pawsx' is not a registry task of the benchmark",
        ),
        ({"benchmarks__xtreme-r__colours": {}}, "benchmarks.xtreme-r: unknown key 'colours'"),
        (
            {"tasks__xcopa__train": {"task": "xcopa", "split": "train"}, "tasks__xcopa__validation": None},
            "tasks.copa: role data, but no target trains or selects on it",
        ),
        ({"paper__intermediate": ["mnli", "xnli"]}, "paper.intermediate: 'xnli' is not an intermediate task"),
    ],
)
def test_registry_errors_name_the_key(changes, message):
    with pytest.raises(registry.RegistryError, match="tasks.yaml") as err:
        registry.check(_registry_with(**changes))
    assert message in str(err.value)
