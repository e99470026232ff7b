"""Dagster resources: the warehouse being built and the folder of input files.

Connections are opened in short ``with`` blocks and never held across a dbt call: dbt runs in the build's
process but opens the file through dbt-duckdb with its own configuration, and DuckDB refuses a second
connection to a file with a different configuration in one process (and any second writing process).
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
        """Yield a DuckDB connection, closed (and checkpointed) when the block ends."""
        import duckdb

        from warehouse.config import memory_limit

        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(self.path, read_only=read_only)
        try:
            con.execute("set memory_limit = ?", [memory_limit()])
            yield con
        finally:
            con.close()


class InputsResource(dg.ConfigurableResource):
    """Where the input files are, which world they are, and what to do with bad rows."""

    data_dir: str
    source_kind: str = "demo"
    on_bad_rows: str = "fail"

    def root(self) -> Path:
        """Return the data folder as a path."""
        return Path(self.data_dir)
