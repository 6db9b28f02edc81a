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
    ccgbank/                       CCGbank (LDC2005T13): data/AUTO/SS/wsj_SSNN.auto

XTREME's current download script strips the TEST labels (leaderboard protection): such files are refused with
an error that says so, rather than scored against empty gold.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from xstilts.sources import english_only_tydiqa, read_bucc

# our split names -> the file-name word used by the distributions
FILE_SPLIT = {"train": "train", "validation": "dev", "dev": "dev", "test": "test"}
TASK_DIRS = {"mnli": "MNLI", "qqp": "QQP", "sst2": "SST-2", "anli": "anli_v1.0", "ccg": "ccgbank"}
STRIPPED = ("XTREME's download script (google-research/xtreme scripts/download_data.sh) removes test labels; "
            "use the original release or the hub (data source type: hub) for the test split")

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
        raise ValueError(f"{path}:{line}: not UTF-8 (byte 0x{data[err.start]:02x} at column {column}); "
                         "the distributions are UTF-8: re-encode the file or fetch it again") from None


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
                raise ValueError(f"{path}:{n}: expected {' or '.join(map(str, widths))} tab-separated fields, got {len(fields)}")
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


# ------------------------------------------------------------------------------------------- XTREME download/
def _pair_file(task_dir: Path, spec, split: str, lang: str) -> Path:
    return _require(task_dir / f"{_split_word(spec, split)}-{lang}.tsv", f"{spec.name} {split} {lang}")


def _xnli(task_dir: Path, spec, split: str, lang: str):
    from datasets import Value

    rows = {"language": [], "sentence1": [], "sentence2": [], "gold_label": []}
    xtreme = task_dir / f"{_split_word(spec, split)}-{lang}.tsv"
    original = task_dir / "XNLI-1.0" / f"xnli.{_split_word(spec, split)}.tsv"
    if not xtreme.exists() and original.exists():  # the original release: one file, a language column
        for n, fields in _tsv(original, range(1, 100), header=True, quoting=csv.QUOTE_NONE):
            if n == 1:
                cols = {name: i for i, name in enumerate(fields)}
                missing = {"language", "gold_label", "sentence1", "sentence2"} - set(cols)
                if missing:
                    raise ValueError(f"{original}:1: header lacks {sorted(missing)}")
                continue
            if fields[cols["language"]] == lang:
                _known(fields[cols["gold_label"]], spec.labels, original, n)
                for key in rows:
                    rows[key].append(fields[cols[key]])
    else:
        path = _require(xtreme, f"{spec.name} {split} {lang} (or {original})")
        for n, fields in _tsv(path, (2, 3)):
            if len(fields) == 2:
                raise ValueError(f"{path}:{n}: no gold label; {STRIPPED}")
            rows["language"].append(lang)
            rows["sentence1"].append(fields[0])
            rows["sentence2"].append(fields[1])
            rows["gold_label"].append(_known(fields[2], spec.labels, path, n))
    return _dataset(rows, _features(**{k: Value("string") for k in rows}))


def _pawsx(task_dir: Path, spec, split: str, lang: str):
    from datasets import Value

    path = _pair_file(task_dir, spec, split, lang)
    rows = {"sentence1": [], "sentence2": [], "label": []}
    for n, fields in _tsv(path, (2, 3)):
        if len(fields) == 2:
            raise ValueError(f"{path}:{n}: no gold label; {STRIPPED}")
        _known(fields[2], spec.labels, path, n)
        for key, value in zip(rows, fields):
            rows[key].append(value)
    return _dataset(rows, _features(**{k: Value("string") for k in rows}))


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


def _udpos(task_dir: Path, spec, split: str, lang: str):
    from datasets import List, Value

    sentences = _token_file(_pair_file(task_dir, spec, split, lang), spec.labels)
    return _dataset({"tokens": [w for w, _ in sentences], "pos_tags": [t for _, t in sentences]},
                    _features(tokens=List(Value("string")), pos_tags=List(Value("string"))))


def _panx(task_dir: Path, spec, split: str, lang: str):
    from datasets import List, Value

    sentences = _token_file(_pair_file(task_dir, spec, split, lang), spec.labels)
    return _dataset({"tokens": [w for w, _ in sentences], "ner_tags": [t for _, t in sentences],
                     "langs": [[lang] * len(w) for w, _ in sentences]},
                    _features(tokens=List(Value("string")), ner_tags=List(Value("string")), langs=List(Value("string"))))


def _squad_file(path: Path, with_title: bool = True):
    """A SQuAD-format JSON file, flattened to one row per question in the hub's columns."""
    from datasets import Sequence, Value

    data = _json(path)
    rows = {"id": [], "title": [], "context": [], "question": [], "answers": []}
    blank = 0
    for d, doc in enumerate(_field(data, "data", path, 1)):
        for paragraph in _field(doc, "paragraphs", path, 1):
            for qa in paragraph["qas"]:
                answers = qa.get("answers", [])
                if answers and all(a["text"] == "" for a in answers):
                    blank += 1
                rows["id"].append(str(qa["id"]))
                rows["title"].append(doc.get("title", ""))
                rows["context"].append(paragraph["context"])
                rows["question"].append(qa["question"])
                rows["answers"].append({"answer_start": [int(a["answer_start"]) for a in answers],
                                        "text": [a["text"] for a in answers]})
    if rows["id"] and blank == len(rows["id"]):
        raise ValueError(f"{path}: every answer is empty; {STRIPPED}")
    features = {"id": Value("string"), "title": Value("string"), "context": Value("string"),
                "question": Value("string"), "answers": Sequence({"answer_start": Value("int32"), "text": Value("string")})}
    if not with_title:
        del rows["title"], features["title"]
    return _dataset(rows, _features(**features))


def _xquad(task_dir: Path, spec, split: str, lang: str):
    if split != spec.test:
        raise KeyError(f"xquad has only a test split (got {split!r})")
    return _squad_file(_require(task_dir / f"xquad.{lang}.json", f"xquad {lang}"), with_title=False)


def _mlqa(task_dir: Path, spec, split: str, lang: str):
    word = _split_word(spec, split)
    name = f"{word}-context-{lang}-question-{lang}.json"
    path = _first([task_dir / "MLQA_V1" / word / name, task_dir / word / name, task_dir / name], f"mlqa {split} {lang}")
    return _squad_file(path)


def _tydiqa(task_dir: Path, spec, split: str, lang: str):
    if split == "train":
        # the mixed file keeps the language prefix of the ids, so the English filter is exact
        path = _first([task_dir / "tydiqa-goldp-v1.1-train" / "tydiqa-goldp-v1.1-train.json",
                       task_dir / "tydiqa-goldp-v1.1-train.json"], "tydiqa train (all nine languages)")
        return english_only_tydiqa(_squad_file(path))
    name = (spec.hub or {}).get("id_prefixes", {}).get(lang, lang)
    dev = task_dir / "tydiqa-goldp-v1.1-dev"
    path = _first([dev / f"tydiqa.goldp.{lang}.dev.json", dev / f"tydiqa-goldp-dev-{name}.json",
                   task_dir / f"tydiqa.goldp.{lang}.dev.json"], f"tydiqa {split} {lang}")
    return _squad_file(path)


def _bucc(task_dir: Path, spec, split: str, lang: str):
    word = _split_word(spec, split)
    gold = task_dir / f"{lang}-en.{word}.gold"
    if not gold.exists() and (task_dir / f"{lang}-en.{word}.en").exists():
        raise FileNotFoundError(f"BUCC gold missing: {gold}; {STRIPPED} (the BUCC 2018 training-gold archives "
                                "hold it as LANG-en.training.gold)")
    return read_bucc(task_dir, lang, word)


def _tatoeba(task_dir: Path, spec, split: str, lang: str):
    from datasets import Value

    iso3 = ((spec.hub or {}).get("iso3") or {}).get(lang)
    if iso3 is None:
        raise KeyError(f"tasks.yaml tatoeba.hub.iso3 has no entry for language {lang!r}")
    src = task_dir / f"tatoeba.{iso3}-eng.{iso3}"
    tgt = task_dir / f"tatoeba.{iso3}-eng.eng"
    if not src.exists() and (task_dir / f"{lang}-en.en").exists():
        raise FileNotFoundError(f"{task_dir / f'{lang}-en.en'}: XTREME's download script sorts the English side, "
                                f"which destroys the gold alignment; use LASER's data/tatoeba/v1 files ({src.name}, {tgt.name})")
    sources = read_text(_require(src, f"tatoeba {lang}")).splitlines()
    targets = read_text(_require(tgt, f"tatoeba {lang}")).splitlines()
    if len(sources) != len(targets):
        raise ValueError(f"{src}: {len(sources)} lines but {tgt} has {len(targets)}; the files must be line-aligned")
    n = len(sources)
    return _dataset({"source_sentence": sources, "target_sentence": targets, "source_lang": [iso3] * n,
                     "target_lang": ["eng"] * n},
                    _features(**{k: Value("string") for k in ("source_sentence", "target_sentence", "source_lang", "target_lang")}))


# ------------------------------------------------------------------------------------------- English tasks
def _squad(task_dir: Path, spec, split: str, lang: str, variant: str | None = None):
    version = {None: "v1.1", "v2": "v2.0"}.get(variant)
    if version is None:
        raise ValueError(f"data source variant {variant!r} is unknown for squad; allowed: v2")
    return _squad_file(_require(task_dir / f"{_split_word(spec, split)}-{version}.json", f"squad {split}"))


def _class_label(spec):
    from datasets import ClassLabel

    return ClassLabel(names=list(spec.labels))


def _label_id(value: str, labels, path: Path, n: int) -> int:
    if value not in labels.names:
        raise ValueError(f"{path}:{n}: unknown label {value!r}; expected one of {', '.join(labels.names)}")
    return labels.str2int(value)


def _glue(task_dir: Path, spec, split: str, columns: dict, label_column: str, label_names=None):
    """A GLUE TSV with a header; columns maps the hub's column names to the TSV's."""
    from datasets import Value

    word = _split_word(spec, split)
    name = "dev_matched.tsv" if (spec.name == "mnli" and word == "dev") else f"{word}.tsv"
    path = _require(task_dir / name, f"{spec.name} {split}")
    labels = _class_label(spec)
    rows = {k: [] for k in list(columns) + ["label", "idx"]}
    index = None
    for n, fields in _tsv(path, range(1, 100), header=True, quoting=csv.QUOTE_NONE):
        if n == 1:
            index = {c: i for i, c in enumerate(fields)}
            missing = (set(columns.values()) | {label_column}) - set(index)
            if missing:
                raise ValueError(f"{path}:1: header lacks {sorted(missing)}")
            continue
        if len(fields) < len(index):
            raise ValueError(f"{path}:{n}: {len(fields)} fields but the header has {len(index)}")
        for ours, theirs in columns.items():
            rows[ours].append(fields[index[theirs]])
        raw = fields[index[label_column]]
        if label_names:  # QQP/SST-2 store the class index
            if raw not in [str(i) for i in range(len(label_names))]:
                raise ValueError(f"{path}:{n}: label {raw!r} is not a class index 0..{len(label_names) - 1}")
            raw = label_names[int(raw)]
        rows["label"].append(_label_id(raw, labels, path, n))
        rows["idx"].append(len(rows["idx"]))
    features = {k: Value("string") for k in columns} | {"label": labels, "idx": Value("int32")}
    return _dataset(rows, _features(**features))


def _mnli(task_dir, spec, split, lang):
    return _glue(task_dir, spec, split, {"premise": "sentence1", "hypothesis": "sentence2"}, "gold_label")


def _qqp(task_dir, spec, split, lang):
    return _glue(task_dir, spec, split, {"question1": "question1", "question2": "question2"}, "is_duplicate",
                 label_names=list(spec.labels))


def _sst2(task_dir, spec, split, lang):
    return _glue(task_dir, spec, split, {"sentence": "sentence"}, "label", label_names=list(spec.labels))


ANLI_LABELS = {"e": "entailment", "n": "neutral", "c": "contradiction"}


def _nli_rows(path: Path, spec, premise: str, hypothesis: str, label: str, names: dict | None, uid: str | None):
    """An NLI jsonl release; rows without a gold label (SNLI's '-') are skipped: they cannot be trained on."""
    labels = _class_label(spec)
    rows = {"uid": [], "premise": [], "hypothesis": [], "label": [], "reason": []}
    for n, record in _jsonl(path):
        raw = _field(record, label, path, n)
        if raw == "-":
            continue
        raw = names.get(raw, raw) if names else raw
        rows["uid"].append(str(record.get(uid, n)) if uid else f"{path.stem}-{n}")
        rows["premise"].append(_field(record, premise, path, n))
        rows["hypothesis"].append(_field(record, hypothesis, path, n))
        rows["label"].append(_label_id(raw, labels, path, n))
        rows["reason"].append(record.get("reason", ""))
    return rows


def _anli(task_dir: Path, spec, split: str, lang: str, variant: str | None = None):
    from datasets import Value, concatenate_datasets

    if variant not in (None, "anli+"):
        raise ValueError(f"data source variant {variant!r} is unknown for anli; allowed: anli+")
    word = _split_word(spec, split)
    features = _features(uid=Value("string"), premise=Value("string"), hypothesis=Value("string"),
                         label=_class_label(spec), reason=Value("string"))
    parts = []
    for r in (1, 2, 3):
        path = _require(task_dir / f"R{r}" / f"{word}.jsonl", f"anli round {r} {split}")
        parts.append(_dataset(_nli_rows(path, spec, "context", "hypothesis", "label", ANLI_LABELS, "uid"), features))
    if variant == "anli+" and split == "train":
        # ANLI+ = ANLI rounds 1-3 + SNLI + MNLI training data; the corpora sit next to anli_v1.0/
        parent = task_dir.parent
        snli = _first([parent / "snli_1.0" / "snli_1.0_train.jsonl", task_dir / "snli_1.0" / "snli_1.0_train.jsonl"],
                      "anli+ needs SNLI")
        parts.append(_dataset(_nli_rows(snli, spec, "sentence1", "sentence2", "gold_label", None, "pairID"), features))
        mnli_dir = _first([parent / "MNLI", task_dir / "MNLI"], "anli+ needs GLUE MNLI")
        mnli = _glue(mnli_dir, spec, "train", {"premise": "sentence1", "hypothesis": "sentence2"}, "gold_label")
        parts.append(mnli.map(lambda r, i: {"uid": f"mnli-{i}", "reason": ""}, with_indices=True,
                              remove_columns=["idx"]).cast(features))
    return concatenate_datasets(parts)


def _commonsenseqa(task_dir: Path, spec, split: str, lang: str):
    from datasets import Sequence, Value

    path = _require(task_dir / f"{_split_word(spec, split)}_rand_split.jsonl", f"commonsenseqa {split}")
    rows = {"id": [], "question": [], "question_concept": [], "choices": [], "answerKey": []}
    for n, record in _jsonl(path):
        question = _field(record, "question", path, n)
        choices = _field(question, "choices", path, n)
        rows["id"].append(_field(record, "id", path, n))
        rows["question"].append(_field(question, "stem", path, n))
        rows["question_concept"].append(question.get("question_concept", ""))
        rows["choices"].append({"label": [c["label"] for c in choices], "text": [c["text"] for c in choices]})
        rows["answerKey"].append(_known(record.get("answerKey", ""), [c["label"] for c in choices], path, n,
                                        "answerKey"))
    return _dataset(rows, _features(id=Value("string"), question=Value("string"), question_concept=Value("string"),
                                    choices=Sequence({"label": Value("string"), "text": Value("string")}),
                                    answerKey=Value("string")))


def _cosmosqa(task_dir: Path, spec, split: str, lang: str):
    from datasets import Value

    name = {"train": "train.csv", "dev": "valid.csv"}.get(_split_word(spec, split))
    path = _require(task_dir / (name or f"{split}.csv"), f"cosmosqa {split}")
    columns = ["id", "context", "question", "answer0", "answer1", "answer2", "answer3", "label"]
    rows = {c: [] for c in columns}
    with _open_text(path, newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}:1: header lacks {sorted(missing)}")
        for record in reader:
            try:
                label = int(record["label"])
            except (TypeError, ValueError):
                label = None
            if label not in range(4):
                raise ValueError(f"{path}:{reader.line_num}: label {record['label']!r} is not a choice index; "
                                 "expected one of 0, 1, 2, 3")
            for c in columns[:-1]:
                rows[c].append(record[c])
            rows["label"].append(label)
    return _dataset(rows, _features(**{c: Value("string") for c in columns[:-1]}, label=Value("int32")))


def _hellaswag(task_dir: Path, spec, split: str, lang: str):
    from datasets import List, Value

    name = {"train": "hellaswag_train.jsonl", "dev": "hellaswag_val.jsonl"}.get(_split_word(spec, split))
    path = _require(task_dir / (name or f"hellaswag_{split}.jsonl"), f"hellaswag {split}")
    text = ("activity_label", "ctx_a", "ctx_b", "ctx", "source_id", "split", "split_type")
    rows = {"ind": [], "endings": [], "label": []} | {c: [] for c in text}
    for n, record in _jsonl(path):
        endings = list(_field(record, "endings", path, n))
        label = str(_field(record, "label", path, n))  # the hub stores it as a string digit
        rows["ind"].append(int(_field(record, "ind", path, n)))
        rows["endings"].append(endings)
        rows["label"].append(_known(label, [str(i) for i in range(len(endings))], path, n))
        for c in text:
            rows[c].append(str(record.get(c, "")))
    return _dataset(rows, _features(ind=Value("int32"), endings=List(Value("string")), label=Value("string"),
                                    **{c: Value("string") for c in text}))


def _ccg(task_dir: Path, spec, split: str, lang: str):
    from xstilts.sources.ccgbank import load as load_ccgbank

    return load_ccgbank(task_dir, split)


READERS = {
    "xnli": _xnli, "pawsx": _pawsx, "udpos": _udpos, "panx": _panx, "xquad": _xquad, "mlqa": _mlqa,
    "tydiqa": _tydiqa, "bucc2018": _bucc, "tatoeba": _tatoeba, "squad": _squad, "mnli": _mnli, "qqp": _qqp,
    "sst2": _sst2, "anli": _anli, "commonsenseqa": _commonsenseqa, "cosmosqa": _cosmosqa, "hellaswag": _hellaswag,
    "ccg": _ccg,
}
VARIANT_READERS = {"squad", "anli"}


def task_dir(root: str | Path, task: str) -> Path:
    """ROOT/<task dir> when ROOT holds several tasks, else ROOT itself (a per-task path)."""
    root = Path(root).expanduser()
    if root.exists() and not root.is_dir():
        raise NotADirectoryError(f"local data path {root} is a file; expected a directory (see xstilts.sources.local)")
    if not root.is_dir():
        raise FileNotFoundError(f"local data directory {root} does not exist")
    sub = root / TASK_DIRS.get(task, task)
    return sub if sub.is_dir() else root


# What a task's directory must hold (any one pattern matching is enough): the layouts of the module docstring.
LAYOUTS = {
    "xnli": ["*-*.tsv", "XNLI-1.0/xnli.*.tsv"], "pawsx": ["*-*.tsv"], "udpos": ["*-*.tsv"], "panx": ["*-*.tsv"],
    "xquad": ["xquad.*.json"],
    "mlqa": ["MLQA_V1/*/*-context-*-question-*.json", "*/*-context-*-question-*.json", "*-context-*-question-*.json"],
    "tydiqa": ["tydiqa-goldp-v1.1-train/*.json", "tydiqa-goldp-v1.1-dev/*.json", "tydiqa-goldp-v1.1-train.json",
               "tydiqa.goldp.*.dev.json"],
    "bucc2018": ["*-en.*.gold", "*-en.*.en"], "tatoeba": ["tatoeba.*-eng.*"], "squad": ["*-v1.1.json", "*-v2.0.json"],
    "mnli": ["train.tsv", "dev_matched.tsv"], "qqp": ["train.tsv", "dev.tsv"], "sst2": ["train.tsv", "dev.tsv"],
    "anli": ["R1/*.jsonl"], "commonsenseqa": ["*_rand_split.jsonl"], "cosmosqa": ["train.csv", "valid.csv"],
    "hellaswag": ["hellaswag_*.jsonl"],
}


def check_layout(root: str | Path, task: str) -> Path:
    """The task's directory under a local source path, or an error naming the path and the expected layout.

    Checked before any job runs (``xstilts.config.check``); the readers still name each missing file."""
    directory = task_dir(root, task)
    if task == "ccg":
        from xstilts.sources.ccgbank import auto_dir

        return auto_dir(directory)
    patterns = LAYOUTS.get(task)
    if patterns is None:
        raise KeyError(f"no local reader for task {task!r}; known: {', '.join(sorted(READERS))}")
    if not any(next(directory.glob(pattern), None) for pattern in patterns):
        sub = TASK_DIRS.get(task, task)
        raise FileNotFoundError(f"{directory} does not hold {task} data in a known layout: expected "
                                f"{' or '.join(patterns)} there or in {Path(root).expanduser() / sub}/")
    return directory


def load(spec, split: str, lang: str, source: dict):
    """One (task, split, language) from local files, in the hub's columns."""
    from xstilts.data import check_zero_shot

    check_zero_shot(spec, split, [lang])  # e.g. PAWS-X's machine-translated train-de.tsv is never read
    if not source.get("path"):
        raise ValueError(f"{spec.name}: a local data source needs a path")
    reader = READERS.get(spec.name)
    if reader is None:
        raise KeyError(f"no local reader for task {spec.name!r}; known: {', '.join(sorted(READERS))}")
    directory = task_dir(source["path"], spec.name)
    _FILES_READ.clear()
    if spec.name in VARIANT_READERS:
        data = reader(directory, spec, split, lang, source.get("variant"))
    elif source.get("variant"):
        raise ValueError(f"data source variant {source['variant']!r} is unknown for {spec.name}; it has none")
    else:
        data = reader(directory, spec, split, lang)
    if len(data) == 0:  # else tokenizing fails later, inside datasets, with no file named
        files = ", ".join(str(p) for p in dict.fromkeys(_FILES_READ)) or str(directory)
        raise ValueError(f"{files}: no {spec.name} {split} examples for language {lang!r} (empty, or only "
                         "headers and blank lines)")
    return data
