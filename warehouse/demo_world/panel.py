"""The SDG panel truth: DMI by metal and route, the panel controls, and ``panel_truth_dmi.csv``.

DMI is mined (IRP extraction times ore grade) or imported (BACI quantities times metal content) per
country and year; the controls are OWID GDP, population and energy and the WGI control estimate.  Writes
the DMI of every panel country-year and assembles the manifest ``panel`` section: the planted model, each
indicator's beta, controls and country effects, the planted and null lists and the fits on the written files.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from warehouse.demo_world.baci import FlowBlock
from warehouse.demo_world.common import BACI_YEARS, WDI_VALUE_YEARS
from warehouse.demo_world.countries import Countries
from warehouse.demo_world.macro import Macro
from warehouse.demo_world.material_flows import _mined_dmi
from warehouse.demo_world.metal_content import _metal_shares
from warehouse.demo_world.products import Products
from warehouse.demo_world.wdi_sdg import PANEL_YEARS, Indicator
from warehouse.demo_world.wgi import WGI_CONTROL, Wgi
from warehouse.demo_world.writers import _Writer

PANEL_METALS = ["Nd", "Co", "Pt", "Ni", "Cr", "Mo", "Fe", "Cu", "Pb", "Zn", "Al"]
ROUTES = ["mined", "imported"]


def _imported_dmi(block: FlowBlock, products: Products, n_countries: int) -> dict[str, np.ndarray]:
    """Compute imported DMI (t of metal) by metal, ``(importers, BACI years)``: q x content share, NA as 0."""
    valid = block.present & ~block.na
    out = {metal: np.zeros((n_countries, len(BACI_YEARS))) for metal in PANEL_METALS}
    for hs6, pairs in _metal_shares().items():
        rows = np.flatnonzero(block.k == products.code.index(hs6))
        tonnes = block.q[rows] * valid[rows] / 1000
        for metal, share in pairs:
            if metal in out:
                np.add.at(out[metal], block.j[rows], tonnes * share)
    return out


def _dmi_tables(
    extraction: dict[str, np.ndarray], imported: dict[str, np.ndarray], years: np.ndarray
) -> dict[tuple[str, str], np.ndarray]:
    """``{(metal, route): (countries, years)}`` for the panel metals."""
    mined = _mined_dmi(extraction, years)
    cols = years - BACI_YEARS[0]
    out = {}
    for metal in PANEL_METALS:
        out[(metal, "mined")] = mined[metal]
        out[(metal, "imported")] = imported[metal][:, cols]
    return out


def _controls(countries: Countries, macro: Macro, wgi: Wgi, years: np.ndarray) -> dict[str, np.ndarray]:
    """Panel controls as written: ln GDP, ln population, ln primary energy (OWID) and the WGI estimate."""
    return {
        "log_gdp": np.log(macro.at("gdp", years)),
        "log_population": np.log(macro.at("population", years)),
        "log_primary_energy": np.log(macro.at("energy", years)),
        "wgi_estimate": wgi.control(years),
    }


def _write_panel_dmi(writer: _Writer, countries: Countries, dmi: dict[tuple[str, str], np.ndarray]) -> None:
    """Write ``panel_truth_dmi.csv``: DMI (tonnes of metal) per panel country, year, metal and route."""
    cols = PANEL_YEARS - WDI_VALUE_YEARS[0]
    lines = ["iso3,baci_code,year,metal,route,dmi_t"]
    for n in np.flatnonzero(countries.current):
        for c, year in zip(cols, PANEL_YEARS, strict=True):
            for metal in PANEL_METALS:
                for route in ROUTES:
                    lines.append(
                        f"{countries.iso3[n]},{countries.baci[n]},{year},{metal},{route},"
                        f"{dmi[(metal, route)][n, c]:.12g}"
                    )
    writer.text("panel_truth_dmi.csv", lines, "\n")


def _panel_truth(countries: Countries, indicators: list[Indicator]) -> dict[str, Any]:
    current = np.flatnonzero(countries.current)
    entries, planted, nulls = {}, [], []
    for ind in indicators:
        entries[ind.code] = {
            "name": ind.name,
            "goal": ind.goal,
            "topic": ind.topic,
            "better": ind.better,
            "planted": ind.planted,
            "metal": ind.metal,
            "route": ind.route,
            "beta": ind.beta,
            "gamma": ind.gamma,
            "sigma": ind.sigma,
            "country_fe": {countries.iso3[n]: ind.fe[n] for n in range(countries.n) if countries.alive[n]},
            "fit_on_written": ind.fit,
        }
        (planted if ind.planted else nulls).append({"indicator": ind.code, "metal": ind.metal, "route": ind.route})
    return {
        "years": PANEL_YEARS,
        "countries": [countries.iso3[n] for n in current],
        "metals": PANEL_METALS,
        "routes": ROUTES,
        "dmi_file": "panel_truth_dmi.csv",
        "dmi_definition": {
            "mined": "sum over DE rows (material_flows/DE_met_min_fos_CCC_demo.csv) of the country-year whose "
            "CCC_Code maps to the metal (material_flows.ccc_grades) of value (t ore) x grade",
            "imported": "sum over BACI flows with j = the country's BACI code and t = year of q (tonnes; NA as 0) "
            "x content_share (metal_content/hs_metal_content.csv) for the metal",
            "unit": "tonnes of metal",
        },
        "model": "value[c,t] = country_fe[c] + beta * ln(1 + DMI[metal, route][c,t]) + sum_m gamma[m] * "
        "control[m][c,t] + N(0, sigma^2); values written with 15 significant digits for 2000-2017 with gaps",
        "controls": {
            "log_gdp": "ln(OWID gdp) of the country-year",
            "log_population": "ln(OWID population)",
            "log_primary_energy": "ln(OWID primary_energy_consumption)",
            "wgi_estimate": f"WGI {WGI_CONTROL} Estimate (code as written in the WGI file; see wgi.code_overrides)",
        },
        "indicators": entries,
        "planted": planted,
        "nulls": nulls,
        "null_rule": "indicators with planted=false have beta = 0 for every metal and route; 'nulls' lists one "
        "designated (metal, route) per null indicator",
        "fit_on_written": "within (country FE) OLS on the panel cells written, regressors [x, controls]; "
        "beta_hat/se/t refer to x",
    }
