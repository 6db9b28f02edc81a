"""CCGbank (LDC2005T13) supertags from the AUTO files: ``data/AUTO/SS/wsj_SSNN.auto``.

Each sentence takes two lines: an ``ID=wsj_0001.1 PARSER=GOLD NUMPARSE=1`` header and the derivation, whose
leaves ``(<L CAT POS POS word PRED_CAT>)`` carry the supertag (CAT) of every word, left to right.
Standard supertagging splits (Clark & Curran 2007): train = sections 02-21, dev = 00, test = 23.
"""

from __future__ import annotations

import re
from pathlib import Path

LEAF = re.compile(r"\(<L (\S+) (\S+) (\S+) (\S+) (\S+)>\)")
SECTIONS = {
    "train": [f"{s:02d}" for s in range(2, 22)],
    "validation": ["00"],
    "test": ["23"],
}


def auto_dir(root: str | Path) -> Path:
    """The AUTO directory of a CCGbank copy: ROOT/data/AUTO, ROOT/AUTO, or ROOT itself."""
    root = Path(root)
    for candidate in (root / "data" / "AUTO", root / "AUTO", root):
        if (candidate / "00").is_dir() or (candidate / "02").is_dir():
            return candidate
    raise FileNotFoundError(
        f"no CCGbank AUTO directory under {root} (expected {root}/data/AUTO/00 ... /23 with "
        "wsj_SSNN.auto files, as in LDC2005T13)"
    )


def read_auto(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """(words, supertags) of every derivation in one AUTO file."""
    path = Path(path)
    sentences = []
    from xstilts.sources.local import read_text  # non-UTF-8 bytes: an error naming the file and line

    lines = read_text(path).splitlines()
    expect_tree = False
    for n, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("ID="):
            if expect_tree:
                raise ValueError(f"{path}:{n}: header line follows a header line without a derivation")
            expect_tree = True
            continue
        if not expect_tree:
            raise ValueError(f"{path}:{n}: derivation without its 'ID=...' header line")
        leaves = LEAF.findall(line)
        if not line.startswith("(<") or not leaves:
            raise ValueError(f"{path}:{n}: not a CCGbank derivation (no '(<L CAT POS POS word PRED_CAT>)' leaves)")
        sentences.append(([leaf[3] for leaf in leaves], [leaf[0] for leaf in leaves]))
        expect_tree = False
    if expect_tree:
        raise ValueError(f"{path}:{len(lines)}: header line without a derivation at the end of the file")
    return sentences


def load(root: str | Path, split: str):
    """One standard split as a ``datasets.Dataset`` with ``tokens`` and ``tags`` (the toy world's ccg columns)."""
    from datasets import Dataset, Features, List, Value

    if split not in SECTIONS:
        raise KeyError(f"CCGbank has no split {split!r}; known: {', '.join(SECTIONS)}")
    base = auto_dir(root)
    rows = {"tokens": [], "tags": []}
    for section in SECTIONS[split]:
        directory = base / section
        files = sorted(directory.glob("*.auto")) if directory.is_dir() else []
        if not files:  # a partial copy would silently shrink the training set
            raise FileNotFoundError(f"CCGbank section {section} missing: expected {directory}/wsj_{section}NN.auto")
        for path in files:
            for words, tags in read_auto(path):
                rows["tokens"].append(words)
                rows["tags"].append(tags)
    return Dataset.from_dict(rows, features=Features({"tokens": List(Value("string")), "tags": List(Value("string"))}))
