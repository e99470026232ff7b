"""Errors raised for bad input: one line that names the file, line and column."""

from __future__ import annotations


class InputError(Exception):
    """A problem with an input file, reported as ``file:line:column: message``.

    Parameters
    ----------
    path
        The file (or archive member) that is wrong.
    message
        What is wrong, in one line.
    line
        1-based line number in the file, when known.
    column
        Column name (or 1-based index) when known.
    """

    def __init__(self, path: object, message: str, line: int | None = None, column: object | None = None):
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = " ".join(str(message).split())
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Return the error as a single line for terminals and logs."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.column is not None:
            where += f": column {self.column}"
        return f"{where}: {self.message}"
