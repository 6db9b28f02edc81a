"""Data sources: the hub loader (on local copies of hub repositories), the local loaders (on tiny files in the
real layouts), CCGbank, and zero-shot purity of everything that reaches training or model selection.

Fixtures: tests/fixtures/sources/{hub,local} (rebuild with tests/fixtures/sources/build_fixtures.py). Every
non-English fixture text carries a «xx» marker, so purity is checked on content, not only on arguments.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xstilts import registry
from xstilts.formats import get_format
from xstilts.prepared import load_prepared, prepare
from xstilts.sources import hub, load_split
from xstilts.zeroshot import ZeroShotViolation, check_zero_shot

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
HUB = {"type": "hub", "path": str(FIXTURES / "hub")}  # a mirror root: <owner>/<name> below it
LOCAL = {"type": "local", "path": str(FIXTURES / "local")}
MARK = "«"  # every non-English fixture text carries «xx»

# (task, split, language) loaded from both fixture sources; language "de" (or "fi") exercises test splits
CASES = [
    ("anli", "train", "en"),
    ("anli", "validation", "en"),
    ("commonsenseqa", "train", "en"),
    ("cosmosqa", "validation", "en"),
    ("hellaswag", "train", "en"),
    ("mnli", "train", "en"),
    ("mnli", "validation", "en"),
    ("qqp", "train", "en"),
    ("sst2", "validation", "en"),
    ("squad", "train", "en"),
    ("squad", "validation", "en"),
    ("xnli", "validation", "en"),
    ("xnli", "test", "de"),
    ("pawsx", "train", "en"),
    ("pawsx", "test", "de"),
    ("udpos", "train", "en"),
    ("udpos", "test", "de"),
    ("panx", "validation", "en"),
    ("panx", "test", "de"),
    ("xquad", "test", "de"),
    ("mlqa", "validation", "en"),
    ("mlqa", "test", "de"),
    ("tydiqa", "train", "en"),
    ("tydiqa", "test", "fi"),
    ("tatoeba", "test", "de"),
    ("siqa", "train", "en"),
    ("siqa", "validation", "en"),
    ("copa", "train", "en"),
    ("copa", "validation", "en"),
    ("xcopa", "test", "it"),
    ("lareqa", "train", "en"),
    ("lareqa", "validation", "en"),
    ("lareqa", "test", "de"),
]
LOCAL_ONLY = [
    ("ccg", "train", "en"),
    ("ccg", "validation", "en"),
    ("ccg", "test", "en"),
    ("bucc2018", "dev", "de"),
    ("bucc2018", "test", "de"),
    ("mewslix", "train", "en"),
    ("mewslix", "validation", "en"),
    ("mewslix", "test", "de"),
]
TOY_LANG = {"de": "qaa", "fi": "qaa", "it": "qaa", "en": "en"}


@pytest.fixture(scope="session", autouse=True)
def datasets_cache(tmp_path_factory):
    """load_dataset caches arrow copies: keep them out of ~/.cache."""
    import datasets

    previous = datasets.config.HF_DATASETS_CACHE
    datasets.config.HF_DATASETS_CACHE = str(tmp_path_factory.mktemp("hf_datasets"))
    yield
    datasets.config.HF_DATASETS_CACHE = previous


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    from xstilts.toyworld import generate_world

    root = tmp_path_factory.mktemp("world")
    generate_world(str(root), scale=0.02)
    return root


def canonical(task, raw):
    spec = registry.get(task)
    return get_format(spec.format).canonicalize(raw, spec, list(spec.labels) if spec.labels else None)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


# ------------------------------------------------------------------------------------------- loaders
@pytest.mark.parametrize("source", [HUB, LOCAL], ids=["hub", "local"])
@pytest.mark.parametrize("task,split,lang", CASES)
def test_loader_columns_match_toy_world(source, task, split, lang, world):
    spec = registry.get(task)
    raw = load_split(spec, split, lang, source)
    assert len(raw) > 0
    toy_split = split
    if (task, split) == ("tydiqa", "test") and not (Path(world) / "tasks" / task / "test.qaa.jsonl").exists():
        toy_split = "validation"  # older toy worlds named TyDiQA's test files after the hub's split
    toy_raw = load_split(spec, toy_split, TOY_LANG[lang], {"type": "toy"}, world)
    # the columns canonicalize reads exist, and the canonical layout is the toy world's
    assert set(canonical(task, raw).column_names) == set(canonical(task, toy_raw).column_names)
    # QA: the toy world adds a title the hub's XQuAD lacks; LAReQA's local XQuAD-R keeps its sentence breaks
    if task not in ("xquad", "squad", "mlqa", "tydiqa", "lareqa"):
        assert set(raw.column_names) == set(toy_raw.column_names)


@pytest.mark.parametrize("task,split,lang", CASES)
def test_hub_and_local_give_the_same_schema(task, split, lang):
    hub = load_split(registry.get(task), split, lang, HUB)
    local = load_split(registry.get(task), split, lang, LOCAL)
    if task != "lareqa":  # XQuAD-R's JSON files have sentence breaks, its hub copy does not (nor a title)
        assert set(local.column_names) == set(hub.column_names)
    assert len(local) == len(hub)
    assert canonical(task, local).features == canonical(task, hub).features


@pytest.mark.parametrize("task,split,lang", LOCAL_ONLY)
def test_local_only_tasks(task, split, lang, world):
    raw = load_split(registry.get(task), split, lang, LOCAL)
    toy_split = "validation" if (task, split) == ("ccg", "test") else split  # the toy CCG has no test split
    toy = load_split(registry.get(task), toy_split, TOY_LANG[lang], {"type": "toy"}, world)
    assert set(canonical(task, raw).column_names) == set(canonical(task, toy).column_names)
    assert set(raw.column_names) == set(toy.column_names)


def test_hub_class_labels_are_mapped_to_names():
    raw = load_split(registry.get("panx"), "test", "de", HUB)
    assert raw.features["ner_tags"].feature.names == list(registry.get("panx").labels)
    assert canonical("panx", raw)["tags"][1] == ["B-PER", "O", "O", "B-LOC", "O"]
    raw = load_split(registry.get("udpos"), "train", "en", HUB)
    assert canonical("udpos", raw)["tags"][0] == ["DET", "NOUN", "VERB", "PUNCT"]


def test_xnli_hub_rows_are_filtered_to_the_language():
    raw = load_split(registry.get("xnli"), "test", "de", HUB)
    assert set(raw["language"]) == {"de"} and len(raw) == 3
    assert all(MARK in s for s in raw["sentence1"])


@pytest.mark.parametrize("source", [HUB, LOCAL], ids=["hub", "local"])
def test_tydiqa_train_keeps_only_english_ids(source):
    raw = load_split(registry.get("tydiqa"), "train", "en", source)
    assert len(raw) == 2 and all(i.startswith("english") for i in raw["id"])
    test = load_split(registry.get("tydiqa"), "test", "fi", source)
    assert len(test) == 2 and all(MARK in q for q in test["question"])


@pytest.mark.parametrize("source", [HUB, LOCAL], ids=["hub", "local"])
def test_anli_plus_mixes_anli_snli_mnli_and_drops_unlabeled(source):
    raw = load_split(registry.get("anli"), "train", "en", dict(source, variant="anli+"))
    # 3 rounds x 3 + SNLI 3 labelled (its no-consensus pair dropped) + MNLI 3
    assert len(raw) == 15
    assert set(canonical("anli", raw)["label"]) == {0, 1, 2}
    assert len(load_split(registry.get("anli"), "validation", "en", dict(source, variant="anli+"))) == 9


def test_two_copies_of_a_repository_are_read_apart(tmp_path):
    """Two local copies of one repository, one with a data file changed, each give their own rows, read in
    either order (``datasets`` alone would return the first one read for both: one cache per card)."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    original = FIXTURES / "hub" / "stanfordnlp" / "snli"
    copies = {name: tmp_path / name / "stanfordnlp" / "snli" for name in ("first", "second")}
    for copy in copies.values():
        shutil.copytree(original, copy)
    train = copies["second"] / "plain_text" / "train-00000-of-00001.parquet"
    table = pq.read_table(train)
    changed = pa.array([f"changed {i}" for i in range(len(table))])
    pq.write_table(table.set_column(table.column_names.index("hypothesis"), "hypothesis", changed), train)
    expected = {"first": table.column("hypothesis").to_pylist(), "second": changed.to_pylist()}
    for name in ("first", "second", "first"):
        source = {"type": "hub", "path": str(tmp_path / name)}
        assert hub._load_part("stanfordnlp/snli", None, "train", source)["hypothesis"] == expected[name]


@pytest.mark.parametrize(
    "card_declares, message",
    [
        (False, r"anli: mixture parts .*stanfordnlp/snli.* do not all have the columns \['hypothesis'\]"),
        # `datasets` fills the declared column with nulls: refused, not tokenized as missing text
        (True, r"anli: mixture part stanfordnlp/snli \(split 'train'\) has 4 of 4 rows without 'hypothesis'"),
    ],
    ids=["repository-without-it", "data-file-without-it"],
)
def test_anli_plus_part_without_a_task_column_is_named(tmp_path, card_declares, message):
    """A mixture part that lacks a column the task reads is refused, naming the part and the column,
    instead of being concatenated on the columns that remain."""
    import shutil

    import pyarrow.parquet as pq

    mirror = tmp_path / "hub"
    shutil.copytree(FIXTURES / "hub", mirror)
    snli = mirror / "stanfordnlp" / "snli"
    train = snli / "plain_text" / "train-00000-of-00001.parquet"
    pq.write_table(pq.read_table(train).drop_columns(["hypothesis"]), train)
    if not card_declares:
        card = snli / "README.md"
        declared = "  - name: hypothesis\n    dtype: string\n"
        assert declared in card.read_text()
        card.write_text(card.read_text().replace(declared, ""))
        for split in ("validation", "test"):  # the repository as a whole has no such column
            path = snli / "plain_text" / f"{split}-00000-of-00001.parquet"
            pq.write_table(pq.read_table(path).drop_columns(["hypothesis"]), path)
    with pytest.raises(ValueError, match=message):
        load_split(registry.get("anli"), "train", "en", {"type": "hub", "path": str(mirror), "variant": "anli+"})


@pytest.mark.parametrize("source", [HUB, LOCAL], ids=["hub", "local"])
def test_unknown_variant_is_refused(source):
    with pytest.raises(ValueError, match="variant 'v3' is unknown for squad"):
        load_split(registry.get("squad"), "train", "en", dict(source, variant="v3"))


def test_squad_v2_variant_keeps_unanswerable_questions():
    raw = load_split(registry.get("squad"), "train", "en", dict(LOCAL, variant="v2"))
    assert [] in [a["text"] for a in raw["answers"]]
    assert len(load_split(registry.get("squad"), "train", "en", dict(HUB, variant="v2"))) == 2


def test_hub_path_can_name_one_repository_copy():
    source = {"type": "hub", "path": str(FIXTURES / "hub" / "google" / "xtreme")}
    assert len(load_split(registry.get("panx"), "test", "de", source)) == 2


def test_hub_missing_split_names_the_registry_entry():
    with pytest.raises(KeyError, match="xquad.hub.splits"):
        load_split(registry.get("xquad"), "validation", "en", HUB)


def test_hub_missing_local_copy_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_split(registry.get("panx"), "test", "de", {"type": "hub", "path": str(tmp_path / "nowhere")})


# ------------------------------------------------------------------------------------------- zero-shot purity
def purity_refs():
    for target in registry.target_tasks():
        spec = registry.get(target)
        if spec.trainable:
            for ref in (spec.train_ref(), spec.validation_ref()):
                if ref is not None:
                    yield target, ref.task, ref.split


@pytest.mark.parametrize("kind", ["toy", "hub", "local"])
@pytest.mark.parametrize("target,task,split", list(purity_refs()))
def test_zero_shot_purity(kind, target, task, split, world, tmp_path):
    source = {"toy": {"type": "toy"}, "hub": HUB, "local": LOCAL}[kind]
    if kind == "hub" and registry.get(task).hub is None:
        pytest.skip(f"{task} has no hub source")
    other = "qaa" if kind == "toy" else next(l for l in registry.get(target).languages if l != "en")
    with pytest.raises(ZeroShotViolation):
        check_zero_shot(registry.get(task), split, ["en", other])
    with pytest.raises(ZeroShotViolation):
        prepare(task, split, ["en", other], source, tmp_path / "refused", world)
    counts = prepare(task, split, ["en"], source, tmp_path / "data", world)
    data = load_prepared(tmp_path / "data", "en")
    assert counts == {"en": len(data)} and len(data) > 0
    if kind == "toy":
        if task == "tydiqa":
            assert all(i.startswith("english") for i in data["id"])
        elif registry.get(task).format == "dense_retrieval":  # queries and candidates, not one row per line
            assert {"query", "candidate"} <= set(data["kind"])
        else:
            lines = (Path(world) / "tasks" / task / f"{split}.en.jsonl").read_text().splitlines()
            assert len(data) == len(lines)
    else:
        texts = [s for row in data.to_list() for s in strings(row)]
        assert texts and not any(MARK in s for s in texts), f"non-English text in {task} {split}"


@pytest.mark.parametrize("source", [HUB, LOCAL], ids=["hub", "local"])
def test_pawsx_translated_training_data_is_refused(source, tmp_path):
    # the fixture HAS PAWS-X.de/train (hub) and train-de.tsv (local): refusal is a rule, not a missing file
    with pytest.raises(ZeroShotViolation):
        load_split(registry.get("pawsx"), "train", "de", source)
    with pytest.raises(ZeroShotViolation):
        prepare("pawsx", "train", ["de"], source, tmp_path / "out")


def test_pawsx_translated_training_data_is_refused_for_toy(world, tmp_path):
    with pytest.raises(ZeroShotViolation):
        prepare("pawsx", "train", ["qaa"], {"type": "toy"}, tmp_path / "out", world)


# ------------------------------------------------------------------------------------------- local errors
def copy_task(tmp_path, task):
    import shutil

    shutil.copytree(FIXTURES / "local" / task, tmp_path / task)
    return {"type": "local", "path": str(tmp_path)}


def test_local_missing_file_names_the_expected_path(tmp_path):
    (tmp_path / "panx").mkdir()
    with pytest.raises(FileNotFoundError, match=str(tmp_path / "panx" / "test-de.tsv")):
        load_split(registry.get("panx"), "test", "de", {"type": "local", "path": str(tmp_path)})


def test_local_malformed_line_names_file_and_line(tmp_path):
    source = copy_task(tmp_path, "xnli")
    path = tmp_path / "xnli" / "dev-en.tsv"
    path.write_text(path.read_text() + "only one field\n")
    with pytest.raises(ValueError, match=f"{path}:4: expected 2 or 3"):
        load_split(registry.get("xnli"), "validation", "en", source)


def test_local_stripped_test_labels_are_refused(tmp_path):
    source = copy_task(tmp_path, "panx")
    (tmp_path / "panx" / "test-de.tsv").write_text("Anna\nlives\n\nBerlin\n")
    with pytest.raises(ValueError, match="test-de.tsv:1: .*removes test labels"):
        load_split(registry.get("panx"), "test", "de", source)
    source = copy_task(tmp_path, "xquad")
    path = tmp_path / "xquad" / "xquad.de.json"
    data = json.loads(path.read_text())
    for doc in data["data"]:
        for qa in doc["paragraphs"][0]["qas"]:
            qa["answers"] = [{"answer_start": 0, "text": ""}]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="every answer is empty"):
        load_split(registry.get("xquad"), "test", "de", source)


def test_local_sorted_tatoeba_is_refused(tmp_path):
    (tmp_path / "tatoeba").mkdir()
    (tmp_path / "tatoeba" / "de-en.de").write_text("b\na\n")
    (tmp_path / "tatoeba" / "de-en.en").write_text("a\nb\n")
    with pytest.raises(FileNotFoundError, match="sorts the English side"):
        load_split(registry.get("tatoeba"), "test", "de", {"type": "local", "path": str(tmp_path)})


def test_local_xnli_reads_the_original_release(tmp_path):
    release = tmp_path / "xnli" / "XNLI-1.0"
    release.mkdir(parents=True)
    header = [
        "language",
        "gold_label",
        "sentence1_binary_parse",
        "sentence2_binary_parse",
        "sentence1_parse",
        "sentence2_parse",
        "sentence1",
        "sentence2",
        "promptID",
        "pairID",
        "genre",
        "label1",
    ]
    rows = [
        ["de", "neutral", "", "", "", "", "Ein Satz.", "Noch einer.", "1", "1", "x", "neutral"],
        ["en", "entailment", "", "", "", "", "A sentence.", "Another.", "1", "2", "x", "entailment"],
    ]
    (release / "xnli.test.tsv").write_text("\n".join("\t".join(r) for r in [header] + rows) + "\n")
    raw = load_split(registry.get("xnli"), "test", "de", {"type": "local", "path": str(tmp_path)})
    assert raw.to_list() == [
        {"language": "de", "sentence1": "Ein Satz.", "sentence2": "Noch einer.", "gold_label": "neutral"}
    ]


@pytest.mark.parametrize("source", [HUB, LOCAL], ids=["hub", "local"])
def test_siqa_copa_xcopa_labels_become_choice_indices(source):
    """Social IQa's labels count from 1 (its release keeps them in train-labels.lst); COPA's and XCOPA's from 0."""
    siqa = canonical("siqa", load_split(registry.get("siqa"), "train", "en", source))
    assert siqa["label"] == [0, 1] and len(siqa[0]["choices"]) == 3
    assert siqa[1]["context"] == "Riley lent Sam a pen for the exam. Why did Riley do this?"
    copa = canonical("copa", load_split(registry.get("copa"), "validation", "en", source))
    assert copa["label"] == [0, 0, 1] and copa[2]["context"] == "I tipped the bottle. effect"
    xcopa = canonical("xcopa", load_split(registry.get("xcopa"), "test", "it", source))
    assert xcopa["label"] == [0, 0, 1] and all(MARK in c for row in xcopa["choices"] for c in row)


def test_local_siqa_labels_must_match_the_examples(tmp_path):
    source = copy_task(tmp_path, "socialiqa-train-dev")
    labels = tmp_path / "socialiqa-train-dev" / "dev-labels.lst"
    labels.write_text("1\n")
    with pytest.raises(ValueError, match=f"{labels}: 1 labels for the 2 examples"):
        load_split(registry.get("siqa"), "validation", "en", source)
    labels.write_text("1\n4\n")
    with pytest.raises(ValueError, match=f"{labels}:2: unknown label '4'"):
        load_split(registry.get("siqa"), "validation", "en", source)


def test_local_xcopa_without_labels_and_english_are_refused(tmp_path):
    source = copy_task(tmp_path, "xcopa")
    path = tmp_path / "xcopa" / "data" / "it" / "test.it.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "label"}) + "\n" for r in rows))
    with pytest.raises(ValueError, match=f"{path}:1: missing key 'label'"):
        load_split(registry.get("xcopa"), "test", "it", source)
    with pytest.raises(FileNotFoundError, match="data/en/test.en.jsonl"):  # English is COPA, not XCOPA
        load_split(registry.get("xcopa"), "test", "en", source)


# ------------------------------------------------------------------------------------------- CCGbank
def test_ccgbank_supertags_are_the_leaf_categories():
    from xstilts.sources.ccgbank import read_auto

    sentences = read_auto(FIXTURES / "local" / "ccgbank" / "data" / "AUTO" / "00" / "wsj_0001.auto")
    assert sentences[0] == (["The", "cat", "chases", "mice"], ["NP[nb]/N", "N", "(S[dcl]\\NP)/NP", "N"])
    assert len(sentences) == 2


def test_ccgbank_standard_splits():
    from xstilts.sources.ccgbank import load

    root = FIXTURES / "local" / "ccgbank"
    assert len(load(root, "train")) == 2 * 20  # sections 02-21, two sentences each
    assert len(load(root, "validation")) == 2 and len(load(root, "test")) == 2


def test_ccgbank_errors_name_file_line_and_section(tmp_path):
    from xstilts.sources.ccgbank import load, read_auto

    bad = tmp_path / "wsj_0001.auto"
    bad.write_text("ID=wsj_0001.1 PARSER=GOLD NUMPARSE=1\n(<T S 0 1> no leaves here)\n")
    with pytest.raises(ValueError, match=f"{bad}:2: not a CCGbank derivation"):
        read_auto(bad)
    (tmp_path / "data" / "AUTO" / "00").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="section 02 missing"):
        load(tmp_path, "train")
