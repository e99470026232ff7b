"""OECD national input-output tables (2023 edition) as shipped: a zip of ``<ISO3><year>dom.csv`` files.

Each member is one country-year: a header row of column codes (45 industries, the final-demand columns
HFCE … EXPO, IMPO, TOTAL), then rows ``DOM_<industry>`` (domestic use), ``IMP_<industry>`` (imported use),
tax, value-added and ``OUTPUT`` rows, in million US dollars. The members are read in place (no
extraction); only the years asked for are read, so a build that needs 2015 reads 76 of the 1,977 members.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from warehouse.errors import InputError

MEMBER = re.compile(r"^(?:.*/)?([A-Z]{3})(\d{4})dom\.csv$")


def oecd_members(path: Path, years: Iterable[int] | None = None) -> list[tuple[str, str, int]]:
    """Return ``(member, iso3, year)`` for the country-year files of the zip, in name order.

    Raises
    ------
    InputError
        When the file is not a zip archive.
    """
    wanted = None if years is None else {int(y) for y in years}
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"not a zip archive ({exc})") from None
    found = []
    for name in sorted(names):
        match = MEMBER.match(name)
        if match and (wanted is None or int(match.group(2)) in wanted):
            found.append((name, match.group(1), int(match.group(2))))
    return found


def read_oecd_member(archive: zipfile.ZipFile, path: Path, member: str) -> pd.DataFrame:
    """Read one ``<ISO3><year>dom.csv`` member into long rows ``row_code, col_code, value_musd``.

    Empty cells are skipped; anything else that is not a number fails, naming ``zip!member``, the line and
    the column.
    """
    where = f"{path}!{member}"
    text = archive.read(member).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or len(rows[0]) < 2:
        raise InputError(where, "no header row of column codes", line=1)
    header = [c.strip() for c in rows[0]]
    out_rows, out_cols, out_values, out_lines = [], [], [], []
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise InputError(where, f"{len(row)} fields, the header has {len(header)}", line=line)
        code = row[0].strip()
        for column, cell in zip(header[1:], row[1:], strict=True):
            cell = cell.strip()
            if cell == "":
                continue
            try:
                value = float(cell)
            except ValueError:
                raise InputError(where, f"not a number: {cell!r}", line=line, column=column) from None
            out_rows.append(code)
            out_cols.append(column)
            out_values.append(value)
            out_lines.append(line)
    return pd.DataFrame({"row_code": out_rows, "col_code": out_cols, "value_musd": out_values, "_line": out_lines})
