"""BACI flows, code lists and the other release's flows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.buildfile import crash_point
from warehouse.csvio import (
    count_records,
    csv_source,
    fail_on,
    file_facts,
    first_line,
    quote_literal,
    read_header,
    sniff_encoding,
)
from warehouse.errors import InputError
from warehouse.loaders.base import FLOW_KEY_SQL, HS6_SQL, NA_STRINGS, LoaderBase, _signature, sha256_file, transaction


class BaciLoads(LoaderBase):
    """BACI flows, code lists and the other release's flows."""

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
