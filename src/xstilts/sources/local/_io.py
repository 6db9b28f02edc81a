"""The readers' I/O kit: opening files (UTF-8, or an error naming file, line and column), TSV/JSON/JSONL
iteration, and the ``file:line:`` errors for missing keys, unknown labels and stripped test labels."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

# our split names -> the file-name word used by the distributions
FILE_SPLIT = {"train": "train", "validation": "dev", "dev": "dev", "test": "test"}
STRIPPED = (
    "XTREME's download script (google-research/xtreme scripts/download_data.sh) removes test labels; "
    "use the original release or the hub (data source type: hub) for the test split"
)

csv.field_size_limit(1 << 30)  # SQuAD-sized fields in TSVs


def _features(**columns):
    from datasets import Features

    return Features(columns)


def _dataset(rows: dict, features):
    from datasets import Dataset

    return Dataset.from_dict(rows, features=features)


_FILES_READ: list[Path] = []  # what the current load() read, to name it when it gives no examples


def read_text(path: str | Path) -> str:
    """A data file's text; bytes that are not UTF-8 are an error naming the file, line and column."""
    path = Path(path)
    data = path.read_bytes()
    _FILES_READ.append(path)
    if not data.strip():  # a truncated download or a failed extraction; silently fewer examples otherwise
        raise ValueError(f"{path}: empty file (no data{', only blank lines' if data else ''})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise ValueError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[err.start]:02x} at column {column}); "
            "the distributions are UTF-8: re-encode the file or fetch it again"
        ) from None


def _open_text(path: Path, newline: str | None = None) -> io.StringIO:
    """Like open(path, encoding="utf-8", newline=newline), with read_text's error for bytes that are not UTF-8."""
    return io.StringIO(read_text(path), newline=newline)


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{what}: expected {path}")
    return path


def _first(paths: list[Path], what: str) -> Path:
    for path in paths:
        if path.exists():
            return path
    raise FileNotFoundError(f"{what}: expected one of {', '.join(str(p) for p in paths)}")


def _split_word(spec, split: str) -> str:
    if split not in FILE_SPLIT:
        raise KeyError(f"{spec.name}: unknown split {split!r}; known: {', '.join(FILE_SPLIT)}")
    return FILE_SPLIT[split]


def _tsv(path: Path, width: int | tuple[int, ...], header: bool = False, quoting=csv.QUOTE_MINIMAL):
    """(line number, fields) of a TSV; XTREME's files come from csv.writer (quoted), GLUE's need QUOTE_NONE."""
    widths = (width,) if isinstance(width, int) else width
    with _open_text(path, newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=quoting)
        for fields in reader:
            n = reader.line_num
            if header and n == 1:
                yield n, fields
                continue
            if not fields:
                continue
            if len(fields) not in widths:
                raise ValueError(
                    f"{path}:{n}: expected {' or '.join(map(str, widths))} tab-separated fields, got {len(fields)}"
                )
            yield n, fields


def _jsonl(path: Path):
    with _open_text(path) as handle:
        for n, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as err:
                    raise ValueError(f"{path}:{n}: invalid JSON ({err.msg})") from None


def _json(path: Path):
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}:{err.lineno}: invalid JSON ({err.msg})") from None


def _field(record: dict, key: str, path: Path, n: int):
    try:
        return record[key]
    except (KeyError, TypeError):
        raise ValueError(f"{path}:{n}: missing key {key!r}") from None


def _known(value: str, allowed, path: Path, n: int, what: str = "label") -> str:
    if allowed is not None and value not in allowed:
        raise ValueError(f"{path}:{n}: unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return value


def _class_label(spec):
    from datasets import ClassLabel

    return ClassLabel(names=list(spec.labels))


def _label_id(value: str, labels, path: Path, n: int) -> int:
    if value not in labels.names:
        raise ValueError(f"{path}:{n}: unknown label {value!r}; expected one of {', '.join(labels.names)}")
    return labels.str2int(value)


def _pair_file(task_dir: Path, spec, split: str, lang: str) -> Path:
    """XTREME ``download/``'s {train,dev,test}-LANG.tsv."""
    return _require(task_dir / f"{_split_word(spec, split)}-{lang}.tsv", f"{spec.name} {split} {lang}")
