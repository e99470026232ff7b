"""Scenario layer end to end: planted ridge relations recovered from a tiny demo build, and projections
built from the real scenario files (Leach/RCMIP, IIASA GDP, Wittgenstein population) and real OWID."""

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from analysis import trade_scenarios as ts
from orchestration.scenarios import KEY_HS6, TRADE_SOURCE

REG = list(ts.REGRESSOR_COLUMNS)
MANIFEST_REG = {"ghg": REG[0], "ghg_per_gdp": REG[1], "ghg_per_capita": REG[2]}


def _frames(path):
    with duckdb.connect(str(path), read_only=True) as con:
        fits = con.execute("select * from marts.fct_trade_model_fit").df().set_index("hs6")
        proj = con.execute("select * from marts.fct_trade_projections").df()
        reg = con.execute("select * from marts.fct_scenario_regressors").df()
    return fits, proj, reg


def _check_against_truth(fits, truth, x, hs6_codes):
    """Strong products: fitted relation within 3 % (RMSE / mean level) of the planted one (noise is 1 %);
    where the manifest's own backtest (lambda = 1, clean totals) beats the random walk by a clear margin
    (5 %), ours does too (thinner margins depend on the penalty and are not a planted truth)."""
    checked = 0
    for hs6 in hs6_codes:
        planted, fit = truth["products"][hs6], fits.loc[hs6]
        coef = fit[["coef_ghg_t_per_mtco2e", "coef_ghg_per_gdp_t_per_unit", "coef_ghg_per_capita_t_per_tco2e"]]
        fitted = fit["intercept_t"] + x @ coef.to_numpy(dtype=float)
        signal = planted["alpha"] + x @ np.array([planted["beta"][n] for n in truth["regressor_names"]])
        if planted["designed"] == "strong":
            assert ts.rmse(fitted, signal) / float(np.mean(signal)) < 0.03, hs6
            checked += 1
        planted_test = planted["backtest_clean"]
        if planted_test["rmse_naive"] >= 1.05 * planted_test["rmse_ridge"]:
            assert fit["backtest_error"] < fit["naive_rw_error"], hs6
            checked += 1
    return checked


def test_demo_build_recovers_the_planted_relations(tiny_build):
    truth = tiny_build["manifest"]["trade_ridge"]
    fits, proj, reg = _frames(tiny_build["published"])
    years = np.array(truth["years"])
    observed = reg[reg["pathway"] == "observed"].set_index("year").loc[years]
    # the regressors are the planted ones: world sums over the OWID countries (relative error < 1e-9)
    for name, column in MANIFEST_REG.items():
        np.testing.assert_allclose(observed[column].to_numpy(), truth["regressors"][name], rtol=1e-9)
    assert set(fits.index) == set(KEY_HS6)
    x = observed[REG].to_numpy()
    table, column = TRADE_SOURCE["table"], TRADE_SOURCE["weight_column"]
    with duckdb.connect(str(tiny_build["published"]), read_only=True) as con:
        weights = con.execute(
            f"select hs6, cast(year as integer) as year, sum({column}) as weight_t from {table} "
            "where hs6 in (select unnest(?)) group by hs6, year",
            [list(KEY_HS6)],
        ).df()
        totals = con.execute(
            f"select cast(year as integer) as year, sum({column}) as total_t from {table} group by year"
        ).df()
    # 1. the marts, for the commodities whose warehouse series equals the planted clean totals (within 1 %
    #    every year): the upstream cleaning is not under test here
    faithful = []
    for hs6, planted in truth["products"].items():
        series = weights[weights["hs6"] == hs6].set_index("year")["weight_t"].reindex(years).fillna(0.0)
        if np.all(np.abs(series.to_numpy() - planted["total_clean"]) <= 0.01 * np.abs(planted["total_clean"])):
            faithful.append(hs6)
    _check_against_truth(fits, truth, x, faithful)
    # 2. the same pipeline on the planted clean totals, with the warehouse's regressors and totals
    clean = pd.concat(
        pd.DataFrame({"hs6": hs6, "year": years, "weight_t": p["total_clean"]}) for hs6, p in truth["products"].items()
    )
    obs_frame = reg[reg["pathway"] == "observed"]
    refits, _, _, skipped = ts.run_trade_scenarios(clean, totals, obs_frame, reg.iloc[:0], KEY_HS6)
    assert skipped.empty
    assert _check_against_truth(refits.set_index("hs6"), truth, x, KEY_HS6) >= 4
    # projections: both demo pathways, 2015..2050 every 5 years, every key commodity
    assert set(proj["scenario"]) == {"SSP2-Baseline", "SSP1-2C"}
    assert sorted(set(proj["year"])) == list(range(2015, 2051, 5))
    assert len(proj) == len(KEY_HS6) * 2 * 8
    assert (proj["lower_t"] <= proj["weight_t"]).all() and (proj["weight_t"] <= proj["upper_t"]).all()
    assert (proj["lower_t"] >= 0).all()
    # harmonisation: at the base year every pathway equals the observed regressors, so the projection is
    # the fitted model at the observed 2015 regressors (floored at zero)
    base = proj[proj["year"] == 2015].set_index(["hs6", "scenario"])["weight_t"]
    x2015 = reg[(reg["pathway"] == "observed") & (reg["year"] == 2015)][REG].to_numpy()[0]
    for (hs6, _), value in base.items():
        fit = fits.loc[hs6]
        coef = fit[["coef_ghg_t_per_mtco2e", "coef_ghg_per_gdp_t_per_unit", "coef_ghg_per_capita_t_per_tco2e"]]
        expected = max(0.0, fit["intercept_t"] + float(x2015 @ coef.to_numpy(dtype=float)))
        assert value == pytest.approx(expected, rel=1e-6, abs=1e-6)
    figure = Path(tiny_build["build"]).parent / "figures" / "figure2_trade_projections.png"
    assert figure.stat().st_size > 10_000


def test_real_scenario_files_give_projections_for_the_ten_commodities(real_data_dir, real_build, tiny_world):
    from warehouse.discover import discover
    from warehouse.scenario_formats import extra_paths

    extras = extra_paths(discover(real_data_dir).scenarios_extra)
    assert len(extras) == 6  # five Leach/RCMIP emission files and the Wittgenstein population
    db = real_build["published"]
    with duckdb.connect(str(db), read_only=True) as con:
        pathways = con.execute("select * from intermediate.int_scenario_pathways").df().set_index("pathway")
        reg = con.execute("select * from marts.fct_scenario_regressors").df()
        methods = con.execute("select distinct ghg_method from marts.fct_scenario_country_pathways").fetchall()
        n_panel = con.execute("select count(distinct iso3) from marts.fct_scenario_country_pathways").fetchone()[0]
    assert {"SSP1-1.9", "SSP1-2.6", "SSP2-4.5", "SSP3-7.0", "SSP5-8.5"} <= set(pathways.index)
    assert pathways.loc["SSP1-2.6", "pathway_class"] == "2C"
    assert pathways.loc["SSP2-4.5", "pathway_class"] == "reference"
    assert pathways.loc["SSP1-2.6", "gdp_source_scenario"].startswith("SSP1_")
    assert pathways.loc["SSP1-2.6", "population_pairing"] == "SSP2 fallback"
    assert methods == [("constant share of world pathway",)]  # the real GHG pathways are global only
    assert n_panel > 150
    # the method sentence names only the methods used, with their country counts (no "for 0 countries")
    sentence = reg.loc[reg["pathway"] == "SSP2-4.5", "downscaling_method"].iloc[0]
    assert sentence.startswith(f"GHG ({pathways.loc['SSP2-4.5', 'ghg_basis']}): {n_panel} countries at their ")
    assert " 0 countr" not in sentence and "country pathway growth" not in sentence
    ghg = reg.set_index(["pathway", "year"])["ghg_mtco2e"]
    assert ghg[("SSP1-2.6", 2015)] == pytest.approx(ghg[("observed", 2015)], rel=1e-9)
    assert ghg[("SSP1-2.6", 2050)] < 0.6 * ghg[("SSP2-4.5", 2050)]
    # trade: the demo world's planted series (no multi-year real BACI exists here) on the real regressors
    import json

    truth = json.loads((tiny_world / "manifest.json").read_text())["trade_ridge"]
    years = np.array(truth["years"])
    weights = pd.concat(
        pd.DataFrame({"hs6": hs6, "year": years, "weight_t": p["total_clean"]}) for hs6, p in truth["products"].items()
    )
    totals = weights.groupby("year", as_index=False)["weight_t"].sum().rename(columns={"weight_t": "total_t"})
    observed = reg[(reg["pathway"] == "observed") & reg["is_complete_panel"]]
    future = reg[reg["is_projection"]]
    fits, proj, _, skipped = ts.run_trade_scenarios(weights, totals, observed, future, KEY_HS6)
    assert skipped.empty and len(fits) == 10
    assert set(proj["hs6"]) == set(KEY_HS6)
    assert proj.groupby("hs6")["scenario"].nunique().min() == len(future["pathway"].unique())
    assert proj["year"].max() == 2050 and (proj["weight_t"] >= 0).all()


def test_downscaling_method_reads_as_a_sentence(tiny_build):
    # the demo world's pathways are per country: every country grows with its own pathway
    with duckdb.connect(str(tiny_build["published"]), read_only=True) as con:
        sentences = con.execute(
            "select distinct downscaling_method from marts.fct_trade_projections order by 1"
        ).fetchall()
        n_panel = con.execute("select count(distinct iso3) from marts.fct_scenario_country_pathways").fetchone()[0]
    assert sentences
    for (sentence,) in sentences:
        assert f"): {n_panel} countries grown with their own pathway (base year 2015); GDP (" in sentence
        assert "world pathway" not in sentence and " 0 countr" not in sentence
