"""Whole-benchmark XTREME score over a submission directory (evaluate.py ``evaluate``)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from .errors import ScoreInputError
from .io import PathLike
from .scoring import score_files
from .tasks import QA_TASKS, TASK_GROUPS, TASKS, check_task, file_suffix

_TEST_FILE = re.compile(r"^test-(?P<lang>[^/]+)\.(?P<suffix>tsv|json)$")


def languages(gold_dir: PathLike, task: str) -> list[str]:
    """Languages with a ``test-LANG.<suffix>`` gold file for ``task``, sorted."""
    task_dir = Path(gold_dir) / task
    if not task_dir.is_dir():
        raise ScoreInputError(f"missing gold directory for task {task}", task_dir)
    suffix = file_suffix(task)
    langs = sorted(m["lang"] for m in map(_TEST_FILE.match, os.listdir(task_dir))
                   if m and m["suffix"] == suffix)
    if not langs:
        raise ScoreInputError(f"no test-LANG.{suffix} gold files for task {task}", task_dir)
    return langs


def score_task_dir(gold_dir: PathLike, pred_dir: PathLike, task: str) -> dict:
    """Per-language metrics, their means (``avg_<metric>``) and ``avg_metric`` for one task.

    Languages are those of the gold directory (the grid may use toy codes, so
    XTREME's fixed TASK2LANGS list is not imposed); every one needs a
    prediction file.
    """
    suffix = file_suffix(task)
    by_metric: dict[str, dict[str, float]] = {}
    for lang in languages(gold_dir, task):
        name = f"test-{lang}.{suffix}"
        pred_path = Path(pred_dir) / task / name
        if not pred_path.is_file():
            raise ScoreInputError(f"missing prediction file for {task} {lang}", pred_path)
        for metric, value in score_files(task, lang, Path(gold_dir) / task / name, pred_path).items():
            by_metric.setdefault(metric, {})[lang] = value
    result: dict = dict(by_metric)
    for metric, values in by_metric.items():
        result[f"avg_{metric}"] = sum(values.values()) / len(values)
    # Same precedence as evaluate.py: QA mean of EM and F1, then F1, then accuracy.
    if task in QA_TASKS:
        result["avg_metric"] = (result["avg_exact_match"] + result["avg_f1"]) / 2
    elif "avg_f1" in result:
        result["avg_metric"] = result["avg_f1"]
    else:
        result["avg_metric"] = result["avg_accuracy"]
    return result


def score_benchmark(gold_dir: PathLike, pred_dir: PathLike, tasks: Iterable[str] | None = None) -> dict:
    """XTREME scores for a submission laid out as ``TASK/test-LANG.{tsv,json}``.

    ``tasks=None`` scores all nine tasks (each must be present). With a subset,
    ``overall`` holds a number only for categories whose tasks are all scored
    (``all_task`` only when all nine are); the rest are ``None`` and
    ``missing`` lists the unscored tasks.
    """
    wanted = list(TASKS) if tasks is None else [check_task(t) for t in dict.fromkeys(tasks)]
    task_scores = {task: score_task_dir(gold_dir, pred_dir, task) for task in wanted}

    def mean_of(group: Iterable[str]) -> float | None:
        group = list(group)
        if any(task not in task_scores for task in group):
            return None
        return sum(task_scores[task]["avg_metric"] for task in group) / len(group)

    overall = {"all_task": mean_of(TASKS)}
    overall.update({group: mean_of(members) for group, members in TASK_GROUPS.items()})
    return {"overall": overall, "tasks": task_scores,
            "missing": [task for task in TASKS if task not in task_scores]}
