"""Every task format end to end on a tiny randomly initialised XLM-R: canonical columns, features,
training through the shared loop, prediction in XTREME's formats, and scoring."""

import itertools
import json
import random

import pytest
import torch
from datasets import Dataset
from transformers import AutoTokenizer

from xstilts import jobs, registry
from xstilts.formats import get_format
from xstilts.settings import RuntimeSettings

CPU = RuntimeSettings(device="cpu")


def _nli(n, rng):
    rows = []
    for i in range(n):
        label = rng.randrange(3)
        word = ["good", "red", "bad"][label]  # a lexical cue decides the label: learnable in a few steps
        rows.append(
            {
                "premise": f"Anna sat in Paris {rng.randrange(100)}",
                "hypothesis": f"the {word} {rng.randrange(100)}",
                "label": label,
                "idx": i,
            }
        )
    return rows


def _hellaswag(n, rng):
    rows = []
    for i in range(n):
        label = rng.randrange(4)
        endings = [f"bad ending {j}" for j in range(4)]
        endings[label] = "good ending"
        rows.append(
            {
                "ind": i,
                "activity_label": "x",
                "ctx_a": "Anna went to Paris .",
                "ctx_b": "then she",
                "ctx": "Anna went to Paris . then she",
                "endings": endings,
                "source_id": "s",
                "split": "train",
                "split_type": "indomain",
                "label": str(label),
            }
        )
    return rows


def _squad(n, rng):
    rows = []
    for i in range(n):
        filler = " ".join(rng.choice(["ka", "lo", "mi", "ne"]) for _ in range(rng.randint(5, 60)))
        answer = str(rng.randrange(1000, 3000))
        context = f"{filler} Anna came in {answer} . {filler}"
        rows.append(
            {
                "id": f"q{i}",
                "title": "t",
                "context": context,
                "question": "when did Anna come ?",
                "answers": {"text": [answer], "answer_start": [context.index(answer)]},
            }
        )
    return rows


def _udpos(n, rng):
    rows = []
    for _ in range(n):
        tokens = ["the", rng.choice(["lo", "mi", "ne"]), "in", "Paris"]
        rows.append({"tokens": tokens, "pos_tags": ["DET", "NOUN", "ADP", "PROPN"]})
    return rows


def _ccg(n, rng):
    return [{"tokens": ["Anna", "sat"], "tags": ["NP", "S[dcl]\\NP"]} for _ in range(n)]


CASES = {"mnli": _nli, "hellaswag": _hellaswag, "squad": _squad, "udpos": _udpos, "ccg": _ccg}


def _materialise(tmp_path, task, tokenizer_dir, split, rows, max_length):
    spec = registry.get(task)
    fmt = get_format(spec.format)
    data = fmt.canonicalize(Dataset.from_list(rows), spec, list(spec.labels) if spec.labels else None)
    data.save_to_disk(str(tmp_path / "data" / split / "en"))
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    features = fmt.featurize(data, tokenizer, spec, max_length, train=(split == "train"))
    features.save_to_disk(str(tmp_path / "features" / split / "en"))
    return str(tmp_path / "data" / split), str(tmp_path / "features" / split)


@pytest.mark.parametrize("task", sorted(CASES))
def test_format_trains_and_predicts(task, tiny_encoder, tmp_path):
    rng = random.Random(0)
    spec = registry.get(task)
    max_length = 48 if spec.format == "span_qa" else 32
    _, train_features = _materialise(tmp_path, task, tiny_encoder, "train", CASES[task](96, rng), max_length)
    dev_data, dev_features = _materialise(tmp_path, task, tiny_encoder, "validation", CASES[task](32, rng), max_length)
    hp = {
        "learning_rate": 3e-3,
        "batch_size": 16,
        "grad_accum": 1,
        "epochs": 12,
        "warmup_ratio": 0.1,
        "weight_decay": 0.0,
    }
    summary = jobs.train_model(
        [task],
        tiny_encoder,
        {task: train_features},
        {task: dev_features},
        {task: dev_data},
        hp,
        seed=0,
        out_dir=str(tmp_path / "out"),
        save="model",
        runtime=RuntimeSettings(device="cpu", eval_batch_size=16, log_every=10),
    )
    metrics = json.loads((tmp_path / "out" / "dev_metrics.json").read_text())
    dev = metrics["dev"][task]
    from datasets import load_from_disk

    n_features = len(load_from_disk(train_features + "/en"))  # QA: overflow windows add features
    assert summary["steps"] == 12 * -(-n_features // 16)
    assert (tmp_path / "out" / "model" / "model.safetensors").exists()
    assert len(summary["dev_history"]) == 12  # once per epoch
    chance = {"classification": 100 / 3, "multiple_choice": 25.0, "tagging": 25.0, "span_qa": 5.0}[spec.format]
    assert dev["score"] > chance + 10, dev  # the tiny model learns the planted cue
    # the recorded dev score is the selected step's; the saved weights give it again
    selected = next(h for h in summary["dev_history"] if h["step"] == summary["selected_step"])
    assert selected["tasks"][task] == dev
    from xstilts.prepared import load_prepared

    fmt_model = get_format(spec.format)
    labels = metrics["labels"][task]
    model = fmt_model.build_model(str(tmp_path / "out" / "model"), spec, labels)
    tokenizer = AutoTokenizer.from_pretrained(str(tmp_path / "out" / "model"))
    dev_set = fmt_model.attach_labels(load_prepared(dev_features, "en"), labels)
    examples = load_prepared(dev_data, "en")
    pred = fmt_model.predict(model, tokenizer, dev_set, examples, spec, labels, 16, torch.device("cpu"))
    assert fmt_model.dev_score(pred, fmt_model.gold(examples, spec, labels), spec) == dev


LIBRARY_COLLATORS = {
    "classification": "DataCollatorWithPadding",
    "span_qa": "DataCollatorWithPadding",
    "tagging": "DataCollatorForTokenClassification",
    "multiple_choice": "DataCollatorForMultipleChoice",
}


def _assert_same_batch(ours, theirs):
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        assert ours[key].dtype == theirs[key].dtype, key
        assert torch.equal(ours[key], theirs[key]), key


@pytest.mark.parametrize("task", sorted(CASES))
def test_padding_gives_the_transformers_collators_tensors(task, tiny_encoder, tmp_path):
    """xstilts.padding replaces transformers' collators for speed; the batches must be the same tensors."""
    import transformers

    from xstilts.prepared import load_prepared
    from xstilts.training import MODEL_COLUMNS

    spec = registry.get(task)
    fmt = get_format(spec.format)
    _, features_dir = _materialise(tmp_path, task, tiny_encoder, "train", CASES[task](40, random.Random(1)), 48)
    features = load_prepared(features_dir, "en")
    features = fmt.attach_labels(features, fmt.label_inventory(features, spec))
    columns = features.select_columns([c for c in MODEL_COLUMNS if c in features.column_names]).to_dict()
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    flat = [
        seq for row in rows for seq in (row["input_ids"] if spec.format == "multiple_choice" else [row["input_ids"]])
    ]
    assert task == "ccg" or len({len(seq) for seq in flat}) > 1  # padding is exercised (_ccg has one length)
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    library = getattr(transformers, LIBRARY_COLLATORS[spec.format])(tokenizer)
    for start in range(0, len(rows), 7):
        _assert_same_batch(fmt.collator(tokenizer)(rows[start : start + 7]), library(rows[start : start + 7]))


def test_padding_of_queries_and_candidates_matches_the_tokenizer(tiny_encoder):
    from xstilts.padding import PadToLongest

    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    rng = random.Random(0)
    rows = []
    for _ in range(9):
        query, candidate = tokenizer("Anna " * rng.randint(1, 9)), tokenizer("Paris " * rng.randint(1, 9))
        rows.append(
            {
                "input_ids": query["input_ids"],
                "attention_mask": query["attention_mask"],
                "candidate_input_ids": candidate["input_ids"],
                "candidate_attention_mask": candidate["attention_mask"],
            }
        )
    ours = PadToLongest(tokenizer)(rows)
    for prefix in ("", "candidate_"):
        theirs = tokenizer.pad(
            [{"input_ids": r[prefix + "input_ids"], "attention_mask": r[prefix + "attention_mask"]} for r in rows],
            return_tensors="pt",
        )
        _assert_same_batch(
            {k: ours[prefix + k] for k in ("input_ids", "attention_mask")},
            {k: theirs[k] for k in ("input_ids", "attention_mask")},
        )
    with pytest.raises(KeyError, match="offsets"):
        PadToLongest(tokenizer)([{"input_ids": [0, 2], "offsets": [[0, 1]]}])


def test_best_span_keeps_valid_spans_only_and_equals_the_pairwise_search():
    import numpy as np

    from xstilts.formats.span_qa import MAX_ANSWER_TOKENS, TOP_N, best_span

    # tokens 0-1 are the question (offset -1); the best pair overall ends before it starts
    offsets = np.array([[-1, -1], [-1, -1], [0, 4], [5, 9], [10, 14], [15, 19]])
    start = np.array([9.0, 0.0, 1.0, 2.0, 5.0, 0.5], dtype=np.float32)
    end = np.array([0.0, 9.0, 4.0, 3.0, 0.0, 0.25], dtype=np.float32)
    assert best_span(start, end, offsets) == (5.25, 10, 19)  # start 4, end 5; not (0, 1) nor (4, 2)
    assert best_span(start, end, np.full_like(offsets, -1)) is None

    def pairwise(start_logits, end_logits, offsets):  # the double loop best_span replaces
        found = None
        for s in np.argsort(start_logits)[::-1][:TOP_N]:
            for e in np.argsort(end_logits)[::-1][:TOP_N]:
                if offsets[s][0] == -1 or offsets[e][0] == -1 or e < s or e - s + 1 > MAX_ANSWER_TOKENS:
                    continue
                score = float(start_logits[s] + end_logits[e])
                if found is None or score > found[0]:
                    found = (score, int(offsets[s][0]), int(offsets[e][1]))
        return found

    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(3, 80))
        offsets = np.stack([np.arange(n) * 3, np.arange(n) * 3 + 2], axis=1)
        offsets[: int(rng.integers(0, n))] = -1
        start, end = (rng.integers(-3, 3, n).astype(np.float32) for _ in range(2))  # many ties
        assert best_span(start, end, offsets) == pairwise(start, end, offsets)


def test_span_qa_windows_cover_long_contexts(tiny_encoder):
    """A context longer than max_length is split into overlapping windows; the answer is found in one of them."""
    spec = registry.get("squad")
    fmt = get_format("span_qa")
    rows = _squad(20, random.Random(1))
    data = fmt.canonicalize(Dataset.from_list(rows), spec, None)
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    train = fmt.featurize(data, tokenizer, spec, 32, train=True)
    assert len(train) > len(data)  # overflow windows exist
    contexts = {r["id"]: (r["context"], r["answers"]["text"][0]) for r in rows}
    found = set()
    for qid, offsets, s, e in zip(
        train["example_id"], train["offsets"], train["start_positions"], train["end_positions"]
    ):
        if s > 0:
            context, answer = contexts[qid]
            assert context[offsets[s][0] : offsets[e][1]] == answer  # the labelled span is exactly the answer
            found.add(qid)
    assert found == set(contexts)  # every answer is inside at least one window
    evaluation = fmt.featurize(data, tokenizer, spec, 32, train=False)
    assert set(evaluation["example_id"]) == set(data["id"])


def test_bad_label_names_the_row():
    spec = registry.get("xnli")
    fmt = get_format("classification")
    ds = Dataset.from_list([{"sentence1": "a", "sentence2": "b", "gold_label": "maybe", "language": "en"}])
    with pytest.raises(ValueError, match=r"xnli row 0: unknown label 'maybe'"):
        fmt.canonicalize(ds, spec, list(spec.labels))


def test_encoder_passes_on_and_every_task_gets_a_fresh_head(tiny_encoder, tmp_path):
    """An intermediate classification model hands over its encoder only: a QA head (two outputs) builds on
    it, and a target of the same format does not inherit the intermediate classifier."""
    import torch
    from safetensors.torch import load_file

    rng = random.Random(0)
    _, train = _materialise(tmp_path, "mnli", tiny_encoder, "train", _nli(32, rng), 32)
    hp = {
        "learning_rate": 1e-3,
        "batch_size": 16,
        "grad_accum": 1,
        "epochs": 1,
        "warmup_ratio": 0.0,
        "weight_decay": 0.0,
    }
    jobs.train_model(
        ["mnli"], tiny_encoder, {"mnli": train}, {}, {}, hp, 0, str(tmp_path / "inter"), "encoder", runtime=CPU
    )
    encoder = str(tmp_path / "inter" / "encoder")
    saved = load_file(tmp_path / "inter" / "encoder" / "model.safetensors")
    assert not any("classifier" in name for name in saved)
    qa = get_format("span_qa").build_model(encoder, registry.get("squad"), [])
    assert qa.qa_outputs.out_features == 2
    spec = registry.get("xnli")
    torch.manual_seed(1)
    target = get_format("classification").build_model(encoder, spec, list(spec.labels))
    encoder_weight = saved["embeddings.word_embeddings.weight"]
    assert torch.equal(target.roberta.embeddings.word_embeddings.weight, encoder_weight)


@pytest.mark.parametrize("task", ["bucc2018", "tatoeba"])
def test_retrieval_from_an_encoder(task, tiny_encoder, tmp_path):
    """BUCC: margin mining with a dev-tuned threshold applied to test; Tatoeba: 1-NN. Files in XTREME format."""
    from xstilts.metrics import read_pred
    from xstilts.toyworld import generate_world

    generate_world(tmp_path / "world", seed=0, scale=0.1)
    langs = ["qaa", "qab"]
    feature_dirs = {}
    for split in ["dev", "test"] if task == "bucc2018" else ["test"]:
        jobs.prepare(task, split, langs, {"type": "toy"}, str(tmp_path / "data" / split), str(tmp_path / "world"))
        jobs.tokenize(task, split, langs, str(tmp_path / "data" / split), tiny_encoder, 32, str(tmp_path / split))
        feature_dirs[split] = str(tmp_path / split)
    summary = jobs.evaluate_retrieval(
        task,
        tiny_encoder,
        langs,
        feature_dirs["test"],
        feature_dirs.get("dev"),
        layer=-1,
        k=4,
        out_dir=str(tmp_path / "out"),
        batch_size=32,
        device_name="cpu",
    )
    saved = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert saved["score"].keys() == set(langs)
    for lang in langs:
        assert 0 <= summary["score"][lang] <= 100
        pred = read_pred(task, tmp_path / "out" / f"test-{lang}.tsv")
        assert len(pred) > 0
    if task == "bucc2018":
        details = saved["retrieval"]["details"]["qaa"]
        assert isinstance(details["threshold"], float) and 0 <= details["dev_f1"] <= 100


def test_multitask_shares_one_encoder_across_formats(tiny_encoder, tmp_path):
    """Classification, multiple choice and QA heads train together on one encoder; only it is saved."""
    rng = random.Random(0)
    tasks = ["mnli", "hellaswag", "squad"]
    train, dev, dev_data = {}, {}, {}
    for task in tasks:
        _, train[task] = _materialise(tmp_path / task, task, tiny_encoder, "train", CASES[task](48, rng), 48)
        dev_data[task], dev[task] = _materialise(
            tmp_path / task, task, tiny_encoder, "validation", CASES[task](16, rng), 48
        )
    hp = {
        "learning_rate": 1e-3,
        "batch_size": 16,
        "grad_accum": 1,
        "epochs": 1,
        "warmup_ratio": 0.0,
        "weight_decay": 0.0,
    }
    summary = jobs.train_model(
        tasks,
        tiny_encoder,
        train,
        dev,
        dev_data,
        hp,
        0,
        str(tmp_path / "out"),
        "encoder",
        runtime=CPU,
        sampling={"temperature": 2.0, "cap": 40},
    )
    metrics = json.loads((tmp_path / "out" / "dev_metrics.json").read_text())
    assert set(metrics["dev"]) == set(tasks)
    assert summary["dev_history"] and set(summary["dev_history"][-1]["tasks"]) == set(tasks)
    assert (tmp_path / "out" / "encoder" / "model.safetensors").exists()


def test_multitask_schedule_follows_capped_tempered_sizes():
    from xstilts.training import BatchSchedule

    schedule = BatchSchedule([1000, 100], [[5] * 1000, [5] * 100], batch_size=10, seed=0, temperature=1.0, cap=400)
    assert schedule.micro_batches_per_epoch == 40 + 10
    assert schedule.probs == pytest.approx([0.8, 0.2])
    tempered = BatchSchedule([1000, 100], [[5] * 1000, [5] * 100], batch_size=10, seed=0, temperature=2.0)
    assert tempered.probs[1] > 100 / 1100  # temperature flattens the distribution
    draws = [task for task, _ in itertools.islice(iter(schedule), 2000)]
    assert abs(draws.count(1) / len(draws) - 0.2) < 0.04


def _copa(n, rng, lang="en"):
    """COPA's columns; the right alternative carries the planted cue word (XCOPA: the same rows, marked)."""
    rows = []
    for i in range(n):
        label = rng.randrange(2)
        choices = [f"bad ending {rng.randrange(100)}", f"bad ending {rng.randrange(100)}"]
        choices[label] = f"good ending {rng.randrange(100)}"
        suffix = "" if lang == "en" else f" {lang}"
        rows.append(
            {
                "premise": f"Anna sat in Paris{suffix}",
                "choice1": choices[0] + suffix,
                "choice2": choices[1] + suffix,
                "question": rng.choice(["cause", "effect"]),
                "label": label,
                "idx": i,
            }
        )
    return rows


def test_xcopa_predictions_and_gold_score_with_xtreme_r(tiny_encoder, tmp_path, capsys):
    """Train on COPA rows, evaluate on XCOPA rows: the grid's test-L.jsonl files hold {"label": <int>} rows,
    gold and prediction alike, and `xstilts score` (one file pair, and --benchmark xtreme-r) gives the grid's
    numbers (a string label would not equal the gold's integer: accuracy 0)."""
    from xstilts.metrics.cli import main as score

    rng = random.Random(0)
    _, train_features = _materialise(tmp_path / "copa", "copa", tiny_encoder, "train", _copa(96, rng), 32)
    dev_data, dev_features = _materialise(tmp_path / "copa", "copa", tiny_encoder, "validation", _copa(32, rng), 32)
    hp = {
        "learning_rate": 3e-3,
        "batch_size": 16,
        "grad_accum": 1,
        "epochs": 12,
        "warmup_ratio": 0.1,
        "weight_decay": 0.0,
    }
    jobs.train_model(
        ["copa"],
        tiny_encoder,
        {"copa": train_features},
        {"copa": dev_features},
        {"copa": dev_data},
        hp,
        seed=0,
        out_dir=str(tmp_path / "out"),
        save="model",
        runtime=RuntimeSettings(device="cpu", eval_batch_size=16, log_every=10),
    )
    spec, fmt = registry.get("xcopa"), get_format("multiple_choice")
    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    langs = ["qaa", "qab"]
    for lang in langs:
        data = fmt.canonicalize(Dataset.from_list(_copa(40, rng, lang)), spec, list(spec.labels))
        data.save_to_disk(str(tmp_path / "xcopa" / "data" / lang))
        fmt.featurize(data, tokenizer, spec, 32, train=False).save_to_disk(str(tmp_path / "xcopa" / "features" / lang))
    gold_dir, pred_dir = tmp_path / "gold" / "xcopa", tmp_path / "pred" / "xcopa"
    jobs.write_gold("xcopa", langs, str(tmp_path / "xcopa" / "data"), str(gold_dir))
    summary = jobs.evaluate(
        "xcopa",
        str(tmp_path / "out" / "model"),
        langs,
        str(tmp_path / "xcopa" / "features"),
        str(tmp_path / "xcopa" / "data"),
        str(pred_dir),
        batch_size=16,
        device_name="cpu",
    )
    for lang in langs:
        for path in (gold_dir / f"test-{lang}.jsonl", pred_dir / f"test-{lang}.jsonl"):
            rows = [json.loads(line) for line in path.read_text().splitlines()]
            assert len(rows) == 40 and all(set(r) == {"label"} and r["label"] in (0, 1) for r in rows), path
        assert summary["score"][lang] > 60, summary  # the planted cue transfers: int labels match int gold
        assert (
            score(
                [
                    "xcopa",
                    "--lang",
                    lang,
                    "--gold",
                    str(gold_dir / f"test-{lang}.jsonl"),
                    "--pred",
                    str(pred_dir / f"test-{lang}.jsonl"),
                ]
            )
            == 0
        )
        assert json.loads(capsys.readouterr().out)["accuracy"] == summary["metrics"][lang]["accuracy"]
    assert (
        score(
            [
                "--benchmark",
                "xtreme-r",
                "--tasks",
                "xcopa",
                "--gold-dir",
                str(gold_dir.parent),
                "--pred-dir",
                str(pred_dir.parent),
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["tasks"]["xcopa"]["avg_metric"] == pytest.approx(summary["average"])
    assert "xcopa" not in result["missing"] and "xnli" in result["missing"]
