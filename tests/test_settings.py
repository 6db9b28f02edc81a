"""Typed settings: one place for defaults, per-phase meaning, runtime settings apart; QA windows as the reference."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from xstilts import config as xcfg
from xstilts.settings import RuntimeSettings, TrainingSettings

REPO = Path(__file__).resolve().parents[1]


def _config(**overrides):
    from snakemake.utils import update_config, validate

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    update_config(config, overrides)
    validate(config, str(REPO / "workflow" / "schemas" / "config.schema.yaml"))
    return config


def test_schema_and_dataclasses_list_the_same_settings():
    schema = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    assert set(schema["definitions"]["hparams"]["properties"]) == set(TrainingSettings.keys())
    assert not any("default" in p for p in schema["definitions"]["hparams"]["properties"].values())
    runtime = schema["properties"]["runtime"]["properties"]
    assert {k: v["default"] for k, v in runtime.items()} == RuntimeSettings().__dict__


def test_a_setting_that_does_nothing_in_its_phase_is_a_config_error():
    config = _config(hparams={"phase": {"target": {"mlm_probability": 0.2}}})
    with pytest.raises(xcfg.ConfigError, match=r"hparams\.phase\.target\.mlm_probability: has no effect"):
        xcfg.check_settings(config)
    config = _config(model={"toy": {"pretrain": {"eval_every": 5}}})
    with pytest.raises(xcfg.ConfigError, match=r"model\.toy\.pretrain\.eval_every: has no effect in pretraining"):
        xcfg.check_settings(config)


def test_multitask_max_length_is_refused():
    config = _config(hparams={"task": {"multitask": {"max_length": 256}}})
    with pytest.raises(
        xcfg.ConfigError, match=r"hparams\.task\.multitask\.max_length: has no effect on a row of recipe or multitask"
    ):
        xcfg.check_settings(config)


def test_user_layers_override_the_toy_tuning_in_order():
    config = _config(hparams={"default": {"learning_rate": 5e-4}, "cell": {"mnli/xnli": {"epochs": 7}}})
    assert xcfg.hparams_for(config, "intermediate", "mnli")["learning_rate"] == 5e-4  # over toy's phase layer
    assert xcfg.hparams_for(config, "target", "xnli", "mnli/xnli")["epochs"] == 7
    assert xcfg.hparams_for(config, "target", "xnli", "none/xnli")["epochs"] == 2
    assert xcfg.hparams_for(config, "intermediate", "multitask")["epochs"] == 2  # toy's task layer still applies
    assert xcfg.hparams_for(config, "target", "mlqa")["selection"] == "last"


def test_selecting_squad_on_its_dev_with_xquad_as_target_is_refused():
    """SQuAD v1.1 dev holds XQuAD's English test questions: selecting on it would select on test."""
    config = _config(
        model={"source": "pretrained", "name_or_path": "xlm-roberta-large"},
        data={"source": {"type": "hub"}, "tasks": {"ccg": {"type": "toy"}, "bucc2018": {"type": "toy"}}},
        hparams={"default": {"selection": "best_dev"}},
    )
    with pytest.raises(xcfg.ConfigError, match=r"squad.*XQuAD.*selection: last"):
        xcfg.check_settings(config)
    config["hparams"]["task"] = {"squad": {"selection": "last"}, "multitask": {"selection": "last"}}
    xcfg.check_settings(config)  # no error


@pytest.mark.parametrize("max_length", [384, 256, 128])
def test_qa_windows_start_every_doc_stride_tokens(tiny_encoder, max_length):
    """Window count of long contexts against the reference formula (HF squad_convert_example_to_features /
    jiant squad_style: starts at 0, doc_stride, 2 doc_stride, ... until a window reaches the end)."""
    from datasets import Dataset
    from transformers import AutoTokenizer

    from xstilts import registry
    from xstilts.formats import span_qa

    tokenizer = AutoTokenizer.from_pretrained(tiny_encoder)
    rng = random.Random(0)
    syll = ["ka", "lo", "mi", "ne", "su", "ta"]
    rows = []
    for i in range(12):
        words = [rng.choice(syll) + rng.choice(syll) for _ in range(rng.randint(50, 900))]
        context = " ".join(words)
        question = " ".join(rng.choice(syll) for _ in range(rng.randint(2, 90)))
        rows.append(
            {
                "id": f"q{i}",
                "title": "t",
                "context": context,
                "question": question,
                "answers": {"text": [words[0]], "answer_start": [0]},
            }
        )
    spec = registry.get("squad")
    data = span_qa.canonicalize(Dataset.from_list(rows), spec, None)
    features = span_qa.featurize(data, tokenizer, spec, max_length, train=True)
    special = tokenizer.num_special_tokens_to_add(pair=True)
    limit = span_qa.max_question_tokens(max_length)
    for row in rows:
        q_tokens = len(tokenizer(row["question"], add_special_tokens=False)["input_ids"])
        c_tokens = len(tokenizer(row["context"], add_special_tokens=False)["input_ids"])
        q = min(q_tokens, limit)
        expected = span_qa.window_count(c_tokens, q, max_length, special)
        room = max_length - q - special
        assert expected == (1 if c_tokens <= room else 1 + -(-(c_tokens - room) // span_qa.doc_stride(max_length)))
        assert features["example_id"].count(row["id"]) == expected, (row["id"], c_tokens, q)
    assert span_qa.doc_stride(384) == 128  # XTREME's doc_stride at its max_seq_length
    # window k of an example holds the context tokens from k * doc_stride on
    full = tokenizer(rows[0]["context"], add_special_tokens=False)["input_ids"]
    step = span_qa.doc_stride(max_length)
    windows = [
        [t for t, o in zip(ids, offsets) if o[0] != -1]
        for ids, offsets, e in zip(features["input_ids"], features["offsets"], features["example_id"])
        if e == "q0"
    ]
    assert len(windows) > 2
    for k, window in enumerate(windows):
        assert window == full[k * step : k * step + len(window)], k
    assert k * step + len(windows[-1]) == len(full)  # the last window reaches the end of the context
