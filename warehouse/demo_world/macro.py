"""Country-year macro series and the OWID file ``owid/owid-co2-data.csv``.

Population, GDP, total GHG, CO2 and primary energy with common world shocks (e.g. 2009), written for the
living demo countries plus the World and continent aggregates.  These series are the regressors of the
trade-ridge truth (world GHG, GHG/GDP, GHG per person) and controls of the SDG panel truth; the manifest
``owid`` section records the aggregates and the filled columns.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from warehouse.demo_world.common import _rng
from warehouse.demo_world.countries import HIGH_INCOME, Countries
from warehouse.demo_world.writers import _q, _Writer

OWID_YEARS = np.arange(1990, 2019)
# approximate 1990 populations (millions) of the largest countries; the others are drawn
POP_1990_MILLIONS = {
    "CHN": 1135, "IND": 873, "USA": 250, "IDN": 182, "BRA": 150, "RUS": 148, "JPN": 124, "PAK": 107,
    "BGD": 107, "NGA": 95, "MEX": 84, "DEU": 79, "VNM": 68, "PHL": 62, "THA": 57, "GBR": 57, "ITA": 57,
    "FRA": 57, "EGY": 57, "TUR": 54, "IRN": 56, "ETH": 48, "KOR": 43, "ZAF": 39, "ESP": 39, "COD": 35,
    "ARG": 33, "POL": 38, "CAN": 28, "COL": 34, "AUS": 17, "CHL": 13, "PER": 22, "ZMB": 8, "ZWE": 10,
}  # fmt: skip
REGION_NAMES = {
    "AF": "Africa",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "SA": "South America",
    "OC": "Oceania",
}


@dataclasses.dataclass
class Macro:
    """OWID-style country-year series for :data:`OWID_YEARS`, rounded as written.

    Attributes are ``(countries, years)`` arrays: population (persons), gdp (USD), ghg (total GHG,
    Mt CO2e, 2 decimals), co2 (Mt, 3 decimals), energy (primary energy, TWh, 3 decimals).
    """

    population: np.ndarray
    gdp: np.ndarray
    ghg: np.ndarray
    co2: np.ndarray
    energy: np.ndarray

    def at(self, name: str, years: np.ndarray) -> np.ndarray:
        """Return one series for the given years."""
        return getattr(self, name)[:, years - OWID_YEARS[0]]


def _macro(seed: int, countries: Countries) -> Macro:
    """Draw population, GDP, GHG, CO2 and energy paths with common world shocks (e.g. 2009)."""
    rng = _rng(seed, "macro")
    n, years = countries.n, len(OWID_YEARS)
    rich = np.array([c in HIGH_INCOME for c in countries.iso3], dtype=float)
    size = 0.5 * (countries.log_exp + countries.log_imp) - 0.8 * rich
    log_pop0 = 13.8 + 1.5 * size + rng.normal(0, 0.5, n)
    known = np.array([POP_1990_MILLIONS.get(c, np.nan) for c in countries.iso3])
    log_pop0 = np.where(np.isnan(known), log_pop0, np.log(known * 1e6) + rng.normal(0, 0.02, n))
    log_gdppc0 = 7.4 + 2.2 * rich + rng.normal(0, 0.5, n)
    world = np.full(years, 0.012)
    for year, shock in {
        1991: -0.01,
        1998: -0.015,
        2001: -0.012,
        2008: -0.02,
        2009: -0.055,
        2010: 0.02,
    }.items():
        world[year - OWID_YEARS[0]] += shock
    world += rng.normal(0, 0.004, years)
    growth_pc = (0.012 + 0.022 * (1 - rich))[:, None] + world[None, :] + rng.normal(0, 0.02, (n, years))
    growth_pop = (0.004 + 0.012 * (1 - rich) + rng.normal(0, 0.004, n))[:, None] + rng.normal(0, 0.002, (n, years))
    growth_pc[:, 0] = 0.0
    growth_pop[:, 0] = 0.0
    log_pop = log_pop0[:, None] + np.cumsum(growth_pop, axis=1)
    log_gdp = log_pop + log_gdppc0[:, None] + np.cumsum(growth_pc, axis=1)
    decline = rng.normal(0.015, 0.008, n)[:, None] + rng.normal(0, 0.01, (n, years))
    decline[:, 0] = 0.0
    log_int = np.log(0.6e-9) + rng.normal(0, 0.35, n)[:, None] - np.cumsum(decline, axis=1)
    ghg = np.exp(log_gdp + log_int)
    co2 = ghg * np.clip(rng.normal(0.75, 0.07, n), 0.5, 0.92)[:, None]
    energy_int = np.exp(np.log(1.6e-9) + rng.normal(0, 0.3, n))[:, None] * np.exp(-0.01 * np.arange(years))
    return Macro(
        population=np.round(np.exp(log_pop)),
        gdp=np.round(np.exp(log_gdp) / 1e6) * 1e6,
        ghg=np.round(ghg, 2),
        co2=np.round(co2, 3),
        energy=np.round(np.exp(log_gdp) * energy_int, 3),
    )


OWID_COLUMNS = (
    "iso_code,country,year,co2,co2_growth_prct,co2_growth_abs,consumption_co2,trade_co2,trade_co2_share,"
    "co2_per_capita,consumption_co2_per_capita,share_global_co2,cumulative_co2,share_global_cumulative_co2,"
    "co2_per_gdp,consumption_co2_per_gdp,co2_per_unit_energy,cement_co2,coal_co2,flaring_co2,gas_co2,oil_co2,"
    "cement_co2_per_capita,coal_co2_per_capita,flaring_co2_per_capita,gas_co2_per_capita,oil_co2_per_capita,"
    "total_ghg,ghg_per_capita,methane,methane_per_capita,nitrous_oxide,nitrous_oxide_per_capita,"
    "primary_energy_consumption,energy_per_capita,energy_per_gdp,population,gdp"
).split(",")


def _owid_row(iso: str, name: str, year: int, pop: float, gdp: float, ghg: float, co2: float, energy: float) -> str:
    cells = dict.fromkeys(OWID_COLUMNS, "")
    cells.update(
        {
            "iso_code": iso,
            "country": name if "," not in name else _q(name),
            "year": str(year),
            "co2": repr(round(co2, 3)),
            "co2_per_capita": repr(round(co2 * 1e6 / pop, 3)),
            "co2_per_gdp": repr(round(co2 * 1e9 / gdp, 3)),
            "total_ghg": repr(round(ghg, 2)),
            "ghg_per_capita": repr(round(ghg * 1e6 / pop, 3)),
            "primary_energy_consumption": repr(round(energy, 3)),
            "energy_per_capita": repr(round(energy * 1e9 / pop, 3)),
            "energy_per_gdp": repr(round(energy * 1e9 / gdp, 3)),
            "population": repr(float(pop)),
            "gdp": repr(float(gdp)),
        }
    )
    return ",".join(cells[c] for c in OWID_COLUMNS)


def _write_owid(writer: _Writer, countries: Countries, macro: Macro) -> dict[str, Any]:
    """Write country rows for the living demo countries plus World and continent aggregates."""
    rows: list[tuple[str, int, str]] = []
    alive = np.flatnonzero(countries.alive)
    groups = [("OWID_WRL", "World", alive)] + [
        ("", REGION_NAMES[r], np.array([n for n in alive if countries.region[n] == r])) for r in sorted(REGION_NAMES)
    ]
    entities = [(countries.iso3[n], countries.owid_name[n], np.array([n])) for n in alive] + groups
    for iso, name, members in entities:
        if len(members) == 0:
            continue
        for y, year in enumerate(OWID_YEARS):
            totals = [float(getattr(macro, a)[members, y].sum()) for a in ("population", "gdp", "ghg", "co2", "energy")]
            rows.append((name, int(year), _owid_row(iso, name, int(year), *totals)))
    rows.sort(key=lambda r: (r[0], r[1]))
    writer.text("owid/owid-co2-data.csv", [",".join(OWID_COLUMNS)] + [r[2] for r in rows], "\n")
    return {
        "aggregates": {"OWID_WRL (World)": "sum of the demo countries", "empty iso_code": "continent sums"},
        "filled_columns": [
            "iso_code",
            "country",
            "year",
            "co2",
            "co2_per_capita",
            "co2_per_gdp",
            "total_ghg",
            "ghg_per_capita",
            "primary_energy_consumption",
            "energy_per_capita",
            "energy_per_gdp",
            "population",
            "gdp",
        ],
    }
