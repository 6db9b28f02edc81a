"""Whole-benchmark XTREME / XTREME-R score over a submission directory
(evaluate.py ``evaluate``)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from . import ranking
from .errors import ScoreInputError
from .io import PathLike
from .scoring import read_pair, score_task
from .tagging import DEFAULT_TAGGING_SCORER, check_scorer
from .tasks import QA_TASKS, check_benchmark, check_task, file_suffix

_TEST_FILE = re.compile(r"^test-(?P<lang>[^/]+)\.(?P<suffix>tsv|jsonl|json)$")
LANGUAGE_SOURCES = ("gold", "benchmark")


def languages(gold_dir: PathLike, task: str) -> list[str]:
    """Languages with a ``test-LANG.<suffix>`` gold file for ``task``, sorted."""
    task_dir = Path(gold_dir) / task
    if not task_dir.is_dir():
        raise ScoreInputError(f"missing gold directory for task {task}", task_dir)
    suffix = file_suffix(task)
    langs = sorted(m["lang"] for m in map(_TEST_FILE.match, os.listdir(task_dir)) if m and m["suffix"] == suffix)
    if not langs:
        raise ScoreInputError(f"no test-LANG.{suffix} gold files for task {task}", task_dir)
    return langs


def score_task_dir(
    gold_dir: PathLike,
    pred_dir: PathLike,
    task: str,
    langs: Iterable[str] | None = None,
    tagging_scorer: str = DEFAULT_TAGGING_SCORER,
    on_warning: Callable[[str], None] | None = None,
) -> dict:
    """Per-language metrics, their means (``avg_<metric>``) and ``avg_metric`` for one task.

    Languages are ``langs``, or by default those of the gold directory (the
    grid may use toy codes, so a benchmark's fixed language list is not
    imposed); every one needs a gold and a prediction file.

    LAReQA's ``avg_map@20`` pools the questions of all languages (every
    question is ranked against the candidates of all languages together); it
    equals the mean over languages when each has the same number of questions.
    """
    check_task(task)
    check_scorer(tagging_scorer)
    suffix = file_suffix(task)
    langs = languages(gold_dir, task) if langs is None else list(langs)
    by_metric: dict[str, dict[str, float]] = {}
    pooled: list[float] = []
    for lang in langs:
        name = f"test-{lang}.{suffix}"
        gold_path, pred_path = Path(gold_dir) / task / name, Path(pred_dir) / task / name
        if not gold_path.is_file():
            raise ScoreInputError(f"missing gold file for {task} {lang}", gold_path)
        if not pred_path.is_file():
            raise ScoreInputError(f"missing prediction file for {task} {lang}", pred_path)
        gold, pred = read_pair(task, gold_path, pred_path, on_warning)
        try:
            if task == "lareqa":
                precisions = ranking.lareqa_average_precisions(gold, pred)
                pooled.extend(precisions)
                metrics = ranking.mean_percent(precisions)
            else:
                metrics = score_task(task, lang, gold, pred, tagging_scorer)
        except ScoreInputError as err:
            raise ScoreInputError(err.message, gold_path) from None
        for metric, value in metrics.items():
            by_metric.setdefault(metric, {})[lang] = value
    result: dict = dict(by_metric)
    for metric, values in by_metric.items():
        result[f"avg_{metric}"] = sum(values.values()) / len(values)
    if task == "lareqa":
        result["avg_map@20"] = ranking.mean_percent(pooled)["map@20"]
    # Same precedence as evaluate.py: QA mean of EM and F1, then F1, accuracy, map@20.
    if task in QA_TASKS:
        result["avg_metric"] = (result["avg_exact_match"] + result["avg_f1"]) / 2
    else:
        metric = next(m for m in ("f1", "accuracy", "map@20") if f"avg_{m}" in result)
        result["avg_metric"] = result[f"avg_{metric}"]
    return result


def score_benchmark(
    gold_dir: PathLike,
    pred_dir: PathLike,
    tasks: Iterable[str] | None = None,
    benchmark: str = "xtreme",
    language_source: str = "gold",
    tagging_scorer: str = DEFAULT_TAGGING_SCORER,
    on_warning: Callable[[str], None] | None = None,
) -> dict:
    """XTREME or XTREME-R scores for a submission laid out as ``TASK/test-LANG.<suffix>``.

    ``tasks=None`` scores all tasks of the benchmark (each must be present).
    With a subset, ``overall`` holds a number only for categories whose tasks
    are all scored (``all_task`` only when all are); the rest are ``None`` and
    ``missing`` lists the unscored tasks. ``language_source="benchmark"``
    scores exactly the benchmark's languages per task (as evaluate.py does; a
    missing file is an error), ``"gold"`` whatever the gold directory holds.

    XTREME-R's ``all_task`` (mean of the ten tasks) and its retrieval category
    with LAReQA are xstilts' definitions: evaluate.py computes neither.
    """
    spec = check_benchmark(benchmark)
    if language_source not in LANGUAGE_SOURCES:
        raise ScoreInputError(f"unknown language source {language_source!r}; expected gold or benchmark")
    if tasks is None:
        wanted = list(spec.tasks)
    else:
        wanted = [check_task(t) for t in dict.fromkeys(tasks)]
        foreign = [t for t in wanted if t not in spec.tasks]
        if foreign:
            raise ScoreInputError(f"{', '.join(foreign)} not in {benchmark} (its tasks: {', '.join(spec.tasks)})")
    task_scores = {
        task: score_task_dir(
            gold_dir,
            pred_dir,
            task,
            spec.languages[task] if language_source == "benchmark" else None,
            tagging_scorer,
            on_warning,
        )
        for task in wanted
    }

    def mean_of(group: Iterable[str]) -> float | None:
        group = list(group)
        if any(task not in task_scores for task in group):
            return None
        return sum(task_scores[task]["avg_metric"] for task in group) / len(group)

    overall = {"all_task": mean_of(spec.tasks)}
    overall.update({group: mean_of(members) for group, members in spec.groups.items()})
    return {
        "benchmark": benchmark,
        "overall": overall,
        "tasks": task_scores,
        "missing": [task for task in spec.tasks if task not in task_scores],
    }
