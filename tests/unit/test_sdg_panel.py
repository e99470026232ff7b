"""The SDG panel estimator against statsmodels (dummies) and linearmodels, and the counting rules."""

import numpy as np
import pandas as pd
import pytest

from analysis import sdg_panel


def _hand_panel(seed: int = 3, n_countries: int = 7, n_years: int = 6, drop: float = 0.15):
    """An unbalanced panel: two candidate regressors, two controls, country effects, some rows missing."""
    rng = np.random.default_rng(seed)
    country = np.repeat(np.arange(n_countries), n_years)
    year = np.tile(np.arange(2004, 2004 + n_years), n_countries)
    fe = rng.normal(0, 2, n_countries)[country]
    frame = pd.DataFrame(
        {
            "country": [f"C{c:02d}" for c in country],
            "year": year,
            "x1": rng.normal(0, 1, len(country)) + 0.5 * fe,
            "x2": rng.gamma(2.0, 1.0, len(country)),
            "z1": rng.normal(0, 1, len(country)),
            "z2": rng.normal(0, 1, len(country)) + 0.1 * year,
        }
    )
    frame["y"] = fe + 0.7 * frame["x1"] - 0.3 * frame["z1"] + 0.2 * frame["z2"] + rng.normal(0, 1, len(frame))
    keep = rng.random(len(frame)) > drop
    return frame[keep].reset_index(drop=True)


def _fwl(frame, xcols, year_effects=False):
    groups = pd.factorize(frame["country"], sort=True)[0]
    years = pd.factorize(frame["year"], sort=True)[0] if year_effects else None
    return sdg_panel.within_fwl(
        frame["y"].to_numpy(), frame[xcols].to_numpy(), frame[["z1", "z2"]].to_numpy(), groups, years
    )


def test_coefficients_match_statsmodels_ols_with_country_dummies():
    import statsmodels.api as sm

    frame = _hand_panel()
    fit = _fwl(frame, ["x1", "x2"])
    for j, column in enumerate(["x1", "x2"]):
        dummies = pd.get_dummies(frame["country"], dtype=float)
        design = pd.concat([frame[[column, "z1", "z2"]], dummies], axis=1)
        reference = sm.OLS(frame["y"], design).fit()
        assert abs(fit["coef"][j] - reference.params[column]) < 1e-8
    assert fit["n_obs"] == len(frame)
    assert fit["n_groups"] == frame["country"].nunique()


@pytest.mark.parametrize("year_effects", [False, True])
def test_clustered_se_and_p_match_linearmodels(year_effects):
    frame = _hand_panel(seed=11, n_countries=9, n_years=7)
    fit = _fwl(frame, ["x1", "x2"], year_effects)
    indexed = frame.set_index(["country", "year"])
    for j, column in enumerate(["x1", "x2"]):
        reference = sdg_panel.fit_panelols(indexed, "y", [column, "z1", "z2"], year_effects=year_effects)
        assert abs(fit["coef"][j] - reference["params"][column]) < 1e-8
        assert abs(fit["se"][j] - reference["std_errors"][column]) < 1e-8
        assert abs(fit["p"][j] - reference["pvalues"][column]) < 1e-8


def test_year_effects_coefficient_matches_dummies_for_both_effects():
    import statsmodels.api as sm

    frame = _hand_panel(seed=5)
    fit = _fwl(frame, ["x1"], year_effects=True)
    design = pd.concat(
        [
            frame[["x1", "z1", "z2"]],
            pd.get_dummies(frame["country"], dtype=float),
            pd.get_dummies(frame["year"], dtype=float, drop_first=True),
        ],
        axis=1,
    )
    assert abs(fit["coef"][0] - sm.OLS(frame["y"], design).fit().params["x1"]) < 1e-8


def test_regressor_without_within_variation_gives_no_estimate():
    frame = _hand_panel()
    frame["flat"] = frame.groupby("country")["x1"].transform("mean")  # absorbed by the country effects
    fit = _fwl(frame, ["x1", "flat"])
    assert np.isfinite(fit["coef"][0])
    assert np.isnan(fit["coef"][1]) and np.isnan(fit["p"][1])


def _grid_panel(seed=2, n_countries=8, n_years=6, n_indicators=3):
    """A Panel on the grid and the same data long, for the pandas/linearmodels path."""
    rng = np.random.default_rng(seed)
    countries = [f"K{c}" for c in range(n_countries)]
    years = list(range(2004, 2004 + n_years))
    grid = pd.MultiIndex.from_product([countries, years], names=["iso3", "year"]).to_frame(index=False)
    controls = grid.assign(**{name: rng.normal(0, 1, len(grid)) for name in sdg_panel.CONTROLS})
    inputs = []
    for metal in ("Co", "Fe"):
        for source in ("mined", "imported"):
            dmi = np.exp(rng.normal(5, 1.5, len(grid))) * (rng.random(len(grid)) > 0.1)
            inputs.append(grid.assign(metal=metal, source=source, dmi_t=dmi))
    inputs = pd.concat(inputs, ignore_index=True)
    indicators = pd.DataFrame(
        {
            "indicator_code": [f"IND{i}" for i in range(n_indicators)],
            "goal": [1, 3, 3][:n_indicators],
            "better": ["lower", "higher", "lower"][:n_indicators],
        }  # fmt: skip
    )
    values = []
    co_mined = np.log1p(inputs.query("metal == 'Co' and source == 'mined'")["dmi_t"].to_numpy())
    for i, code in enumerate(indicators["indicator_code"]):
        y = rng.normal(0, 1, n_countries).repeat(n_years) + (0.8 if i == 0 else 0.0) * co_mined
        y = y + rng.normal(0, 0.5, len(grid))
        keep = rng.random(len(grid)) > 0.1
        values.append(grid[keep].assign(indicator_code=code, value=y[keep]))
    values = pd.concat(values, ignore_index=True)
    panel = sdg_panel.build_panel(values, indicators, inputs, controls, years)
    return panel, values, indicators, inputs, controls


def test_build_panel_lays_rows_out_on_the_grid():
    panel, values, _, inputs, controls = _grid_panel()
    n_years = len(panel.years)
    row = values.iloc[5]
    c = list(panel.countries).index(row["iso3"])
    i = list(panel.indicators["indicator_code"]).index(row["indicator_code"])
    assert panel.y[i, c * n_years + (row["year"] - 2004)] == row["value"]
    one = inputs.iloc[17]
    s = panel.series.index[(panel.series["metal"] == one["metal"]) & (panel.series["source"] == one["source"])][0]
    assert panel.x[s, list(panel.countries).index(one["iso3"]) * n_years + one["year"] - 2004] == pytest.approx(
        np.log1p(one["dmi_t"]), rel=1e-15
    )
    assert panel.z.shape == (len(panel.countries) * n_years, 4)
    assert np.isnan(panel.y).sum() == len(panel.y) * panel.y.shape[1] - len(values)


def test_estimate_matches_linearmodels_regression_by_regression():
    panel, values, indicators, inputs, controls = _grid_panel()
    estimates = sdg_panel.estimate(panel)
    assert len(estimates) == 3 * 4
    for _, row in estimates.sample(5, random_state=0).iterrows():
        x = inputs.query("metal == @row.metal and source == @row.source")[["iso3", "year", "dmi_t"]]
        frame = (
            values.query("indicator_code == @row.indicator_code")[["iso3", "year", "value"]]
            .merge(x, on=["iso3", "year"])
            .merge(controls, on=["iso3", "year"])
            .assign(lx=lambda f: np.log1p(f["dmi_t"]))
            .set_index(["iso3", "year"])
        )
        reference = sdg_panel.fit_panelols(frame, "value", ["lx", *sdg_panel.CONTROLS])
        assert abs(row["coef"] - reference["params"]["lx"]) < 1e-8
        assert abs(row["se"] - reference["std_errors"]["lx"]) < 1e-8
        assert abs(row["p"] - reference["pvalues"]["lx"]) < 1e-8
        assert row["n_obs"] == len(frame)
    planted = estimates.query("indicator_code == 'IND0' and metal == 'Co' and source == 'mined'").iloc[0]
    assert planted["coef"] > 0 and planted["p_adjusted_holm"] < 0.05 and planted["deteriorates_holm"]


def test_permutation_zero_is_the_observed_run_and_permutations_are_explicit_reruns():
    panel, *_ = _grid_panel()
    null = sdg_panel.permutation_null(panel, n_permutations=4, seed=9, chunk=3)
    estimates = sdg_panel.estimate(panel)
    observed = null.query("permutation == 0").iloc[0]
    assert observed["n_tests"] == len(estimates)
    assert observed["n_deteriorating_raw"] == estimates["deteriorates"].sum()
    assert observed["n_deteriorating_bh"] == estimates["deteriorates_bh"].sum()
    assert observed["n_improving_holm"] == estimates["improves_holm"].sum()
    # Permutation 3 by hand: the metal series of country order[c] moved to country c.
    rng = np.random.default_rng(9)
    orders = [rng.permutation(len(panel.countries)) for _ in range(4)]
    n_years = len(panel.years)
    rows = (orders[2][:, None] * n_years + np.arange(n_years)[None, :]).ravel()
    shuffled = sdg_panel.Panel(**{**panel.__dict__, "x": panel.x[:, rows]})
    by_hand = sdg_panel.estimate(shuffled)
    third = null.query("permutation == 3").iloc[0]
    assert third["n_tests"] == len(by_hand)
    assert third["n_deteriorating_raw"] == by_hand["deteriorates"].sum()
    assert third["n_improving_raw"] == by_hand["improves"].sum()
    assert len(null) == 5


def test_bh_and_holm_on_a_known_p_vector():
    # Hand-computed: m = 10, alpha = 0.05. BH rejects p(1), p(2) (p(2) = 0.008 <= 2 * 0.005, p(3) = 0.039 >
    # 3 * 0.005 and no later p(j) <= j * 0.005); Holm rejects p(1) only (0.008 > 0.05 / 9).
    p = np.array([0.041, 0.001, 0.216, 0.008, 0.039, 0.042, 0.06, 0.074, 0.205, 0.212])
    adjusted = sdg_panel.adjust_pvalues(p)
    order = np.argsort(p)
    bh_sorted = [0.01, 0.04, 0.084, 0.084, 0.084, 0.1, 0.10571428571428572, 0.216, 0.216, 0.216]
    holm_sorted = [0.01, 0.072, 0.312, 0.312, 0.312, 0.312, 0.312, 0.615, 0.615, 0.615]
    np.testing.assert_allclose(adjusted["bh"][order], bh_sorted, rtol=1e-12)
    np.testing.assert_allclose(adjusted["holm"][order], holm_sorted, rtol=1e-12)
    assert (adjusted["bh"] < 0.05).sum() == 2
    assert (adjusted["holm"] < 0.05).sum() == 1
    assert ((p < 0.05).sum()) == 5
    with_nan = sdg_panel.adjust_pvalues(np.r_[p, np.nan])
    assert np.isnan(with_nan["bh"][-1]) and np.allclose(with_nan["bh"][:-1], adjusted["bh"])


def test_deterioration_sign_logic():
    coef = np.array([-0.5, 0.5, 0.5, -0.5, 0.5, np.nan])
    significant = np.array([True, True, True, True, False, True])
    better = np.array(["higher", "higher", "lower", "lower", "lower", "higher"])
    worse, good = sdg_panel.classify(coef, significant, better)
    assert worse.tolist() == [True, False, True, False, False, False]
    assert good.tolist() == [False, True, False, True, False, False]
    with pytest.raises(ValueError):
        sdg_panel.better_sign(["up"])


def test_counts_by_metal_group_source_and_goal():
    estimates = pd.DataFrame(
        {
            "indicator_code": ["A", "B", "A", "B", "A", "B"],
            "goal": [1, 3, 1, 3, 1, 3],
            "better": ["lower", "higher", "lower", "higher", "lower", "higher"],
            "metal": ["Co", "Co", "Co", "Co", "Fe", "Fe"],
            "source": ["mined", "mined", "imported", "imported", "mined", "mined"],
            "coef": [0.4, -0.2, -0.3, 0.1, 0.9, -0.8],
            "p": [0.001, 0.01, 0.02, 0.5, 0.004, 0.03],
        }
    )
    flagged = sdg_panel.add_flags(estimates)
    # raw deteriorations: Co mined A (+, lower) and B (-, higher); Fe mined A and B; Co imported none.
    assert flagged["deteriorates"].tolist() == [True, True, False, False, True, True]
    assert flagged["improves"].tolist() == [False, False, True, False, False, False]
    counts = sdg_panel.deterioration_counts(flagged, {"Co": "critical", "Fe": "base"})
    cell = counts.set_index(["level", "group_name", "source", "goal"])
    assert cell.loc[("all", "all", "mined", 0), "n_deteriorating_raw"] == 4
    assert cell.loc[("all", "all", "mined", 0), "n_series"] == 2
    assert cell.loc[("all", "all", "mined", 0), "per_series_deteriorating_raw"] == 2.0
    assert cell.loc[("all", "all", "all", 0), "per_series_deteriorating_raw"] == pytest.approx(4 / 3)
    assert cell.loc[("metal_group", "critical", "all", 0), "n_deteriorating_raw"] == 2
    assert cell.loc[("metal", "Co", "imported", 1), "n_improving_raw"] == 1
    assert cell.loc[("metal", "Fe", "mined", 3), "n_tests"] == 1
    # BH over the 6 tests: sorted p .001 .004 .01 .02 .03 .5 -> adjusted .006 .012 .02 .03 .036 .5.
    assert cell.loc[("all", "all", "all", 0), "n_deteriorating_bh"] == 4
    assert cell.loc[("all", "all", "all", 0), "n_improving_bh"] == 1
    assert not counts.duplicated(["level", "group_name", "source", "goal"]).any()


def test_row_wise_adjustment_equals_statsmodels_per_row():
    rng = np.random.default_rng(4)
    p = rng.random((6, 50)) ** 3
    p[2, [3, 17, 40]] = np.nan
    p[4, :] = np.nan
    rows = sdg_panel.adjust_pvalues_rows(p)
    for r in range(len(p)):
        one = sdg_panel.adjust_pvalues(p[r])
        np.testing.assert_allclose(rows["bh"][r], one["bh"], rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(rows["holm"][r], one["holm"], rtol=1e-12, equal_nan=True)


def test_regressor_varying_in_too_few_countries_is_skipped():
    frame = _hand_panel(seed=8, n_countries=9)
    first_two = frame["country"].isin(["C00", "C01"])
    frame["rare"] = np.where(first_two, frame["x1"], 0.0)
    kept = _fwl(frame, ["x1", "rare"])
    assert kept["n_varying"].tolist() == [9, 2] and np.isfinite(kept["coef"]).all()
    groups = pd.factorize(frame["country"], sort=True)[0]
    strict = sdg_panel.within_fwl(
        frame["y"].to_numpy(),
        frame[["x1", "rare"]].to_numpy(),
        frame[["z1", "z2"]].to_numpy(),
        groups,
        min_varying=3,
    )
    assert np.isfinite(strict["coef"][0]) and np.isnan(strict["coef"][1])
