"""Per-file scoring: dispatch a task to its official metric."""

from __future__ import annotations

from . import bucc, classification, mlqa, squad, tagging
from .errors import ScoreInputError
from .io import Lines, PathLike, read_lines, read_qa_predictions, read_squad_gold
from .tasks import LABEL_TASKS, QA_TASKS, TAGGING_TASKS, check_task


def score_task(task: str, lang: str | None, gold, pred) -> dict[str, float]:
    """Metrics (percent) for one task and language on in-memory gold/predictions.

    * xnli, pawsx, tatoeba: sequences of labels/indices -> ``accuracy``.
    * panx, udpos: lists of tag lists -> seqeval ``f1``, ``precision``,
      ``recall``; udpos adds token ``accuracy``.
    * xquad, tydiqa (SQuAD v1.1) and mlqa (per-language normalisation, needs
      ``lang``): gold SQuAD dataset / article list / records, pred
      ``{qid: answer}`` -> ``exact_match``, ``f1``.
    * bucc2018: iterables of (src_id, tgt_id) -> ``f1``, ``precision``, ``recall``.
    """
    check_task(task)
    if task in LABEL_TASKS:
        return classification.accuracy(list(gold), list(pred))
    if task in TAGGING_TASKS:
        result = tagging.span_f1(gold, pred)
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
    return bucc.pair_f1(gold, pred)


def _check_counts(task: str, gold: Lines, pred: Lines) -> None:
    """Name the prediction line where pred stops matching gold (XTREME only asserts)."""
    unit = "sentences" if task in TAGGING_TASKS else "labels"
    n_gold, n_pred = len(gold.items), len(pred.items)
    if n_pred < n_gold:
        raise ScoreInputError(f"{unit} end after {n_pred}, but gold {gold.path} has {n_gold}",
                              pred.path, pred.line_after_last())
    if n_pred > n_gold:
        raise ScoreInputError(f"more {unit} than the {n_gold} in gold {gold.path}",
                              pred.path, pred.lines[n_gold])
    if task in TAGGING_TASKS:
        for index, (gold_tags, pred_tags) in enumerate(zip(gold.items, pred.items)):
            if len(gold_tags) != len(pred_tags):
                raise ScoreInputError(
                    f"sentence {index + 1} has {len(pred_tags)} tags, but gold "
                    f"{gold.path}:{gold.lines[index]} has {len(gold_tags)}",
                    pred.path, pred.lines[index])


def score_files(task: str, lang: str | None, gold_path: PathLike, pred_path: PathLike) -> dict[str, float]:
    """score_task on XTREME-format gold and prediction files."""
    check_task(task)
    if task == "mlqa" and not lang:  # checked first: it is not a fault of either file
        raise ScoreInputError("mlqa needs the answer language (lang / --lang) for normalisation")
    if task in QA_TASKS:
        gold_items, pred_items = read_squad_gold(gold_path), read_qa_predictions(pred_path)
    else:
        gold, pred = read_lines(task, gold_path), read_lines(task, pred_path)
        if task != "bucc2018":  # BUCC compares sets; counts may differ
            _check_counts(task, gold, pred)
        gold_items, pred_items = gold.items, pred.items
    try:
        return score_task(task, lang, gold_items, pred_items)
    except ScoreInputError as err:  # what remains is about the gold side, e.g. no examples
        raise ScoreInputError(err.message, gold_path) from None
