"""Warm start for local runs: jobs fork from a process that has already imported torch and transformers.

Each grid cell is a separate Snakemake job, and on a laptop CPU the imports alone (torch, transformers,
datasets: ~3 s of CPU) cost more than training a toy cell. When Snakemake executes locally, the workflow's
``onstart`` hook starts this server; each job's ``script:`` (``xstilts.glue.run_job``) then hands its work
to the server, which forks a copy of itself that already has everything imported. The forked child gets
the job's stdin/stdout/stderr (passed over the Unix socket), working directory and environment, runs the
job, and its exit status becomes the job's. If the client dies (Snakemake cancels the job), the child
exits too. Anything unusual (no server, a refused connection) falls back to running the job in-process,
so the results never depend on this; ``benchmarks/job_startup.py`` measures what it saves.

The server unpickles what it is sent, i.e. runs it: only our own uid may reach it. Its socket lives in a
fresh mode-0700 directory, is itself 0600, and every connection's peer uid (SO_PEERCRED) is checked before
anything is read. The directory goes when the run ends, however it ends (see ``start_for_workflow``).

Not used on clusters (SLURM jobs run elsewhere) nor with conda environments (jobs run in another Python).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import struct
import sys
import threading

ENV_VAR = "XSTILTS_WARMSTART"
_HEADER = struct.Struct("!I")
_PEERCRED = struct.Struct("3i")  # struct ucred: pid, uid, gid
SOCKET_NAME = "server.sock"


def preload(fill_caches: bool = True) -> None:
    """Import what every heavy job needs, once, before any fork, and (``fill_caches``) fill the caches every
    job fills alike (``warm_caches``). Nothing here starts threads."""
    import cloudpickle  # noqa: F401
    import datasets  # noqa: F401
    import snakemake.script  # noqa: F401  (unpickling each job's `snakemake` object needs it)
    import torch  # noqa: F401
    import transformers  # noqa: F401

    # seqeval pulls in scikit-learn: 0.35 s of CPU in every tagging job that imported it itself
    from seqeval.metrics import f1_score  # noqa: F401
    from seqeval.metrics.sequence_labeling import get_entities  # noqa: F401

    # The Auto* classes are lazy: the modeling stack (modeling_utils, activations, kernels ...) is imported
    # only when a concrete class is touched, so name the concrete classes of the architecture in use.
    from transformers import (  # noqa: F401
        AutoModel,
        AutoModelForMultipleChoice,
        AutoModelForQuestionAnswering,
        AutoModelForSequenceClassification,
        AutoModelForTokenClassification,
        AutoTokenizer,
        DataCollatorForLanguageModeling,
        XLMRobertaForMaskedLM,
        XLMRobertaForMultipleChoice,
        XLMRobertaForQuestionAnswering,
        XLMRobertaForSequenceClassification,
        XLMRobertaForTokenClassification,
        XLMRobertaModel,
        XLMRobertaTokenizer,
    )
    from transformers.trainer_pt_utils import get_length_grouped_indices  # noqa: F401

    import xstilts.jobs  # noqa: F401
    import xstilts.metrics  # noqa: F401
    import xstilts.padding  # noqa: F401
    import xstilts.training  # noqa: F401
    from xstilts.formats import classification, multiple_choice, retrieval, span_qa, tagging  # noqa: F401

    if fill_caches:
        warm_caches()


def warm_caches() -> None:
    """Fill the module-level caches every job fills the same way, once, instead of in each forked job: the
    task registry (parsing and checking data/tasks.yaml) and transformers' table of checkpoint key
    conversions, which compiles ~900 regular expressions on a process's first `from_pretrained`
    (`python benchmarks/forked_job.py` prints both costs)."""
    from transformers.conversion_mapping import get_checkpoint_conversion_mapping

    from xstilts import registry

    registry.tasks()
    get_checkpoint_conversion_mapping("xlm-roberta")


def _recv_exactly(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("client closed the connection")
        data += chunk
    return data


def _exit_status(run) -> int:
    """Call ``run()`` and return the exit status a process would report for it: 0, SystemExit's code, or 1
    after printing the traceback of any other exception."""
    try:
        run()
        return 0
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        return 1


def _run_child(conn: socket.socket, listener: socket.socket) -> None:
    """In the forked child: take over the client's stdio, cwd and environment, run the job, report status."""
    import cloudpickle

    listener.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def run_request():
        _, fds, _, _ = socket.recv_fds(conn, 16, 3)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        size = _HEADER.unpack(_recv_exactly(conn, _HEADER.size))[0]
        request = cloudpickle.loads(_recv_exactly(conn, size))
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = request["argv"]

        def watch_client():  # the client (the Snakemake job) went away: stop working for it
            try:
                conn.recv(1)
            finally:
                os._exit(143)

        threading.Thread(target=watch_client, daemon=True).start()
        from xstilts.process import run_here

        run_here(request["smk"], request["job"])

    status = 1
    try:
        status = _exit_status(run_request)
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            conn.sendall(_HEADER.pack(status))
        finally:
            os._exit(status)


def _peer_uid(conn: socket.socket) -> int:
    """The uid of the process at the other end of a Unix socket, as the kernel recorded it at connect()."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEERCRED.size)
    return _PEERCRED.unpack(creds)[1]


def _stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through serve()'s cleanup, which SIGTERM's default would skip


def serve(directory: str, parent_pid: int | None = None, preload_modules: bool = True) -> None:
    """Accept jobs on ``directory/SOCKET_NAME`` until stopped; remove the socket and the directory on exit.

    The directory is the server's own (``start`` makes it with ``mkdtemp``: mode 0700); the socket is 0600
    before it listens, and a connection from any uid but ours is closed before a byte of it is read, so no
    other user can make the server unpickle (= run) anything.
    """
    path = os.path.join(directory, SOCKET_NAME)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        if preload_modules:
            preload()
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            staging = path + ".tmp"
            listener.bind(staging)
            os.chmod(staging, 0o600)
            listener.listen(64)
            os.replace(staging, path)  # clients see the socket only once it accepts connections
            listener.settimeout(2.0)
            while True:
                if parent_pid and os.getppid() != parent_pid:
                    return  # Snakemake is gone (even SIGKILLed): do not linger
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                uid = _peer_uid(conn)
                if uid != os.geteuid():
                    print(
                        f"xstilts.warmstart: refused a connection from uid {uid} (this server serves uid "
                        f"{os.geteuid()} only)",
                        file=sys.stderr,
                        flush=True,
                    )
                    conn.close()
                    continue
                conn.settimeout(None)
                if os.fork() == 0:
                    _run_child(conn, listener)
                conn.close()
        finally:
            listener.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


STARTUP_WAIT_S = 60.0  # counted from the server's start, so a server that never comes up delays no later job


def _server_ready(path: str, wait: bool) -> bool:
    """Whether the socket is there; with ``wait``, first wait for a server still importing (its directory
    exists, its socket not yet): the job's own imports would take as long, and both would burn the CPU."""
    import time

    while not os.path.exists(path):
        try:
            started = os.stat(os.path.dirname(path)).st_mtime  # made by start(); changed by the socket only
        except FileNotFoundError:
            return False  # the server is gone (it removes its directory): run in-process
        if not wait or time.time() > started + STARTUP_WAIT_S:
            return False  # killed before its imports were done, or never started: run in-process
        time.sleep(0.02)
    return True


def submit(smk, job, wait: bool = True) -> int | None:
    """Run ``job(smk)`` in the warm server; None when no server is reachable (then run in-process).
    ``wait``: wait for a server that is still starting (``_server_ready``)."""
    path = os.environ.get(ENV_VAR)
    if not path or not _server_ready(path, wait):
        return None
    import cloudpickle

    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        if _peer_uid(conn) != os.geteuid():
            return None  # never hand our stdio and environment to another user's process
        payload = cloudpickle.dumps(
            {"smk": smk, "job": job, "cwd": os.getcwd(), "env": dict(os.environ), "argv": list(sys.argv)}
        )
        sys.stdout.flush()
        sys.stderr.flush()
        socket.send_fds(conn, [b"x"], [0, 1, 2])
        conn.sendall(_HEADER.pack(len(payload)) + payload)
    except OSError:
        conn.close()
        return None  # nothing ran on the server side: a job starts only with its whole request
    try:
        return _HEADER.unpack(_recv_exactly(conn, _HEADER.size))[0]
    except (ConnectionError, OSError):
        return 1
    finally:
        conn.close()


class Server:
    """A running warm-start server: its process and the private directory holding its socket."""

    def __init__(self, proc, directory: str):
        self.proc = proc
        self.directory = directory
        self.path = os.path.join(directory, SOCKET_NAME)

    def stop(self) -> None:
        """Stop the server (SIGTERM: it removes its socket) and remove the directory whatever it managed."""
        import subprocess

        try:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


def start(
    parent_pid: int | None = None, preload_modules: bool = True, timeout: float = 120, wait: bool = True
) -> Server | None:
    """Start a server in a fresh private directory and wait until it accepts connections (None if it fails).

    With ``wait=False`` it returns at once: until the socket appears (after the imports, ~4 s), ``submit``
    waits for it, or, for a job that needs no ML stack, runs the job in its own process. The server exits by itself
    once ``parent_pid`` (default: this process) is gone.
    """
    import subprocess
    import tempfile
    import time

    directory = tempfile.mkdtemp(prefix="xstilts-warm-")  # mode 0700, a name no one else can take
    argv = [sys.executable, "-m", "xstilts.warmstart", directory, str(parent_pid or os.getpid())]
    proc = subprocess.Popen(argv + ([] if preload_modules else ["--no-preload"]), stdin=subprocess.DEVNULL)
    server = Server(proc, directory)
    deadline = time.time() + timeout
    while wait and not os.path.exists(server.path):
        if proc.poll() is not None or time.time() > deadline:
            server.stop()
            return None
        time.sleep(0.05)
    return server


# ---------------------------------------------------------------------------------- the workflow's hooks
_WORKFLOW_SERVER: list[Server] = []


def start_for_workflow(wait: bool = True) -> None:
    """``onstart``: start a server for this Snakemake process and point its jobs at it (``wait``: see
    ``start``; the workflow does not wait: its first job, the toy world, needs no torch, and the jobs after
    it wait in ``submit`` for a server still importing).

    ``onsuccess``/``onerror`` stop it (Snakemake turns Ctrl-C and SIGTERM into onerror); ``atexit`` covers an
    exception that skips both, and the server itself exits (and cleans up) once Snakemake is gone, SIGKILL
    included.
    """
    import atexit

    server = start(wait=wait)
    if server is None:
        return
    os.environ[ENV_VAR] = server.path
    _WORKFLOW_SERVER.append(server)
    atexit.register(stop_for_workflow)


def stop_for_workflow() -> None:
    os.environ.pop(ENV_VAR, None)
    while _WORKFLOW_SERVER:
        _WORKFLOW_SERVER.pop().stop()


if __name__ == "__main__":
    exit_code = 1
    try:
        exit_code = _exit_status(
            lambda: serve(
                sys.argv[1],
                int(sys.argv[2]) if len(sys.argv) > 2 else None,
                preload_modules="--no-preload" not in sys.argv,
            )
        )
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exit_code)  # serve() has cleaned up; skip tearing down torch's modules (~1 s, at the run's end)
