"""Reader for input-output tables in the MIC workbook layout (as re-tabulated for Japan's 2015 table).

The layout, as found in ``check_japan_2015_<level>_std.xlsx``:

* ``Meta_data``: A1 holds the table id (e.g. ``japan_2015_basic_std``).
* ``Set_data``: from row 4, four code/name column pairs: row sectors (A:B), column sectors (D:E),
  value-added rows (G:H) and final-demand columns (J:K).
* ``Value_data``: A1 a title with the unit (``産業連関表（10億円）``: 10^9 yen); row 3 holds the column codes
  (sectors, then final-demand codes such as ``hhco``, ``expo``, ``impo`` — imports entered negative —
  then ``Total``); from row 4, column A holds the row code and the cells the values.
* optional ``Set_data_en``: the same four pairs with English names (the demo world writes it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.errors import InputError

SET_COLUMNS = {"row": (0, 1), "col": (3, 4), "va": (6, 7), "fd": (9, 10)}


def _sheet_rows(workbook, name: str, path: Path) -> list[tuple]:
    if name not in workbook.sheetnames:
        raise InputError(path, f"workbook has no sheet {name!r} (sheets: {', '.join(workbook.sheetnames)})")
    return list(workbook[name].iter_rows(values_only=True))


def _code(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _read_sets(rows: list[tuple]) -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    for row in rows[3:]:
        for set_name, (code_at, name_at) in SET_COLUMNS.items():
            if len(row) > name_at and _code(row[code_at]):
                names[(set_name, _code(row[code_at]))] = _code(row[name_at]) or ""
    return names


def read_io_workbook(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read one MIC-layout IO workbook.

    Returns
    -------
    values : DataFrame
        ``table_id, row_code, col_code, value`` — one row per non-empty numeric cell of ``Value_data``,
        ``Total`` row and column included (staging checks the balance against them).
    sectors : DataFrame
        ``table_id, set_name, code, name, name_en``.

    Raises
    ------
    InputError
        Naming sheet and cell for a missing sheet, a missing header or a cell that is not a number.
    """
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except Exception as exc:  # openpyxl raises several types for a broken archive
        raise InputError(path, f"not a readable xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        meta = _sheet_rows(workbook, "Meta_data", path)
        table_id = _code(meta[0][0]) if meta and meta[0] else None
        table_id = table_id or path.stem
        names = _read_sets(_sheet_rows(workbook, "Set_data", path))
        names_en = (
            _read_sets(_sheet_rows(workbook, "Set_data_en", path)) if "Set_data_en" in workbook.sheetnames else {}
        )
        rows = _sheet_rows(workbook, "Value_data", path)
    finally:
        workbook.close()
    if len(rows) < 4:
        raise InputError(path, "sheet Value_data: expected column codes on row 3", line=3)
    header = [_code(c) for c in rows[2]]
    if not any(header[1:]):
        raise InputError(path, "sheet Value_data: row 3 holds no column codes", line=3)
    records = []
    for line, row in enumerate(rows[3:], start=4):
        row_code = _code(row[0]) if row else None
        if row_code is None:
            continue
        for position in range(1, min(len(row), len(header))):
            cell = row[position]
            col_code = header[position]
            if cell is None or col_code is None or (isinstance(cell, str) and not cell.strip()):
                continue
            if isinstance(cell, bool) or not isinstance(cell, int | float):
                try:
                    cell = float(str(cell).replace(",", ""))
                except ValueError:
                    from openpyxl.utils import get_column_letter

                    raise InputError(
                        path,
                        f"sheet Value_data cell {get_column_letter(position + 1)}{line}: {cell!r} is not a number",
                        line=line,
                        column=col_code,
                    ) from None
            records.append((table_id, row_code, col_code, float(cell), line))
    values = pd.DataFrame.from_records(records, columns=["table_id", "row_code", "col_code", "value", "_line"])
    sectors = pd.DataFrame.from_records(
        [(table_id, set_name, code, name, names_en.get((set_name, code))) for (set_name, code), name in names.items()],
        columns=["table_id", "set_name", "code", "name", "name_en"],
    )
    return values, sectors
