"""Output plumbing shared by every source: the file writer and the number and quoting formats of the files.

:class:`_Writer` writes each file of the output folder as ``.partial-<name>`` and renames it when complete;
:func:`_num`, :func:`_g15` and :func:`_q` format numbers and CSV fields the way the official files do.
Writes nothing of its own and plants no truth.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
from collections.abc import Callable, Iterator
from typing import Any

ProgressFn = Callable[[str], None]


def _num(value: float, decimals: int) -> str:
    """Format ``value`` rounded to ``decimals`` places in its shortest form (no trailing zeros, no ``.0``)."""
    rounded = round(float(value), decimals)
    if rounded == int(rounded) and abs(rounded) < 1e15:
        return str(int(rounded))
    return repr(rounded)


def _g15(value: float) -> str:
    """Format a float with 15 significant digits, as World Bank and WGI files do."""
    return f"{float(value):.15g}"


def _q(text: object) -> str:
    """Quote one CSV field, doubling embedded quotes."""
    return '"' + str(text).replace('"', '""') + '"'


class _Writer:
    """Writes the files of one output folder through ``.partial-<name>`` files renamed when complete."""

    def __init__(self, root: pathlib.Path, progress: ProgressFn | None):
        self.root = root
        self.progress = progress
        self.written: list[str] = []

    def say(self, message: str) -> None:
        """Report progress, when a callback was given."""
        if self.progress is not None:
            self.progress(message)

    @contextlib.contextmanager
    def open(self, relative: str) -> Iterator[Any]:
        """Open ``relative`` for binary writing; the file appears under its name only once closed."""
        final = self.root / relative
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.parent / f".partial-{final.name}"
        try:
            with open(partial, "wb") as handle:
                yield handle
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, final)
        self.written.append(relative)

    def bytes(self, relative: str, data: bytes) -> None:
        """Write a whole file."""
        self.say(f"writing {relative}")
        with self.open(relative) as handle:
            handle.write(data)

    def text(self, relative: str, lines: list[str], newline: str, encoding: str = "utf-8", bom: bool = False) -> None:
        """Write ``lines`` joined by ``newline`` (a final newline included)."""
        data = newline.join(lines) + newline
        self.bytes(relative, (b"\xef\xbb\xbf" if bom else b"") + data.encode(encoding))
