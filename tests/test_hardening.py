"""Hardening (issue 12): a private warm-start socket, config checks that catch what fails later, data errors
that name the file and line.

The warm-start tests start the real server (``xstilts.warmstart.start``, as the workflow's ``onstart`` does)
and, for the run-level cases, a one-rule Snakefile whose hooks are the workflow's (``start_for_workflow`` /
``stop_for_workflow``) with TMPDIR pointed at a private directory, so that "nothing left behind" is checked
on a directory no one else writes to.
"""

from __future__ import annotations

import os
import pickle
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xstilts import warmstart

REPO = Path(__file__).resolve().parents[1]
NOBODY = 65534


def _wait_for(predicate, timeout=30.0, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A server without the torch preload (what is tested here is the socket, not the imports)."""
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    srv = warmstart.start(preload_modules=False)
    assert srv is not None, "the warm-start server did not come up"
    yield srv
    srv.stop()


# ------------------------------------------------------------------------------------- 1. warm-start socket
def test_socket_is_private_even_under_umask_000(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    previous = os.umask(0)
    try:
        srv = warmstart.start(preload_modules=False)
    finally:
        os.umask(previous)
    try:
        assert Path(srv.directory).parent == tmp_path
        assert stat.S_IMODE(os.stat(srv.directory).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(srv.path).st_mode) == 0o600
        assert stat.S_ISSOCK(os.stat(srv.path).st_mode)
    finally:
        srv.stop()
    assert not Path(srv.directory).exists()


def _as_nobody(action) -> int:
    """Run ``action()`` in a forked child under uid 65534; its exit status."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 99
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            code = action()
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


class _Marker:
    """Unpickling this creates a file: the proof that the server ran what it was sent."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def _send_payload(path: str, marker: Path) -> int:
    """Act as a client that sends a pickle that runs code when loaded; 0 = refused, 1 = server answered."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except PermissionError:
        return 3
    payload = pickle.dumps({"smk": _Marker(marker), "job": None})
    try:
        socket.send_fds(conn, [b"x"], [0, 1, 2])
        conn.sendall(warmstart._HEADER.pack(len(payload)) + payload)
        answer = conn.recv(4)
    except (BrokenPipeError, ConnectionResetError):
        return 0
    return 0 if answer == b"" else 1


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="switching to another uid needs root")


@needs_root
def test_other_user_cannot_reach_the_socket(server, tmp_path):
    marker = tmp_path / "payload-ran"
    assert _as_nobody(lambda: _send_payload(server.path, marker)) == 3  # the 0700 directory stops uid 65534
    assert not marker.exists()


@pytest.fixture
def open_tmp(monkeypatch):
    """A temp directory that uid 65534 can traverse (pytest's tmp_path sits under a 0700 directory)."""
    import shutil
    import tempfile

    base = tempfile.mkdtemp(prefix="xstilts-test-open-", dir="/tmp")
    os.chmod(base, 0o755)
    monkeypatch.setattr(tempfile, "tempdir", base)
    yield Path(base)
    shutil.rmtree(base)


@needs_root
def test_server_refuses_another_uid_before_reading(open_tmp, capfd):
    srv = warmstart.start(preload_modules=False)  # started here, so that capfd holds its stderr
    try:
        # open the file-system layer up (as a wrong umask or a shared directory would) to reach the peer check
        os.chmod(srv.directory, 0o755)
        os.chmod(srv.path, 0o777)
        marker = open_tmp / "payload-ran"
        assert _as_nobody(lambda: _send_payload(srv.path, marker)) == 0
        time.sleep(0.5)  # a forked child would have had time to unpickle
        assert not marker.exists(), "the server unpickled a request from another uid"
        assert f"refused a connection from uid {NOBODY}" in capfd.readouterr().err
        # ... while our own uid is served: the same payload from us does run (so the check above can fail)
        assert _send_payload(srv.path, marker) == 1
        assert marker.exists()
    finally:
        srv.stop()


def test_own_jobs_run_in_the_forked_server(server, tmp_path, monkeypatch):
    from types import SimpleNamespace

    out = tmp_path / "ran"
    monkeypatch.setenv(warmstart.ENV_VAR, server.path)

    def job(smk):  # defined here so that cloudpickle sends it by value
        Path(smk.output).write_text(f"{os.getppid()}")

    assert warmstart.submit(SimpleNamespace(output=str(out), log=[], threads=1), job) == 0
    assert out.read_text() == str(server.proc.pid)


def test_a_job_waits_for_a_server_still_importing(tmp_path, monkeypatch):
    """The workflow does not wait for its server; an ML job submitted during the imports runs in it, a job
    that asks not to wait (no ML stack) runs in its own process at once."""
    from types import SimpleNamespace

    srv = warmstart.start(wait=False)  # with the real preload: several seconds before the socket appears
    try:
        monkeypatch.setenv(warmstart.ENV_VAR, srv.path)
        assert not os.path.exists(srv.path)
        assert warmstart.submit(SimpleNamespace(output="", log=[], threads=1), print, wait=False) is None
        out = tmp_path / "ran"

        def job(smk):
            import transformers.conversion_mapping as conversions

            from xstilts import registry

            # the caches every job fills alike were filled by the server before it forked this job
            warm = registry.tasks.cache_info().currsize == 1 and conversions._checkpoint_conversion_mapping_cache
            Path(smk.output).write_text(f"{os.getppid()} {bool(warm)}")

        assert warmstart.submit(SimpleNamespace(output=str(out), log=[], threads=1), job) == 0
        assert out.read_text() == f"{srv.proc.pid} True"
    finally:
        srv.stop()


def test_no_wait_for_a_server_that_is_gone(tmp_path):
    import time

    started = time.monotonic()
    assert not warmstart._server_ready(str(tmp_path / "gone" / warmstart.SOCKET_NAME), wait=True)
    assert time.monotonic() - started < 1.0  # its directory is removed: nothing to wait for


def test_no_wait_for_a_server_that_never_came_up(tmp_path):
    """A server killed during its imports leaves its directory: jobs after the start-up window do not wait."""
    import time

    directory = tmp_path / "stalled"
    directory.mkdir()
    long_ago = time.time() - warmstart.STARTUP_WAIT_S - 1
    os.utime(directory, (long_ago, long_ago))
    started = time.monotonic()
    assert not warmstart._server_ready(str(directory / warmstart.SOCKET_NAME), wait=True)
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signalled_server_removes_its_directory(server, signum):
    os.kill(server.proc.pid, signum)
    server.proc.wait(timeout=10)
    assert not Path(server.directory).exists()


def test_server_cleans_up_after_its_parent_is_sigkilled(tmp_path):
    code = (
        "import time; from xstilts import warmstart; s = warmstart.start(preload_modules=False); "
        "print(s.directory, flush=True); time.sleep(300)"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=dict(os.environ, TMPDIR=str(tmp_path))
    )
    directory = Path(parent.stdout.readline().strip())
    assert directory.parent == tmp_path and (directory / warmstart.SOCKET_NAME).exists()
    parent.kill()
    parent.wait()
    assert _wait_for(lambda: not directory.exists(), timeout=10), "the orphaned server left its socket"


# ------------------------------------------------------------------ the workflow's hooks in a real Snakemake run
SNAKEFILE = """
from xstilts import warmstart

onstart:
    warmstart.start_for_workflow()

onsuccess:
    warmstart.stop_for_workflow()

onerror:
    warmstart.stop_for_workflow()

rule job:
    output: "out.txt"
    params: mode=config.get("mode", "ok")
    log: "job.log"
    script: "job.py"
"""
JOB = """
import os, time
from pathlib import Path
from xstilts.glue import run_job

def work(smk):
    server = Path(f"/proc/{os.getppid()}/cmdline").read_bytes().replace(b"\\0", b" ").decode()
    Path("started").write_text(server)
    while smk.params.mode == "wait" and not Path("go").exists():
        time.sleep(0.1)
    if smk.params.mode == "fail":
        raise RuntimeError("job failed on purpose")
    Path(smk.output[0]).write_text(server)

run_job(snakemake, work)
"""


def _workflow(tmp_path: Path, mode: str):
    work = tmp_path / "wf"
    (work / "tmp").mkdir(parents=True)
    (work / "Snakefile").write_text(SNAKEFILE)
    (work / "job.py").write_text(JOB)
    env = dict(os.environ, TMPDIR=str(work / "tmp"), HF_HUB_OFFLINE="1", PYTHONPATH=str(REPO / "src"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "1", "--config", f"mode={mode}"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    return work, proc


def _ours(tmp: Path) -> list[str]:
    """What our runs leave in the temp directory (torch keeps its own per-user cache dir there)."""
    return [p.name for p in tmp.iterdir() if p.name.startswith("xstilts")]


@pytest.mark.parametrize("mode", ["ok", "fail"])
def test_run_leaves_nothing_in_the_temp_directory(tmp_path, mode):
    work, proc = _workflow(tmp_path, mode)
    log = proc.communicate(timeout=300)[0]
    assert proc.returncode == (0 if mode == "ok" else 1), log
    assert "xstilts.warmstart" in (work / "started").read_text(), "the job did not run in the warm server"
    assert _ours(work / "tmp") == []


@pytest.mark.parametrize("how", ["sigterm", "ctrl-c"])
def test_interrupted_run_leaves_nothing_in_the_temp_directory(tmp_path, how):
    work, proc = _workflow(tmp_path, "wait")
    assert _wait_for((work / "started").exists, timeout=120), proc.communicate()[0]
    assert len(_ours(work / "tmp")) == 1  # the server's directory, while the job runs
    if how == "sigterm":  # Snakemake lets running jobs finish, then stops
        proc.send_signal(signal.SIGTERM)
        time.sleep(1)
        (work / "go").touch()
    else:  # a terminal's Ctrl-C reaches the whole process group
        os.killpg(proc.pid, signal.SIGINT)
    log = proc.communicate(timeout=120)[0]
    assert proc.returncode != 0, log
    assert _ours(work / "tmp") == []


def test_real_workflow_run_leaves_nothing_in_the_temp_directory(tmp_path):
    """The workflow's own onstart/onsuccess block (common.smk) on its cheapest job, a tiny toy world."""
    from workflow_helpers import copy_repo, snakemake_env

    work = copy_repo(tmp_path / "repo")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    (tmp_path / "tiny.yaml").write_text(f"results_dir: {tmp_path / 'results'}\nworld: {{seed: 0, scale: 0.02}}\n")
    env = dict(snakemake_env(work), TMPDIR=str(tmp), HF_HUB_OFFLINE="1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "snakemake",
            "--cores",
            "1",
            "--configfile",
            "configs/smoke.yaml",
            str(tmp_path / "tiny.yaml"),
            "--",
            str(tmp_path / "results" / "world"),
        ],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen = set()
    while proc.poll() is None:  # the server's directory exists while the run does
        seen |= set(_ours(tmp))
        time.sleep(0.05)
    log = proc.communicate()[0]
    assert proc.returncode == 0, log
    assert any(name.startswith("xstilts-warm-") for name in seen), "the workflow did not start the warm server"
    assert (tmp_path / "results" / "world").is_dir()
    assert _ours(tmp) == []


def test_sigkilled_snakemake_leaves_the_running_job_to_finish(tmp_path):
    """What the README says about `kill -9`: the job goes on, the server goes away, the lock stays."""
    work, proc = _workflow(tmp_path, "wait")
    assert _wait_for((work / "started").exists, timeout=120), proc.communicate()[0]
    proc.kill()
    proc.wait()
    assert _wait_for(lambda: _ours(work / "tmp") == [], timeout=10)
    (work / "go").touch()
    assert _wait_for((work / "out.txt").exists, timeout=30), "the orphaned job did not finish"
    assert list((work / ".snakemake" / "locks").iterdir()), "expected Snakemake's lock to remain"


# ------------------------------------------------------------------------------------- 2. config checks
FIXTURES = REPO / "tests" / "fixtures" / "sources" / "local"


def _check_config(tmp_path, capsys, text: str | None, *, name="override.yaml", results=True, smoke=False):
    """``xstilts check-config`` on config.yaml (+ smoke.yaml) + one override file: (exit status, stderr)."""
    from xstilts.cli import main

    files = [str(REPO / "configs" / "smoke.yaml")] if smoke else []
    if results:  # keep the writability probe out of the shared checkout
        (tmp_path / "results.yaml").write_text(f"results_dir: {tmp_path / 'results'}\n")
        files.append(str(tmp_path / "results.yaml"))
    path = tmp_path / name
    if text is not None:
        path.write_text(text)
    status = main(["check-config", "--workflow-dir", str(REPO), "--configfile", *files, str(path)])
    err = capsys.readouterr().err
    return status, err


def _refused(status, err, *expected):
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1, f"expected one line, got:\n{err}"
    for part in expected:
        assert part in err, f"{part!r} not in {err!r}"


def test_yaml_syntax_error_names_file_and_line(tmp_path, capsys):
    _refused(
        *_check_config(tmp_path, capsys, "seeds: [0, 1\ntargets: [xnli]\n", name="bad.yaml"),
        f"{tmp_path / 'bad.yaml'}:2:",
        "YAML syntax error",
    )


def test_yaml_list_is_refused_naming_the_file(tmp_path, capsys):
    _refused(
        *_check_config(tmp_path, capsys, "- xnli\n- panx\n", name="list.yaml"),
        str(tmp_path / "list.yaml"),
        "top level is a list",
    )


def test_missing_config_file_is_one_line(tmp_path, capsys):
    _refused(
        *_check_config(tmp_path, capsys, None, name="nowhere.yaml"),
        str(tmp_path / "nowhere.yaml"),
        "no such config file",
    )


def test_unknown_top_level_key_is_a_short_message(tmp_path, capsys):
    _refused(*_check_config(tmp_path, capsys, "bogus_key: 1\n"), "unknown key bogus_key", "results_dir", "targets")


def test_unknown_nested_key_names_its_path_and_the_allowed_keys(tmp_path, capsys):
    _refused(
        *_check_config(tmp_path, capsys, "model: {toy: {hidden_sizee: 3}}\n"),
        "model.toy.hidden_sizee",
        "allowed in model.toy:",
        "hidden_size",
    )


def test_enum_and_type_errors_name_the_key(tmp_path, capsys):
    _refused(*_check_config(tmp_path, capsys, "runtime: {device: gpu9}\n"), "runtime.device", "auto, cpu, cuda")
    _refused(*_check_config(tmp_path, capsys, "seeds: [zero]\n"), "seeds[0]", "'zero'", "integer")


def test_validate_config_fills_defaults_as_snakemake_validate(tmp_path):
    import copy

    from snakemake.utils import validate

    from xstilts.config import read_config_file, validate_config

    schema = REPO / "workflow" / "schemas" / "config.schema.yaml"
    ours = read_config_file(REPO / "config.yaml")
    theirs = copy.deepcopy(ours)
    validate_config(ours, schema)
    validate(theirs, str(schema), set_default=True)
    assert ours == theirs
    assert ours["runtime"]["warm_start"] is True and "analysis" in ours  # defaults did get filled in


def test_empty_results_dir_is_refused(tmp_path, capsys):
    _refused(*_check_config(tmp_path, capsys, 'results_dir: ""\n'), "results_dir: empty")


def test_results_dir_below_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "afile").write_text("")
    _refused(
        *_check_config(tmp_path, capsys, f"results_dir: {tmp_path / 'afile' / 'results'}\n"),
        "results_dir:",
        f"{tmp_path / 'afile'} is a file",
    )


def test_unwritable_results_dir_is_refused(tmp_path, capsys):
    # /proc takes no new directory, for root either (a chmod would not stop root)
    _refused(
        *_check_config(tmp_path, capsys, "results_dir: /proc/xstilts-results\n"),
        "results_dir: /proc/xstilts-results cannot be created in /proc",
    )


def test_local_path_that_is_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "bucc.tar").write_text("not a directory")
    text = f"data: {{tasks: {{bucc2018: {{type: local, path: {tmp_path / 'bucc.tar'}}}}}}}\n"
    _refused(
        *_check_config(tmp_path, capsys, text), "data.tasks.bucc2018.path", str(tmp_path / "bucc.tar"), "is a file"
    )


def test_local_path_in_the_wrong_layout_is_refused(tmp_path, capsys):
    wrong = tmp_path / "bucc"
    wrong.mkdir()
    (wrong / "de-en.dev.txt").write_text("x\n")
    text = f"data: {{tasks: {{bucc2018: {{type: local, path: {wrong}}}}}}}\n"
    _refused(*_check_config(tmp_path, capsys, text), "data.tasks.bucc2018.path", str(wrong), "*-en.*.gold")
    # the default source's path is named as such
    text = f"data: {{source: {{type: local, path: {wrong}}}}}\nmodel: {{source: pretrained, name_or_path: x}}\n"
    _refused(*_check_config(tmp_path, capsys, text), "data.source.path", str(wrong))


def test_local_paths_in_the_real_layouts_pass(tmp_path, capsys):
    text = (
        f"data: {{tasks: {{bucc2018: {{type: local, path: {FIXTURES}}}, "
        f"udpos: {{type: local, path: {FIXTURES / 'udpos'}}}}}}}\n"
    )
    status, err = _check_config(tmp_path, capsys, text, smoke=True)
    assert status == 0, err


def test_cell_override_outside_the_grid_lists_the_cells(tmp_path, capsys):
    # the smoke grid: rows none, mnli, squad; trained targets xnli, panx (tatoeba is retrieval: no training)
    _refused(
        *_check_config(tmp_path, capsys, 'hparams: {cell: {"sst2/xnli": {epochs: 1}}}\n', smoke=True),
        "hparams.cell: 'sst2/xnli'",
        "mnli, none, squad",
    )  # a row not in the grid
    for cell in ("mnli/pawsx", "mnli/tatoeba"):  # a row of the grid, a target it does not train
        _refused(
            *_check_config(tmp_path, capsys, f'hparams: {{cell: {{"{cell}": {{epochs: 1}}}}}}\n', smoke=True),
            f"hparams.cell: '{cell}' is not a cell of this grid",
            "none/xnli, none/panx, mnli/xnli, mnli/panx, squad/xnli, squad/panx",
        )
    status, err = _check_config(tmp_path, capsys, 'hparams: {cell: {"mnli/xnli": {epochs: 1}}}\n', smoke=True)
    assert status == 0, err


def test_snakemake_reports_an_unknown_key_in_a_few_lines(tmp_path):
    from workflow_helpers import copy_repo, snakemake

    (tmp_path / "bad.yaml").write_text("bogus_key: 1\n")
    work = copy_repo(tmp_path / "repo")
    run = snakemake(work, "-n", "--configfile", str(tmp_path / "bad.yaml"), timeout=300)
    assert run.returncode != 0
    text = run.stdout + run.stderr
    assert "unknown key bogus_key; allowed at the top level:" in text
    assert len(text.splitlines()) < 12, text  # was 385 lines: the whole schema and config


def test_plan_reports_an_unknown_key_in_one_line(tmp_path):
    (tmp_path / "bad.yaml").write_text("runtime: {warm_starts: true}\n")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "xstilts.cli",
            "plan",
            "--workflow-dir",
            str(REPO),
            "--configfile",
            str(tmp_path / "bad.yaml"),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, HF_HUB_OFFLINE="1"),
    )
    assert run.returncode == 2
    assert (
        run.stderr.strip()
        .splitlines()[-1]
        .startswith("xstilts plan: unknown key runtime.warm_starts; allowed in runtime:")
    ), run.stderr
    assert len(run.stderr.strip().splitlines()) < 5, run.stderr


# ------------------------------------------------------------------------------------- 3. data errors
def _copy_task(tmp_path, task) -> dict:
    import shutil

    shutil.copytree(FIXTURES / task, tmp_path / task)
    return {"type": "local", "path": str(tmp_path)}


def _load(task, split, lang, source):
    from xstilts import registry
    from xstilts.sources import load_split

    return load_split(registry.get(task), split, lang, source)


def _replace_line(path: Path, n: int, old: bytes, new: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    assert old in lines[n - 1], (path, n, lines[n - 1])
    lines[n - 1] = lines[n - 1].replace(old, new, 1)
    path.write_bytes(b"\n".join(lines))


@pytest.mark.parametrize(
    "task,rel,split,lang,line",
    [
        ("xnli", "dev-en.tsv", "validation", "en", 2),
        ("panx", "test-de.tsv", "test", "de", 3),
        ("anli_v1.0", "R2/train.jsonl", "train", "en", 1),
        ("squad", "train-v1.1.json", "train", "en", 1),
        ("tatoeba", "tatoeba.deu-eng.deu", "test", "de", 2),
        ("bucc2018", "de-en.dev.de", "dev", "de", 2),
        ("cosmosqa", "valid.csv", "validation", "en", 2),
    ],
)
def test_non_utf8_bytes_name_file_and_line(tmp_path, task, rel, split, lang, line):
    source = _copy_task(tmp_path, task)
    path = tmp_path / task / rel
    lines = path.read_bytes().split(b"\n")
    lines[line - 1] = lines[line - 1][:3] + b"\xe9\xff" + lines[line - 1][3:]  # Latin-1 e-acute, then junk
    path.write_bytes(b"\n".join(lines))
    name = {"anli_v1.0": "anli"}.get(task, task)
    with pytest.raises(ValueError, match=f"{path}:{line}: not UTF-8 \\(byte 0xe9 at column 4\\)"):
        _load(name, split, lang, source)


def test_non_utf8_ccgbank_names_file_and_line(tmp_path):
    from xstilts.sources.ccgbank import read_auto

    path = tmp_path / "wsj_0001.auto"
    original = (FIXTURES / "ccgbank" / "data" / "AUTO" / "00" / "wsj_0001.auto").read_bytes()
    path.write_bytes(original.replace(b"cat", b"c\xe4t", 1))
    line = original[: original.index(b"cat")].count(b"\n") + 1
    with pytest.raises(ValueError, match=f"{path}:{line}: not UTF-8"):
        read_auto(path)


@pytest.mark.parametrize(
    "task,rel,split,lang,line,old,new,bad,allowed",
    [
        (
            "xnli",
            "dev-en.tsv",
            "validation",
            "en",
            3,
            b"neutral",
            b"maybe",
            "maybe",
            "entailment, neutral, contradiction",
        ),
        ("pawsx", "test-de.tsv", "test", "de", 2, b"\t1", b"\t2", "2", "0, 1"),
        ("panx", "dev-en.tsv", "validation", "en", 2, b"\tO", b"\tB-MISC", "B-MISC", "O, B-PER, I-PER"),
        ("udpos", "test-de.tsv", "test", "de", 2, b"\tNOUN", b"\tNOUNN", "NOUNN", "ADJ, ADP"),
        (
            "MNLI",
            "train.tsv",
            "train",
            "en",
            3,
            b"\tcontradiction\tcontradiction",
            b"\tcontradiction\tmaybe",
            "maybe",
            "entailment, neutral, contradiction",
        ),
        ("cosmosqa", "valid.csv", "validation", "en", 2, b",0", b",7", "7", "0, 1, 2, 3"),
        ("hellaswag", "hellaswag_train.jsonl", "train", "en", 1, b'"label": 0', b'"label": 9', "9", "0, 1, 2, 3"),
        (
            "commonsenseqa",
            "train_rand_split.jsonl",
            "train",
            "en",
            1,
            b'"answerKey": "A"',
            b'"answerKey": "Z"',
            "Z",
            "A, B, C, D, E",
        ),
    ],
)
def test_unknown_labels_name_file_line_and_allowed_values(
    tmp_path, task, rel, split, lang, line, old, new, bad, allowed
):
    source = _copy_task(tmp_path, task)
    path = tmp_path / task / rel
    _replace_line(path, line, old, new)
    name = {"MNLI": "mnli"}.get(task, task)
    with pytest.raises(ValueError, match=f"{path}:{line}: ") as err:
        _load(name, split, lang, source)
    assert allowed in str(err.value)
    assert repr(bad) in str(err.value)


@pytest.mark.parametrize(
    "task,rel,split,lang,content",
    [
        ("xnli", "dev-en.tsv", "validation", "en", ""),
        ("panx", "test-de.tsv", "test", "de", "\n\n"),
        ("MNLI", "dev_matched.tsv", "validation", "en", None),  # the header alone
        ("anli_v1.0", "R1/dev.jsonl", "validation", "en", ""),
    ],
)
def test_empty_files_are_refused_by_prepare(tmp_path, task, rel, split, lang, content):
    from xstilts.prepared import prepare

    source = _copy_task(tmp_path, task)
    path = tmp_path / task / rel
    path.write_text(path.read_text().splitlines()[0] + "\n" if content is None else content)
    name = {"MNLI": "mnli", "anli_v1.0": "anli"}.get(task, task)
    with pytest.raises(ValueError, match=f"{path}(: empty file|.*: no {name} {split} examples)"):
        prepare(name, split, [lang], source, tmp_path / "out")
    assert not (tmp_path / "out").exists()
