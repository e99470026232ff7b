"""World Bank files: the wide SDG file, its indicator metadata, ``SDGSeries.csv`` and a long-format file.

Writes ``wdi/API_SDG_DS2_en_csv_v2_demo.csv``, ``wdi/Metadata_Indicator_API_SDG_DS2_en_csv_v2_demo.csv``,
``wdi/sdg/SDGSeries.csv`` and ``wdi/demo-long-format.csv``.  The SDG indicators (goals and templates from
``tables/sdg_goals.csv``) are drawn from the planted fixed-effects model on DMI and the panel controls:
about a third with beta != 0 (|t| about 9-14), the others nulls; :func:`_fe_ols` gives their fit on the
written values (manifest ``panel.indicators``, ``wdi``).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from warehouse.demo_world.common import SOURCE_TEXT, WDI_VALUE_YEARS, _rng, _table
from warehouse.demo_world.countries import Countries
from warehouse.demo_world.writers import _g15, _q, _Writer

_GOAL_TABLE = _table("sdg_goals.csv")
SDG_GOALS = {int(row["goal"]): row["title"] for row in _GOAL_TABLE}
# goal -> (topic, base indicator name, unit, better, typical level)
SDG_TEMPLATES = {
    int(row["goal"]): (row["topic"], row["indicator"], row["unit"], row["better"], float(row["level"]))
    for row in _GOAL_TABLE
}

# years of the SDG panel model (within WDI_VALUE_YEARS)
PANEL_YEARS = np.arange(2004, 2014)


@dataclasses.dataclass
class Indicator:
    """One synthetic SDG indicator, its planted model and the values written (NaN = empty)."""

    code: str
    name: str
    goal: int
    topic: str
    unit: str
    better: str
    planted: bool
    metal: str
    route: str
    beta: float
    gamma: dict[str, float]
    sigma: float
    fe: np.ndarray
    values: np.ndarray
    fit: dict[str, float]


def _within(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Demean ``values`` (rows = observations) within groups."""
    out = values.astype(float).copy()
    for g in np.unique(groups):
        sel = groups == g
        out[sel] -= out[sel].mean(axis=0)
    return out


def _fe_ols(y: np.ndarray, regressors: np.ndarray, groups: np.ndarray) -> dict[str, float]:
    """Within (country fixed effects) OLS; return estimate, standard error and t of the first regressor."""
    yd = _within(y[:, None], groups)[:, 0]
    xd = _within(regressors, groups)
    coef, *_ = np.linalg.lstsq(xd, yd, rcond=None)
    resid = yd - xd @ coef
    dof = len(y) - len(np.unique(groups)) - xd.shape[1]
    s2 = resid @ resid / dof
    cov = s2 * np.linalg.inv(xd.T @ xd)
    se = float(np.sqrt(cov[0, 0]))
    return {"beta_hat": float(coef[0]), "se": se, "t": float(coef[0] / se), "n_obs": len(y)}


def _sdg(
    seed: int,
    countries: Countries,
    n_indicators: int,
    dmi: dict[tuple[str, str], np.ndarray],
    controls: dict[str, np.ndarray],
) -> list[Indicator]:
    """Draw indicators and their values from the planted fixed-effects model on DMI and controls.

    y[c, t] = fe[c] + beta * ln(1 + DMI[metal, route][c, t]) + sum_m gamma[m] * control[m][c, t] + eps.
    About a third of the indicators have beta != 0 (sized so |t| is about 9-14 on the panel); the others
    have beta = 0 for every metal and route.
    """
    rng = _rng(seed, "sdg")
    years = WDI_VALUE_YEARS
    in_panel = countries.current[:, None] & np.isin(years, PANEL_YEARS)[None, :]
    groups_grid = np.broadcast_to(np.arange(countries.n)[:, None], in_panel.shape)
    control_names = list(controls)
    ctrl = np.stack([controls[n] for n in control_names], axis=-1)
    logs = {key: np.log1p(value) for key, value in dmi.items()}
    candidates = [
        key for key, value in dmi.items() if (value[in_panel] > 0).mean() >= 0.6 and logs[key][in_panel].std() > 0.05
    ]
    goals = np.resize(rng.permutation(np.arange(1, 18)), n_indicators)
    planted_flags = rng.random(n_indicators) < 0.35
    planted_flags[0] = True
    versions: dict[int, int] = {}
    out: list[Indicator] = []
    for idx in range(n_indicators):
        goal = int(goals[idx])
        versions[goal] = versions.get(goal, 0) + 1
        topic, base, unit, better, level = SDG_TEMPLATES[goal]
        metal, route = candidates[rng.integers(len(candidates))]
        x = logs[(metal, route)]
        missing = rng.random(in_panel.shape) < np.where(in_panel, 0.04, 0.15)
        obs = in_panel & ~missing
        sigma = 0.02 * level
        gamma = dict(zip(control_names, (level * rng.normal(0, [0.1, 0.1, 0.05, 0.05])).tolist(), strict=True))
        beta = 0.0
        if planted_flags[idx]:
            groups = groups_grid[obs]
            xr = _within(np.column_stack([x[obs], ctrl[obs]]), groups)
            coef, *_ = np.linalg.lstsq(xr[:, 1:], xr[:, 0], rcond=None)
            spread = float(np.std(xr[:, 0] - xr[:, 1:] @ coef))
            kappa = rng.uniform(9, 14) * rng.choice([-1, 1])
            beta = kappa * sigma / (spread * np.sqrt(obs.sum()))
        effect = beta * x + ctrl @ np.array(list(gamma.values()))
        fe = level * (1 + 0.3 * rng.normal(0, 1, countries.n)) - effect.mean(axis=1)
        y = fe[:, None] + effect + sigma * rng.normal(0, 1, in_panel.shape)
        y = np.vectorize(lambda v: float(_g15(v)))(y)
        fit = _fe_ols(y[obs], np.column_stack([x[obs], ctrl[obs]]), groups_grid[obs])
        out.append(
            Indicator(
                code=f"SDG.DEMO.{goal:02d}.{versions[goal]}",
                name=f"{base}, demo series {versions[goal]} ({unit})",
                goal=goal,
                topic=topic,
                unit=unit,
                better=better,
                planted=bool(planted_flags[idx]),
                metal=metal,
                route=route,
                beta=beta,
                gamma=gamma,
                sigma=sigma,
                fe=fe,
                values=np.where(missing, np.nan, y),
                fit=fit,
            )
        )
    return out


WDI_YEAR_COLUMNS = list(range(1960, 2021))
SDG_SERIES_COLUMNS = [
    "Series Code", "Topic", "Indicator Name", "Short definition", "Long definition", "Unit of measure",
    "Periodicity", "Base Period", "Other notes", "Aggregation method", "Limitations and exceptions",
    "Notes from original source", "General comments", "Source", "Statistical concept and methodology",
    "Development relevance", "Related source links", "Other web links", "Related indicators", "License Type",
]  # fmt: skip
LONG_INDICATORS = [
    ("GC.DEMO.REV", "Demo revenue, excluding grants (% of GDP)", 20.0),
    ("MS.DEMO.MIL", "Demo military expenditure (% of GDP)", 2.0),
    ("IQ.DEMO.PUB", "Demo public sector management rating (1=low to 6=high)", 3.5),
]


def _wdi_cell(value: float) -> str:
    return '""' if not np.isfinite(value) else _q(_g15(value))


def _write_wdi(writer: _Writer, seed: int, countries: Countries, indicators: list[Indicator]) -> list[dict]:
    """Write the wide SDG file, its indicator metadata, the SDG series list and one long-format file."""
    order = sorted(np.flatnonzero(countries.alive), key=lambda n: countries.wb_name[n])
    header = ",".join(_q(h) for h in ["Country Name", "Country Code", "Indicator Name", "Indicator Code"])
    header += "," + ",".join(_q(y) for y in WDI_YEAR_COLUMNS) + ","
    lines = [
        '"Data Source","World Development Indicators",',
        "",
        '"Last Updated Date","2023-01-31",',
        "",
        header,
    ]
    col = {year: n for n, year in enumerate(WDI_VALUE_YEARS)}
    for n in order:
        for ind in sorted(indicators, key=lambda i: i.code):
            cells = [_wdi_cell(ind.values[n, col[y]]) if y in col else '""' for y in WDI_YEAR_COLUMNS]
            head = [countries.wb_name[n], countries.iso3[n], ind.name, ind.code]
            lines.append(",".join(_q(h) for h in head) + "," + ",".join(cells) + ",")
    writer.text("wdi/API_SDG_DS2_en_csv_v2_demo.csv", lines, "\r\n", bom=True)

    meta = ['"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE","SOURCE_ORGANIZATION",']
    for ind in sorted(indicators, key=lambda i: i.code):
        note = f"Synthetic indicator for SDG {ind.goal} ({SDG_GOALS[ind.goal]}), {ind.unit}; {ind.better} is better."
        meta.append(",".join(_q(f) for f in [ind.code, ind.name, note, SOURCE_TEXT]) + ",")
    for code, name, _ in LONG_INDICATORS:
        meta.append(
            ",".join(_q(f) for f in [code, name, "Synthetic indicator of the long-format file.", SOURCE_TEXT]) + ","
        )
    writer.text("wdi/Metadata_Indicator_API_SDG_DS2_en_csv_v2_demo.csv", meta, "\r\n", bom=True)

    series = [",".join(_q(c) for c in SDG_SERIES_COLUMNS) + ","]
    for ind in sorted(indicators, key=lambda i: i.code):
        fields = dict.fromkeys(SDG_SERIES_COLUMNS, "")
        fields.update(
            {
                "Series Code": ind.code,
                "Topic": ind.topic,
                "Indicator Name": ind.name,
                "Long definition": f"Synthetic series of the demo world.\n\nMeasured in {ind.unit}; "
                f"{ind.better} values are better.",
                "Unit of measure": ind.unit,
                "Periodicity": "Annual",
                "Other notes": f"Goal {ind.goal}: {SDG_GOALS[ind.goal]}",
                "Aggregation method": "Weighted average",
                "Source": SOURCE_TEXT,
                "License Type": "CC BY-4.0",
            }
        )
        series.append(",".join(_q(fields[c]) for c in SDG_SERIES_COLUMNS) + ",")
    writer.text("wdi/sdg/SDGSeries.csv", series, "\n", bom=True)
    return _write_wdi_long(writer, seed, countries, order)


def _write_wdi_long(writer: _Writer, seed: int, countries: Countries, order: list[int]) -> list[dict]:
    """Write ``wdi/demo-long-format.csv`` (``average_value_<name>`` columns) with a few extra indicators."""
    rng = _rng(seed, "wdi-long")
    shape = (countries.n, len(WDI_VALUE_YEARS))
    values = []
    for _, _, level in LONG_INDICATORS:
        path = level * np.exp(rng.normal(0, 0.3, shape[0])[:, None] + np.cumsum(rng.normal(0, 0.03, shape), axis=1))
        values.append(np.where(rng.random(shape) < 0.1, np.nan, path))
    header = ["Country Name", "Country Code", "Year"] + [f"average_value_{name}" for _, name, _ in LONG_INDICATORS]
    lines = [",".join(_q(h) for h in header)]
    for n in order:
        for y, year in enumerate(WDI_VALUE_YEARS):
            cells = [_wdi_cell(v[n, y]) for v in values]
            lines.append(",".join([_q(countries.wb_name[n]), _q(countries.iso3[n]), _q(year)] + cells))
    writer.text("wdi/demo-long-format.csv", lines, "\n")
    return [{"code": code, "name": name} for code, name, _ in LONG_INDICATORS]
