"""Provenance names the machine a number came from, down to the CPU's kernels (the same seed scores differently)."""

from __future__ import annotations

import json
import platform

import torch

from xstilts.provenance import Record, cpu_model


def test_cpu_model_is_read_from_cpuinfo(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9654 96-Core\nflags\t: fpu\n")
    assert cpu_model(cpuinfo) == "AMD EPYC 9654 96-Core"


def test_cpu_model_falls_back_without_cpuinfo(tmp_path):
    assert cpu_model(tmp_path / "absent") == (platform.processor() or platform.machine())


def test_record_names_cpu_and_kernel_capability(tmp_path):
    path = tmp_path / "provenance.json"
    Record("evaluate", {"task": "xnli"}, seed=0).finish(path)
    written = json.loads(path.read_text())
    assert written["cpu"] == cpu_model() and written["cpu"]
    assert written["cpu_capability"] == torch.backends.cpu.get_cpu_capability()
    assert written["device"] == "cpu" and written["seed"] == 0
