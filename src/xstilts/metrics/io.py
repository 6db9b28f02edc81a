"""Readers and writers for XTREME's submission file formats.

* xnli, pawsx, tatoeba: one label (Tatoeba: target index) per line.
* udpos, panx: one tag per line, a blank line after every sentence.
* bucc2018: one ``src_id<TAB>tgt_id`` pair per line.
* xquad, mlqa, tydiqa: gold is a SQuAD-format JSON dataset, predictions a
  ``{"question_id": "answer text"}`` JSON object.
* xcopa (XTREME-R ``test-L.jsonl``): one JSON object with a ``label`` per line,
  gold and prediction alike.
* mewslix, lareqa (XTREME-R ``test-L.json``): a JSON object mapping each
  example id to a list of ids: gold the relevant ones (Mewsli-X: one entity),
  prediction the ranking, best first.

Every reader raises ScoreInputError naming the file and line of the problem.
Lines are split like Python text-mode iteration and stripped, as XTREME's
evaluate.py reads them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ScoreInputError
from .squad import iter_questions, parse_question
from .tasks import LABEL_TASKS, QA_TASKS, RANKING_TASKS, TAGGING_TASKS, check_task

PathLike = str | os.PathLike


@dataclass
class Lines:
    """Parsed file contents plus the 1-based line where each item starts."""

    path: str
    items: list
    lines: list[int]

    def line_after_last(self) -> int:
        return (self.lines[-1] + 1) if self.lines else 1


@dataclass
class Keyed:
    """A parsed JSON object ``{id: value}`` that can find the line of a key on demand."""

    path: str
    items: dict
    text: str

    def line_of(self, key: str) -> int:
        """Line of ``"key":`` (not of an equal string among the values), 1 if not found."""
        for quoted in dict.fromkeys((json.dumps(key, ensure_ascii=False), json.dumps(key))):
            found = re.search(re.escape(quoted) + r"\s*:", self.text)
            if found:
                return self.text.count("\n", 0, found.start()) + 1
        return 1


# ---------------------------------------------------------------- reading


def _read_text(path: PathLike) -> str:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ScoreInputError("file not found", path) from None
    except IsADirectoryError:
        raise ScoreInputError("is a directory, expected a file", path) from None
    except OSError as err:
        raise ScoreInputError(f"cannot read: {err.strerror}", path) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise ScoreInputError(f"not valid UTF-8 ({err.reason})", path, line) from None


def _split_lines(text: str) -> list[str]:
    # Universal newlines, no phantom line after a final "\n" (like `for line in f`).
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_label_lines(path: PathLike) -> Lines:
    """One non-empty, whitespace-free label per line."""
    labels, numbers = [], []
    for number, line in enumerate(_split_lines(_read_text(path)), start=1):
        label = line.strip()
        if not label:
            raise ScoreInputError("empty line; expected one label per line", path, number)
        if len(label.split()) != 1:
            raise ScoreInputError(f"expected a single label per line, got {label[:60]!r}", path, number)
        labels.append(label)
        numbers.append(number)
    return Lines(os.fspath(path), labels, numbers)


def read_tag_lines(path: PathLike) -> Lines:
    """Sentences of tags; every blank line closes a sentence (an extra blank line
    yields an empty sentence, as in XTREME's read_tag)."""
    sentences, starts = [], []
    current: list[str] = []
    start = None
    for number, line in enumerate(_split_lines(_read_text(path)), start=1):
        tag = line.strip()
        if tag:
            if len(tag.split()) != 1:
                raise ScoreInputError(
                    f"expected one tag per line (no tokens or columns), got {tag[:60]!r}", path, number
                )
            if start is None:
                start = number
            current.append(tag)
        else:
            sentences.append(current)
            starts.append(start if start is not None else number)
            current, start = [], None
    if current:
        sentences.append(current)
        starts.append(start)
    return Lines(os.fspath(path), sentences, starts)


def read_pair_lines(path: PathLike) -> Lines:
    """BUCC ``src_id<TAB>tgt_id`` lines."""
    pairs, numbers = [], []
    for number, line in enumerate(_split_lines(_read_text(path)), start=1):
        fields = line.strip().split("\t")
        if len(fields) != 2 or not all(f.strip() for f in fields):
            raise ScoreInputError(f"expected 'src_id<TAB>tgt_id', got {line[:60]!r}", path, number)
        pairs.append((fields[0].strip(), fields[1].strip()))
        numbers.append(number)
    return Lines(os.fspath(path), pairs, numbers)


def _load_json(path: PathLike) -> tuple[Any, str]:
    text = _read_text(path)
    try:
        return json.loads(text), text
    except json.JSONDecodeError as err:
        raise ScoreInputError(f"invalid JSON: {err.msg}", path, err.lineno) from None


def _line_of(text: str, value: Any) -> int:
    """Best-effort line of the first occurrence of ``value`` as a JSON string (1 if absent)."""
    if isinstance(value, str):
        for needle in (json.dumps(value, ensure_ascii=False), json.dumps(value)):
            offset = text.find(needle)
            if offset >= 0:
                return text.count("\n", 0, offset) + 1
    return 1


def read_squad_gold(path: PathLike) -> list[dict]:
    """SQuAD-format dataset -> its article list (``data``), validated."""
    dataset, text = _load_json(path)
    articles = dataset.get("data") if isinstance(dataset, dict) else dataset
    if not isinstance(articles, list):
        raise ScoreInputError("expected a SQuAD dataset {'data': [articles]}", path, 1)
    for a, article in enumerate(articles):
        if not isinstance(article, dict) or not isinstance(article.get("paragraphs"), list):
            raise ScoreInputError(
                f"data[{a}] lacks a 'paragraphs' list",
                path,
                _line_of(text, article.get("title")) if isinstance(article, dict) else 1,
            )
        for p, paragraph in enumerate(article["paragraphs"]):
            if not isinstance(paragraph, dict) or not isinstance(paragraph.get("qas"), list):
                raise ScoreInputError(
                    f"data[{a}].paragraphs[{p}] lacks a 'qas' list",
                    path,
                    _line_of(text, paragraph.get("context")) if isinstance(paragraph, dict) else 1,
                )
            for qa in paragraph["qas"]:
                try:
                    parse_question(qa if isinstance(qa, dict) else {})
                except ScoreInputError as err:
                    qid = qa.get("id") if isinstance(qa, dict) else None
                    raise ScoreInputError(err.message, path, _line_of(text, qid)) from None
    return articles


def read_qa_predictions(path: PathLike) -> dict[str, str]:
    """``{"question_id": "answer"}`` JSON object."""
    predictions, text = _load_json(path)
    if not isinstance(predictions, dict):
        raise ScoreInputError(
            f"expected a JSON object {{question_id: answer}}, got {type(predictions).__name__}", path, 1
        )
    for qid, answer in predictions.items():
        if not isinstance(answer, str):
            raise ScoreInputError(
                f"answer for question {qid!r} is {type(answer).__name__}, expected a string", path, _line_of(text, qid)
            )
    return predictions


def read_xcopa_lines(path: PathLike) -> Lines:
    """XTREME-R's XCOPA rows: one JSON object with a ``label`` per line (blank lines skipped).

    Labels keep their JSON type: evaluate.py compares them with ``==``, so the
    string "1" does not match the integer 1.
    """
    labels, numbers = [], []
    for number, line in enumerate(_split_lines(_read_text(path)), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise ScoreInputError(f"invalid JSON: {err.msg}", path, number) from None
        if not isinstance(row, dict) or "label" not in row:
            raise ScoreInputError("expected a JSON object with a 'label' field", path, number)
        labels.append(row["label"])
        numbers.append(number)
    return Lines(os.fspath(path), labels, numbers)


def read_ranking(path: PathLike, gold: bool) -> Keyed:
    """``{"example_id": ["id", ...]}``; gold lists must be non-empty."""
    obj, text = _load_json(path)
    if not isinstance(obj, dict):
        raise ScoreInputError(f"expected a JSON object {{example_id: [ids]}}, got {type(obj).__name__}", path, 1)
    keyed = Keyed(os.fspath(path), obj, text)
    for key, ids in obj.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ScoreInputError(f"value of {key!r} must be a list of id strings", path, keyed.line_of(key))
        if gold and not ids:
            raise ScoreInputError(f"gold {key!r} lists no relevant id", path, keyed.line_of(key))
    return keyed


def read_gold(task: str, path: PathLike):
    """Gold file -> in-memory gold as score_task takes it.

    Labels: list[str]; tagging: list[list[str]]; bucc2018: list[(src, tgt)];
    QA: list of SQuAD articles; xcopa: list of JSON labels; mewslix, lareqa:
    dict id -> list of relevant ids.
    """
    if check_task(task) in QA_TASKS:
        return read_squad_gold(path)
    if task in RANKING_TASKS:
        return read_ranking(path, gold=True).items
    return read_lines(task, path).items


def read_pred(task: str, path: PathLike):
    """Prediction file -> in-memory predictions (QA: dict qid -> answer;
    mewslix, lareqa: dict id -> ranked ids)."""
    if check_task(task) in QA_TASKS:
        return read_qa_predictions(path)
    if task in RANKING_TASKS:
        return read_ranking(path, gold=False).items
    return read_lines(task, path).items


def read_lines(task: str, path: PathLike) -> Lines:
    if task == "xcopa":
        return read_xcopa_lines(path)
    if task in LABEL_TASKS:
        return read_label_lines(path)
    if task in TAGGING_TASKS:
        return read_tag_lines(path)
    return read_pair_lines(path)  # bucc2018


# ---------------------------------------------------------------- writing


def _check_token(value: Any, what: str) -> str:
    token = str(value)
    if not token or len(token.split()) != 1 or token != token.strip():
        raise ValueError(f"{what} {token!r} cannot be written one per line (empty or contains whitespace)")
    return token


def _open_for_writing(path: PathLike):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return open(path, "w", encoding="utf-8", newline="\n")


def _write_labels(path: PathLike, labels: Sequence) -> None:
    with _open_for_writing(path) as out:
        for label in labels:
            out.write(_check_token(label, "label") + "\n")


def _write_tags(path: PathLike, sentences: Sequence[Sequence]) -> None:
    with _open_for_writing(path) as out:
        for tags in sentences:
            for tag in tags:
                out.write(_check_token(tag, "tag") + "\n")
            out.write("\n")


def _write_pairs(path: PathLike, pairs: Iterable) -> None:
    with _open_for_writing(path) as out:
        for pair in pairs:
            src, tgt = pair
            out.write(f"{_check_token(src, 'BUCC id')}\t{_check_token(tgt, 'BUCC id')}\n")


def _write_xcopa(path: PathLike, labels: Sequence) -> None:
    with _open_for_writing(path) as out:
        for label in labels:
            if hasattr(label, "item"):  # a numpy integer from an argmax
                label = label.item()
            out.write(json.dumps({"label": label}) + "\n")


def _write_ranking(path: PathLike, ranking: Mapping) -> None:
    if not isinstance(ranking, Mapping):
        raise ValueError("ranking must be a mapping example_id -> [ids]")
    obj = {}
    for key, ids in ranking.items():
        ids = [str(i) for i in ids]
        if not isinstance(key, str):
            raise ValueError(f"example id {key!r} is not a string")
        obj[key] = ids
    with _open_for_writing(path) as out:
        # One example per line keeps error line numbers meaningful.
        out.write("{\n")
        out.write(
            ",\n".join(
                f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}" for k, v in obj.items()
            )
        )
        out.write("\n}\n")


def _write_json(path: PathLike, obj: Any) -> None:
    with _open_for_writing(path) as out:
        # One key per line keeps error line numbers meaningful.
        json.dump(obj, out, ensure_ascii=False, indent=1)
        out.write("\n")


def _squad_dataset(gold) -> dict:
    """Any accepted QA gold form -> a SQuAD v1.1 dataset dict."""
    if isinstance(gold, Mapping):
        dataset = dict(gold)
        dataset.setdefault("version", "1.1")
        return dataset
    gold = list(gold)
    if all(isinstance(item, Mapping) and "paragraphs" in item for item in gold):
        return {"version": "1.1", "data": gold}
    paragraphs = []
    for record in gold:  # flat records, one paragraph each
        qid, texts = parse_question(record)
        answers = record["answers"]
        if isinstance(answers, Mapping):
            starts = list(answers.get("answer_start") or [-1] * len(texts))
            answer_list = [{"text": t, "answer_start": int(s)} for t, s in zip(texts, starts)]
        else:
            answer_list = [dict(a) for a in answers]
        paragraphs.append(
            {
                "context": record.get("context", ""),
                "qas": [{"id": qid, "question": record.get("question", ""), "answers": answer_list}],
            }
        )
    return {"version": "1.1", "data": [{"title": "", "paragraphs": paragraphs}]}


def write_gold(task: str, path: PathLike, gold) -> None:
    """Write gold in the XTREME format for ``task`` (inverse of read_gold)."""
    if check_task(task) in QA_TASKS:
        dataset = _squad_dataset(gold)
        for _ in iter_questions(dataset):
            pass  # validate before writing a broken file
        _write_json(path, dataset)
    else:
        _write_non_qa(task, path, gold)


def write_pred(task: str, path: PathLike, pred) -> None:
    """Write predictions in the XTREME format for ``task`` (inverse of read_pred)."""
    if check_task(task) in QA_TASKS:
        if not isinstance(pred, Mapping):
            raise ValueError(f"{task} predictions must be a mapping question_id -> answer")
        for qid, answer in pred.items():
            if not isinstance(qid, str) or not isinstance(answer, str):
                raise ValueError(f"{task} prediction {qid!r}: {answer!r} is not str -> str")
        _write_json(path, dict(pred))
    else:
        _write_non_qa(task, path, pred)


def _write_non_qa(task: str, path: PathLike, items) -> None:
    if task == "xcopa":
        _write_xcopa(path, items)
    elif task in RANKING_TASKS:
        _write_ranking(path, items)
    elif task in LABEL_TASKS:
        _write_labels(path, items)
    elif task in TAGGING_TASKS:
        _write_tags(path, items)
    else:
        _write_pairs(path, items)
