"""The demo countries and BACI's country list ``baci/country_codes_V202301.csv``.

Countries are the first n rows of ``tables/countries.csv`` (real BACI, ISO and M49 codes and the names each
source uses) with synthetic trade sizes and map positions.  Plants the historical entities of the BACI
period: SCG (891) only 1995-2005, SRB (688) and MNE (499) only 2006-2017 (manifest ``countries``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from warehouse.demo_world.common import BACI_YEARS, RELEASE, _rng, _table
from warehouse.demo_world.writers import _q, _Writer

HIGH_INCOME = set(
    "JPN USA DEU KOR AUS FRA CAN GBR ITA ESP NLD CHE SWE NOR BEL AUT DNK FIN IRL ISL LUX SGP NZL ISR "
    "HKG MAC ARE QAT KWT SAU BHR CYP MLT SVN CZE EST PRT GRC".split()
)


@dataclasses.dataclass
class Countries:
    """The demo countries, sorted by BACI code, and their synthetic structural parameters."""

    baci: np.ndarray
    iso2: list[str]
    iso3: list[str]
    m49: np.ndarray
    region: list[str]
    name: list[str]
    full: list[str]
    wb_name: list[str]
    owid_name: list[str]
    first: np.ndarray
    last: np.ndarray
    log_exp: np.ndarray
    log_imp: np.ndarray
    lon: np.ndarray
    lat: np.ndarray

    @property
    def n(self) -> int:
        """Number of countries."""
        return len(self.baci)

    def index(self, iso3: str) -> int:
        """Position of a country by ISO3 code."""
        return self.iso3.index(iso3)

    @property
    def alive(self) -> np.ndarray:
        """Mask of countries that still exist at the end of the BACI period (written outside BACI too)."""
        return self.last == BACI_YEARS[-1]

    @property
    def current(self) -> np.ndarray:
        """Mask of countries that exist over the whole BACI period (not historical or successor states)."""
        return (self.first == BACI_YEARS[0]) & (self.last == BACI_YEARS[-1])


def _parse_country_table() -> list[dict[str, Any]]:
    """Read ``tables/countries.csv``: one dict per country, in table order, with the defaults filled in.

    Columns: BACI code, ISO2, ISO3, M49, region, BACI name, BACI full name, World Bank name, OWID name, first
    BACI year, last BACI year.  Empty fields take the BACI name (the OWID name first takes the World Bank
    name) and the full BACI period.  Ordered so that the first n rows form a sensible demo world of n countries.
    """
    rows = []
    for row in _table("countries.csv"):
        name = row["name"]
        rows.append(
            {
                "baci": int(row["baci"]),
                "iso2": row["iso2"],
                "iso3": row["iso3"],
                "m49": int(row["m49"]),
                "region": row["region"],
                "name": name,
                "full": row["full_name"] or name,
                "wb": row["wb_name"] or name,
                "owid": row["owid_name"] or row["wb_name"] or name,
                "first": int(row["first_year"] or BACI_YEARS[0]),
                "last": int(row["last_year"] or BACI_YEARS[-1]),
            }
        )
    return rows


def _countries(seed: int, n: int) -> Countries:
    """Select the first ``n`` countries of the table and draw their trade sizes and map positions."""
    rows = _parse_country_table()[:n]
    for position, row in enumerate(rows):
        row["rank"] = position
    rows.sort(key=lambda r: r["baci"])
    rng = _rng(seed, "countries")
    rank = np.array([r["rank"] for r in rows], dtype=float)
    rich = np.array([r["iso3"] in HIGH_INCOME for r in rows])
    size = 3.0 - 0.015 * rank + 0.8 * rich + rng.normal(0, 0.6, len(rows))
    boxes = {"AF": (-15, 45, -30, 30), "AS": (40, 140, 0, 50), "EU": (-10, 40, 36, 65),
             "NA": (-120, -65, 10, 55), "SA": (-75, -40, -45, 5), "OC": (115, 180, -45, -5)}  # fmt: skip
    lon = np.array([rng.uniform(*boxes[r["region"]][:2]) for r in rows])
    lat = np.array([rng.uniform(*boxes[r["region"]][2:]) for r in rows])
    return Countries(
        baci=np.array([r["baci"] for r in rows]),
        iso2=[r["iso2"] for r in rows],
        iso3=[r["iso3"] for r in rows],
        m49=np.array([r["m49"] for r in rows]),
        region=[r["region"] for r in rows],
        name=[r["name"] for r in rows],
        full=[r["full"] for r in rows],
        wb_name=[r["wb"] for r in rows],
        owid_name=[r["owid"] for r in rows],
        first=np.array([r["first"] for r in rows]),
        last=np.array([r["last"] for r in rows]),
        log_exp=size + rng.normal(0, 0.4, len(rows)),
        log_imp=size + rng.normal(0, 0.4, len(rows)),
        lon=lon,
        lat=lat,
    )


def _write_country_codes(writer: _Writer, countries: Countries) -> None:
    lines = ['"country_code","country_name_abbreviation","country_name_full","iso_2digit_alpha","iso_3digit_alpha"']
    for n in range(countries.n):
        fields = [countries.name[n], countries.full[n], countries.iso2[n], countries.iso3[n]]
        lines.append(f"{countries.baci[n]}," + ",".join(_q(f) for f in fields))
    writer.text(f"baci/country_codes_{RELEASE}.csv", lines, "\r\n")
