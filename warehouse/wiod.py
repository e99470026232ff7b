"""Reader for WIOD 2016 national input-output tables (NIOT, ``<ISO3>_NIOT_nov16.csv``).

The layout as found (one file per country, all years stacked):

* ``;``-separated, quoted with ``"`` where a name holds ``;``; UTF-8 with a byte-order mark.
* line 1: ``Year;Code;Description;Origin;`` then the column codes: 56 industries (``A01`` … ``U``), the
  final-demand columns ``CONS_h, CONS_np, CONS_g, GFCF, INVEN, EXP`` and ``GO`` (gross output).
* line 2: the column names (skipped).
* then one line per year and row: ``Origin`` is ``Domestic`` (domestic use), ``Imports`` (imported use,
  by product of origin) or ``TOT`` (totals and value-added rows such as ``II_fob``, ``VA``, ``GO``).
* numbers use a space as thousands separator (``10 873``); empty cells mean 0. Unit: millions of US dollars.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.errors import InputError

ID_COLUMNS = ["Year", "Code", "Description", "Origin"]


def read_wiod_niot(path: Path) -> pd.DataFrame:
    """Read one WIOD national IO table into long form.

    Returns
    -------
    DataFrame
        ``country, year, row_code, origin, col_code, value_musd``: one row per non-empty cell
        (``origin`` Domestic, Imports or TOT); ``country`` from the file name (``JPN_NIOT_nov16.csv``).

    Raises
    ------
    InputError
        When the header is not the NIOT header or a cell is not a number.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, sep=";", skiprows=[1], dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    if list(frame.columns[:4]) != ID_COLUMNS or "GO" not in frame.columns:
        raise InputError(path, f"not a WIOD NIOT header (expected {';'.join(ID_COLUMNS)};…;GO)", line=1)
    value_columns = [c for c in frame.columns if c not in ID_COLUMNS]
    records = len(frame)  # the rows pandas read, to be matched against the file's lines
    frame = frame.assign(_line=frame.index + 3)  # line 1 the codes, line 2 the names (skipped)
    long = frame.melt(id_vars=[*ID_COLUMNS, "_line"], value_vars=value_columns, var_name="col_code", value_name="text")
    text = long["text"].str.replace(" ", "", regex=False).str.replace("\u00a0", "", regex=False)
    long = long[text != ""].assign(value_musd=pd.to_numeric(text[text != ""], errors="coerce"))
    bad = long["value_musd"].isna()
    if bad.any():
        first = long[bad].iloc[0]
        raise InputError(
            path, f"cell {first['Code']}/{first['col_code']} of {first['Year']}: {first['text']!r} is not a number"
        )
    year = pd.to_numeric(long["Year"], errors="coerce")
    if year.isna().any():
        first = long[year.isna()].iloc[0]
        raise InputError(path, f"year is not a year: {first['Year']!r}", line=int(first["_line"]), column="Year")
    result = pd.DataFrame(
        {
            "country": path.name.split("_")[0],
            "year": year.astype(int).to_numpy(),
            "row_code": long["Code"].to_numpy(),
            "origin": long["Origin"].to_numpy(),
            "col_code": long["col_code"].to_numpy(),
            "value_musd": long["value_musd"].astype(float).to_numpy(),
            "_line": long["_line"].to_numpy(),
        }
    )
    result.attrs["records"] = records
    return result
