"""Loaders for the official file formats into the ``raw`` schema of the warehouse.

Each loader takes an open DuckDB connection and the files of one source (or one BACI year), checks them,
and replaces that source's (or year's) rows in one transaction: loading the same input twice leaves the
table as after the first load, and a failure leaves it as before. Demo and real files go through the same
functions. Every loaded file is recorded in ``raw.load_log`` with its sha256.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import duckdb

from warehouse.buildfile import crash_point
from warehouse.csvio import (
    check_rows_read,
    count_records,
    csv_source,
    fail_on,
    file_facts,
    first_line,
    quote_ident,
    quote_literal,
    read_header,
    scan_csv,
    sniff_encoding,
)
from warehouse.errors import InputError
from warehouse.plausibility import WDI_COUNTRY_CODE, finite_rules, plausible_year, year_is_plausible
from warehouse.plausibility import rules as plausibility_rules

DDL_PATH = Path(__file__).with_name("ddl.sql")
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


class Loader:
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

    # ------------------------------------------------------------------------------------------- BACI
    def baci_year(self, year: int, paths: Sequence[Path]) -> int:
        """Load every BACI flow file of one year (``BACI_HS92_Y<year>_V*.csv[.gz]``), replacing that year.

        Nothing is accepted silently: every row is checked (year, codes against the country and product
        lists, HS6 form, signs, physically plausible values and unit values, duplicates), and the rows read
        must equal the file's data lines. A clean file costs one parse, straight into ``raw.baci_flows``,
        and one aggregate over the rows it gave (a count per rule, and distinct flow keys by hash, no sort);
        only a file with a problem is read again with line numbers to say where
        (:meth:`_baci_file_exact`).
        """
        start = len(self.quarantined)
        with transaction(self.con):
            self._reset("baci_flows", str(year), "t = ?", [year])
            total = 0
            for path in paths:
                total += self._baci_file(year, Path(path))
            self._flush_quarantine("baci_flows", start)
        return total

    @staticmethod
    def _baci_value_rules() -> list[tuple[str, str, str | None]]:
        """Return the rules on a BACI flow's value, quantity and unit value (thresholds are declared vars)."""
        from warehouse.params import params

        limits = params()
        max_v, max_q = float(limits["baci_max_value_kusd"]), float(limits["baci_max_quantity_t"])
        min_uv, max_uv = float(limits["baci_min_unit_value_usd_per_t"]), float(limits["baci_max_unit_value_usd_per_t"])
        return [
            ("v < 0", "negative trade value", "v"),
            ("q < 0", "negative quantity", "q"),
            (
                f"not isfinite(v) or v > {max_v!r}",
                f"trade value above {max_v:g} thousand USD (var baci_max_value_kusd), far above any flow ever "
                "recorded: not a plausible value",
                "v",
            ),
            (
                f"not isfinite(q) or q > {max_q!r}",
                f"quantity above {max_q:g} t (var baci_max_quantity_t): not a plausible value",
                "q",
            ),
            (
                # BACI rounds q to the kg, so tiny quantities give any unit value: judged from 1 t and 1 kUSD
                f"(q >= 1 and v > 0 and 1000 * v / q > {max_uv!r}) or (v >= 1 and q > 0 and 1000 * v / q < {min_uv!r})",
                f"unit value outside {min_uv:g}..{max_uv:g} USD per tonne (vars baci_min/max_unit_value_usd_per_t): "
                "an impossible quantity for this value",
                "q",
            ),
        ]

    def _baci_rules(self, year: int) -> list[tuple[str, str, str | None]]:
        """Return the row rules of a BACI flow file as ``(SQL predicate on t, i, j, k, v, q, message, column)``.

        ``k`` is the code as written (trimmed); the thresholds are declared parameters (dbt_project.yml).
        """
        rules = [
            (f"t is distinct from {int(year)}", f"year differs from {year} named in the file name", "t"),
            ("i is null", "exporter code missing", "i"),
            ("j is null", "importer code missing", "j"),
            ("k is null", "product code missing", "k"),
            ("length(k) > 6 or not regexp_full_match(lpad(k, 6, '0'), '[0-9A-Z]{6}')", "not an HS6 code", "k"),
            *self._baci_value_rules(),
        ]
        if self._count("raw.baci_countries"):
            rules += [
                (
                    "i not in (select country_code from raw.baci_countries)",
                    "exporter code not in the BACI country list",
                    "i",
                ),
                (
                    "j not in (select country_code from raw.baci_countries)",
                    "importer code not in the BACI country list",
                    "j",
                ),
            ]
        if self._count("raw.baci_products"):
            rules.append(
                (
                    "lpad(k, 6, '0') not in (select code from raw.baci_products)",
                    "product code not in the BACI product list",
                    "k",
                )
            )
        return rules

    @staticmethod
    def _baci_fast_rules(rules: Sequence[tuple[str, str, str | None]]) -> list[str]:
        """Return the rules as predicates on the rows as stored (``k`` already padded), cheapest form.

        Null keys never reach the table (the rows-read count catches them); with a product list, a code in
        it is a well-formed HS6 code, so the (costly) pattern test is left to the slow path.
        """
        has_products = any("raw.baci_products" in predicate for predicate, _, _ in rules)
        fast = []
        for predicate, _, _ in rules:
            if predicate.endswith("is null") or (has_products and "regexp_full_match" in predicate):
                continue
            fast.append(predicate.replace("lpad(k, 6, '0') not in", "k not in"))
        return fast

    def _baci_file(self, year: int, path: Path) -> int:
        """Load one BACI flow file into ``raw.baci_flows`` (inside the year's transaction); return its rows."""
        import threading

        before = _signature(path)
        facts: dict = {}
        reader = threading.Thread(target=lambda: facts.update(file_facts(path)), daemon=True)
        reader.start()  # sha256 and line count in parallel with DuckDB's parse (both read the same bytes)
        types = {"t": "SMALLINT", "i": "INTEGER", "j": "INTEGER", "k": "VARCHAR", "v": "DOUBLE", "q": "DOUBLE"}
        rules = self._baci_rules(year)
        source = quote_literal(str(path))
        try:
            source_sql, rejects = csv_source(path, types, nullstr=NA_STRINGS)
            inserted = self.con.execute(
                f"insert into raw.baci_flows select t, i, j, {HS6_SQL}, v, q, {source} from {source_sql} "
                "where t is not null and i is not null and j is not null and k is not null"
            ).fetchone()[0]
        except duckdb.Error as exc:
            reader.join()
            raise InputError(path, first_line(str(exc))) from None
        except InputError:
            reader.join()
            raise
        n_rejected = self.con.execute(f"select count(distinct line) from {rejects[0]}").fetchone()[0]
        for table in rejects:
            self.con.execute(f"drop table if exists {table}")
        checks = ", ".join(f"count(*) filter (where {predicate})" for predicate in self._baci_fast_rules(rules))
        # the rows this file gave, k as written but padded: the predicates see the same columns as in a scan
        # one pass: a count per rule, and whether the flow keys rise strictly in file order (CEPII writes its
        # files sorted by exporter, importer, product): then no flow can repeat
        got = self.con.execute(
            f"select count(*), count(*) filter (where step <= 0 or key is null) = 0 and max(i) < 1000 "
            f"and max(j) < 1000 and min(least(i, j)) >= 0, {checks} from ("
            f"select *, key - lag(key) over () as step from ("
            f"select *, {FLOW_KEY_SQL} as key from raw.baci_flows where source_file = {source}))"
        ).fetchone()
        n_rows, rising, bad = got[0], got[1], got[2:]
        # otherwise the distinct keys are counted by hash (no sort); a shortfall sends the file to the slow path
        n_keys = (
            n_rows
            if rising
            else self.con.execute(
                f"select count(distinct hash(i, j, k)) from raw.baci_flows where source_file = {source}"
            ).fetchone()[0]
        )
        reader.join()
        if _signature(path) != before:
            raise InputError(path, "file changed while being read; load it again once it is complete")
        if "error" in facts:
            raise InputError(path, facts["error"])
        clean = (
            n_rejected == 0
            and n_rows == inserted
            and n_keys == n_rows
            and not any(bad)
            and inserted == facts["data_lines"] - 1
        )
        if n_rows == 0 and n_rejected == 0:
            raise InputError(path, "file has a header but no flows", line=2)
        if not clean:
            # read it again, with line numbers, to say where (or quarantine what is wrong)
            self.con.execute(f"delete from raw.baci_flows where source_file = {source}")
            n_rows = self._baci_file_exact(year, path, rules, facts)
        crash_point("baci_year_load")  # inside the year's transaction: nothing of it may survive
        self._log("baci_flows", str(year), path, n_rows, sha256=facts["sha256"])
        return n_rows

    def _baci_file_exact(self, year: int, path: Path, rules, facts: dict) -> int:
        """Load one file the slow way: a scan with line numbers, every rule in one aggregate (its first bad line)."""
        start = len(self.quarantined)
        scan = self._scan(
            path,
            {"t": "SMALLINT", "i": "INTEGER", "j": "INTEGER", "k": "VARCHAR", "v": "DOUBLE", "q": "DOUBLE"},
            count_rows=False,  # counted below, with the rows its rules set aside
            nullstr=NA_STRINGS,
        )
        self.con.execute(f"update {scan} set k = trim(k)")
        rejected = {q["line"] for q in self.quarantined[start:]}
        firsts = self.con.execute(
            "select "
            + ", ".join(f"min(_line) filter (where {predicate})" for predicate, _, _ in rules)
            + f" from {scan}"
        ).fetchone()
        failing = sorted((line, n) for n, line in enumerate(firsts) if line is not None)
        if failing and self.on_bad_rows != "quarantine":
            line, n = failing[0]
            raise InputError(path, rules[n][1], line=int(line), column=rules[n][2])
        for n in sorted(n for _, n in failing):  # in rule order: a row takes the first reason it meets
            self._reject_rows(scan, path, rules[n][0], rules[n][1], rules[n][2])
        dup = self.con.execute(
            f"select max(_line) from {scan} group by t, i, j, lpad(k, 6, '0') having count(*) > 1 order by 1 limit 1"
        ).fetchone()
        if dup is not None:
            if self.on_bad_rows != "quarantine":
                raise InputError(path, "duplicate flow (same t, i, j, k)", line=int(dup[0]))
            later = self.con.execute(
                f"select _line from {scan} qualify row_number() over (partition by t, i, j, lpad(k, 6, '0') "
                "order by _line) > 1"
            ).fetchall()
            for (line,) in later:
                self.quarantined.append(
                    {"source_file": str(path), "line": int(line), "column_name": None, "reason": "duplicate flow"}
                )
            self.con.execute(
                f"delete from {scan} where _line in (select unnest(?::bigint[]))", [[int(x) for (x,) in later]]
            )
        rows = self._count(scan)
        if rows == 0 and len(self.quarantined) == start:
            self._drop(scan)
            raise InputError(path, "file has a header but no flows", line=2)
        # rows read (kept + set aside) must equal the file's data lines: DuckDB skips some lines without a
        # word (an over-long line); a quoted field spanning lines makes the physical count differ, so the
        # records are then counted exactly
        read = rows + len({q["line"] for q in self.quarantined[start:]} | rejected)
        lines = facts["data_lines"] - 1
        if read != lines:
            lines = count_records(path) - 1
        if read != lines:
            self._drop(scan)
            raise InputError(
                path,
                f"the file has {lines:,} data lines but {read:,} rows were read: a line was skipped by the CSV "
                "reader (an over-long line, a stray quote?)",
            )
        self.con.execute(
            f"insert into raw.baci_flows select t, i, j, {HS6_SQL}, v, q, ? from {scan}",
            [str(path)],
        )
        self._drop(scan)
        return rows

    def baci_other_release_flows(self, paths: Sequence[Path]) -> int:
        """Load the flow files of the BACI releases the build does not take its flows from.

        They go to ``raw.baci_other_release_flows`` (never ``raw.baci_flows``): unit values of items the
        build's release has no flows of. Rows without year, exporter, importer or product are left out, as
        for the flows. Returns the rows loaded.
        """
        types = {"t": "SMALLINT", "i": "INTEGER", "j": "INTEGER", "k": "VARCHAR", "v": "DOUBLE", "q": "DOUBLE"}
        with transaction(self.con):
            self._reset("baci_other_release_flows")
            for path in paths:
                self._ingest(
                    "baci_other_release_flows",
                    path,
                    types,
                    f"t, i, j, {HS6_SQL}, v, q",
                    checks=self._baci_value_rules(),  # an implausible flow would skew the unit values
                    where="t is not null and i is not null and j is not null and k is not null",
                    nullstr=NA_STRINGS,
                )
        return self._count("raw.baci_other_release_flows")

    def unused_inputs(self, skipped: Sequence[tuple[Path, str]]) -> int:
        """Record the input-looking files a build does not load (``Inventory.skipped``), replacing the list."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with transaction(self.con):
            self.con.execute("delete from raw.unused_inputs")
            if skipped:
                self.con.executemany(
                    "insert into raw.unused_inputs values (?, ?, ?)", [[str(p), why, now] for p, why in skipped]
                )
        return len(skipped)

    def baci_forget_years(self, keep: Sequence[int]) -> list[int]:
        """Drop the BACI years not in ``keep`` (their files are gone); return them.

        Each dropped year leaves a row in the load log (``source_kind`` ``removed``, no file) stamped now,
        so the incremental cleaning re-cleans every series that had a flow in it, as a re-loaded year does;
        the provenance marts leave those rows out.
        """
        gone = [
            int(y)
            for (y,) in self.con.execute(
                "select distinct t from raw.baci_flows where t not in (select unnest(?::smallint[])) order by 1",
                [list(keep)],
            ).fetchall()
        ]
        logged = [
            int(y)
            for (y,) in self.con.execute(
                "select distinct try_cast(partition_key as smallint) from raw.load_log "
                "where table_name = 'baci_flows' and source_kind <> 'removed' "
                "and try_cast(partition_key as smallint) not in (select unnest(?::smallint[]))",
                [list(keep)],
            ).fetchall()
            if y is not None
        ]
        return self.baci_forget(sorted(set(gone) | set(logged)))

    def baci_forget(self, years: Sequence[int]) -> list[int]:
        """Drop these BACI years, leaving a ``removed`` row per year in the load log (see ``baci_forget_years``)."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with transaction(self.con):
            for year in years:
                self.con.execute("delete from raw.baci_flows where t = ?", [year])
                self.con.execute(
                    "delete from raw.load_log where table_name = 'baci_flows' and partition_key = ?", [str(year)]
                )
                self.con.execute(
                    "insert into raw.load_log values ('baci_flows', ?, '', '', 0, 0, 'removed', ?)", [str(year), now]
                )
        return list(years)

    def baci_year_is_loaded(self, year: int, paths: Sequence[Path]) -> bool:
        """Tell whether ``raw.baci_flows`` already holds ``year`` from exactly these files, unchanged.

        Unchanged means: the load log of the year names the same files with the same sha256 and source kind,
        nothing of them was quarantined, and every exporter, importer and product is still in the BACI
        country and product lists (which may have been re-loaded since). A build then keeps the year instead
        of re-loading it, so incremental cleaning re-cleans only the series of years that did change.
        """
        logged = self.con.execute(
            "select source_file, sha256, source_kind from raw.load_log "
            "where table_name = 'baci_flows' and partition_key = ?",
            [str(year)],
        ).fetchall()
        if not logged or {f for f, _, _ in logged} != {str(p) for p in paths}:
            return False
        if any(kind != self.source_kind for _, _, kind in logged):
            return False
        if {(f, digest) for f, digest, _ in logged} != {(str(p), sha256_file(p)) for p in paths}:
            return False
        quarantined = self.con.execute(
            "select count(*) from raw.quarantine where table_name = 'baci_flows' and source_file in "
            "(select unnest(?::varchar[]))",
            [[str(p) for p in paths]],
        ).fetchone()[0]
        if quarantined:
            return False
        products = "or k not in (select code from raw.baci_products)" if self._count("raw.baci_products") else ""
        unknown = self.con.execute(
            "select count(*) from raw.baci_flows where t = ? and ("
            "i not in (select country_code from raw.baci_countries) "
            f"or j not in (select country_code from raw.baci_countries) {products})",
            [year],
        ).fetchone()[0]
        return unknown == 0

    def baci_countries(self, paths: Path | Sequence[Path]) -> int:
        """Load BACI's country lists (``country_codes_V*.csv[.gz]``): their union, the first file winning per code.

        Give the lists newest release first (``Inventory.baci_country_lists``). Both of BACI's header
        layouts are read: the older ``country_code, country_name_abbreviation, country_name_full,
        iso_2digit_alpha, iso_3digit_alpha`` and the newer ``country_code, country_name, country_iso2,
        country_iso3`` (whose one name fills both name columns).
        """
        paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
        with transaction(self.con):
            self._reset("baci_countries")
            for path in paths:
                header = {name.lower() for name in read_header(path, encoding=sniff_encoding(path))}
                if {"country_name", "country_iso3"} <= header:
                    columns = "country_name, country_name, country_iso2, country_iso3"
                    required = ["country_code", "country_name", "country_iso2", "country_iso3"]
                else:
                    columns = "country_name_abbreviation, country_name_full, iso_2digit_alpha, iso_3digit_alpha"
                    required = ["country_code", "country_name_abbreviation", "iso_3digit_alpha"]
                scan = self._scan(path, {"country_code": "INTEGER"}, required=required)
                fail_on(self.con, scan, path, "country_code is null", "country code missing", "country_code")
                dup = self.con.execute(
                    f"select max(_line) from {scan} group by country_code having count(*) > 1 limit 1"
                ).fetchone()
                if dup:
                    raise InputError(path, "country code listed twice", line=int(dup[0]), column="country_code")
                # an earlier (newer) list already holds the code: its entry wins
                self.con.execute(
                    f"insert into raw.baci_countries select country_code, {columns}, ? from {scan} "
                    "where country_code not in (select country_code from raw.baci_countries)",
                    [str(path)],
                )
                self._log("baci_countries", None, path, self._count(scan))
                self._drop(scan)
            rows = self._count("raw.baci_countries")
        return rows

    def baci_products(self, paths: Path | Sequence[Path]) -> int:
        """Load BACI's HS92 product lists (``product_codes_HS92_V*.csv[.gz]``); codes padded to 6 characters.

        Give the lists newest release first: the table is their union, the first file winning per code.
        """
        paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
        bad_code = "length(trim(code)) > 6 or not regexp_full_match(lpad(trim(code), 6, '0'), '[0-9A-Z]{6}')"
        with transaction(self.con):
            self._reset("baci_products")
            for path in paths:
                scan = self._scan(path, {"code": "VARCHAR"}, required=["code", "description"])
                self._reject_rows(scan, path, bad_code, "product code is not a 6-character HS code", "code")
                dup = self.con.execute(
                    f"select max(_line) from {scan} group by lpad(trim(code), 6, '0') having count(*) > 1 limit 1"
                ).fetchone()
                if dup:
                    raise InputError(path, "product code listed twice", line=int(dup[0]), column="code")
                # an earlier (newer) list already holds the code: its entry wins
                self.con.execute(
                    f"insert into raw.baci_products select lpad(trim(code), 6, '0'), description, ? from {scan} "
                    "where lpad(trim(code), 6, '0') not in (select code from raw.baci_products)",
                    [str(path)],
                )
                self._log("baci_products", None, path, self._count(scan))
                self._drop(scan)
            return self._count("raw.baci_products")

    # -------------------------------------------------------------------------------------- World Bank
    def wdi(self, wide: Sequence[Path], long: Sequence[Path], metadata: Sequence[Path]) -> int:
        """Load World Bank indicator files: wide downloads (4 preamble lines), long files, and metadata."""
        start = len(self.quarantined)
        with transaction(self.con):
            self._reset("wdi_values")
            self._reset("wdi_indicators")
            total = 0
            for path in wide:
                total += self._wdi_wide(path)
            for path in long:
                total += self._wdi_long(path)
            for path in metadata:
                scan = self._scan(path, {"INDICATOR_CODE": "VARCHAR"})
                self.con.execute(
                    "insert into raw.wdi_indicators select indicator_code, indicator_name, source_note, "
                    f"source_organization, ? from {scan} where indicator_code is not null",
                    [str(path)],
                )
                self._log("wdi_indicators", None, path, self._count(scan))
                self._drop(scan)
            self._flush_quarantine("wdi_values", start)
        return total

    def _wdi_wide(self, path: Path) -> int:
        # Per-indicator downloads (API_*.csv) open with 4 preamble lines; the bulk WDICSV.csv does not.
        encoding = sniff_encoding(path)
        skip = 4 if read_header(path, encoding=encoding)[:1] == ["Data Source"] else 0
        header = read_header(path, skip=skip, encoding=encoding)
        years = [name for name in header if YEAR_COLUMN.match(name)]
        if not years:
            raise InputError(path, "no year columns (1960, 1961, …) in the header", line=skip + 1)
        for year in years:
            if (why := year_is_plausible(int(year))) is not None:
                raise InputError(path, f"year column {year}: {why}", line=skip + 1, column=year)
        types = {**{y: "DOUBLE" for y in years}, "Country Code": "VARCHAR", "Indicator Code": "VARCHAR"}
        scan = self._scan(path, types, skip=skip)
        fail_on(self.con, scan, path, '"Indicator Code" is null', "indicator code missing", "Indicator Code")
        self._check(scan, path, [WDI_COUNTRY_CODE, *finite_rules(types)])
        year_list = ", ".join(quote_ident(y) for y in years)
        self._wdi_insert(
            path,
            f"""
            select _line, "Country Name" as country_name, "Country Code" as country_code,
                   "Indicator Name" as indicator_name, "Indicator Code" as indicator_code,
                   year as column_name, cast(year as smallint) as year, value
            from (unpivot (select * from {scan}) on {year_list} into name year value value)
            where value is not null
            """,
        )
        rows = self._count(scan)
        self._log("wdi_values", None, path, rows)
        self._drop(scan)
        return rows

    def _wdi_long(self, path: Path) -> int:
        header = read_header(path, encoding=sniff_encoding(path))
        indicators = [name for name in header if name.startswith("average_value_")]
        if not indicators:
            raise InputError(path, "long format needs average_value_<indicator> columns", line=1)
        types = {**{name: "DOUBLE" for name in indicators}, "Year": "SMALLINT", "Country Code": "VARCHAR"}
        scan = self._scan(path, types)
        fail_on(self.con, scan, path, '"Year" is null', "year missing", "Year")
        self._check(scan, path, [plausible_year('"Year"'), WDI_COUNTRY_CODE, *finite_rules(types)])
        names = ", ".join(quote_ident(name) for name in indicators)
        # the indicator is named by its column (average_value_<indicator>): its rules apply by that name
        self._wdi_insert(
            path,
            f"""
            select _line, "Country Name" as country_name, "Country Code" as country_code,
                   substr(indicator, 15) as indicator_name, substr(indicator, 15) as indicator_code,
                   indicator as column_name, "Year" as year, value
            from (unpivot (select * from {scan}) on {names} into name indicator value value)
            where value is not null
            """,
            code_known=False,
        )
        rows = self._count(scan)
        self._log("wdi_values", None, path, rows)
        self._drop(scan)
        return rows

    def _long_checked(self, path: Path, long_sql: str, rules) -> str:
        """Write a wide file's cells long into a temporary table, apply ``rules`` to them, return its name.

        ``long_sql`` yields ``_line``, ``column_name`` and the values.
        A cell breaking a rule fails the load naming its line and column, or in quarantine mode is set aside
        alone (the row's other cells stay).
        """
        long = f"long_{uuid.uuid4().hex[:12]}"
        self.con.execute(f"create temp table {long} as {long_sql}")
        for predicate, reason, _ in rules:
            bad = self.con.execute(f"select _line, column_name from {long} where {predicate} order by _line").fetchall()
            if bad and self.on_bad_rows != "quarantine":
                self._drop(long)
                raise InputError(path, reason, line=int(bad[0][0]), column=bad[0][1])
            for line, column in bad:
                self.quarantined.append(
                    {"source_file": str(path), "line": int(line), "column_name": column, "reason": reason}
                )
            if bad:
                self.con.execute(f"delete from {long} where {predicate}")
        return long

    def _frame_checked(self, path: Path, frame, rules, select: str = "*") -> str:
        """Copy a frame a Python reader made (with its ``_line``) into a temporary table, check it, return its name.

        ``rules`` as in :meth:`_check` (fail, or quarantine). ``select`` may rename columns so that a
        source's rules, written for its CSV layout, apply to a workbook's frame.
        """
        table = f"frame_{uuid.uuid4().hex[:12]}"
        self.con.register("reader_df", frame)
        self.con.execute(f"create temp table {table} as select {select} from reader_df")
        self.con.unregister("reader_df")
        self._check(table, path, rules)
        return table

    def _wdi_insert(self, path: Path, long_sql: str, code_known: bool = True) -> None:
        """Insert one World Bank file's values, long (``long_sql``), after the indicator rules.

        ``long_sql`` yields ``_line, country_name, country_code, indicator_name, indicator_code, column_name,
        year, value``. A value its indicator cannot take (:func:`warehouse.plausibility.rules` of
        ``wdi_values``) fails the load naming the line and the column, or is quarantined alone (the row's
        other years stay). ``code_known`` false: the code is the column's name only, not stored.
        """
        long = self._long_checked(path, long_sql, plausibility_rules("wdi_values"))
        code = "indicator_code" if code_known else "null"
        self.con.execute(
            f"insert into raw.wdi_values select country_name, country_code, indicator_name, {code}, year, value, ? "
            f"from {long}",
            [str(path)],
        )
        self._drop(long)

    def sdg_series(self, path: Path) -> int:
        """Load the World Bank SDG series list (``SDGSeries.csv``)."""
        with transaction(self.con):
            self._reset("sdg_series")
            return self._ingest(
                "sdg_series",
                path,
                {"Series Code": "VARCHAR", "Topic": "VARCHAR", "Indicator Name": "VARCHAR"},
                '"Series Code", "Topic", "Indicator Name", "Unit of measure", "Other notes"',
                where='"Series Code" is not null',
            )

    # --------------------------------------------------------------------------------- OWID and WGI
    def owid(self, path: Path) -> int:
        """Load OWID's CO2 and GHG dataset (country-year)."""
        numeric = ["co2", "total_ghg", "methane", "nitrous_oxide", "primary_energy_consumption", "population", "gdp"]
        with transaction(self.con):
            self._reset("owid_co2")
            return self._ingest(
                "owid_co2",
                path,
                {"iso_code": "VARCHAR", "country": "VARCHAR", "year": "SMALLINT", **{c: "DOUBLE" for c in numeric}},
                f"iso_code, country, year, {', '.join(numeric)}",
                [("year is null", "year missing", "year")],
            )

    def wgi(self, path: Path) -> int:
        """Load the Worldwide Governance Indicators: the official workbook (``.xlsx``) or the long CSV layout."""
        if path.suffix.lower() == ".xlsx":
            return self._wgi_workbook(path)
        numeric = ["Estimate", "StdErr", "NumSrc", "Rank", "Lower", "Upper"]
        with transaction(self.con):
            self._reset("wgi")
            return self._ingest(
                "wgi",
                path,
                {"Code": "VARCHAR", "Year": "SMALLINT", "Indicator": "VARCHAR", **{c: "DOUBLE" for c in numeric}},
                '"Country/Territory", "Code", "Year", "Estimate", "StdErr", "NumSrc", "Rank", "Lower", "Upper", '
                '"Indicator"',
                [('"Year" is null', "year missing", "Year"), ('"Indicator" is null', "indicator missing", "Indicator")],
                nullstr=("", "NA"),
            )

    def _wgi_workbook(self, path: Path) -> int:
        from warehouse.wgi_workbook import read_wgi_workbook

        before = _signature(path)
        frame = read_wgi_workbook(path)
        if _signature(path) != before:
            raise InputError(path, "file changed while being read; load it again once it is complete")
        with transaction(self.con):
            self._reset("wgi")
            start = len(self.quarantined)
            # the rules of the CSV layout, on the workbook's columns under the CSV's names
            table = self._frame_checked(
                path,
                frame,
                plausibility_rules("wgi"),
                '_line, country, code as "Code", year as "Year", estimate as "Estimate", std_err as "StdErr", '
                'num_src as "NumSrc", rank as "Rank", lower as "Lower", upper as "Upper", indicator',
            )
            self.con.execute(
                'insert into raw.wgi select country, "Code", "Year", "Estimate", "StdErr", "NumSrc", "Rank", '
                f'"Lower", "Upper", indicator, ? from {table}',
                [str(path)],
            )
            rows = self._count(table)
            self._drop(table)
            self._log("wgi", None, path, rows)
            self._flush_quarantine("wgi", start)
        return rows

    # --------------------------------------------------------------------------------- material flows
    def irp(self, extraction: Sequence[Path], ccc: Sequence[Path]) -> int:
        """Load UN IRP domestic extraction (``;``-separated) and its CCC material code list."""
        types = {
            "alphanumiso": "VARCHAR",
            "CCC_Code": "VARCHAR",
            "year": "SMALLINT",
            "unit": "VARCHAR",
            "value": "DOUBLE",
        }
        checks = [("year is null", "year missing", "year"), ("value < 0", "negative extraction", "value")]
        with transaction(self.con):
            self._reset("irp_extraction")
            self._reset("irp_ccc")
            total = sum(
                self._ingest(
                    "irp_extraction", path, types, "alphanumiso, ccc_code, year, unit, value", checks, delim=";"
                )
                for path in extraction
            )
            for path in ccc:
                self._ingest(
                    "irp_ccc",
                    path,
                    {"CCC_Code": "VARCHAR", "CCC_Name": "VARCHAR"},
                    "ccc_code, ccc_name, mfa13plus, mfa4plus",
                    delim=";",
                )
        return total

    def bgs(self, paths: Sequence[Path]) -> int:
        """Load BGS world mineral production files (``BGS_<commodity>_production.csv``)."""
        types = {"country_iso3_code": "VARCHAR", "year": "VARCHAR", "quantity": "DOUBLE", "units": "VARCHAR"}
        # BGS writes years as dates ("1971-01-01 00:00:00") in some files and as years in others
        bad_year = ("not regexp_matches(coalesce(year, ''), '^\\d{4}')", "year is not a date or year", "year")
        with transaction(self.con):
            self._reset("bgs_production")
            total = 0
            for path in paths:
                commodity = quote_literal(re.sub(r"^BGS_|_production$", "", path.stem))
                total += self._ingest(
                    "bgs_production",
                    path,
                    types,
                    f"{commodity}, country_iso3_code, country_trans, bgs_commodity_trans, bgs_sub_commodity_trans, "
                    "erml_commodity, erml_sub_commodity, bgs_statistic_type_trans, "
                    "cast(substr(year, 1, 4) as smallint), quantity, units",
                    [bad_year],
                )
        return total

    # ------------------------------------------------------------------------------------ scenarios
    def iamc(self, paths: Sequence[Path]) -> int:
        """Load scenario files in IAMC wide format (model, scenario, region, variable, unit, years…)."""
        with transaction(self.con):
            self._reset("scenario_values")
            total = 0
            for path in paths:
                header = read_header(path, encoding=sniff_encoding(path))
                years = [name for name in header if YEAR_COLUMN.match(name)]
                keys = {name.lower(): name for name in header if not YEAR_COLUMN.match(name)}
                for needed in ("model", "scenario", "region", "variable", "unit"):
                    if needed not in keys:
                        raise InputError(path, f"IAMC header lacks {needed!r}", line=1)
                if not years:
                    raise InputError(path, "IAMC file has no year columns", line=1)
                for year in years:
                    if (why := year_is_plausible(int(year), "scenario")) is not None:
                        raise InputError(path, f"year column {year}: {why}", line=1, column=year)
                start = len(self.quarantined)
                types = {y: "DOUBLE" for y in years}
                scan = self._scan(path, types)
                self._check(scan, path, finite_rules(types))
                cols = {k: quote_ident(keys[k]) for k in ("model", "scenario", "region", "variable", "unit")}
                year_list = ", ".join(quote_ident(y) for y in years)
                long = self._long_checked(
                    path,
                    f"""
                    select _line, {cols["model"]} as model, {cols["scenario"]} as scenario,
                           {cols["region"]} as region, {cols["variable"]} as variable, {cols["unit"]} as unit,
                           year as column_name, cast(year as smallint) as year, value
                    from (unpivot (select * from {scan}) on {year_list} into name year value value)
                    where value is not null
                    """,
                    plausibility_rules("scenario_values"),
                )
                self.con.execute(
                    "insert into raw.scenario_values select model, scenario, region, variable, unit, year, value, ? "
                    f"from {long}",
                    [str(path)],
                )
                self._drop(long)
                rows = self._count(scan)
                self._log("scenario_values", None, path, rows)
                self._drop(scan)
                self._flush_quarantine("scenario_values", start)
                total += rows
        return total

    # ------------------------------------------------------------------------------------ metal content
    def metal_content(self, paths: Sequence[Path]) -> int:
        """Load metal-content tables (``hs6,metal,content_share,basis,source``)."""
        checks = [
            ("content_share < 0 or content_share > 1", "content share outside 0..1", "content_share"),
            (
                "length(trim(hs6)) > 6 or not regexp_full_match(lpad(trim(hs6), 6, '0'), '[0-9]{6}')",
                "not an HS6 code",
                "hs6",
            ),
        ]
        with transaction(self.con):
            self._reset("metal_content")
            return sum(
                self._ingest(
                    "metal_content",
                    path,
                    {"hs6": "VARCHAR", "metal": "VARCHAR", "content_share": "DOUBLE"},
                    "lpad(trim(hs6), 6, '0'), trim(metal), content_share, basis, source",
                    checks,
                )
                for path in paths
            )

    # ------------------------------------------------------------------------------- metal flag sources
    def hs_raw_materials(self, paths: Sequence[Path], refs: Sequence[Path] = ()) -> int:
        """Load raw-material HS code lists (``Raw Material,Supply Chain Stage,Symbol,HS Code,…``) and their references.

        ``HS Code`` is a 6-digit HS code or ``Not Available`` (kept, as null); ``HS Code - Additional``
        holds further codes, ``;``-separated. ``refs`` (``…_metadata.csv``: ``Raw Material, HS Code Mapping
        Reference, Comment``) go to ``raw.hs_raw_material_refs``. Returns the code-list rows loaded.
        """
        hs = 'trim("HS Code")'
        bad_code = f"{hs} <> 'Not Available' and not regexp_full_match({hs}, '[0-9]{{6}}')"
        with transaction(self.con):
            self._reset("hs_raw_materials")
            self._reset("hs_raw_material_refs")
            for path in refs:
                self._ingest(
                    "hs_raw_material_refs",
                    path,
                    {"Raw Material": "VARCHAR", "HS Code Mapping Reference": "VARCHAR", "Comment": "VARCHAR"},
                    'trim("Raw Material"), "HS Code Mapping Reference", "Comment"',
                    where='"Raw Material" is not null',
                )
            return sum(
                self._ingest(
                    "hs_raw_materials",
                    path,
                    {},
                    f"trim(\"Raw Material\"), nullif(trim(\"Supply Chain Stage\"), ''), nullif(trim(Symbol), ''), "
                    f"nullif({hs}, 'Not Available'), nullif(trim(\"HS Code - Additional\"), ''), "
                    '"HS Codes Description"',
                    [(bad_code, "HS Code is neither a 6-digit code nor 'Not Available'", "HS Code")],
                    required=["Raw Material", "Supply Chain Stage", "Symbol", "HS Code", "HS Code - Additional"],
                )
                for path in paths
            )

    def device_boms(self, paths: Sequence[Path]) -> int:
        """Load device bills of materials in Babbitt et al.'s long layout.

        Columns ``model,year,component,product,material,value``; ``value`` is grams; the first, unnamed
        column (a row number) is not kept.
        """
        checks = [("value is null or value < 0", "grams missing or negative", "value")]
        with transaction(self.con):
            self._reset("device_bom_grams")
            return sum(
                self._ingest(
                    "device_bom_grams",
                    path,
                    {"value": "DOUBLE"},
                    "trim(model), trim(year), trim(component), trim(product), trim(material), value",
                    checks,
                    required=["model", "year", "component", "product", "material", "value"],
                )
                for path in paths
            )

    def hs_conversions(self, paths: Sequence[Path]) -> int:
        """Load UN Statistics Division HS<year> → HS1992 conversion tables (``HS<year>toHS1992*.xlsx``).

        The first sheet of each workbook is the one-to-one conversion: a header ``From HS <year>`` and
        ``To HS 1992`` (or ``From HS 1992``), one row per code of the newer edition. Returns the rows loaded.
        """
        import pandas as pd

        with transaction(self.con):
            self._reset("hs_conversions")
            for path in paths:
                try:
                    sheet = pd.read_excel(path, sheet_name=0, dtype=str)
                except Exception as exc:  # a damaged or foreign workbook: say which file
                    raise InputError(path, f"cannot read the conversion sheet: {first_line(str(exc))}") from None
                heads = [str(c).strip() for c in sheet.columns]
                match = re.match(r"^From HS (\d{4})$", heads[0]) if heads else None
                if match is None or len(heads) < 2 or not heads[1].endswith("HS 1992"):
                    raise InputError(path, f"expected columns 'From HS <year>' and 'To HS 1992', found {heads[:2]}")
                frame = pd.DataFrame(
                    {
                        "from_edition": int(match.group(1)),
                        "from_hs6": sheet.iloc[:, 0].str.strip().str.zfill(6),
                        "hs92": sheet.iloc[:, 1].str.strip().str.zfill(6),
                    }
                ).dropna()
                self.con.register("hs_conversion_frame", frame)
                self.con.execute(
                    "insert into raw.hs_conversions select from_edition, from_hs6, hs92, ? from hs_conversion_frame",
                    [str(path)],
                )
                self.con.unregister("hs_conversion_frame")
                self._log("hs_conversions", None, path, len(frame))
        return self._count("raw.hs_conversions")

    def ewaste_cn_keys(self, paths: Sequence[Path]) -> int:
        """Load UNU's CN8 → e-waste key table (``CN,Year,UNU_Key``)."""
        checks = [
            ("not regexp_full_match(trim(CN), '[0-9]{8}')", "CN is not an 8-digit code", "CN"),
            ("Year is null", "Year missing", "Year"),
        ]
        with transaction(self.con):
            self._reset("ewaste_cn_keys")
            return sum(
                self._ingest(
                    "ewaste_cn_keys",
                    path,
                    {"Year": "SMALLINT"},
                    "trim(CN), Year, nullif(trim(UNU_Key), '')",
                    checks,
                    required=["CN", "Year", "UNU_Key"],
                )
                for path in paths
            )

    # ------------------------------------------------------------------------- mine production, Comtrade
    def mine_production(self, paths: Sequence[Path]) -> int:
        """Load long mine-production files (``commodity,country,iso,year,value``), replacing the table."""
        types = {"commodity": "VARCHAR", "country": "VARCHAR", "iso": "INTEGER", "year": "SMALLINT", "value": "DOUBLE"}
        checks = [
            ("commodity is null", "commodity missing", "commodity"),
            ("year is null", "year missing", "year"),
            ("value < 0", "negative production", "value"),
        ]
        with transaction(self.con):
            self._reset("mine_production")
            return sum(
                # the file marks a value it does not have with '^' (22 rows of the 1970-2020 file): missing
                self._ingest(
                    "mine_production",
                    path,
                    types,
                    "trim(commodity), trim(country), iso, year, value",
                    checks,
                    nullstr=("", "^"),
                )
                for path in paths
            )

    def comtrade(self, paths: Sequence[Path]) -> int:
        """Load UN Comtrade files in the API v1 column layout (``typeCode, freqCode, … primaryValue``)."""
        types = {
            "refYear": "SMALLINT",
            "reporterCode": "INTEGER",
            "partnerCode": "INTEGER",
            "partner2Code": "INTEGER",
            "flowCode": "VARCHAR",
            "classificationCode": "VARCHAR",
            "cmdCode": "VARCHAR",
            "customsCode": "VARCHAR",
            "motCode": "INTEGER",
            "netWgt": "DOUBLE",
            "qty": "DOUBLE",
            "qtyUnitCode": "INTEGER",
            "primaryValue": "DOUBLE",
        }
        checks = [
            ('"refYear" is null', "year missing", "refYear"),
            ('"reporterCode" is null', "reporter code missing", "reporterCode"),
            ('"partnerCode" is null', "partner code missing", "partnerCode"),
            ('"flowCode" is null', "flow code missing", "flowCode"),
            (
                "not regexp_full_match(trim(\"cmdCode\"), '[0-9]{2}|[0-9]{4}|[0-9]{6}|TOTAL')",
                "not an HS2, HS4 or HS6 code",
                "cmdCode",
            ),
            ('"netWgt" < 0', "negative net weight", "netWgt"),
            ('"primaryValue" < 0', "negative trade value", "primaryValue"),
        ]
        select = (
            '"refYear", "reporterCode", "partnerCode", trim("flowCode"), "classificationCode", trim("cmdCode"), '
            '"customsCode", "motCode", "partner2Code", "netWgt", "qty", "qtyUnitCode", "primaryValue"'
        )
        with transaction(self.con):
            self._reset("comtrade_flows")
            return sum(self._ingest("comtrade_flows", path, types, select, checks) for path in paths)

    # ------------------------------------------------------------------------------------------- IO
    def wiod(self, paths: Sequence[Path]) -> int:
        """Load WIOD national IO tables (``<ISO3>_NIOT_nov16.csv``), replacing the table."""
        from warehouse.wiod import read_wiod_niot

        with transaction(self.con):
            self._reset("wiod_niot_values")
            total = 0
            start = len(self.quarantined)
            for path in paths:
                before = _signature(path)
                frame = read_wiod_niot(path)
                facts = file_facts(path)
                if _signature(path) != before:
                    raise InputError(path, "file changed while being read; load it again once it is complete")
                # line 1 the codes, line 2 the names: the records after them must all have been read
                check_rows_read(path, frame.attrs["records"], facts, skip=1, delim=";")
                table = self._frame_checked(
                    path, frame, [plausible_year("year"), *finite_rules({"value_musd": "DOUBLE"})]
                )
                self.con.execute(
                    "insert into raw.wiod_niot_values select country, year, row_code, origin, col_code, value_musd, ? "
                    f"from {table}",
                    [str(path)],
                )
                rows = self._count(table)
                self._drop(table)
                self._log("wiod_niot_values", None, path, rows, sha256=facts["sha256"])
                total += rows
            self._flush_quarantine("wiod_niot_values", start)
        return total

    def oecd_iot(self, paths: Sequence[Path], years: Iterable[int] | None = None) -> int:
        """Load the OECD national IO tables (zip of ``<ISO3><year>dom.csv``), only ``years`` (all if None).

        One ``raw.load_log`` row per archive; ``source_file`` of each row is ``<zip>!<member>``.
        """
        import zipfile

        from warehouse.oecd_iot import oecd_members, read_oecd_member

        with transaction(self.con):
            self._reset("oecd_iot_values")
            total = 0
            start = len(self.quarantined)
            for path in paths:
                before = _signature(path)
                members = oecd_members(path, years)
                rows = 0
                with zipfile.ZipFile(path) as archive:
                    for member, iso3, year in members:
                        where = f"{path}!{member}"
                        if (why := year_is_plausible(year)) is not None:
                            raise InputError(where, f"year {year} in the member's name: {why}")
                        frame = read_oecd_member(archive, path, member)
                        table = self._frame_checked(where, frame, finite_rules({"value_musd": "DOUBLE"}))
                        self.con.execute(
                            "insert into raw.oecd_iot_values select ?, ?, row_code, col_code, value_musd, ? "
                            f"from {table}",
                            [iso3, year, where],
                        )
                        rows += self._count(table)
                        self._drop(table)
                if _signature(path) != before:
                    raise InputError(path, "file changed while being read; load it again once it is complete")
                self._log("oecd_iot_values", None, path, rows)
                total += rows
            self._flush_quarantine("oecd_iot_values", start)
        return total

    def io_tables(self, workbooks: Sequence[Path], long_files: Iterable[Path] = ()) -> int:
        """Load IO tables: MIC-layout workbooks (``Value_data``/``Set_data``) and generic long CSVs."""
        from warehouse.io_workbook import read_io_workbook

        with transaction(self.con):
            self._reset("io_values")
            self._reset("io_sectors")
            total = 0
            start = len(self.quarantined)
            for path in workbooks:
                values, sectors = read_io_workbook(path)
                table = self._frame_checked(path, values, finite_rules({"value": "DOUBLE"}))
                self.con.register("io_sectors_df", sectors)
                self.con.execute(
                    f"insert into raw.io_values select table_id, row_code, col_code, value, ? from {table}",
                    [str(path)],
                )
                self.con.execute(
                    "insert into raw.io_sectors select table_id, set_name, code, name, name_en, ? from io_sectors_df",
                    [str(path)],
                )
                self.con.unregister("io_sectors_df")
                rows = self._count(table)
                self._drop(table)
                self._log("io_values", None, path, rows)
                self._log("io_sectors", None, path, len(sectors))
                total += rows
            for path in long_files:
                scan = self._scan(
                    path,
                    {"table_id": "VARCHAR", "row_code": "VARCHAR", "col_code": "VARCHAR", "value": "DOUBLE"},
                )
                fail_on(self.con, scan, path, "value is null", "value missing", "value")
                self._check(scan, path, finite_rules({"value": "DOUBLE"}))
                self.con.execute(
                    f"insert into raw.io_values select table_id, row_code, col_code, value, ? from {scan}",
                    [str(path)],
                )
                rows = self._count(scan)
                self._log("io_values", None, path, rows)
                self._drop(scan)
                total += rows
            self._flush_quarantine("io_values", start)
        return total
