"""Dagster resources: the warehouse being built and the folder of input files.

The assets take the warehouse in short ``with`` blocks, each a cursor on one connection the process keeps
open between them (:func:`release` closes it). Opening the file and closing it (a checkpoint) cost about
20 ms, some 60 times a build. The connection is released before anything else opens the file: every dbt
call (dbt runs in the build's process but opens the file through dbt-duckdb with its own configuration,
and DuckDB refuses a second connection to a file with a different configuration in one process), publish's
copy, and the end of a build.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import dagster as dg


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB file a build writes into (``METALNEXUS_DUCKDB``)."""

    path: str

    @contextlib.contextmanager
    def connect(self, read_only: bool = False) -> Iterator:
        """Yield a cursor on the process's connection to the warehouse, closed when the block ends.

        ``read_only`` says the block only reads; the cursor can write all the same (a read-only
        connection to a file this process has open for writing is refused by DuckDB).
        """
        from warehouse.config import memory_limit

        cursor = _connection(self.path).cursor()
        try:
            cursor.execute("set memory_limit = ?", [memory_limit()])
            yield cursor
        finally:
            cursor.close()


_open: dict = {"path": None, "connection": None}


def _connection(path: str):
    """Return the process's connection to ``path``, opening it (and releasing one to another file) if need be."""
    import atexit

    import duckdb

    if _open["path"] != path:
        release()
    if _open["connection"] is None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        _open["connection"] = duckdb.connect(path)
        _open["path"] = path
        atexit.register(release)
    return _open["connection"]


def release() -> None:
    """Close the process's warehouse connection, if one is open (DuckDB checkpoints the file as it closes)."""
    connection, _open["connection"], _open["path"] = _open["connection"], None, None
    if connection is not None:
        connection.close()


class InputsResource(dg.ConfigurableResource):
    """Where the input files are, which world they are, and what to do with bad rows."""

    data_dir: str
    source_kind: str = "demo"
    on_bad_rows: str = "fail"

    def root(self) -> Path:
        """Return the data folder as a path."""
        return Path(self.data_dir)
