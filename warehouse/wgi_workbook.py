"""Reader for the official Worldwide Governance Indicators download (``wgidataset.xlsx``).

The layout, as the World Bank publishes it since the 2023 revision: one long sheet whose first row is the
header ``codeindyr, code, countryname, year, indicator, estimate, stddev, nsource, pctrank, pctranklower,
pctrankupper``; ``indicator`` is one of ``cc ge pv rl rq va``; a missing value is written ``..``. Older
editions (one sheet per indicator, a two-row header of years and measures) are not read: their layout is not
documented with the download, and the build says so instead of guessing.

The rows come back in the columns of ``raw.wgi``, with the indicator codes turned into the names the long
CSV layout uses (``cc`` → ``ControlofCorruption`` …), so staging reads both layouts alike.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.errors import InputError

HEADER = [
    "codeindyr",
    "code",
    "countryname",
    "year",
    "indicator",
    "estimate",
    "stddev",
    "nsource",
    "pctrank",
    "pctranklower",
    "pctrankupper",
]
INDICATORS = {
    "cc": "ControlofCorruption",
    "ge": "GovernmentEffectiveness",
    "pv": "PoliticalStability",
    "rl": "RuleofLaw",
    "rq": "RegulatoryQuality",
    "va": "VoiceandAccountability",
}
MISSING = {"..", "", "#N/A", "NA"}
NUMERIC = ["estimate", "stddev", "nsource", "pctrank", "pctranklower", "pctrankupper"]


def _number(value, path: Path, line: int, column: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if text in MISSING:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(path, f"not a number: {text!r} (missing values are written '..')", line, column) from None


def _find_sheet(workbook, path: Path):
    for sheet in workbook.worksheets:
        first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        names = [str(c).strip().lower() if c is not None else "" for c in first]
        if names[: len(HEADER)] == HEADER:
            return sheet
    raise InputError(
        path,
        "no sheet starts with the official WGI header (" + ", ".join(HEADER) + "); older editions with one "
        "sheet per indicator are not read: convert them to that long layout",
        line=1,
    )


def read_wgi_workbook(path: str | Path) -> pd.DataFrame:
    """Read the official WGI workbook into the columns of ``raw.wgi`` (without ``source_file``).

    Returns
    -------
    DataFrame
        ``country, code, year, estimate, std_err, num_src, rank, lower, upper, indicator``: one row per
        country, year and indicator; ``..`` read as missing.

    Raises
    ------
    InputError
        Naming the sheet row (``line``) and column of a bad year, indicator code or number, or when no sheet
        has the official header.
    """
    import openpyxl

    path = Path(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise InputError(path, f"not a readable xlsx workbook ({exc.__class__.__name__}: {exc})") from None
    try:
        sheet = _find_sheet(workbook, path)
        records = []
        seen: dict[tuple[str, int, str], int] = {}
        for line, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            cells = dict(zip(HEADER, list(row)[: len(HEADER)], strict=False))
            if all(cells.get(name) in (None, "") for name in HEADER):
                continue  # trailing empty rows
            year = cells.get("year")
            try:
                year = int(str(year).strip())
            except ValueError:
                raise InputError(path, f"year is not a year: {year!r}", line, "year") from None
            code = str(cells.get("indicator") or "").strip().lower()
            if code not in INDICATORS:
                raise InputError(path, f"indicator {code!r} is not one of {', '.join(INDICATORS)}", line, "indicator")
            country_code = str(cells.get("code") or "").strip()
            if not country_code:
                raise InputError(path, "country code missing", line, "code")
            key = (country_code.upper(), year, code)
            if key in seen:
                raise InputError(path, f"{code} for {country_code} in {year} listed twice (first at {seen[key]})", line)
            seen[key] = line
            numbers = {name: _number(cells.get(name), path, line, name) for name in NUMERIC}
            records.append(
                {
                    "country": str(cells.get("countryname") or "").strip() or None,
                    "code": country_code,
                    "year": year,
                    "estimate": numbers["estimate"],
                    "std_err": numbers["stddev"],
                    "num_src": numbers["nsource"],
                    "rank": numbers["pctrank"],
                    "lower": numbers["pctranklower"],
                    "upper": numbers["pctrankupper"],
                    "indicator": INDICATORS[code],
                    "_line": line,
                }
            )
    finally:
        workbook.close()
    if not records:
        raise InputError(path, "the WGI sheet has a header but no rows", line=2)
    frame = pd.DataFrame.from_records(records)
    return frame.astype({"year": "int16"})
