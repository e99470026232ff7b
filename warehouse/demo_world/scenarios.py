"""IAMC scenario pathways ``scenarios/demo_scenarios_iamc.csv``.

GDP, population and Kyoto-gas emissions of SSP2-Baseline and SSP1-2C for the living demo countries and
World (the sum of the regions), from their 2015 OWID values; the manifest ``scenarios`` section records the
model, scenarios, regions and units.

A user's AI-demand pathway in the same file (model ``DEMO-USER``, scenario ``AI-Boom``, World): variable
``AI Demand|pcs``, an index growing 10 % a year from 1 in 2015 (manifest ``scenarios.ai_demand``), which
``int_ai_demand_pathways`` reads as the pathway ``iamc:DEMO-USER|AI-Boom`` for personal computers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from warehouse.demo_world.common import _rng
from warehouse.demo_world.countries import HIGH_INCOME, Countries
from warehouse.demo_world.macro import Macro
from warehouse.demo_world.writers import _Writer

SCENARIO_YEARS = np.arange(2010, 2101, 5)
AI_DEMAND_GROWTH = 1.1  # the planted user pathway's yearly factor


def _write_scenarios(writer: _Writer, seed: int, countries: Countries, macro: Macro) -> dict[str, Any]:
    """Write IAMC-format pathways (SSP2-Baseline, SSP1-2C) for the living demo countries and World."""
    rng = _rng(seed, "scenarios")
    alive = np.flatnonzero(countries.alive)
    rich = np.array([countries.iso3[n] in HIGH_INCOME for n in alive])
    t = SCENARIO_YEARS - 2015
    base = {name: macro.at(name, np.array([2015]))[alive, 0] for name in ("gdp", "population", "ghg")}
    ppp = np.where(rich, 1.0, 1.8) * rng.uniform(0.9, 1.1, len(alive))
    g0 = np.where(rich, 0.018, 0.035) + rng.normal(0, 0.004, len(alive))
    p0 = np.where(rich, 0.002, 0.012) + rng.normal(0, 0.002, len(alive))
    decay = (1 - np.exp(-t / 60.0)) * 60.0
    paths: dict[str, dict[str, np.ndarray]] = {}
    for scenario, g_adj, p_adj in [("SSP2-Baseline", 1.0, 1.0), ("SSP1-2C", 1.1, 0.8)]:
        gdp = base["gdp"][:, None] * ppp[:, None] / 1e9 * np.exp(g_adj * g0[:, None] * decay[None, :])
        pop = base["population"][:, None] / 1e6 * np.exp(p_adj * p0[:, None] * np.minimum(t, 55)[None, :])
        if scenario == "SSP2-Baseline":
            ghg = base["ghg"][:, None] * (gdp / gdp[:, [1]]) ** 0.6 * np.exp(-0.008 * t)[None, :]
        else:
            factor = np.interp(SCENARIO_YEARS, [2010, 2020, 2050, 2070, 2100], [0.97, 1.0, 0.45, 0.2, 0.1])
            ghg = base["ghg"][:, None] * factor[None, :]
        paths[scenario] = {"Emissions|Kyoto Gases": ghg, "GDP|PPP": gdp, "Population": pop}
    units = {
        "Emissions|Kyoto Gases": "Mt CO2-equiv/yr",
        "GDP|PPP": "billion US$2005/yr",
        "Population": "million",
    }
    lines = ["MODEL,SCENARIO,REGION,VARIABLE,UNIT," + ",".join(str(y) for y in SCENARIO_YEARS)]
    regions = [countries.iso3[n] for n in alive]
    for scenario, variables in paths.items():
        for r, region in enumerate(regions + ["World"]):
            for variable, values in variables.items():
                row = values.sum(axis=0) if region == "World" else values[r]
                lines.append(
                    f"DEMO-IAM 1.0,{scenario},{region},{variable},{units[variable]},"
                    + ",".join(f"{v:.10g}" for v in row)
                )
    ai_index = AI_DEMAND_GROWTH ** (SCENARIO_YEARS - 2015)
    lines.append("DEMO-USER,AI-Boom,World,AI Demand|pcs,index (2015 = 1)," + ",".join(f"{v:.10g}" for v in ai_index))
    writer.text("scenarios/demo_scenarios_iamc.csv", lines, "\n")
    return {
        "model": "DEMO-IAM 1.0",
        "scenarios": list(paths),
        "regions": regions + ["World"],
        "world": "sum of the regions",
        "units": units,
        "ai_demand": {
            "pathway": "iamc:DEMO-USER|AI-Boom",
            "sector_key": "pcs",
            "annual_growth": AI_DEMAND_GROWTH - 1,
        },
    }
