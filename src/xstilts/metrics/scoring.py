"""Per-file scoring: dispatch a task to its official metric."""

from __future__ import annotations

from collections.abc import Callable

from . import bucc, classification, mlqa, ranking, squad, tagging
from .checks import input_warnings
from .errors import ScoreInputError
from .io import Lines, PathLike, read_lines, read_qa_predictions, read_ranking, read_squad_gold
from .tagging import DEFAULT_TAGGING_SCORER
from .tasks import LABEL_TASKS, QA_TASKS, RANKING_TASKS, TAGGING_TASKS, check_task


def score_task(
    task: str, lang: str | None, gold, pred, tagging_scorer: str = DEFAULT_TAGGING_SCORER
) -> dict[str, float]:
    """Metrics (percent) for one task and language on in-memory gold/predictions.

    * xnli, pawsx, tatoeba: sequences of labels/indices -> ``accuracy``
      (compared as strings).
    * xcopa: sequences of labels -> ``accuracy``, compared with ``==`` as
      evaluate.py does (the string "1" is not the label 1).
    * panx, udpos: lists of tag lists -> ``f1``, ``precision``, ``recall`` as
      seqeval ``tagging_scorer`` reads the chunks (see metrics.tagging: the
      default reproduces XTREME's published UD-POS numbers); udpos adds token
      ``accuracy``.
    * xquad, tydiqa (SQuAD v1.1) and mlqa (per-language normalisation, needs
      ``lang``): gold SQuAD dataset / article list / records, pred
      ``{qid: answer}`` -> ``exact_match``, ``f1``.
    * bucc2018: iterables of (src_id, tgt_id) -> ``f1``, ``precision``, ``recall``.
    * mewslix, lareqa: gold ``{id: [relevant ids]}``, pred ``{id: [ranked ids]}``
      -> ``map@20`` (Mewsli-X: MRR@20; LAReQA: mean AP@20).
    """
    check_task(task)
    if task in LABEL_TASKS:
        return classification.accuracy(list(gold), list(pred))
    if task == "xcopa":
        return classification.accuracy(list(gold), list(pred), as_strings=False)
    if task in TAGGING_TASKS:
        result = tagging.span_f1(gold, pred, tagging_scorer)
        if task == "udpos":
            result.update(tagging.token_accuracy(gold, pred))
        return result
    if task in QA_TASKS:
        if not hasattr(pred, "keys"):
            raise ScoreInputError(f"{task} predictions must be a mapping question_id -> answer")
        if task == "mlqa":
            if not lang:
                raise ScoreInputError("mlqa needs the answer language (lang) for normalisation")
            return mlqa.evaluate(gold, pred, lang)
        return squad.evaluate(gold, pred)
    if task == "mewslix":
        return ranking.mewslix_map(gold, pred)
    if task == "lareqa":
        return ranking.lareqa_map(gold, pred)
    return bucc.pair_f1(gold, pred)


def _check_counts(task: str, gold: Lines, pred: Lines) -> None:
    """Name the prediction line where pred stops matching gold (XTREME only asserts)."""
    unit = "sentences" if task in TAGGING_TASKS else "labels"
    n_gold, n_pred = len(gold.items), len(pred.items)
    if n_pred < n_gold:
        raise ScoreInputError(
            f"{unit} end after {n_pred}, but gold {gold.path} has {n_gold}", pred.path, pred.line_after_last()
        )
    if n_pred > n_gold:
        raise ScoreInputError(f"more {unit} than the {n_gold} in gold {gold.path}", pred.path, pred.lines[n_gold])
    if task in TAGGING_TASKS:
        for index, (gold_tags, pred_tags) in enumerate(zip(gold.items, pred.items)):
            if len(gold_tags) != len(pred_tags):
                raise ScoreInputError(
                    f"sentence {index + 1} has {len(pred_tags)} tags, but gold "
                    f"{gold.path}:{gold.lines[index]} has {len(gold_tags)}",
                    pred.path,
                    pred.lines[index],
                )


def read_pair(task: str, gold_path: PathLike, pred_path: PathLike, on_warning: Callable[[str], None] | None = None):
    """Read and check a gold/prediction file pair; returns the in-memory (gold, pred) score_task takes."""
    check_task(task)
    if task in QA_TASKS:
        return read_squad_gold(gold_path), read_qa_predictions(pred_path)
    if task in RANKING_TASKS:
        gold, pred = read_ranking(gold_path, gold=True), read_ranking(pred_path, gold=False)
    else:
        gold, pred = read_lines(task, gold_path), read_lines(task, pred_path)
        if task != "bucc2018":  # BUCC compares sets; counts may differ
            _check_counts(task, gold, pred)
    if on_warning is not None:
        for message in input_warnings(task, gold, pred):
            on_warning(message)
    return gold.items, pred.items


def score_files(
    task: str,
    lang: str | None,
    gold_path: PathLike,
    pred_path: PathLike,
    tagging_scorer: str = DEFAULT_TAGGING_SCORER,
    on_warning: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """score_task on submission-format gold and prediction files.

    ``on_warning`` receives one ``file:line: warning: ...`` string per suspicious
    input line (labels outside the label set, indices out of range); the
    scores do not depend on it.
    """
    check_task(task)
    tagging.check_scorer(tagging_scorer)
    if task == "mlqa" and not lang:  # checked first: it is not a fault of either file
        raise ScoreInputError("mlqa needs the answer language (lang / --lang) for normalisation")
    gold_items, pred_items = read_pair(task, gold_path, pred_path, on_warning)
    try:
        return score_task(task, lang, gold_items, pred_items, tagging_scorer)
    except ScoreInputError as err:  # what remains is about the gold side, e.g. no examples
        raise ScoreInputError(err.message, gold_path) from None
