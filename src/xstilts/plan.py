"""``xstilts plan``: what a run will do, read off Snakemake's own DAG before anything runs.

The jobs come from Snakemake (the same DAG a dry run builds, through its Python API), and a job's settings
are its rule's ``params:``, i.e. exactly what decides its output and triggers its rerun; nothing here
re-implements the rules' logic. For training jobs the settings also say which model or encoder they start
from.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

TRAINING_RULES = ("pretrain", "train_intermediate", "train_target")


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def plan(
    configfiles: list[str], workflow_dir: str | Path = ".", forceall: bool = False, config: dict | None = None
) -> list[dict]:
    """One ``{"rule", "wildcards", "settings"}`` per job Snakemake would run (every job with ``forceall``)."""
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import (
        ConfigSettings,
        DAGSettings,
        OutputSettings,
        Quietness,
        ResourceSettings,
        StorageSettings,
    )

    workflow_dir = Path(workflow_dir).resolve()
    with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
        workflow_api = api.workflow(
            resource_settings=ResourceSettings(cores=1),
            config_settings=ConfigSettings(configfiles=[Path(f).resolve() for f in configfiles], config=config or {}),
            storage_settings=StorageSettings(),
            snakefile=workflow_dir / "Snakefile",
            workdir=workflow_dir,
        )
        workflow_api.dag(DAGSettings(forceall=forceall))
        # The DAG API offers printing (dry run, --dag, --summary) but not the job objects; these are the steps
        # its own printdag() takes (snakemake 9.27, pinned in pyproject.toml).
        workflow = workflow_api._workflow
        workflow._prepare_dag(forceall=forceall, ignore_incomplete=True, lock_warn_only=True)
        workflow._build_dag()
        workflow.async_run(workflow.dag.postprocess(update_needrun=True))
        wf_config = workflow.config
        jobs = sorted(workflow.dag.needrun_jobs(), key=lambda j: (j.rule.name, sorted(j.wildcards_dict.items())))
        return [_describe(job, wf_config) for job in jobs]


def _describe(job, config: dict) -> dict:
    settings = {k: v for k, v in job.params.items()}
    if job.rule.name in TRAINING_RULES:
        base = f"{config['results_dir']}/model/base"
        encoder = settings.get("encoder")
        if job.rule.name == "pretrain":
            settings["starts_from"] = "random initialisation (toy architecture)"
        elif encoder == base and config["model"]["source"] == "pretrained":
            revision = config["model"].get("revision")
            settings["starts_from"] = config["model"]["name_or_path"] + (f"@{revision}" if revision else "")
        elif encoder == base:
            settings["starts_from"] = f"the pretrained toy model ({base})"
        else:
            settings["starts_from"] = encoder
    if job.rule.name == "evaluate":  # a cell may evaluate the model of a target trained identically
        settings["model"] = str(job.input["model"])
    return {"rule": job.rule.name, "wildcards": dict(job.wildcards_dict), "settings": _jsonable(settings)}


def _cell(wildcards: dict) -> str:
    return "/".join(str(v) for v in wildcards.values()) or "-"


def summary(jobs: list[dict]) -> str:
    """Jobs per rule; per training rule, each distinct setting set with the cells that use it."""
    by_rule: dict[str, list[dict]] = defaultdict(list)
    for job in jobs:
        by_rule[job["rule"]].append(job)
    lines = [f"{len(jobs)} jobs"]
    for rule, rule_jobs in by_rule.items():
        lines.append(f"\n{rule}: {len(rule_jobs)} job{'s' * (len(rule_jobs) != 1)}")
        if rule == "evaluate":
            lines.extend(_shared_models(rule_jobs))
        if rule not in TRAINING_RULES:
            continue
        groups: dict[str, list[str]] = defaultdict(list)
        for job in rule_jobs:
            key = {k: v for k, v in job["settings"].items() if k not in ("encoder", "starts_from", "tasks")}
            groups[json.dumps(key, sort_keys=True)].append(_cell(job["wildcards"]))
        for key, cells in groups.items():
            shown = ", ".join(cells[:8]) + (f", ... ({len(cells)} in all)" if len(cells) > 8 else "")
            lines.append(f"  {len(cells)} x {key}")
            lines.append(f"      {shown}")
    return "\n".join(lines)


def _shared_models(evaluate_jobs: list[dict]) -> list[str]:
    """Cells that evaluate the model trained for another target (the same training, run once)."""
    shared: dict[str, list[str]] = defaultdict(list)
    for job in evaluate_jobs:
        target, model = job["wildcards"]["target"], Path(job["settings"]["model"])
        trained_for = model.parts[-3]  # .../target/ROW/TARGET/seedK/model
        if trained_for != target:
            shared[f"{target} evaluates the {trained_for} model (identical training)"].append(
                f"{job['wildcards']['row']}/{job['wildcards']['seed']}"
            )
    return [f"  {len(cells)} x {what}: rows/seeds {', '.join(cells)}" for what, cells in shared.items()]
