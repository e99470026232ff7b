"""Interrupts of a build: which signal arrived, whatever handler was installed when it did.

Dagster replaces the SIGINT and SIGTERM handlers while it executes a job (it records the signal, or raises
inside the running step), so a handler of ours would not be called then. The C-level wakeup file
descriptor is written for every signal whichever Python handler runs: a build watches it, asks
:func:`received` at its boundaries (and before publishing), and exits 128 + the signal number.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

WATCHED = (signal.SIGINT, signal.SIGTERM)
_state: dict = {"read_fd": None, "signals": []}


class BuildInterrupted(KeyboardInterrupt):
    """Raised where a build notices an interrupt; a KeyboardInterrupt so nothing catches it by accident."""


def watch() -> None:
    """Start recording SIGINT and SIGTERM (main thread only; idempotent).

    Outside Dagster's execution the handler raises :class:`BuildInterrupted` at once (SIGTERM too, which
    by default would kill the process without a word and leave dbt running).
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if _state["read_fd"] is not None:  # a second build in the same process starts with a clean slate
        received()
        _state["signals"].clear()
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    _state["read_fd"] = read_fd
    for signum in WATCHED:
        signal.signal(signum, _raise)


def _raise(signum: int, _frame) -> None:
    raise BuildInterrupted(signum)


@contextlib.contextmanager
def raising_on_signals():
    """Within the block, SIGINT and SIGTERM raise :class:`BuildInterrupted` (a ``KeyboardInterrupt``).

    For code run in this process that handles ``KeyboardInterrupt`` itself, as dbt does (it cancels its
    queries and waits for its threads); Dagster's handler, which the block replaces, raises an exception
    such code does not expect. Outside the main thread handlers cannot be set: the block does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in WATCHED}
    for signum in WATCHED:
        signal.signal(signum, _raise)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def received() -> int | None:
    """Return the first watched signal this process received since :func:`watch`, or None."""
    read_fd = _state["read_fd"]
    if read_fd is not None:
        try:
            while chunk := os.read(read_fd, 512):
                _state["signals"] += [b for b in chunk if b in WATCHED]
        except BlockingIOError:
            pass
    return _state["signals"][0] if _state["signals"] else None


def check() -> None:
    """Raise :class:`BuildInterrupted` when a watched signal arrived (called where a build may stop)."""
    signum = received()
    if signum is not None:
        raise BuildInterrupted(signum)


def exit_status(signum: int) -> int:
    """Return the shell's exit status for a process stopped by ``signum`` (130 for SIGINT, 143 for SIGTERM)."""
    return 128 + int(signum)


def describe(signum: int) -> str:
    """Return ``SIGINT`` or ``SIGTERM``."""
    return signal.Signals(signum).name
