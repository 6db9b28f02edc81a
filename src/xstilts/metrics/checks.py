"""Warnings about submission contents that score without error but are
probably wrong: labels outside the task's label set, Tatoeba indices out of
range, BUCC ids outside gold's id space, ranking ids unknown to gold.

They never change a score (the official scripts score such input as given);
each names ``file:line``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from .io import Keyed, Lines
from .tasks import LABEL_SETS, RANKING_TASKS, TAGGING_TASKS

MAX_PER_KIND = 5  # lines named per file and kind of problem; the rest are counted

Warn = Callable[[str], None]


def _report(path: str, problems: Iterable[tuple[int | None, str]], summary: str) -> Iterator[str]:
    """At most MAX_PER_KIND ``path:line: warning: ...`` lines, then one count line."""
    problems = list(problems)
    for line, message in problems[:MAX_PER_KIND]:
        where = f"{path}:{line}" if line is not None else path
        yield f"{where}: warning: {message}"
    if len(problems) > MAX_PER_KIND:
        yield f"{path}: warning: {len(problems) - MAX_PER_KIND} more {summary}"


def _shown(values) -> str:
    return ", ".join(map(repr, values)) if len(values) <= 8 else ", ".join(map(repr, values[:8])) + ", ..."


def _label_items(task: str, lines: Lines) -> Iterator[tuple[int, object]]:
    if task in TAGGING_TASKS:  # a sentence's tags are on consecutive lines from its start
        for start, tags in zip(lines.lines, lines.items):
            for offset, tag in enumerate(tags):
                yield start + offset, tag
    else:
        yield from zip(lines.lines, lines.items)


def _in_label_set(label, allowed: tuple) -> bool:
    # XCOPA labels keep their JSON type: "1", 1.0 and true are not the label 1
    # (evaluate.py's == would count 1.0 and true as 1, "1" not).
    return any(type(label) is type(value) and label == value for value in allowed)


def label_warnings(task: str, lines: Lines) -> Iterator[str]:
    allowed = LABEL_SETS[task]
    text_labels = {value for value in allowed if isinstance(value, str)}
    bad = [
        (number, label)
        for number, label in _label_items(task, lines)
        if not (label in text_labels if isinstance(label, str) else _in_label_set(label, allowed))
    ]
    what = "tag" if task in TAGGING_TASKS else "label"
    yield from _report(
        lines.path,
        ((n, f"{what} {label!r} is not in the {task} label set ({_shown(allowed)})") for n, label in bad),
        f"lines with {what}s outside the {task} label set",
    )


def _as_index(label) -> int | None:
    try:
        return int(label)
    except (TypeError, ValueError):
        return None


def tatoeba_warnings(gold: Lines, pred: Lines) -> Iterator[str]:
    """Each line is an index into the candidate sentences; their number is the
    number of gold lines (the pairs are one to one), or more if gold names a higher index."""
    gold_indices = [_as_index(label) for label in gold.items]
    yield from _report(
        gold.path,
        (
            (n, f"{label!r} is not an integer index")
            for n, label, i in zip(gold.lines, gold.items, gold_indices)
            if i is None
        ),
        "lines that are not integer indices",
    )
    n_candidates = max([len(gold.items)] + [i + 1 for i in gold_indices if i is not None])
    problems = []
    for number, label in zip(pred.lines, pred.items):
        index = _as_index(label)
        if index is None:
            problems.append((number, f"{label!r} is not an integer index"))
        elif not 0 <= index < n_candidates:
            problems.append(
                (
                    number,
                    (f"index {index} is outside 0..{n_candidates - 1} (the {n_candidates} candidates of {gold.path})"),
                )
            )
    yield from _report(pred.path, problems, "lines with invalid indices")


def _prefix(sentence_id: str) -> str | None:
    head, dash, _ = sentence_id.partition("-")
    return head if dash else None


def bucc_warnings(gold: Lines, pred: Lines) -> Iterator[str]:
    """BUCC ids read ``LANG-NUMBER`` (de-000413461, en-000091985): warn on predicted ids
    whose prefix gold's column never uses (a swapped or foreign pair). Skipped when gold's
    ids have no such prefix."""
    for column, name in ((0, "source"), (1, "target")):
        prefixes = {_prefix(pair[column]) for pair in gold.items}
        if not prefixes or None in prefixes:
            continue
        problems = [
            (number, (f"{name} id {pair[column]!r} is outside gold's {name} ids ({', '.join(sorted(prefixes))}-...)"))
            for number, pair in zip(pred.lines, pred.items)
            if _prefix(pair[column]) not in prefixes
        ]
        yield from _report(pred.path, problems, f"lines with {name} ids outside gold's")


def ranking_warnings(gold: Keyed, pred: Keyed) -> Iterator[str]:
    unknown = [key for key in pred.items if key not in gold.items]
    yield from _report(
        pred.path,
        ((pred.line_of(key), f"example {key!r} is not in gold {gold.path}") for key in unknown),
        "examples not in gold",
    )
    missing = [key for key in gold.items if key not in pred.items]
    if missing:
        yield (
            f"{pred.path}: warning: no prediction for {len(missing)} of {len(gold.items)} gold examples "
            f"(they score 0), e.g. {_shown(missing[:3])}"
        )


def input_warnings(task: str, gold, pred) -> list[str]:
    """All warnings for one read gold/prediction pair (Lines, or Keyed for ranking tasks)."""
    if task in RANKING_TASKS:
        return list(ranking_warnings(gold, pred))
    if task in LABEL_SETS:
        return [*label_warnings(task, gold), *label_warnings(task, pred)]
    if task == "tatoeba":
        return list(tatoeba_warnings(gold, pred))
    if task == "bucc2018":
        return list(bucc_warnings(gold, pred))
    return []
