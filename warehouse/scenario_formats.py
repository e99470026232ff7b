"""Readers for the scenario files that are not IAMC wide tables, converted to the IAMC long shape.

Two formats found in ``scenarios/`` besides IAMC:

``MimiSSPs_Leach_SSP<xyz>.csv`` (RCMIP emissions as run by FaIR v2.0, Leach et al. 2021; global, annual)
    Preamble lines (some quoted fields span two physical lines), an all-empty line, then a header row whose
    first cell is empty or ``year`` followed by gas names (``carbon_dioxide``, ``methane`` …); then one row
    per year.  Units as documented by MimiSSPs (``src/components/SSPs.jl``): carbon dioxide GtC/yr, methane
    Mt CH4/yr, nitrous oxide Mt N/yr (N2O counted as nitrogen), SF6 Mt SF6/yr.  Only these four gases, whose
    units are documented, are read; they are converted to IAMC's customary units and names
    (:data:`LEACH_GASES`).  The scenario is named from the file: ``SSP126`` → ``SSP1-2.6``.

``DERIVED_wcde_ssp2_total_population_by_country_year.csv`` (Wittgenstein Centre SSP2 population)
    ``name,country_code,year,pop_thousands``; ``country_code`` is the UN M49 numeric code.  The reader
    writes the region as ``M49:<3-digit code>`` (``World`` for 900): the M49 → ISO3 mapping is done in the
    warehouse (``int_scenario_series_harmonised``), against the BACI country list, so that no code list is
    copied here.

Both readers return a :class:`pandas.DataFrame` with the columns of :data:`LONG_COLUMNS` (IAMC long:
model, scenario, region, variable, unit, year, value).  :func:`load_scenario_extras` loads such files into
``raw.scenario_values`` next to the IAMC files, idempotently per file.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from warehouse.errors import InputError
from warehouse.plausibility import year_is_plausible

LONG_COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]

LEACH_FILE = re.compile(r"^MimiSSPs_Leach_SSP(\d)(\d)(\d)\.csv$", re.IGNORECASE)
LEACH_MODEL = "FaIR v2.0 (RCMIP; Leach et al. 2021)"
# gas column -> (IAMC variable, IAMC unit, factor from the file's unit)
# CO2: GtC -> Mt CO2 (x 44/12 x 1000); N2O: Mt N -> kt N2O (x 44/28 x 1000); SF6: Mt -> kt.
LEACH_GASES: dict[str, tuple[str, str, float]] = {
    "carbon_dioxide": ("Emissions|CO2", "Mt CO2/yr", 44.0 / 12.0 * 1000.0),
    "methane": ("Emissions|CH4", "Mt CH4/yr", 1.0),
    "nitrous_oxide": ("Emissions|N2O", "kt N2O/yr", 44.0 / 28.0 * 1000.0),
    "sf6": ("Emissions|SF6", "kt SF6/yr", 1000.0),
}

# Years kept from the Leach files (which run 1750-2500): the range the raw-layer suite accepts; projections
# need 1990-2100 at most.
LEACH_YEARS = (1900, 2300)

WCDE_COLUMNS = ["name", "country_code", "year", "pop_thousands"]
WCDE_MODEL = "Wittgenstein Centre (WIC 2.0)"
WCDE_WORLD_CODE = 900


def classify(path: Path) -> str | None:
    """Return ``leach``, ``wcde`` or ``None`` (not a format read here) from the file name and first line."""
    if LEACH_FILE.match(path.name):
        return "leach"
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline().strip().replace('"', "").lower()
    if [c.strip() for c in first.split(",")] == WCDE_COLUMNS:
        return "wcde"
    return None


def _number(path: Path, text: str, line: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(path, f"not a number: {text!r}", line=line, column=column) from None
    if not math.isfinite(value):  # float() reads "inf" and "nan"
        raise InputError(path, f"not a finite number: {text!r}", line=line, column=column)
    return value


def read_leach_emissions(path: Path, years: tuple[int, int] = LEACH_YEARS) -> pd.DataFrame:
    """Read a ``MimiSSPs_Leach_SSP<xyz>.csv`` emission file into IAMC long rows (region ``World``).

    Parameters
    ----------
    path
        The file.
    years
        Inclusive range of years kept (default :data:`LEACH_YEARS`); every row is still checked.

    Raises
    ------
    InputError
        When the name does not carry the SSP code, no header row with ``carbon_dioxide`` is found, a year
        or a value is not a number, or a year repeats.
    """
    path = Path(path)
    match = LEACH_FILE.match(path.name)
    if not match:
        raise InputError(path, "file name must be MimiSSPs_Leach_SSP<ssp><forcing>.csv (e.g. SSP126)")
    ssp, w1, w2 = match.groups()
    scenario = f"SSP{ssp}-{w1}.{w2}"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    for row in reader:
        line = reader.line_num
        cells = [c.strip() for c in row]
        if header is None:
            if cells and cells[0].lower() in {"", "year"} and "carbon_dioxide" in cells[1:]:
                header = cells
            continue
        if not any(cells):
            continue
        records.append((line, cells))
    if header is None:
        raise InputError(path, "no header row naming the gases (…, carbon_dioxide, …) found after the preamble")
    if not records:
        raise InputError(path, "no data rows after the header")
    positions = {name: header.index(name) for name in LEACH_GASES if name in header}
    rows: list[tuple] = []
    seen: set[int] = set()
    for line, cells in records:
        year_value = _number(path, cells[0], line, header[0] or "year")
        if year_value != int(year_value):
            raise InputError(path, f"year is not an integer: {cells[0]!r}", line=line, column="year")
        year = int(year_value)
        if year in seen:
            raise InputError(path, f"year {year} appears twice", line=line, column="year")
        seen.add(year)
        if not years[0] <= year <= years[1]:
            continue
        for gas, pos in positions.items():
            if pos >= len(cells) or cells[pos] == "":
                continue
            variable, unit, factor = LEACH_GASES[gas]
            rows.append((LEACH_MODEL, scenario, "World", variable, unit, year,
                         _number(path, cells[pos], line, gas) * factor))  # fmt: skip
    return pd.DataFrame(rows, columns=LONG_COLUMNS)


def read_wcde_population(path: Path, scenario: str | None = None) -> pd.DataFrame:
    """Read a Wittgenstein Centre population file (``name,country_code,year,pop_thousands``).

    Parameters
    ----------
    path
        The file.
    scenario
        Scenario name; by default taken from the file name (``…_ssp2_…`` → ``SSP2``).

    Raises
    ------
    InputError
        When the header differs, a code, year or value is not a number, a value is negative, a
        (code, year) repeats, or the scenario cannot be read from the name.
    """
    path = Path(path)
    if scenario is None:
        found = re.search(r"ssp(\d)", path.name, re.IGNORECASE)
        if not found:
            raise InputError(path, "cannot tell the SSP from the file name (expected …ssp<n>…)")
        scenario = f"SSP{found.group(1)}"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [c.strip().lower() for c in next(reader, [])]
        if header != WCDE_COLUMNS:
            raise InputError(path, f"header must be {','.join(WCDE_COLUMNS)}, found {','.join(header)}", line=1)
        rows: list[tuple] = []
        seen: set[tuple[int, int]] = set()
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) != 4:
                raise InputError(path, f"expected 4 fields, found {len(row)}", line=line)
            code = _number(path, row[1], line, "country_code")
            year = _number(path, row[2], line, "year")
            value = _number(path, row[3], line, "pop_thousands")
            if value < 0:
                raise InputError(path, "negative population", line=line, column="pop_thousands")
            if (why := year_is_plausible(int(year), "scenario")) is not None:
                raise InputError(path, why, line=line, column="year")
            key = (int(code), int(year))
            if key in seen:
                raise InputError(path, f"country {key[0]} and year {key[1]} appear twice", line=line)
            seen.add(key)
            region = "World" if key[0] == WCDE_WORLD_CODE else f"M49:{key[0]:03d}"
            rows.append((WCDE_MODEL, scenario, region, "Population", "thousand", key[1], value))
    if not rows:
        raise InputError(path, "no data rows", line=2)
    return pd.DataFrame(rows, columns=LONG_COLUMNS)


def read_scenario_extra(path: Path) -> pd.DataFrame:
    """Read one non-IAMC scenario file of a known format (see :func:`classify`)."""
    kind = classify(Path(path))
    if kind == "leach":
        return read_leach_emissions(path)
    if kind == "wcde":
        return read_wcde_population(path)
    raise InputError(Path(path), "not a Leach/RCMIP emission file or a Wittgenstein population file")


def extra_paths(candidates: Sequence[Path]) -> list[Path]:
    """Return the candidates (e.g. the inventory's skipped ``scenarios/`` files) that these readers read."""
    return [Path(p) for p in candidates if Path(p).suffix.lower() == ".csv" and classify(Path(p)) is not None]


def load_scenario_extras(loader, paths: Sequence[Path]) -> int:
    """Load Leach/RCMIP and Wittgenstein files into ``raw.scenario_values`` (one transaction).

    Each file replaces its own earlier rows (matched on ``source_file``) and is logged in ``raw.load_log``,
    so loading twice equals loading once.  Call it *after* ``Loader.iamc``, which empties the table.

    Parameters
    ----------
    loader
        A :class:`warehouse.loaders.Loader` (its connection, load log and source kind are used).
    paths
        Files to load; each must be of a format :func:`classify` recognises.

    Returns
    -------
    int
        Rows inserted.
    """
    from warehouse.loaders import transaction

    frames = [(Path(p), read_scenario_extra(Path(p))) for p in paths]
    con = loader.con
    total = 0
    with transaction(con):
        for path, frame in frames:
            con.execute("delete from raw.scenario_values where source_file = ?", [str(path)])
            con.execute(
                "delete from raw.load_log where table_name = 'scenario_values' and source_file = ?", [str(path)]
            )
            frame = frame.assign(source_file=str(path))
            con.register("scenario_extra_df", frame)
            con.execute(
                "insert into raw.scenario_values select model, scenario, region, variable, unit, "
                "cast(year as smallint), cast(value as double), source_file from scenario_extra_df"
            )
            con.unregister("scenario_extra_df")
            loader._log("scenario_values", None, path, len(frame))
            total += len(frame)
    return total
