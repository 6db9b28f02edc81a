"""Snakemake's own linter finds nothing in the workflow (conda on every rule, log on every rule, ...)."""

import subprocess
import sys

from workflow_helpers import REPO, snakemake_env


def test_snakemake_lint_is_clean():
    run = subprocess.run([sys.executable, "-m", "snakemake", "--lint", "--directory", str(REPO)], cwd=REPO,
                         env=snakemake_env(REPO), capture_output=True, text=True, timeout=300)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    assert "Lints for" not in output, output[-3000:]
