"""The build's worker: a second process that runs the Great Expectations suites and draws the figures.

Why: importing ``great_expectations`` costs about 2.7 s (it pulls in ``scipy.stats`` and more), each Data
Docs page about 60 ms (GE compiles its Jinja templates per page), importing matplotlib about 1 s and writing
the figures' PNGs about 1.5 s, while the build's main process is bound to one core by Dagster and dbt.
``metalnexus build`` forks this worker first thing (:func:`start`, before Dagster, dbt, any thread, the build
lock or a DuckDB connection), so GE and matplotlib are imported on the second core while the main process
imports Dagster and loads the raw tables, and pages and PNGs are written there while dbt runs.

What crosses the socket pair (pickled tuples; the main process asks, the worker answers in order):

- ``("validate", layer, {table: frame}, docs_dir)``: sent by the step that has just written the tables
  (:func:`validate_early`: the raw loads, the analyses' marts), without waiting, so they are validated on
  the second core while the build goes on; the layer's check step then takes the answers
  (:func:`early_results`). A check step sends the tables not sent early itself, all at once, and waits.
  The worker looks each suite up by layer and table in ``expectations.raw`` / ``marts`` / ``distributions``
  (suites hold lambdas, which do not pickle), validates, writes each result's JSON and answers
  ``("ok", {table: SuiteResult or None})`` (None: a suite it does not have, which the main process then
  validates itself) or ``("error", line)``. The HTML pages are queued and written after the answer, between
  requests, while the main process goes on with dbt.
- ``("figures", marts, folder)``: the worker draws the figures from the marts' rows the main process read
  (:func:`orchestration.figures.read_marts`), answers ``("ok", [names])`` and queues their PNGs. Figure 2 is
  asked for by the trade scenarios step as soon as its marts are written (:func:`draw_early`), without
  waiting; the figures step asks for the others and takes that answer too (:func:`draw_figures`).
- ``("flush",)``: the worker writes every queued page and PNG and answers ``("ok", [files that failed])``;
  publish asks this before it publishes, so the Data Docs index never links a page not yet written.

Answers come in the order of the requests; each request's number is its ticket, and answers read while
waiting for a later one are kept until asked for. While the main process would only wait for an answer, it
first runs the tasks given to :func:`while_waiting` (the build gives it dbt's first-command costs,
:func:`orchestration.dbt.warm_up`); how long it waited all the same, by request kind, is in the publish
step's line (:func:`waited`). The checks stay blocking: a check step waits for its
answers. It waits by polling the socket and the worker's liveness, so a worker that dies costs a line in
``build.log`` and the suite is validated (or the figures drawn) in-process; files it owed then fail
publish in one line; it never hangs. Without a worker (tests calling
:func:`~expectations.runner.run_suite`, ``dagster dev``, a process that had already imported Dagster, or
``METALNEXUS_BUILD_WORKER=0``) everything runs in the main process as before.

The worker ignores SIGINT (Ctrl-C reaches the whole process group; the main process decides what it means),
dies quietly on SIGTERM, is sent SIGTERM by the kernel when the main process dies (``PR_SET_PDEATHSIG``) and
exits when its end of the socket reads EOF. Its stdout and stderr go to an unnamed temporary file that the
main process copies into its own ``sys.stderr`` (``build.log`` during a build) whenever it hears from it.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from pathlib import Path

# Layer name (the Data Docs folder) -> module whose SUITES the worker validates.
LAYERS = {"raw": "expectations.raw", "marts": "expectations.marts", "distributions": "expectations.distributions"}
POLL_SECONDS = 0.2
# A living worker that has not answered in this long is given up on (its suite is validated in-process).
ANSWER_TIMEOUT_SECONDS = 900.0

_state: dict = {"worker": None, "owed": set(), "early": {}, "idle": deque(), "early_figures": []}


class WorkerGone(RuntimeError):
    """The worker exited, closed its socket or stopped answering."""


class Worker:
    """The main process's handle on a forked worker: its pid, its socket and its captured output."""

    def __init__(self, pid: int, conn, output) -> None:
        self.pid = pid
        self._conn = conn
        self._output = output
        self._relayed = 0
        self._status: int | None = None
        self._sent = 0  # requests sent; the worker answers them in order, so a request's number is its ticket
        self._received = 0
        self._answers: dict[int, tuple] = {}  # answers read ahead of the one waited for
        self._kinds: dict[int, str] = {}  # each request's kind (validate <layer>, figures, flush), by ticket
        self.waited: dict[str, float] = {}  # seconds the main process spent waiting for answers, by kind
        # Requests are written to the socket by a thread: a request larger than the socket's buffer blocks
        # its writer until the worker reads it, which it does only once done with the request before.
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._sender: threading.Thread | None = None
        self._send_error: BaseException | None = None

    @classmethod
    def spawn(cls) -> Worker:
        """Fork a worker; it imports Great Expectations and the suites at once, then serves requests."""
        from multiprocessing.connection import Connection

        parent_end, child_end = socket.socketpair()
        output = tempfile.TemporaryFile()
        parent_pid = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the caller's code
            code = 0
            try:
                from orchestration.worker_process import serve

                parent_end.close()
                serve(child_end.detach(), output.fileno(), parent_pid)
            except BaseException:  # noqa: BLE001 - its last words go to the captured stderr
                code = 1
                with contextlib.suppress(BaseException):
                    traceback.print_exc()
                    sys.stderr.flush()
            finally:
                os._exit(code)
        child_end.close()
        return cls(pid, Connection(parent_end.detach()), output)

    def alive(self) -> bool:
        """Return whether the worker still runs (reaping it when it has exited)."""
        if self._status is not None:
            return False
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere: gone all the same
            pid, status = self.pid, -1
        if pid == 0:
            return True
        self._status = status
        return False

    def describe_exit(self) -> str:
        """Return how the worker ended, e.g. ``killed by SIGKILL``."""
        if self._status is None or self._status < 0:
            return "gone"
        if os.WIFSIGNALED(self._status):
            return f"killed by {signal.Signals(os.WTERMSIG(self._status)).name}"
        return f"exit status {os.WEXITSTATUS(self._status)}"

    def ask(self, request: tuple, timeout: float = ANSWER_TIMEOUT_SECONDS) -> tuple:
        """Send ``request`` and return the answer, waiting only while the worker lives.

        Raises
        ------
        WorkerGone
            The worker exited, closed its socket, or gave no answer in ``timeout`` seconds.
        """
        return self.answer(self.send(request), timeout)

    def send(self, request: tuple) -> int:
        """Send ``request`` without waiting; return its ticket for :meth:`answer`.

        Raises
        ------
        WorkerGone
            The worker exited or closed its socket.
        """
        if not self.alive():
            raise WorkerGone(f"pid {self.pid} {self.describe_exit()}")
        self._raise_send_error()
        if self._sender is None:
            self._sender = threading.Thread(target=self._send_queued, name="build-worker-sender", daemon=True)
            self._sender.start()
        self._outbox.put(request)
        self._sent += 1
        self._kinds[self._sent] = f"{request[0]} {request[1]}" if request[0] == "validate" else str(request[0])
        return self._sent

    def _send_queued(self) -> None:
        while (request := self._outbox.get()) is not None:
            try:
                self._conn.send(request)
            except BaseException as exc:  # noqa: BLE001 - the waiting side raises it (WorkerGone)
                self._send_error = exc
                return

    def _raise_send_error(self) -> None:
        if self._send_error is not None:
            self.alive()
            raise WorkerGone(f"pid {self.pid}: a request could not be sent ({self._send_error})")

    def answer(self, ticket: int, timeout: float = ANSWER_TIMEOUT_SECONDS) -> tuple:
        """Return the answer to the request ``ticket``, reading (and keeping) the answers sent before it.

        Raises
        ------
        WorkerGone
            The worker exited, closed its socket, or gave no answer in ``timeout`` seconds.
        """
        started, busy = time.monotonic(), 0.0  # busy: spent on this process's idle tasks, not waiting
        try:
            deadline = started + timeout
            while ticket not in self._answers:
                if ticket <= self._received:
                    raise KeyError(f"the answer to request {ticket} was taken already")
                busy += _run_idle_tasks(self._conn)
                while not self._conn.poll(POLL_SECONDS):
                    self._raise_send_error()
                    if not self.alive():
                        raise WorkerGone(f"pid {self.pid} {self.describe_exit()}")
                    if time.monotonic() > deadline:
                        raise WorkerGone(f"pid {self.pid} gave no answer in {timeout:.0f} s")
                self._received += 1
                self._answers[self._received] = self._conn.recv()
        except (EOFError, OSError) as exc:
            self.alive()
            raise WorkerGone(f"pid {self.pid} closed its end ({self.describe_exit()})") from exc
        except BaseException:
            # an interrupt (or a timeout) mid-request leaves the exchange out of step: end it
            self.stop()
            raise
        finally:
            kind = self._kinds.get(ticket, "?")
            self.waited[kind] = self.waited.get(kind, 0.0) + time.monotonic() - started - busy
            self.relay_output()
        return self._answers.pop(ticket)

    def relay_output(self) -> None:
        """Copy what the worker printed since the last call to this process's ``sys.stderr``."""
        with contextlib.suppress(OSError, ValueError):  # ValueError: the file is closed (the worker stopped)
            fd = self._output.fileno()
            size = os.fstat(fd).st_size
            if size > self._relayed:
                data = os.pread(fd, size - self._relayed, self._relayed)
                self._relayed += len(data)
                text = data.decode(errors="replace")
                lines = "".join(f"[build worker {self.pid}] {line}" for line in text.splitlines(keepends=True))
                sys.stderr.write(lines if lines.endswith("\n") else lines + "\n")
                sys.stderr.flush()

    def stop(self, grace: float = 2.0) -> None:
        """Close the socket (the worker exits on EOF), then SIGTERM and at last SIGKILL it if it lingers."""
        self._outbox.put(None)  # the sender thread ends (a send it is blocked in fails once the socket closes)
        with contextlib.suppress(OSError):
            self._conn.close()
        deadline = time.monotonic() + grace
        signalled = False
        while self.alive():
            if time.monotonic() > deadline:
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                self._status = -1
                break
            if not signalled and time.monotonic() > deadline - grace / 2:
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGTERM)  # busy validating, not reading its socket
                signalled = True
            time.sleep(0.02)
        with contextlib.suppress(OSError):
            self._output.close()


def start() -> Worker | None:
    """Fork the build's worker unless one runs already; return it, or None to validate in-process.

    Only a fresh command process forks: with another thread running (a fork copies no thread but may copy a
    held lock), with Dagster already imported (the worker's point is to import GE while the main process
    imports Dagster) or in a test session (``main(["build", ...])`` called in-process; the tests of the worker
    start their own) the suites run in-process. ``METALNEXUS_BUILD_WORKER=0`` switches it off.
    """
    worker = _state["worker"]
    if worker is not None and worker.alive():
        return worker
    if os.environ.get("METALNEXUS_BUILD_WORKER", "1") == "0" or not hasattr(os, "fork"):
        return None
    if threading.active_count() > 1 or "dagster" in sys.modules or "pytest" in sys.modules:
        return None
    try:
        worker = _state["worker"] = Worker.spawn()
    except OSError:
        return None
    # at exit the socket closes and the worker is waited for (its CPU time then counts in this process's
    # children, as /usr/bin/time reports it); a SIGKILLed main process leaves that to PR_SET_PDEATHSIG
    atexit.register(worker.stop)
    return worker


def current() -> Worker | None:
    """Return this process's worker, or None."""
    return _state["worker"]


def while_waiting(task: Callable[[], object]) -> None:
    """Have this process run ``task`` once, the first time it waits for an answer the worker has not yet sent.

    For work the build will need later and can do early, such as dbt's first-command costs
    (:func:`orchestration.dbt.warm_up`): done while the main process would only wait, it costs nothing.
    Tasks run in the order given, one at a time, while no answer has arrived; one that raises an
    ``Exception`` is reported in ``build.log`` and dropped (the work is then done when needed, as without
    it); an interrupt propagates as from any wait.
    """
    _state["idle"].append(task)


def _run_idle_tasks(conn) -> float:
    """Run the tasks given to :func:`while_waiting` while no answer has arrived; return the seconds they took."""
    idle = _state["idle"]
    started = time.monotonic()
    while idle and not conn.poll(0):
        task = idle.popleft()
        name = getattr(task, "__name__", repr(task))
        begun = time.monotonic()
        try:
            task()
        except Exception:  # noqa: BLE001 - an optimisation failed: the work is done later, when needed
            print(f"while waiting for the build worker, {name} failed:", file=sys.stderr)
            traceback.print_exc()
            continue
        print(f"while waiting for the build worker: {name} in {time.monotonic() - begun:.1f} s", file=sys.stderr)
    return time.monotonic() - started


def waited() -> str:
    """Return how long the main process has waited for the worker's answers, e.g. ``0.6 s (flush 0.2, ...)``."""
    worker = _state["worker"]
    if worker is None or not worker.waited:
        return "0.0 s"
    kinds = ", ".join(f"{kind} {seconds:.1f}" for kind, seconds in sorted(worker.waited.items()))
    return f"{sum(worker.waited.values()):.1f} s ({kinds})"


def use(worker: Worker | None) -> None:
    """Make ``worker`` this process's worker (None: validate in-process); for tests."""
    _state["worker"] = worker
    _state["owed"] = set()
    _state["early"] = {}


def _discard(reason: str) -> None:
    worker = _state["worker"]
    _state["worker"] = None
    if worker is not None:
        print(f"build worker {reason}; validating and drawing in this process from now on", file=sys.stderr)
        worker.stop()


def validate_early(layer: str, suites: dict, frames: dict, docs_dir: Path) -> None:
    """Have the worker start validating tables just written, without waiting; no-op without a worker.

    The step that wrote the tables calls this; the layer's check step takes the results
    (:func:`early_results`) instead of reading and sending the frames itself, so the validation runs
    on the second core while this process goes on with the next steps (the other raw loads, the
    analyses). ``frames`` is ``{"schema.table": (rows in the table, the frame to validate)}``.
    """
    worker = _state["worker"]
    if worker is None or not suites:
        return
    try:
        ticket = worker.send(("validate", layer, {key: frames[key][1] for key in suites}, str(docs_dir)))
    except WorkerGone as exc:
        _discard(f"{exc}")
        return
    for key, suite in suites.items():
        _state["early"][(layer, key)] = (ticket, frames[key][0], suite.name, str(docs_dir))


def early_results(layer: str, keys, docs_dir: Path) -> dict:
    """Return ``{key: (rows in the table, SuiteResult)}`` for the tables of ``keys`` validated early.

    Tables the worker did not validate (no early request, a suite it lacks, a worker gone meanwhile)
    are left out: the check step validates those as before.
    """
    taken = {key: _state["early"].pop((layer, key)) for key in keys if (layer, key) in _state["early"]}
    worker = _state["worker"]
    if worker is None:
        return {}
    answers: dict[int, tuple] = {}
    results = {}
    for key, (ticket, n_rows, suite_name, sent_to) in taken.items():
        if sent_to != str(docs_dir):
            continue
        if ticket not in answers:
            try:
                answers[ticket] = worker.answer(ticket)
            except WorkerGone as exc:
                _discard(f"{exc}")
                return {}
        answer = answers[ticket]
        if answer[0] == "error":
            raise RuntimeError(f"Great Expectations suites of {layer}: {answer[1]} (traceback in build.log)")
        if answer[1].get(key) is not None:
            _state["owed"].add(Path(docs_dir) / f"{suite_name}.html")
            results[key] = (n_rows, answer[1][key])
    return results


def run_layer_suites(layer: str, suites: dict, frames: dict, docs_dir: Path) -> dict:
    """Validate each table's frame against its suite, in the worker when there is one, else in this process.

    All of a layer's frames go in one request: answered one by one, the worker would render the previous
    suite's page while this process records the previous check, and each validation would wait for a page.

    Parameters
    ----------
    layer
        ``raw``, ``marts`` or ``distributions``: where the worker looks the suites up, and the Data Docs folder.
    suites
        ``{"schema.table": Suite}``.
    frames
        ``{"schema.table": DataFrame}``: the rows to validate.
    docs_dir
        Folder of the results: each suite's JSON is written before the answer, its HTML page later
        (see :func:`flush`).

    Returns
    -------
    dict
        ``{"schema.table": SuiteResult}``, the same results either way, in the order of ``suites``.
    """
    from expectations.runner import run_suite

    if not suites:
        return {}
    results = {}
    request = ("validate", layer, {key: frames[key] for key in suites}, str(docs_dir))
    answer = _with_worker(lambda worker: worker.ask(request))
    if answer is not None:
        if answer[0] == "error":
            raise RuntimeError(f"Great Expectations suites of {layer}: {answer[1]} (traceback in build.log)")
        for key, result in answer[1].items():
            if result is not None:  # None: a suite the worker does not have (not from the layer's module)
                _state["owed"].add(Path(docs_dir) / f"{suites[key].name}.html")
                results[key] = result
    return {
        key: results[key] if key in results else run_suite(suite.name, frames[key], suite.expectations, docs_dir)
        for key, suite in suites.items()
    }


def draw_early(marts: dict, folder: Path) -> None:
    """Have the worker draw the figures of ``marts`` now, without waiting; no-op without a worker.

    The step that has just written a figure's last mart calls this (the trade scenarios, for Figure 2), so
    the figure is drawn on the second core while the build goes on; the figures step then reads and draws
    only the others (:func:`drawn_early`) and takes these answers (:func:`draw_figures`).
    """
    worker = _state["worker"]
    if worker is None or not marts:
        return
    try:
        ticket = worker.send(("figures", marts, str(folder)))
    except WorkerGone as exc:
        _discard(f"{exc}")
        return
    _state["early_figures"].append((ticket, marts, str(folder)))


def drawn_early(folder: Path) -> set[str]:
    """Return the keys of the marts whose figures the worker was asked to draw into ``folder`` early.

    Keys as :func:`orchestration.figures.read_marts` names them; the figures step reads the others only.
    """
    return {key for _, marts, sent_to in _state["early_figures"] if sent_to == str(folder) for key in marts}


def draw_figures(marts: dict, folder: Path) -> dict[str, Path]:
    """Draw every figure from ``marts`` (:func:`orchestration.figures.read_marts`) as ``<folder>/<name>.png``.

    In the worker when there is one (its PNGs are written after its answer, see :func:`flush`), else here.
    The figures the worker was asked to draw early into ``folder`` (:func:`draw_early`; ``marts`` then
    holds the others) come from its answers, or are drawn here if it has gone since. Returns ``{name: path}``.
    """
    from orchestration import figures

    early = [entry for entry in _state["early_figures"] if entry[2] == str(folder)]
    _state["early_figures"] = [entry for entry in _state["early_figures"] if entry[2] != str(folder)]
    names: list[str] = []
    for ticket, sent, _ in early:
        answer = _with_worker(lambda worker, ticket=ticket: worker.answer(ticket))
        if answer is None:  # the worker has gone: what it was to draw is drawn here with the rest
            marts = {**sent, **marts}
        elif answer[0] != "ok":
            raise RuntimeError(f"figures: {answer[1]} (traceback in build.log)")
        else:
            names += answer[1]
    answer = _with_worker(lambda worker: worker.ask(("figures", marts, str(folder)))) if marts else ("ok", [])
    if answer is not None and answer[0] == "ok":
        paths = {name: Path(folder) / f"{name}.png" for name in [*names, *answer[1]]}
        _state["owed"].update(paths.values())
        return paths
    if answer is not None:
        raise RuntimeError(f"figures: {answer[1]} (traceback in build.log)")
    Path(folder).mkdir(parents=True, exist_ok=True)
    return {name: figures.save(figure, Path(folder) / f"{name}.png") for name, figure in figures.draw(marts).items()}


def _with_worker(call: Callable[[Worker], tuple]) -> tuple | None:
    """Return ``call(worker)`` (an answer), or None when there is no worker (any more)."""
    worker = _state["worker"]
    if worker is None:
        return None
    try:
        return call(worker)
    except WorkerGone as exc:
        _discard(f"{exc}")
        return None


def flush() -> None:
    """Return once every Data Docs page and figure the worker owes is written; raise when one could not be.

    Raises
    ------
    RuntimeError
        A file failed to be written, or the worker died before writing it (one line naming them).
    """
    owed, _state["owed"] = _state["owed"], set()
    answer = _with_worker(lambda worker: worker.ask(("flush",)))
    if answer is not None:
        if answer[1]:
            raise RuntimeError(f"not written by the build worker: {'; '.join(answer[1])} (traceback in build.log)")
        return
    missing = sorted(path.name for path in owed if not path.exists())
    if missing:
        raise RuntimeError(f"the build worker ended before writing {', '.join(missing)} (see build.log); build again")
