"""Input-output tables: the IO workbook and long files, WIOD and the OECD tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from warehouse.csvio import (
    check_rows_read,
    fail_on,
    file_facts,
)
from warehouse.errors import InputError
from warehouse.loaders.base import LoaderBase, _signature, transaction
from warehouse.plausibility import finite_rules, plausible_year, year_is_plausible


class IOLoads(LoaderBase):
    """Input-output tables: the IO workbook and long files, WIOD and the OECD tables."""

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
