"""The build worker's own side: what runs in the forked process (see :mod:`orchestration.worker`).

It imports Great Expectations, the suites and matplotlib, then answers the main process's requests in
order (validate, figures, flush) and writes the Data Docs pages and PNGs it promised whenever no request
waits.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import time
import traceback
from collections import deque
from pathlib import Path

from orchestration.worker import LAYERS


def serve(fd: int, output_fd: int, parent_pid: int) -> None:
    """Answer requests until the socket reads EOF; write queued files whenever no request waits."""
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(ValueError, OSError):
        inherited = signal.set_wakeup_fd(-1)
        if inherited >= 0:
            os.close(inherited)
    _die_with(parent_pid)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    conn = Connection(fd)
    started = time.monotonic()
    suites = _warm_up()
    print(f"ready in {time.monotonic() - started:.1f} s (Great Expectations imported)", flush=True)
    # (path, write): files promised in an answer, written while no request waits; first, matplotlib's import
    queued: deque = deque([(Path("matplotlib"), _import_matplotlib)])
    while True:
        if queued and not conn.poll(0):
            _write_next(queued, [])
            continue
        try:
            request = conn.recv()
        except EOFError:
            return
        if request[0] == "validate":
            conn.send(_validate(suites, queued, *request[1:]))
        elif request[0] == "figures":
            conn.send(_draw(queued, *request[1:]))
        elif request[0] == "flush":
            failed: list[str] = []
            while queued:
                _write_next(queued, failed)
            conn.send(("ok", failed))
        else:
            conn.send(("error", f"unknown request {request[0]!r}"))


def _die_with(parent_pid: int) -> None:
    """Have the kernel send SIGTERM when the main process dies (Linux), and exit if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(0)


def _warm_up() -> dict:
    """Import Great Expectations, its page renderer and every layer's suites; return ``{layer: SUITES}``."""
    import importlib

    from warehouse import config

    config.set_offline_env()
    with config.long_lived_objects():  # about 0.3 s of collections over GE's import otherwise
        from expectations import runner

        runner._context()
        import great_expectations.render.renderer  # noqa: F401 - imported now, not when the first page is due
        import great_expectations.render.view  # noqa: F401

        return {layer: importlib.import_module(module).SUITES for layer, module in LAYERS.items()}


def _import_matplotlib() -> None:
    """Import matplotlib ahead of the figures (queued: the raw suites, asked for sooner, go first)."""
    from orchestration import figures

    started = time.monotonic()
    figures.pyplot()
    print(f"matplotlib imported in {time.monotonic() - started:.1f} s", flush=True)


def _validate(suites: dict, queued: deque, layer: str, frames: dict, docs_dir: str) -> tuple:
    from expectations import runner

    results = {}
    for key, frame in frames.items():
        suite = suites.get(layer, {}).get(key)
        if suite is None:
            results[key] = None
            continue
        try:
            summary, result = runner.validate(suite.name, frame, suite.expectations)
            runner.write_result(Path(docs_dir), summary)
        except Exception as exc:  # noqa: BLE001 - answered as one line; the traceback goes to build.log
            traceback.print_exc()
            sys.stderr.flush()
            return ("error", f"{key}: {type(exc).__name__}: {' '.join(str(exc).split())}")
        page = Path(docs_dir) / f"{suite.name}.html"
        queued.append((page, functools.partial(runner.write_page, Path(docs_dir), suite.name, result)))
        results[key] = summary
    return ("ok", results)


def _draw(queued: deque, marts: dict, folder: str) -> tuple:
    from orchestration import figures

    try:
        drawn = figures.draw(marts)
    except Exception as exc:  # noqa: BLE001 - answered as one line; the traceback goes to build.log
        traceback.print_exc()
        sys.stderr.flush()
        return ("error", f"{type(exc).__name__}: {' '.join(str(exc).split())}")
    Path(folder).mkdir(parents=True, exist_ok=True)
    for name, figure in drawn.items():
        path = Path(folder) / f"{name}.png"
        queued.append((path, functools.partial(figures.save, figure, path)))
    return ("ok", sorted(drawn))


def _write_next(queued: deque, failed: list[str]) -> None:
    path, write = queued.popleft()
    try:
        write()
    except Exception as exc:  # noqa: BLE001 - reported by flush; the traceback goes to build.log
        traceback.print_exc()
        sys.stderr.flush()
        failed.append(f"{path.name}: {type(exc).__name__}: {' '.join(str(exc).split())}")
