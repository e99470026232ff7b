"""Readers for the side files of the re-tabulated Japanese IO tables (ShiroTakeda/Japanese_SAM_for_CGE).

* ``japan_2015_<level>_std.map`` — GAMS text, Shift-JIS (CP932): sets ``row_map(row_bas,row)``,
  ``col_map(col_bas,col)``, ``va_map`` and ``fd_map``; each element line is ``<basic code>.<aggregate
  code>  <name>`` between ``/`` and ``/;``; ``$ontext … $offtext`` blocks are comments.
* ``japan_2015_basic_std.set`` — GAMS text, CP932: sets ``row``, ``col``, ``va``, ``fd``; element lines
  ``<code>  <name>``.
* sheet ``V_table_data`` of the basic workbook — the make table (products × industries, 10^9 yen), laid
  out like ``Value_data`` (column codes on row 3, product codes in column A from row 4, a ``Total`` row
  and column).

The analysis does not need them to build the square system (``analysis.leontief.make_from_codes`` derives the
make table from the code structure and reproduces every industry output); they serve to check that rule
(tests) and to aggregate the basic table to the 185/37-sector levels.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from warehouse.errors import InputError

_SET_HEAD = re.compile(r"^\s*set\s+(\w+)(?:\((\w+)\s*,\s*(\w+)\))?\s*(?:\"[^\"]*\"|[^/]*)?/\s*$", re.IGNORECASE)


def _gams_lines(path: Path) -> list[str]:
    try:
        text = Path(path).read_bytes().decode("cp932")
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not Shift-JIS/CP932 text ({exc})") from None
    lines, comment = [], False
    for line in text.splitlines():
        token = line.strip().lower()
        if token.startswith("$ontext"):
            comment = True
        elif token.startswith("$offtext"):
            comment = False
        elif not comment and not token.startswith("$") and not token.startswith("*"):
            lines.append(line)
    return lines


def read_gams_sets(path: Path) -> pd.DataFrame:
    """Read the sets of a GAMS ``.set`` or ``.map`` file.

    Returns
    -------
    DataFrame
        ``set_name, code, target_code, name``: one row per element; ``target_code`` is the aggregate code
        of a mapping set (``row_map``: ``0111011.0111`` → code 0111011, target 0111) and null for a
        plain set.
    """
    records, current = [], None
    for number, line in enumerate(_gams_lines(path), start=1):
        head = _SET_HEAD.match(line)
        if head:
            current = head.group(1)
            continue
        if current is None or not line.strip():
            continue
        if line.strip().startswith("/"):
            current = None
            continue
        parts = line.split(None, 1)
        element = parts[0]
        name = parts[1].strip() if len(parts) > 1 else ""
        code, _, target = element.partition(".")
        if not code:
            raise InputError(path, f"set {current}: cannot read element {line!r}", line=number)
        records.append((current, code, target or None, name))
    return pd.DataFrame.from_records(records, columns=["set_name", "code", "target_code", "name"])


def read_make_table(path: Path, sheet: str = "V_table_data") -> pd.DataFrame:
    """Read the make table sheet of a MIC-layout workbook.

    Returns
    -------
    DataFrame
        ``row_code`` (product), ``col_code`` (industry), ``value`` (10^9 yen); non-zero cells only,
        ``Total`` row and column left out.
    """
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    try:
        if sheet not in workbook.sheetnames:
            raise InputError(path, f"workbook has no sheet {sheet!r}")
        rows = list(workbook[sheet].iter_rows(values_only=True))
    finally:
        workbook.close()
    header = [None if c is None else str(c).strip() for c in rows[2]]
    frame = pd.DataFrame([r[1 : len(header)] for r in rows[3:]], columns=header[1:])
    frame.index = [None if r[0] is None else str(r[0]).strip() for r in rows[3:]]
    frame = frame.drop(columns=[c for c in frame.columns if c in (None, "Total")])
    frame = frame[[code not in (None, "Total") for code in frame.index]]
    long = frame.rename_axis("row_code").reset_index().melt(id_vars="row_code", var_name="col_code")
    long["value"] = pd.to_numeric(long["value"], errors="coerce").fillna(0.0)
    return long[long["value"] != 0].reset_index(drop=True)
