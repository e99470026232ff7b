"""Years missing inside the span of a yearly input, said on the terminal as the input is loaded.

The same gaps are in the warehouse (``marts.rpt_input_year_gaps``, ``rpt_input_coverage.missing_years``);
this is the line a build prints beside the rows it loaded, so a user sees them before any result.
"""

from __future__ import annotations

from collections.abc import Iterable

# raw table -> its year column, for the yearly inputs whose missing years are gaps (as in the dbt model
# stg_provenance__source_years: scenario steps, OECD years asked for and CN-key revisions are not)
YEAR_COLUMNS = {
    "baci_flows": "t",
    "comtrade_flows": "ref_year",
    "wdi_values": "year",
    "owid_co2": "year",
    "wgi": "year",
    "irp_extraction": "year",
    "bgs_production": "year",
    "mine_production": "year",
    "wiod_niot_values": "year",
}


def missing_runs(years: Iterable[int]) -> list[tuple[int, int]]:
    """Return the runs ``(first, last)`` of years missing between the smallest and largest of ``years``."""
    present = sorted(set(int(y) for y in years))
    runs: list[tuple[int, int]] = []
    for before, after in zip(present, present[1:], strict=False):
        if after > before + 1:
            runs.append((before + 1, after - 1))
    return runs


def runs_text(runs: Iterable[tuple[int, int]]) -> str:
    """Return runs as ``2002-2003, 2007``."""
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def table_gap_line(con, table: str) -> str | None:
    """Return ``years 1996-2019, none for 1997, 1999, 2001`` for a raw table with gaps, else None."""
    column = YEAR_COLUMNS.get(table)
    if column is None:
        return None
    query = f"select distinct {column} from raw.{table} where {column} is not null"
    years = [int(y) for (y,) in con.execute(query).fetchall()]
    runs = missing_runs(years)
    if not runs:
        return None
    return f"raw.{table} years {min(years)}-{max(years)}, none for {runs_text(runs)}"
