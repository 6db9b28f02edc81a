"""Data already on disk, in the layouts the field distributes, read into the hub's columns.

``source.path`` is either a ROOT that holds one directory per task (as below), or the task's own directory:

    xnli/ pawsx/ udpos/ panx/      google-research/xtreme ``download/`` (utils_preprocess.py output):
                                   {train,dev,test}-LANG.tsv; XNLI also XNLI-1.0/xnli.{dev,test}.tsv (original)
    xquad/ mlqa/ tydiqa/           xquad.LANG.json; MLQA_V1/{dev,test}/SPLIT-context-LANG-question-LANG.json;
                                   tydiqa-goldp-v1.1-train/tydiqa-goldp-v1.1-train.json (nine languages, filtered
                                   to English) and tydiqa-goldp-v1.1-dev/tydiqa.goldp.LANG.dev.json
    bucc2018/                      LANG-en.{dev,test}.{LANG,en,gold}
    tatoeba/                       LASER's tatoeba.ISO3-eng.{ISO3,eng} (line i matches line i)
    squad/                         {train,dev}-v1.1.json (variant v2: {train,dev}-v2.0.json)
    MNLI/ QQP/ SST-2/              GLUE TSVs: train.tsv, dev_matched.tsv (MNLI) or dev.tsv
    anli_v1.0/ snli_1.0/           R{1,2,3}/{train,dev}.jsonl; snli_1.0_train.jsonl (variant anli+ mixes both + MNLI)
    commonsenseqa/ cosmosqa/ hellaswag/   {train,dev}_rand_split.jsonl; {train,valid}.csv; hellaswag_{train,val}.jsonl
    socialiqa-train-dev/           Social IQa: {train,dev}.jsonl with {train,dev}-labels.lst (labels 1-3, one a line)
    COPA/ xcopa/                   SuperGLUE's COPA/{train,val}.jsonl; XCOPA's data/LANG/{val,test}.LANG.jsonl
    ccgbank/                       CCGbank (LDC2005T13): data/AUTO/SS/wsj_SSNN.auto
    mewslix/                       get-mewsli-x.sh's output: candidate_set_entities.jsonl,
                                   wikipedia_pairs-{train,dev}.jsonl, wikinews_mentions-test.jsonl
                                   (here or in mewsli_x/output/dataset/)
    lareqa/                        XQuAD-R's xquad-r/LANG.json (with sentence_breaks); SQuAD v1.1 {train,dev}-v1.1.json
                                   here or in ../squad/ for training and selection

XTREME's current download script strips the TEST labels (leaderboard protection): such files are refused with
an error that says so, rather than scored against empty gold.

One module per file family, each reader registered by task name with ``@reads(task, directory=..., variants=...,
layout=...)`` (``_registry``; ``READERS`` maps a task to its ``Reader``): ``pairs`` (XNLI, PAWS-X), ``tokens``
(UD-POS, PAN-X, CCGbank), ``squad`` (SQuAD, XQuAD, MLQA, TyDiQA), ``retrieval`` (BUCC, Tatoeba), ``glue`` (MNLI, QQP,
SST-2), ``anli`` (ANLI, ANLI+), ``dense`` (Mewsli-X, LAReQA) and ``choices`` (CommonsenseQA, Cosmos QA, HellaSwag,
Social IQa, COPA, XCOPA), on top of ``_io`` (opening files, ``file:line:`` errors, label checks). Adding a task: a
reader decorated with ``@reads("name", layout=[...])`` in the module of its file family (or a new module imported
below).
"""

from __future__ import annotations

from pathlib import Path

from . import anli, choices, dense, glue, pairs, retrieval, squad, tokens  # noqa: F401  (registers the readers)
from ._io import _FILES_READ, read_text
from ._registry import READERS, Reader, reads

__all__ = ["READERS", "Reader", "check_layout", "load", "read_text", "reads", "task_dir"]


def task_dir(root: str | Path, task: str) -> Path:
    """ROOT/<task dir> when ROOT holds several tasks, else ROOT itself (a per-task path)."""
    root = Path(root).expanduser()
    if root.exists() and not root.is_dir():
        raise NotADirectoryError(f"local data path {root} is a file; expected a directory (see xstilts.sources.local)")
    if not root.is_dir():
        raise FileNotFoundError(f"local data directory {root} does not exist")
    sub = root / _directory(task)
    return sub if sub.is_dir() else root


def _directory(task: str) -> str:
    reader = READERS.get(task)
    return reader.directory if reader else task


def _reader(task: str) -> Reader:
    reader = READERS.get(task)
    if reader is None:
        raise KeyError(f"no local reader for task {task!r}; known: {', '.join(sorted(READERS))}")
    return reader


def check_layout(root: str | Path, task: str) -> Path:
    """The task's directory under a local source path, or an error naming the path and the expected layout.

    Checked before any job runs (``xstilts.config.check``); the readers still name each missing file."""
    directory = task_dir(root, task)
    reader = _reader(task)
    if reader.locate is not None:
        return reader.locate(directory)
    patterns = reader.layout
    if not any(next(directory.glob(pattern), None) for pattern in patterns):
        raise FileNotFoundError(
            f"{directory} does not hold {task} data in a known layout: expected "
            f"{' or '.join(patterns)} there or in {Path(root).expanduser() / reader.directory}/"
        )
    return directory


def load(spec, split: str, lang: str, source: dict):
    """One (task, split, language) from local files, in the hub's columns (through ``load_split``, which
    refuses non-English training and selection data, e.g. PAWS-X's machine-translated train-de.tsv)."""
    if not source.get("path"):
        raise ValueError(f"{spec.name}: a local data source needs a path")
    reader = _reader(spec.name)
    directory = task_dir(source["path"], spec.name)
    _FILES_READ.clear()
    if reader.variants:
        data = reader.read(directory, spec, split, lang, source.get("variant"))
    elif source.get("variant"):
        raise ValueError(f"data source variant {source['variant']!r} is unknown for {spec.name}; it has none")
    else:
        data = reader.read(directory, spec, split, lang)
    if len(data) == 0:  # else tokenizing fails later, inside datasets, with no file named
        files = ", ".join(str(p) for p in dict.fromkeys(_FILES_READ)) or str(directory)
        raise ValueError(
            f"{files}: no {spec.name} {split} examples for language {lang!r} (empty, or only headers and blank lines)"
        )
    return data
