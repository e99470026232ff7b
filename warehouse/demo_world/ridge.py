"""The trade-ridge truth, planted in the BACI quantities of the key products (no file of its own).

Rescales each key product's world quantity per year to a linear target in world GHG, GHG/GDP and GHG per
person (OWID) plus noise: strong products with large effects and small i.i.d. noise, weak ones with tiny
effects and random-walk noise.  Records the model, the clean and as-written totals and a backtest of ridge
against the random walk (manifest ``trade_ridge``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from warehouse.demo_world.baci import FlowBlock, RawSeries
from warehouse.demo_world.common import BACI_YEARS, _rng
from warehouse.demo_world.countries import Countries
from warehouse.demo_world.macro import Macro
from warehouse.demo_world.products import KEY_HS6, Products


def _ridge_regressors(macro: Macro, countries: Countries) -> dict[str, np.ndarray]:
    """World GHG, GHG/GDP and GHG/population per BACI year from the OWID rows written (demo countries)."""
    alive = countries.alive
    ghg = macro.at("ghg", BACI_YEARS)[alive].sum(axis=0)
    gdp = macro.at("gdp", BACI_YEARS)[alive].sum(axis=0)
    pop = macro.at("population", BACI_YEARS)[alive].sum(axis=0)
    return {
        "ghg": ghg,
        "ghg_per_gdp": ghg / (gdp / 1e9),
        "ghg_per_capita": ghg * 1e6 / pop,
    }


def _ridge_backtest(y: np.ndarray, x: np.ndarray, lam: float = 1.0, split: int = 2007) -> dict[str, float]:
    """Fit ridge on 1995..split, forecast the rest; compare with the random walk (last value carried)."""
    train = BACI_YEARS <= split
    mu, sd = x[train].mean(axis=0), x[train].std(axis=0)
    z = (x - mu) / sd
    y_mean = y[train].mean()
    coef = np.linalg.solve(z[train].T @ z[train] + lam * np.eye(x.shape[1]), z[train].T @ (y[train] - y_mean))
    forecast = y_mean + z[~train] @ coef
    naive = np.full((~train).sum(), y[train][-1])
    rmse_ridge = float(np.sqrt(np.mean((forecast - y[~train]) ** 2)))
    rmse_naive = float(np.sqrt(np.mean((naive - y[~train]) ** 2)))
    return {"rmse_ridge": rmse_ridge, "rmse_naive": rmse_naive, "beats_naive": rmse_ridge < rmse_naive}


def _plant_ridge(seed: int, raw: RawSeries, products: Products, regressors: dict[str, np.ndarray]) -> dict:
    """Rescale each key product's quantities (and values) per year to a planted linear target.

    target_t = alpha + sum_m beta_m x_m,t + e_t, with x = (ghg, ghg_per_gdp, ghg_per_capita).  Strong
    products get large standardized effects and i.i.d. noise of 1 % of the level; weak ones tiny effects
    and random-walk noise (8 % of the level per year), floored so the target stays above 15 % of the level.
    """
    rng = _rng(seed, "ridge")
    names = list(regressors)
    x = np.column_stack([regressors[n] for n in names])
    mu, sd = x.mean(axis=0), x.std(axis=0)
    z = (x - mu) / sd
    strong = set(rng.choice(KEY_HS6, size=4, replace=False).tolist())
    truth: dict[str, Any] = {}
    for code in KEY_HS6:
        rows = raw.k == products.code.index(code)
        valid = raw.present[rows] & ~raw.na[rows] & ~raw.zero[rows]
        natural = (raw.q[rows] * valid).sum(axis=0)
        level = float(natural.mean())
        if code in strong:
            b = rng.normal(0, 1, 3)
            b *= 0.35 / np.abs(b).sum()
            noise = rng.normal(0, 0.01, len(BACI_YEARS)) * level
            noise_sd = 0.01 * level
        else:
            b = rng.normal(0, 0.02, 3)
            noise = np.cumsum(rng.normal(0, 0.08, len(BACI_YEARS))) * level
            noise_sd = 0.08 * level
        signal = level * (1 + z @ b)
        noise = np.maximum(signal + noise, 0.15 * level) - signal
        target = signal + noise
        factor = np.where(natural > 0, target / np.where(natural > 0, natural, 1), 1.0)
        raw.q[rows] *= factor[None, :]
        raw.v[rows] *= factor[None, :]
        beta = level * b / sd
        truth[code] = {
            "designed": "strong" if code in strong else "weak",
            "alpha": level - float(beta @ mu),
            "beta": dict(zip(names, beta.tolist(), strict=True)),
            "beta_standardized": dict(zip(names, b.tolist(), strict=True)),
            "noise": "iid normal" if code in strong else "random walk (cumulated normal), floored",
            "noise_sd": noise_sd,
            "noise_realised": noise,
            "target": target,
            "years_without_flows": BACI_YEARS[natural <= 0],
        }
    return {"regressor_names": names, "regressors": regressors, "products": truth}


def _ridge_totals(block: FlowBlock, products: Products) -> dict[str, np.ndarray]:
    """World quantity (tonnes, NA excluded) per key product and BACI year."""
    valid = block.present & ~block.na
    out = {}
    for code in KEY_HS6:
        rows = block.k == products.code.index(code)
        out[code] = (block.q[rows] * valid[rows]).sum(axis=0) / 1000
    return out


def _finish_ridge(ridge: dict, clean: dict[str, np.ndarray], written: dict[str, np.ndarray]) -> dict:
    """Add clean/as-written totals and the ridge-versus-random-walk backtest to the ridge truth."""
    x = np.column_stack([ridge["regressors"][n] for n in ridge["regressor_names"]])
    for code, entry in ridge["products"].items():
        entry["total_clean"] = clean[code]
        entry["total_as_written"] = written[code]
        clean_test = _ridge_backtest(clean[code], x)
        written_test = _ridge_backtest(written[code], x)
        entry["beats_naive"] = clean_test["beats_naive"]
        entry["backtest_clean"] = clean_test
        entry["backtest_as_written"] = written_test
    ridge["years"] = BACI_YEARS
    ridge["definition"] = {
        "total": "sum over BACI flows of q (tonnes) for the hs6 and year, NA excluded",
        "ghg": "sum of OWID total_ghg (Mt CO2e) over the demo countries written (aggregates excluded)",
        "ghg_per_gdp": "ghg / (sum of OWID gdp / 1e9): Mt CO2e per billion USD",
        "ghg_per_capita": "ghg * 1e6 / sum of OWID population: t CO2e per person",
        "model": "total_clean = alpha + sum(beta[m] * regressor[m]) + noise_realised (up to 0.001 t rounding)",
        "backtest": "ridge (lambda=1 on regressors standardized on 1995-2007, centred y) fitted on 1995-2007, "
        "forecast 2008-2017 with observed regressors; naive = 2007 value carried forward; RMSE compared",
    }
    return ridge
