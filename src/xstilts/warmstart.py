"""Warm start for local runs: jobs fork from a process that has already imported torch and transformers.

Each grid cell is a separate Snakemake job, and on a laptop CPU the imports alone (torch, transformers,
datasets: ~3 s of CPU) cost more than training a toy cell. When Snakemake executes locally, the workflow's
``onstart`` hook starts this server; each job's ``script:`` (``xstilts.jobs.run_job``) then hands its work
to the server, which forks a copy of itself that already has everything imported. The forked child gets
the job's stdin/stdout/stderr (passed over the Unix socket), working directory and environment, runs the
job, and its exit status becomes the job's. If the client dies (Snakemake cancels the job), the child
exits too. Anything unusual (no server, a refused connection) falls back to running the job in-process,
so the results never depend on this; ``benchmarks/job_startup.py`` measures what it saves.

Not used on clusters (SLURM jobs run elsewhere) nor with conda environments (jobs run in another Python).
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import sys
import threading

ENV_VAR = "XSTILTS_WARMSTART"
_HEADER = struct.Struct("!I")


def preload() -> None:
    """Import what every heavy job needs, once, before any fork. Nothing here starts threads."""
    import cloudpickle  # noqa: F401
    import datasets  # noqa: F401
    import snakemake.script  # noqa: F401  (unpickling each job's `snakemake` object needs it)
    import torch  # noqa: F401
    import transformers  # noqa: F401
    # The Auto* classes are lazy: the modeling stack (modeling_utils, activations, kernels ...) is imported
    # only when a concrete class is touched, so name the concrete classes of the architecture in use.
    from transformers import (  # noqa: F401
        AutoModel, AutoModelForMultipleChoice, AutoModelForQuestionAnswering, AutoModelForSequenceClassification,
        AutoModelForTokenClassification, AutoTokenizer, DataCollatorForLanguageModeling, DataCollatorWithPadding,
        XLMRobertaForMaskedLM, XLMRobertaForMultipleChoice, XLMRobertaForQuestionAnswering,
        XLMRobertaForSequenceClassification, XLMRobertaForTokenClassification, XLMRobertaModel,
        XLMRobertaTokenizer,
    )
    from transformers.trainer_pt_utils import get_length_grouped_indices  # noqa: F401

    import xstilts.jobs  # noqa: F401
    import xstilts.metrics  # noqa: F401
    import xstilts.training  # noqa: F401
    from xstilts.formats import classification, multiple_choice, retrieval, span_qa, tagging  # noqa: F401


def _recv_exactly(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("client closed the connection")
        data += chunk
    return data


def _run_child(conn: socket.socket, listener: socket.socket) -> None:
    """In the forked child: take over the client's stdio, cwd and environment, run the job, report status."""
    import cloudpickle

    listener.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    status = 1
    try:
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
        from xstilts.jobs import run_here

        run_here(request["smk"], request["job"])
        status = 0
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        status = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            conn.sendall(_HEADER.pack(status))
        finally:
            os._exit(status)


def serve(path: str, parent_pid: int | None = None) -> None:
    preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(path):
        os.unlink(path)
    listener.bind(path + ".tmp")
    os.replace(path + ".tmp", path)  # clients see the socket only once it accepts connections
    listener.listen(64)
    listener.settimeout(2.0)
    try:
        while True:
            if parent_pid and os.getppid() != parent_pid:
                return  # Snakemake is gone: do not linger
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            conn.settimeout(None)
            if os.fork() == 0:
                _run_child(conn, listener)
            conn.close()
    finally:
        listener.close()
        if os.path.exists(path):
            os.unlink(path)


def submit(smk, job) -> int | None:
    """Run ``job(smk)`` in the warm server; None when no server is reachable (then run in-process)."""
    path = os.environ.get(ENV_VAR)
    if not path or not os.path.exists(path):
        return None
    import cloudpickle

    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:
        return None
    payload = cloudpickle.dumps({"smk": smk, "job": job, "cwd": os.getcwd(), "env": dict(os.environ),
                                 "argv": list(sys.argv)})
    sys.stdout.flush()
    sys.stderr.flush()
    socket.send_fds(conn, [b"x"], [0, 1, 2])
    conn.sendall(_HEADER.pack(len(payload)) + payload)
    try:
        return _HEADER.unpack(_recv_exactly(conn, _HEADER.size))[0]
    except ConnectionError:
        return 1
    finally:
        conn.close()


def start(path: str):
    """Start a server for this Snakemake process and wait until it accepts connections."""
    import subprocess
    import time

    proc = subprocess.Popen([sys.executable, "-m", "xstilts.warmstart", path, str(os.getpid())],
                            stdin=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not os.path.exists(path):
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            return None
        time.sleep(0.05)
    return proc


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)
