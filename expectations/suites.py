"""Shared shape of a suite: which rows to read and which expectations to hold."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

# Tables larger than this are validated on a deterministic reservoir sample of this many rows.
SAMPLE_ROWS = 200_000


@dataclasses.dataclass(frozen=True)
class Suite:
    """A Great Expectations suite over one warehouse table.

    Parameters
    ----------
    table
        ``schema.table`` in the warehouse.
    expectations
        Builders: each takes ``great_expectations.expectations`` and returns one expectation.
    columns
        Columns to read (default all).
    blocking
        Whether a failure stops the build (True: raw tables and Python-written marts) or is only reported
        as a warning (False: distribution checks on dbt-built tables, where known dirt is expected).
    """

    table: str
    expectations: tuple[Callable[[object], object], ...]
    columns: tuple[str, ...] = ()
    blocking: bool = True

    @property
    def name(self) -> str:
        """Suite name: the table it validates."""
        return self.table

    def select_sql(self, n_rows: int) -> str:
        """Return the SQL that reads the rows to validate (a fixed-seed sample for large tables)."""
        cols = ", ".join(f'"{c}"' for c in self.columns) if self.columns else "*"
        sql = f"select {cols} from {self.table}"
        if n_rows > SAMPLE_ROWS:
            sql += f" using sample reservoir({SAMPLE_ROWS} rows) repeatable (42)"
        return sql


def not_null(*columns: str) -> list[Callable]:
    """Return builders of not-null expectations for each column."""
    return [lambda e, c=c: e.ExpectColumnValuesToNotBeNull(column=c) for c in columns]


def between(column: str, low=None, high=None, mostly: float = 1.0) -> Callable:
    """Return a builder of a range expectation."""
    return lambda e: e.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high, mostly=mostly)


def matches(column: str, regex: str) -> Callable:
    """Return a builder of a full-match regular-expression expectation."""
    return lambda e: e.ExpectColumnValuesToMatchRegex(column=column, regex=f"^(?:{regex})$")


def unique(*columns: str) -> Callable:
    """Return a builder of a (compound) uniqueness expectation."""
    if len(columns) == 1:
        return lambda e: e.ExpectColumnValuesToBeUnique(column=columns[0])
    return lambda e: e.ExpectCompoundColumnsToBeUnique(column_list=list(columns))


def in_set(column: str, values) -> Callable:
    """Return a builder of a value-set expectation."""
    return lambda e: e.ExpectColumnValuesToBeInSet(column=column, value_set=list(values))


def has_columns(*columns: str) -> list[Callable]:
    """Return builders asserting that each column exists."""
    return [lambda e, c=c: e.ExpectColumnToExist(column=c) for c in columns]
