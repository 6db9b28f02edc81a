"""``xstilts score``: official XTREME / XTREME-R metrics for one file pair or a whole submission.

    xstilts score TASK --lang LANG --gold FILE --pred FILE
    xstilts score --benchmark {xtreme,xtreme-r} --gold-dir DIR --pred-dir DIR [--tasks a,b]

Prints one JSON object on stdout. Bad input prints ``error: FILE:LINE: ...``
on stderr and exits with status 2 (as argparse does for bad usage).
Suspicious input that still scores (a label outside the task's label set, a
Tatoeba index out of range, ...) prints ``FILE:LINE: warning: ...`` on
stderr; the numbers and the exit status are those without the warning.

Tagging (udpos, panx): ``--tagging-scorer seqeval-0.0.12`` (default) reads
tags without a B-/I- prefix (UPOS) as seqeval 0.0.12 did when XTREME was
published, which its evaluate_test.py expects; ``seqeval-1.2`` as today's
seqeval does. IOB tags (PAN-X) score the same under both.
"""

from __future__ import annotations

import argparse
import json
import sys

from .errors import ScoreInputError
from .tagging import DEFAULT_TAGGING_SCORER, TAGGING_SCORERS
from .tasks import ALL_TASKS, BENCHMARKS

EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "task",
        nargs="?",
        choices=ALL_TASKS,
        metavar="TASK",
        help=f"task to score one file pair of: {', '.join(ALL_TASKS)}",
    )
    parser.add_argument("--lang", help="language code of the file pair (needed for mlqa normalisation)")
    parser.add_argument("--gold", help="gold file in XTREME format")
    parser.add_argument("--pred", help="prediction file in XTREME format")
    parser.add_argument(
        "--benchmark", choices=list(BENCHMARKS), help="score a whole submission (TASK/test-LANG.tsv|json|jsonl) instead"
    )
    parser.add_argument("--gold-dir", help="gold submission directory (with --benchmark)")
    parser.add_argument("--pred-dir", help="prediction submission directory (with --benchmark)")
    parser.add_argument("--tasks", help="comma-separated subset of tasks (with --benchmark; default all)")
    parser.add_argument(
        "--languages",
        choices=["gold", "benchmark"],
        default="gold",
        help="with --benchmark: score the languages the gold directory holds (default), "
        "or exactly the benchmark's list (a missing file is an error)",
    )
    parser.add_argument(
        "--tagging-scorer",
        choices=TAGGING_SCORERS,
        default=DEFAULT_TAGGING_SCORER,
        help="how udpos/panx chunks are read (default %(default)s, as XTREME published)",
    )


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``score`` subcommand to an argparse subparsers object."""
    parser = subparsers.add_parser(
        "score",
        help="compute official XTREME / XTREME-R metrics",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def _usage_error(message: str) -> int:
    print(f"xstilts score: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Execute ``score`` for parsed arguments; returns the exit status."""
    # Imported here so that `xstilts --help` does not load the scorers.
    from .benchmark import score_benchmark
    from .scoring import score_files

    tagging_scorer = getattr(args, "tagging_scorer", DEFAULT_TAGGING_SCORER)
    try:
        if args.benchmark:
            if args.task or args.gold or args.pred:
                return _usage_error("--benchmark takes --gold-dir/--pred-dir, not TASK/--gold/--pred")
            if not (args.gold_dir and args.pred_dir):
                return _usage_error("--benchmark needs --gold-dir and --pred-dir")
            tasks = [t.strip() for t in args.tasks.split(",") if t.strip()] if args.tasks else None
            result = score_benchmark(
                args.gold_dir,
                args.pred_dir,
                tasks,
                benchmark=args.benchmark,
                language_source=getattr(args, "languages", "gold"),
                tagging_scorer=tagging_scorer,
                on_warning=_warn,
            )
        else:
            if not args.task:
                return _usage_error("give TASK (with --gold/--pred) or --benchmark xtreme|xtreme-r")
            if args.gold_dir or args.pred_dir or args.tasks:
                return _usage_error("--gold-dir/--pred-dir/--tasks need --benchmark")
            if not (args.gold and args.pred):
                return _usage_error("TASK needs --gold FILE and --pred FILE")
            result = score_files(
                args.task, args.lang, args.gold, args.pred, tagging_scorer=tagging_scorer, on_warning=_warn
            )
    except ScoreInputError as err:
        return _usage_error(str(err))
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point taking the same arguments as ``xstilts score``."""
    parser = argparse.ArgumentParser(
        prog="xstilts score", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
