"""The report's building blocks: a table, a section, the read-only warehouse it reads, figure encoders."""

import dataclasses
import io
import json
from pathlib import Path

import pandas as pd


@dataclasses.dataclass
class Table:
    """A table of the report: every row goes to its CSV; the page shows the first ``shown`` rows."""

    frame: pd.DataFrame
    caption: str = ""
    shown: int = 25


@dataclasses.dataclass
class Section:
    """One part of the report: a heading, text, figures (name → figure) and tables (name → Table or frame)."""

    title: str
    text: str = ""
    figures: dict = dataclasses.field(default_factory=dict)
    tables: dict = dataclasses.field(default_factory=dict)
    missing: str = ""
    anchor: str = ""


class Warehouse:
    """Read-only access to the published warehouse for the report."""

    def __init__(self, path: Path):
        from warehouse.config import connect_published

        self.con = connect_published(path)
        self.tables = {
            f"{schema}.{name}"
            for schema, name in self.con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        } | {
            f"{schema}.{name}"
            for schema, name in self.con.execute("select schema_name, view_name from duckdb_views()").fetchall()
        }

    def has(self, *tables: str) -> bool:
        """Return whether every ``schema.table`` exists."""
        return all(t in self.tables for t in tables)

    def frame(self, sql: str) -> pd.DataFrame:
        """Run a query and return a DataFrame."""
        return self.con.execute(sql).df()

    def columns(self, table: str) -> list[str]:
        """Return the column names of ``schema.table``."""
        schema, name = table.split(".")
        return [
            r[0]
            for r in self.con.execute(
                "select column_name from duckdb_columns() where schema_name = ? and table_name = ? "
                "order by column_index",
                [schema, name],
            ).fetchall()
        ]

    def parameters(self) -> dict:
        """Return the parameters the warehouse was built with (``marts.build_info``), else the declared ones."""
        from warehouse.params import declared

        if "parameters" in self.columns("marts.build_info"):
            recorded = self.con.execute("select parameters from marts.build_info").fetchone()
            if recorded and recorded[0]:
                return {**declared(), **json.loads(recorded[0])}
        return dict(declared())

    def close(self) -> None:
        """Close the connection."""
        self.con.close()


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()
