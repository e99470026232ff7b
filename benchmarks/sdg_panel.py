"""Time the vectorised SDG panel at the programme's size, against linearmodels one regression at a time.

A synthetic panel of the programme's shape (96 indicators × 11 metals × 2 sources = 2,112 regressions, 180
countries × 10 years, 5 % of indicator values missing, metal input zero in part of the countries) is
estimated once and then under ``--permutations`` shuffles of the metal series between countries.  The
baseline is ``linearmodels.PanelOLS`` (country effects, clustered by country) on a sample of the same
regressions, timed and scaled to all of them; the coefficients of the sample are compared too.

Prints one JSON line: regressions, seconds (estimate + permutations), and the parts.

    .venv/bin/python -m benchmarks.sdg_panel [--permutations 200] [--baseline-sample 40]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

METALS = ["Nd", "Co", "Pt", "Ni", "Cr", "Mo", "Fe", "Cu", "Pb", "Zn", "Al"]


def synthetic_panel(n_indicators: int = 96, n_countries: int = 180, seed: int = 1):
    """Return (values, indicators, inputs, controls, years) long frames of a programme-sized panel."""
    rng = np.random.default_rng(seed)
    years = np.arange(2004, 2014)
    grid = pd.MultiIndex.from_product(
        [[f"C{c:03d}" for c in range(n_countries)], years], names=["iso3", "year"]
    ).to_frame(index=False)
    n = len(grid)
    controls = grid.assign(
        log_gdp=rng.normal(24, 2, n_countries).repeat(len(years)) + rng.normal(0, 0.05, n).cumsum() % 1,
        log_population=rng.normal(16, 1.5, n_countries).repeat(len(years)) + rng.normal(0, 0.01, n),
        log_primary_energy=rng.normal(5, 1.5, n_countries).repeat(len(years)) + rng.normal(0, 0.05, n),
        wgi_mean_score=rng.normal(0, 0.8, n_countries).repeat(len(years)) + rng.normal(0, 0.05, n),
    )
    inputs = []
    for metal in METALS:
        for source, share in (("mined", 0.3), ("imported", 0.95)):
            active = (rng.random(n_countries) < share).repeat(len(years))
            level = rng.normal(8, 2, n_countries).repeat(len(years))
            path = np.exp(level + np.cumsum(rng.normal(0.02, 0.1, (n_countries, len(years))), axis=1).ravel())
            inputs.append(grid.assign(metal=metal, source=source, dmi_t=np.where(active, path, 0.0)))
    inputs = pd.concat(inputs, ignore_index=True)
    indicators = pd.DataFrame(
        {
            "indicator_code": [f"IND{i:03d}" for i in range(n_indicators)],
            "goal": rng.integers(1, 18, n_indicators),
            "better": rng.choice(["higher", "lower"], n_indicators),
        }
    )
    values = []
    for code in indicators["indicator_code"]:
        y = rng.normal(0, 3, n_countries).repeat(len(years)) + 0.3 * controls["log_gdp"] + rng.normal(0, 1, n)
        keep = rng.random(n) > 0.05
        values.append(grid[keep].assign(indicator_code=code, value=y[keep]))
    values = pd.concat(values, ignore_index=True)
    return values, indicators, inputs, controls, years


def baseline(values, inputs, controls, pairs) -> tuple[float, dict]:
    """Fit the sampled (indicator, metal, source) pairs with linearmodels; return seconds and coefficients."""
    from analysis.sdg_panel import CONTROLS, fit_panelols

    started = time.perf_counter()
    coefs = {}
    for code, metal, source in pairs:
        x = inputs[(inputs["metal"] == metal) & (inputs["source"] == source)]
        frame = (
            values[values["indicator_code"] == code]
            .merge(x, on=["iso3", "year"])
            .merge(controls, on=["iso3", "year"])
            .assign(lx=lambda f: np.log1p(f["dmi_t"]))
            .set_index(["iso3", "year"])
        )
        coefs[(code, metal, source)] = float(fit_panelols(frame, "value", ["lx", *CONTROLS])["params"]["lx"])
    return time.perf_counter() - started, coefs


def main(argv=None) -> dict:
    """Run the benchmark and print its JSON line."""
    from analysis import sdg_panel

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--permutations", type=int, default=200)
    parser.add_argument("--baseline-sample", type=int, default=40)
    parser.add_argument("--indicators", type=int, default=96)
    args = parser.parse_args(argv)

    values, indicators, inputs, controls, years = synthetic_panel(args.indicators)
    panel = sdg_panel.build_panel(values, indicators, inputs, controls, years)
    started = time.perf_counter()
    estimates = sdg_panel.estimate(panel)
    t_estimate = time.perf_counter() - started
    started = time.perf_counter()
    null = sdg_panel.permutation_null(panel, args.permutations, seed=7)
    t_perm = time.perf_counter() - started

    sample = estimates.sample(min(args.baseline_sample, len(estimates)), random_state=0)
    pairs = list(sample[["indicator_code", "metal", "source"]].itertuples(index=False, name=None))
    t_base, coefs = baseline(values, inputs, controls, pairs)
    ours = sample.set_index(["indicator_code", "metal", "source"])["coef"]
    max_diff = max(abs(ours.loc[key] - value) for key, value in coefs.items())
    per_regression_base = t_base / len(pairs)
    regressions = len(estimates) * (1 + args.permutations)
    result = {
        "benchmark": "sdg_panel",
        "regressions": int(regressions),
        "seconds": round(t_estimate + t_perm, 3),
        "estimate_regressions": int(len(estimates)),
        "estimate_seconds": round(t_estimate, 3),
        "permutations": args.permutations,
        "permutation_seconds": round(t_perm, 3),
        "permutation_tests_counted": int(null["n_tests"].sum()),
        "linearmodels_seconds_per_regression": round(per_regression_base, 5),
        "linearmodels_estimated_seconds_all": round(per_regression_base * regressions, 1),
        "speedup_vs_linearmodels": round(per_regression_base * regressions / (t_estimate + t_perm), 1),
        "max_abs_coef_diff_vs_linearmodels": float(max_diff),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
