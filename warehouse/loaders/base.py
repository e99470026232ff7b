"""The shared part of every loader: the connection, the bad-row policy, scans, checks and the load log."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb

from warehouse.csvio import (
    check_rows_read,
    fail_on,
    file_facts,
    scan_csv,
)
from warehouse.errors import InputError
from warehouse.plausibility import finite_rules
from warehouse.plausibility import rules as plausibility_rules

DDL_PATH = Path(__file__).parent.parent / "ddl.sql"
YEAR_COLUMN = re.compile(r"^(\d{4})$")
# BACI writes NA right-aligned in a 13-character quoted field ("           NA"); accept any padding.
NA_STRINGS = ("", "NA", *(" " * n + "NA" for n in range(1, 24)))
# HS6 codes lose their leading zeros in BACI's flow files (written as integers): pad them back.
# A code longer than 6 characters is kept as written (lpad would cut it), so the HS6 rule can refuse it.
HS6_SQL = "case when length(k) = 6 then k when length(trim(k)) > 6 then trim(k) else lpad(trim(k), 6, '0') end"
# Flow key as one integer (exact while codes stay below 1000 and HS6 is numeric, which the load checks):
# strictly increasing keys in file order prove there is no duplicate without a hash table of every flow.
FLOW_KEY_SQL = "i::bigint * 1000000000 + j::bigint * 1000000 + try_cast(k as bigint)"


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and its tables when absent."""
    con.execute(DDL_PATH.read_text())


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Return the hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _signature(path: Path) -> tuple[int, int]:
    """Return (size, modification time in ns): a change between two reads means the file was rewritten."""
    status = path.stat()
    return status.st_size, status.st_mtime_ns


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction: commit on success, roll back on any exception."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


class LoaderBase:
    """Shared state of one load: the connection, the bad-row policy and what was quarantined.

    Parameters
    ----------
    con
        Open DuckDB connection to the warehouse being built.
    source_kind
        ``demo`` or ``real``: recorded in the load log.
    on_bad_rows
        ``fail`` (default) or ``quarantine``.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, source_kind: str = "demo", on_bad_rows: str = "fail"):
        if on_bad_rows not in {"fail", "quarantine"}:
            raise ValueError("on_bad_rows must be 'fail' or 'quarantine'")
        self.con = con
        self.source_kind = source_kind
        self.on_bad_rows = on_bad_rows
        self.quarantined: list[dict] = []
        self._sha256: dict[str, str] = {}  # of the files read by _scan, for the load log
        ensure_raw_schema(con)

    # ----------------------------------------------------------------------------------------- helpers
    def _scan(self, path: Path, types: dict[str, str], count_rows: bool = True, **kwargs) -> str:
        """Parse one file into a temporary table (:func:`scan_csv`); the rows read must be the file's lines.

        The sha256 and the line count come from one read of the bytes in a thread beside DuckDB's parse;
        rows read (kept + set aside by the reader) must equal the data lines (:func:`check_rows_read`), so a
        line the reader skipped without a word fails the load, naming the file.
        """
        import threading

        before = _signature(path)
        start = len(self.quarantined)
        facts: dict = {}
        reader = threading.Thread(target=lambda: facts.update(file_facts(path)), daemon=True)
        reader.start()
        try:
            table = scan_csv(self.con, path, types, on_bad_rows=self.on_bad_rows, quarantine=self.quarantined, **kwargs)
        finally:
            reader.join()
        if _signature(path) != before:
            raise InputError(path, "file changed while being read; load it again once it is complete")
        self._sha256[str(path)] = facts["sha256"]
        if count_rows:
            read = self._count(table) + len({q["line"] for q in self.quarantined[start:]})
            skip, delim = kwargs.get("skip", 0), kwargs.get("delim", ",")
            check_rows_read(path, read, facts, skip=skip, delim=delim)
        return table

    def _log(self, table: str, partition: str | None, path: Path, rows: int, sha256: str | None = None) -> None:
        self.con.execute(
            "insert into raw.load_log values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                table,
                partition,
                str(path),
                sha256 or self._sha256.get(str(path)) or sha256_file(path),
                path.stat().st_size,
                rows,
                self.source_kind,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
            ],
        )

    def _reset(self, table: str, partition: str | None = None, where: str | None = None, params=()) -> None:
        self.con.execute(f"delete from raw.{table}" + (f" where {where}" if where else ""), list(params))
        if partition is None:
            self.con.execute("delete from raw.load_log where table_name = ?", [table])
            self.con.execute("delete from raw.quarantine where table_name = ?", [table])
        else:
            self.con.execute("delete from raw.load_log where table_name = ? and partition_key = ?", [table, partition])

    def _flush_quarantine(self, table: str, start: int) -> None:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for row in self.quarantined[start:]:
            self.con.execute(
                "insert into raw.quarantine values (?, ?, ?, ?, ?, ?)",
                [table, row["source_file"], row["line"], row["column_name"], row["reason"], now],
            )

    def _count(self, table: str) -> int:
        return int(self.con.execute(f"select count(*) from {table}").fetchone()[0])

    def _drop(self, table: str) -> None:
        self.con.execute(f"drop table if exists {table}")

    def _reject_rows(self, scan: str, path: Path, predicate: str, message: str, column: str | None) -> None:
        """Fail on rows matching ``predicate``; in quarantine mode move them to the quarantine instead."""
        if self.on_bad_rows != "quarantine":
            fail_on(self.con, scan, path, predicate, message, column)
            return
        rows = self.con.execute(f"select _line from {scan} where {predicate} order by _line").fetchall()
        for (line,) in rows:
            self.quarantined.append(
                {"source_file": str(path), "line": int(line), "column_name": column, "reason": message}
            )
        if rows:
            self.con.execute(f"delete from {scan} where {predicate}")

    def _check(self, scan: str, path: Path, rules: Sequence[tuple[str, str, str | None]]) -> None:
        """Apply row rules to a scanned file: one aggregate finds each rule's first bad line.

        A clean file costs that one pass. Otherwise the load fails at the first bad line (the earliest rule
        on a tie), or in quarantine mode every bad row is set aside, each with the first rule it breaks.
        """
        if not rules:
            return
        firsts = self.con.execute(
            "select " + ", ".join(f"min(_line) filter (where {p})" for p, _, _ in rules) + f" from {scan}"
        ).fetchall()[0]  # fetchall: an unfinished result would block register() on this connection
        failing = sorted((line, n) for n, line in enumerate(firsts) if line is not None)
        if failing and self.on_bad_rows != "quarantine":
            line, n = failing[0]
            raise InputError(path, rules[n][1], line=int(line), column=rules[n][2])
        for n in sorted(n for _, n in failing):
            self._reject_rows(scan, path, *rules[n])

    def _ingest(
        self,
        table: str,
        path: Path,
        types: dict[str, str],
        select: str,
        checks: Sequence[tuple[str, str, str | None]] = (),
        where: str | None = None,
        **scan_kwargs,
    ) -> int:
        """Scan one file, apply row checks, insert ``select`` (plus ``source_file``) into ``raw.<table>``, log it.

        ``checks`` are ``(predicate, message, column)``: rows where the SQL predicate holds fail the load
        (or are quarantined, with their reason, in ``raw.quarantine``). The table's plausibility rules
        (:mod:`warehouse.plausibility`) and finite numbers in every DOUBLE column are checked too.
        Returns the rows kept.
        """
        start = len(self.quarantined)
        scan = self._scan(path, types, **scan_kwargs)
        self._check(scan, path, [*checks, *finite_rules(types), *plausibility_rules(table)])
        condition = f" where {where}" if where else ""
        self.con.execute(f"insert into raw.{table} select {select}, ? from {scan}{condition}", [str(path)])
        rows = self._count(scan)
        self._log(table, None, path, rows)
        self._drop(scan)
        self._flush_quarantine(table, start)
        return rows
