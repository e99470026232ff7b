"""World Bank (WDI/SDG wide and long files), OWID and WGI."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from warehouse.csvio import (
    fail_on,
    quote_ident,
    read_header,
    sniff_encoding,
)
from warehouse.errors import InputError
from warehouse.loaders.base import YEAR_COLUMN, LoaderBase, _signature, transaction
from warehouse.plausibility import WDI_COUNTRY_CODE, finite_rules, plausible_year, year_is_plausible
from warehouse.plausibility import rules as plausibility_rules


class WorldBankLoads(LoaderBase):
    """World Bank (WDI/SDG wide and long files), OWID and WGI."""

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
