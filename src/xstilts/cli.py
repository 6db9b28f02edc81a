"""The ``xstilts`` command: the package's functions for people (the workflow calls the same functions)."""

from __future__ import annotations

import argparse
import json
import sys


def _tasks(args) -> int:
    from xstilts import registry

    for name, spec in registry.tasks().items():
        langs = ",".join(spec.languages) if spec.is_target else "en"
        print(f"{name:14s} {spec.role:12s} {spec.format:16s} {spec.metric:9s} {langs}")
    return 0


def _toy_world(args) -> int:
    from xstilts.toyworld import generate_world

    summary = generate_world(args.out, seed=args.seed, scale=args.scale)
    print(json.dumps({"out": args.out, "files": len(summary["files"])}))
    return 0


def _check_config(args) -> int:
    """Validate a config file (schema + registry + file-system checks) the way the workflow does, without
    running it. Every refusal is one message naming the file, key or path; exit status 2."""
    from pathlib import Path

    from snakemake.utils import update_config

    from xstilts import config as xcfg

    repo = Path(args.workflow_dir)
    merged = {}
    try:
        for path in [repo / "config.yaml", *args.configfile]:
            update_config(merged, xcfg.read_config_file(path))  # --configfile semantics
        xcfg.validate_config(merged, repo / "workflow/schemas/config.schema.yaml")
        xcfg.check(merged, repo)
    except (xcfg.ConfigError, KeyError, ValueError, OSError) as err:  # the checks' errors name key/file/path
        print(f"xstilts check-config: {err}", file=sys.stderr)
        return 2
    print("config OK")
    return 0


def _plan(args) -> int:
    """Every job a run would start and the settings that decide its output, from Snakemake's own DAG."""
    from xstilts import plan

    try:
        jobs = plan.plan(args.configfile, args.workflow_dir, forceall=args.forceall)
    except Exception as err:  # a config error raised while Snakemake parses the workflow
        cause = err
        while cause.__cause__ is not None or cause.__context__ is not None:
            cause = cause.__cause__ or cause.__context__
        print(f"xstilts plan: {cause}", file=sys.stderr)
        return 2
    print(json.dumps(jobs, indent=1) if args.json else plan.summary(jobs))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xstilts", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("tasks", help="list the task registry")
    p.set_defaults(func=_tasks)

    p = sub.add_parser("toy-world", help="generate the toy multilingual world")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--scale", type=float, default=1.0)
    p.set_defaults(func=_toy_world)

    p = sub.add_parser("check-config", help="validate config.yaml plus --configfile overrides without running")
    p.add_argument("--configfile", nargs="*", default=[])
    p.add_argument("--workflow-dir", default=".")
    p.set_defaults(func=_check_config)

    p = sub.add_parser("plan", help="show every job a run would start and the settings that decide its output")
    p.add_argument("--configfile", nargs="*", default=[], help="config files merged into config.yaml, as snakemake's")
    p.add_argument("--workflow-dir", default=".", help="the directory holding the Snakefile")
    p.add_argument("--json", action="store_true", help="one JSON object per job: rule, wildcards, settings")
    p.add_argument("--forceall", action="store_true", help="every job of the grid, also those already done")
    p.set_defaults(func=_plan)

    from xstilts.metrics.cli import register as register_score

    register_score(sub)
    from xstilts.report_cli import register as register_summary

    register_summary(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
