"""The format protocol is complete: the job layer never asks which format a task has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xstilts.formats import get_format
from xstilts.registry import FORMATS

SRC = Path(__file__).resolve().parents[1] / "src" / "xstilts"
TRAINABLE_PROTOCOL = (
    "canonicalize",
    "featurize",
    "build_model",
    "collator",
    "predict",
    "gold",
    "label_inventory",
    "attach_labels",
    "saved_labels",
    "dev_score",
    "submission",
    "main_metric",
    "shared",
)


@pytest.mark.parametrize("name", [f for f in FORMATS if f != "retrieval"])
def test_every_trainable_format_implements_the_protocol(name):
    module = get_format(name)
    missing = [f for f in TRAINABLE_PROTOCOL if not callable(getattr(module, f, None))]
    assert not missing, f"formats/{name}.py lacks {missing}"


def test_the_job_layer_has_no_format_or_mode_branch():
    text = (SRC / "jobs.py").read_text()
    branches = re.findall(r".*\bspec\.(?:format|mode)\b\s*(?:==|!=|in\b).*", text)
    assert not branches, branches
    assert not re.search(r"\(\s*\"xquad\",\s*\"mlqa\"", text)
