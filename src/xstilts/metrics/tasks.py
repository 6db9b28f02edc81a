"""XTREME task table: names, categories, file suffixes and main metrics."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import ScoreInputError

# Category -> tasks, in XTREME's order (evaluate.py GROUP2TASK). XTREME's
# "tagging" is the paper's "structured prediction".
TASK_GROUPS: dict[str, tuple[str, ...]] = {
    "classification": ("pawsx", "xnli"),
    "tagging": ("udpos", "panx"),
    "qa": ("xquad", "mlqa", "tydiqa"),
    "retrieval": ("bucc2018", "tatoeba"),
}
TASKS: tuple[str, ...] = ("xnli", "pawsx", "udpos", "panx", "xquad", "mlqa", "tydiqa",
                          "bucc2018", "tatoeba")
QA_TASKS = frozenset(TASK_GROUPS["qa"])
TAGGING_TASKS = frozenset(TASK_GROUPS["tagging"])
LABEL_TASKS = frozenset({"xnli", "pawsx", "tatoeba"})  # one label/index per line

# Test languages of the real benchmark (evaluate.py TASK2LANGS), for callers
# that want to check a submission's coverage; scoring itself uses whatever
# test-LANG files the gold directory holds.
XTREME_LANGS: dict[str, tuple[str, ...]] = {
    "pawsx": tuple("de,en,es,fr,ja,ko,zh".split(",")),
    "xnli": tuple("ar,bg,de,el,en,es,fr,hi,ru,sw,th,tr,ur,vi,zh".split(",")),
    "panx": tuple(("ar,he,vi,id,jv,ms,tl,eu,ml,ta,te,af,nl,en,de,el,bn,hi,mr,ur,fa,fr,it,pt,"
                   "es,bg,ru,ja,ka,ko,th,sw,yo,my,zh,kk,tr,et,fi,hu").split(",")),
    "udpos": tuple(("af,ar,bg,de,el,en,es,et,eu,fa,fi,fr,he,hi,hu,id,it,ja,kk,ko,mr,nl,pt,ru,"
                    "ta,te,th,tl,tr,ur,vi,yo,zh").split(",")),
    "bucc2018": tuple("de,fr,ru,zh".split(",")),
    "tatoeba": tuple(("ar,he,vi,id,jv,tl,eu,ml,ta,te,af,nl,de,el,bn,hi,mr,ur,fa,fr,it,pt,es,"
                      "bg,ru,ja,ka,ko,th,sw,zh,kk,tr,et,fi,hu").split(",")),
    "xquad": tuple("en,es,de,el,ru,tr,ar,vi,th,zh,hi".split(",")),
    "mlqa": tuple("en,es,de,ar,hi,vi,zh".split(",")),
    "tydiqa": tuple("en,ar,bn,fi,id,ko,ru,sw,te".split(",")),
}

# The metric XTREME averages per task (evaluate.py picks avg_f1 when present,
# else avg_accuracy). QA tasks are listed with "f1", their headline metric, but
# the benchmark task score for them is (exact_match + f1) / 2: use task_score().
MAIN_METRIC: dict[str, str] = {
    "xnli": "accuracy", "pawsx": "accuracy", "tatoeba": "accuracy",
    "udpos": "f1", "panx": "f1", "bucc2018": "f1",
    "xquad": "f1", "mlqa": "f1", "tydiqa": "f1",
}


def check_task(task: str) -> str:
    if task not in MAIN_METRIC:
        raise ScoreInputError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    return task


def file_suffix(task: str) -> str:
    """Extension of XTREME submission files: JSON for QA, TSV otherwise."""
    return "json" if check_task(task) in QA_TASKS else "tsv"


def task_score(task: str, metrics: Mapping[str, float]) -> float:
    """The single number XTREME uses for a task: (EM + F1) / 2 for QA, else MAIN_METRIC."""
    check_task(task)
    try:
        if task in QA_TASKS:
            return (metrics["exact_match"] + metrics["f1"]) / 2
        return metrics[MAIN_METRIC[task]]
    except KeyError as err:
        raise ScoreInputError(f"metrics for {task} lack {err.args[0]!r}: {sorted(metrics)}") from None
