"""Snakemake's own linter finds nothing in the workflow (conda on every rule, log on every rule, ...)."""

import subprocess
import sys

from workflow_helpers import REPO, snakemake_env


def test_snakemake_lint_is_clean():
    run = subprocess.run(
        [sys.executable, "-m", "snakemake", "--lint", "--directory", str(REPO)],
        cwd=REPO,
        env=snakemake_env(REPO),
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    assert "Lints for" not in output, output[-3000:]


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *argv], cwd=REPO, capture_output=True, text=True, timeout=300)


PYTHON_TREE = ("src", "tests", "workflow", "benchmarks")


def test_ruff_lint_is_clean():
    """The rules chosen in pyproject.toml ([tool.ruff.lint]) find nothing."""
    run = _run("ruff", "check", *PYTHON_TREE)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]


def test_ruff_format_leaves_the_tree_unchanged():
    run = _run("ruff", "format", "--check", "--diff", *PYTHON_TREE)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]


def test_snakefmt_leaves_the_rules_unchanged():
    run = _run("snakefmt", "--check", "--diff", "Snakefile", "workflow/rules")
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
