"""``xstilts summary RESULTS_DIR``: the main table of a results tree, in the terminal.

Rows, targets and seeds are discovered from ``RESULTS_DIR/eval/{row}/seed{k}/{target}/metrics.json``, so it
works on any finished (or partly finished) run without its config; nothing is written.
"""

from __future__ import annotations

import sys
from pathlib import Path


def discover(results_dir: Path) -> tuple[list[str], list[str], list[int]]:
    """(rows, targets, seeds) with results, rows in the paper's order: baseline, intermediate tasks, multitask."""
    from xstilts import registry
    from xstilts.layout import find_cells
    from xstilts.metrics.tasks import TASKS

    rows, targets, seeds = set(), set(), set()
    for row, seed, target in find_cells(results_dir):
        rows.add(row)
        seeds.add(seed)
        targets.add(target)
    order = [registry.BASELINE, *registry.intermediate_tasks(), registry.MULTITASK]
    row_list = sorted(rows, key=lambda r: (order.index(r) if r in order else len(order), r))
    target_list = sorted(targets, key=lambda t: (TASKS.index(t) if t in TASKS else len(TASKS), t))
    return row_list, target_list, sorted(seeds)


def benchmark_of(results_dir: Path, targets: list[str]) -> str:
    """The run's benchmark: what its aggregate step recorded (tables/submission_scores.json), else the one
    benchmark that has every target (xtreme when both do)."""
    import json

    from xstilts import registry

    recorded = Path(results_dir) / "tables" / "submission_scores.json"
    if recorded.is_file():
        try:
            return json.loads(recorded.read_text())["benchmark"]
        except (ValueError, KeyError):
            pass
    fits = [b for b in registry.benchmarks() if set(targets) <= set(registry.benchmark_tasks(b))]
    return fits[0] if fits else "xtreme"


def summary_text(results_dir: str | Path, resamples: int = 1000, seed: int = 0, per_language: str | None = None) -> str:
    from xstilts.analysis.bootstrap import run_bootstrap
    from xstilts.analysis.tables import language_table, main_table, read_cells, to_plain

    results_dir = Path(results_dir)
    rows, targets, seeds = discover(results_dir)
    if not rows:
        raise FileNotFoundError(f"{results_dir / 'eval'}: no {{row}}/seed{{k}}/{{target}}/metrics.json found")
    scores = read_cells(results_dir, rows, targets, seeds)
    boot = run_bootstrap(results_dir, rows, targets, seeds, resamples, seed) if resamples > 0 else None
    if per_language:
        if per_language not in targets:
            raise ValueError(f"--per-language {per_language}: no results for it (targets: {', '.join(targets)})")
        table = language_table(scores, boot, per_language, rows, seeds)
    else:
        table = main_table(scores, boot, rows, targets, seeds, benchmark_of(results_dir, targets))
    lines = [
        f"{results_dir}: {len(rows)} rows x {len(targets)} targets, seeds {', '.join(map(str, seeds))}",
        "",
        to_plain(table).rstrip(),
        "",
    ]
    legend = "entries: mean"
    legend += " ± sd over seeds" if len(seeds) > 1 else " (one seed)"
    if boot is not None:
        legend += f"; (difference from none [95% paired-bootstrap CI, {resamples} resamples]); † CI excludes 0"
    legend += "; * best in column; ‡ partial average; — missing"
    lines.append(legend)
    lines += [f"- {note}" for note in dict.fromkeys(table.notes)]
    return "\n".join(lines) + "\n"


def _summary(args) -> int:
    try:
        text = summary_text(args.results_dir, args.resamples, args.seed, args.per_language)
    except (FileNotFoundError, ValueError) as err:
        print(f"xstilts summary: {err}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("summary", help="print the main results table of a results directory")
    p.add_argument("results_dir", help="a run's results_dir (holds eval/ and gold/)")
    p.add_argument(
        "--resamples",
        type=int,
        default=1000,
        help="paired-bootstrap resamples for the confidence intervals (0: no intervals)",
    )
    p.add_argument("--seed", type=int, default=0, help="bootstrap random seed")
    p.add_argument("--per-language", metavar="TARGET", help="print this target's per-language table instead")
    p.set_defaults(func=_summary)
