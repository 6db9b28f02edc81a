"""Token-per-line files: UD-POS and PAN-X in XTREME's ``download/`` layout ({train,dev,test}-LANG.tsv,
``word<TAB>tag`` with blank lines between sentences), and CCGbank's AUTO derivations (``xstilts.sources.ccgbank``)."""

from __future__ import annotations

from pathlib import Path

from ._io import STRIPPED, _dataset, _features, _known, _open_text, _pair_file
from ._registry import reads


def _token_file(path: Path, tags_allowed=None):
    """Sentences of a word<TAB>tag file with blank lines between sentences (tags checked against tags_allowed)."""
    sentences, words, tags = [], [], []
    with _open_text(path) as handle:
        for n, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    sentences.append((words, tags))
                words, tags = [], []
                continue
            parts = line.rsplit("\t", 1)
            if len(parts) != 2:
                raise ValueError(f"{path}:{n}: expected 'word<TAB>tag'; a word without a tag means {STRIPPED}")
            words.append(parts[0])
            tags.append(_known(parts[1], tags_allowed, path, n, "tag"))
    if words:
        sentences.append((words, tags))
    return sentences


@reads("udpos", layout=["*-*.tsv"])
def _udpos(task_dir: Path, spec, split: str, lang: str):
    from datasets import List, Value

    sentences = _token_file(_pair_file(task_dir, spec, split, lang), spec.labels)
    return _dataset(
        {"tokens": [w for w, _ in sentences], "pos_tags": [t for _, t in sentences]},
        _features(tokens=List(Value("string")), pos_tags=List(Value("string"))),
    )


@reads("panx", layout=["*-*.tsv"])
def _panx(task_dir: Path, spec, split: str, lang: str):
    from datasets import List, Value

    sentences = _token_file(_pair_file(task_dir, spec, split, lang), spec.labels)
    return _dataset(
        {
            "tokens": [w for w, _ in sentences],
            "ner_tags": [t for _, t in sentences],
            "langs": [[lang] * len(w) for w, _ in sentences],
        },
        _features(tokens=List(Value("string")), ner_tags=List(Value("string")), langs=List(Value("string"))),
    )


def _ccg_auto_dir(directory: Path) -> Path:
    from xstilts.sources.ccgbank import auto_dir

    return auto_dir(directory)


@reads("ccg", directory="ccgbank", locate=_ccg_auto_dir)
def _ccg(task_dir: Path, spec, split: str, lang: str):
    from xstilts.sources.ccgbank import load as load_ccgbank

    return load_ccgbank(task_dir, split)
