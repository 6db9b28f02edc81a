"""Task tables of XTREME and XTREME-R: names, categories, languages, file
suffixes, label sets and main metrics (data only; google-research/xtreme
evaluate.py is the source unless a comment says otherwise)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import ScoreInputError


def _langs(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


# ---------------------------------------------------------------- XTREME

# Category -> tasks, in XTREME's order (evaluate.py XTREME_GROUP2TASK). XTREME's
# "tagging" is the paper's "structured prediction".
TASK_GROUPS: dict[str, tuple[str, ...]] = {
    "classification": ("pawsx", "xnli"),
    "tagging": ("udpos", "panx"),
    "qa": ("xquad", "mlqa", "tydiqa"),
    "retrieval": ("bucc2018", "tatoeba"),
}
TASKS: tuple[str, ...] = ("xnli", "pawsx", "udpos", "panx", "xquad", "mlqa", "tydiqa", "bucc2018", "tatoeba")

# Test languages of the real benchmark (evaluate.py XTREME_TASK2LANGS).
XTREME_LANGS: dict[str, tuple[str, ...]] = {
    "pawsx": _langs("de,en,es,fr,ja,ko,zh"),
    "xnli": _langs("ar,bg,de,el,en,es,fr,hi,ru,sw,th,tr,ur,vi,zh"),
    "panx": _langs(
        "ar,he,vi,id,jv,ms,tl,eu,ml,ta,te,af,nl,en,de,el,bn,hi,mr,ur,fa,fr,it,pt,"
        "es,bg,ru,ja,ka,ko,th,sw,yo,my,zh,kk,tr,et,fi,hu"
    ),
    "udpos": _langs(
        "af,ar,bg,de,el,en,es,et,eu,fa,fi,fr,he,hi,hu,id,it,ja,kk,ko,mr,nl,pt,ru,ta,te,th,tl,tr,ur,vi,yo,zh"
    ),
    "bucc2018": _langs("de,fr,ru,zh"),
    "tatoeba": _langs(
        "ar,he,vi,id,jv,tl,eu,ml,ta,te,af,nl,de,el,bn,hi,mr,ur,fa,fr,it,pt,es,bg,ru,ja,ka,ko,th,sw,zh,kk,tr,et,fi,hu"
    ),
    "xquad": _langs("en,es,de,el,ru,tr,ar,vi,th,zh,hi"),
    "mlqa": _langs("en,es,de,ar,hi,vi,zh"),
    "tydiqa": _langs("en,ar,bn,fi,id,ko,ru,sw,te"),
}

# ---------------------------------------------------------------- XTREME-R

XTREME_R_TASKS: tuple[str, ...] = (
    "xnli",
    "xcopa",
    "udpos",
    "panx",
    "xquad",
    "mlqa",
    "tydiqa",
    "tatoeba",
    "mewslix",
    "lareqa",
)
# evaluate.py XTREME_R_GROUP2TASK has retrieval [tatoeba, mewslix] only, because
# it has no LAReQA metric; xstilts adds lareqa (issue 10) so that the ten tasks
# form four categories. Its extra 'multi_choice' group ([xcopa]) only picks the
# jsonl suffix and is not a category here.
XTREME_R_TASK_GROUPS: dict[str, tuple[str, ...]] = {
    "classification": ("xnli", "xcopa"),
    "tagging": ("udpos", "panx"),
    "qa": ("xquad", "mlqa", "tydiqa"),
    "retrieval": ("tatoeba", "mewslix", "lareqa"),
}
# evaluate.py XTREME_R_TASK2LANGS (google-research/xtreme @838c13b). Its lareqa
# entry is empty (no metric); the eleven XQuAD-R languages are xstilts' choice.
XTREME_R_LANGS: dict[str, tuple[str, ...]] = {
    "xnli": XTREME_LANGS["xnli"],
    "panx": XTREME_LANGS["panx"] + _langs("qu,pl,uk,az,lt,pa,gu,ro"),
    "udpos": XTREME_LANGS["udpos"] + _langs("lt,pl,uk,wo,ro"),
    "tatoeba": XTREME_LANGS["tatoeba"] + _langs("az,lt,pl,uk,ro"),
    "xcopa": _langs("et,ht,id,it,qu,sw,ta,th,tr,vi,zh"),
    "lareqa": _langs("ar,de,el,en,es,hi,ru,th,tr,vi,zh"),
    "mewslix": _langs("ar,de,en,es,fa,ja,pl,ro,ta,tr,uk"),
    "xquad": XTREME_LANGS["xquad"] + ("ro",),
    "mlqa": XTREME_LANGS["mlqa"],
    "tydiqa": XTREME_LANGS["tydiqa"],
}


@dataclass(frozen=True)
class Benchmark:
    name: str
    tasks: tuple[str, ...]
    groups: Mapping[str, tuple[str, ...]]
    languages: Mapping[str, tuple[str, ...]]


BENCHMARKS: dict[str, Benchmark] = {
    "xtreme": Benchmark("xtreme", TASKS, TASK_GROUPS, XTREME_LANGS),
    "xtreme-r": Benchmark("xtreme-r", XTREME_R_TASKS, XTREME_R_TASK_GROUPS, XTREME_R_LANGS),
}

# ---------------------------------------------------------------- per task

ALL_TASKS: tuple[str, ...] = TASKS + ("xcopa", "mewslix", "lareqa")
QA_TASKS = frozenset(TASK_GROUPS["qa"])
TAGGING_TASKS = frozenset(TASK_GROUPS["tagging"])
LABEL_TASKS = frozenset({"xnli", "pawsx", "tatoeba"})  # one label/index per line
RANKING_TASKS = frozenset({"mewslix", "lareqa"})  # {id: [ranked ids]} JSON, map@20
RANKING_K = 20  # utils_mewslix.TOP_K; LAReQA's mAP@20 (XTREME-R paper)

# The metric XTREME averages per task (evaluate.py picks avg_f1 when present,
# else avg_accuracy, else avg_map@20). QA tasks are listed with "f1", their
# headline metric, but the benchmark task score for them is (exact_match + f1)
# / 2: use task_score().
MAIN_METRIC: dict[str, str] = {
    "xnli": "accuracy",
    "pawsx": "accuracy",
    "tatoeba": "accuracy",
    "xcopa": "accuracy",
    "udpos": "f1",
    "panx": "f1",
    "bucc2018": "f1",
    "xquad": "f1",
    "mlqa": "f1",
    "tydiqa": "f1",
    "mewslix": "map@20",
    "lareqa": "map@20",
}

# Label sets, used only to warn about labels outside them (scores never depend
# on these). They equal the registry's (data/tasks.yaml; tests compare them);
# XCOPA labels are the JSON integers 0/1 of its test-L.jsonl rows.
UPOS_TAGS = (
    "ADJ",
    "ADP",
    "ADV",
    "AUX",
    "CCONJ",
    "DET",
    "INTJ",
    "NOUN",
    "NUM",
    "PART",
    "PRON",
    "PROPN",
    "PUNCT",
    "SCONJ",
    "SYM",
    "VERB",
    "X",
)
LABEL_SETS: dict[str, tuple] = {
    "xnli": ("entailment", "neutral", "contradiction"),
    "pawsx": ("0", "1"),
    "udpos": UPOS_TAGS,
    "panx": ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"),
    "xcopa": (0, 1),
}


def check_task(task: str) -> str:
    if task not in MAIN_METRIC:
        raise ScoreInputError(f"unknown task {task!r}; expected one of {', '.join(ALL_TASKS)}")
    return task


def check_benchmark(name: str) -> Benchmark:
    try:
        return BENCHMARKS[name]
    except KeyError:
        raise ScoreInputError(f"unknown benchmark {name!r}; expected one of {', '.join(BENCHMARKS)}") from None


def file_suffix(task: str) -> str:
    """Extension of submission files (evaluate.py get_suffix): JSON for QA and
    the ranking tasks, JSON lines for XCOPA, TSV otherwise."""
    check_task(task)
    if task in QA_TASKS or task in RANKING_TASKS:
        return "json"
    if task == "xcopa":
        return "jsonl"
    return "tsv"


def task_score(task: str, metrics: Mapping[str, float]) -> float:
    """The single number XTREME uses for a task: (EM + F1) / 2 for QA, else MAIN_METRIC."""
    check_task(task)
    try:
        if task in QA_TASKS:
            return (metrics["exact_match"] + metrics["f1"]) / 2
        return metrics[MAIN_METRIC[task]]
    except KeyError as err:
        raise ScoreInputError(f"metrics for {task} lack {err.args[0]!r}: {sorted(metrics)}") from None
