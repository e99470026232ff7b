"""Ridge with rolling-origin CV, the naive baselines and the backtest, on hand-made data with known answers."""

import numpy as np
import pandas as pd
import pytest

from analysis import trade_scenarios as ts


def synthetic(n=23, noise=0.0, seed=1):
    """y = 100 + 2 x1 - 3 x2 + 0.5 x3 (+ noise), with non-collinear trending regressors."""
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=float)
    x = np.column_stack([10 + t + rng.normal(0, 1, n), 5 + 0.3 * t + rng.normal(0, 1, n), rng.normal(0, 2, n)])
    y = 100 + x @ np.array([2.0, -3.0, 0.5]) + rng.normal(0, noise, n)
    return x, y


def test_ridge_with_tiny_penalty_recovers_the_exact_linear_relation():
    x, y = synthetic()
    fit = ts.fit_ridge(x, y, alpha=1e-8)
    np.testing.assert_allclose(fit.coef, [2.0, -3.0, 0.5], atol=1e-6)
    assert fit.intercept_raw == pytest.approx(100.0, abs=1e-5)
    np.testing.assert_allclose(ts.predict(fit, x), y, atol=1e-6)


def test_ridge_matches_the_closed_form_on_standardised_regressors():
    x, y = synthetic(noise=1.0)
    alpha = 3.0
    z = (x - x.mean(0)) / x.std(0)
    beta = np.linalg.solve(z.T @ z + alpha * np.eye(3), z.T @ (y - y.mean()))
    fit = ts.fit_ridge(x, y, alpha)
    np.testing.assert_allclose(fit.coef_std, beta, rtol=1e-10)
    assert fit.intercept == pytest.approx(y.mean())


@pytest.mark.parametrize("alpha", [0.01, 1.0, 300.0])
def test_closed_form_ridge_equals_scikit_learn_on_the_standardised_regressors(alpha):
    from sklearn.linear_model import Ridge

    x, y = synthetic(noise=2.0, seed=5)
    z = (x - x.mean(0)) / x.std(0)
    reference = Ridge(alpha=alpha, fit_intercept=True).fit(z, y)
    fit = ts.fit_ridge(x, y, alpha)
    np.testing.assert_allclose(fit.coef_std, reference.coef_, rtol=1e-9)
    assert fit.intercept == pytest.approx(reference.intercept_, rel=1e-12)
    np.testing.assert_allclose(fit.fitted, reference.predict(z), rtol=1e-10)


def test_rolling_cv_recovers_a_known_relation_and_prefers_a_small_penalty():
    x, y = synthetic(noise=0.5, seed=3)
    alpha, err, errors = ts.choose_alpha(x, y)
    assert alpha <= 0.1  # a strong, well-identified signal: shrinkage only hurts
    assert err == pytest.approx(errors.min())
    fit = ts.fit_ridge(x, y, alpha)
    np.testing.assert_allclose(fit.coef, [2.0, -3.0, 0.5], atol=0.25)


def test_expanding_window_splits_never_train_on_the_future():
    splits = ts.expanding_window_splits(10, min_train=6, horizon=2)
    assert [(len(tr), list(te)) for tr, te in splits] == [(6, [6, 7]), (7, [7, 8]), (8, [8, 9])]
    assert all(tr.max() < te.min() for tr, te in splits)
    with pytest.raises(ValueError):
        ts.expanding_window_splits(5, min_train=4, horizon=2)


def test_cv_error_by_hand_for_a_two_point_expanding_window():
    # one regressor; with alpha -> 0 the fit on rows 0..2 is exact (y = 2x + 1), so row 3 scores its
    # deviation from the line (10 - 9 = 1) and row 4 is scored by the fit on rows 0..3.
    x = np.array([0.0, 1.0, 2.0, 4.0, 5.0])
    y = np.array([1.0, 3.0, 5.0, 10.0, 11.0])
    fit4 = np.polyfit(x[:4], y[:4], 1)
    e4 = np.polyval(fit4, 5.0) - 11.0
    expected = np.sqrt(((9.0 - 10.0) ** 2 + e4**2) / 2)
    assert ts.cv_error(x, y, alpha=1e-10, min_train=3, horizon=1) == pytest.approx(expected, rel=1e-6)


def test_forecasts_are_floored_at_zero_and_flagged_outside_the_training_range():
    x = np.arange(10.0)[:, None]
    y = 50 - 5 * np.arange(10.0)  # falls to 5 at x = 9
    fit = ts.fit_ridge(x, y, alpha=1e-9)
    new = np.array([[4.0], [12.0], [-1.0]])
    np.testing.assert_allclose(ts.predict(fit, new), [30.0, 0.0, 55.0], atol=1e-6)
    assert ts.predict(fit, new, floor=None)[1] == pytest.approx(-10.0, abs=1e-6)
    assert ts.extrapolation(fit, new).tolist() == [False, True, True]
    assert not ts.extrapolation(fit, x).any()  # the training rows themselves, ends included


def test_random_walk_and_constant_share_baselines_by_hand():
    np.testing.assert_array_equal(ts.random_walk_forecast([3.0, 5.0, 7.0], 3), [7.0, 7.0, 7.0])
    # commodity 20 t of a 200 t total at the origin (10 %); totals 300 and 150 later -> 30 and 15
    np.testing.assert_allclose(ts.constant_share_forecast(20.0, 200.0, [300.0, 150.0]), [30.0, 15.0])
    with pytest.raises(ValueError):
        ts.constant_share_forecast(1.0, 0.0, [1.0])


def test_backtest_on_a_series_that_follows_the_regressors_beats_both_naive_forecasts():
    years = np.arange(1995, 2018)
    x, y = synthetic(n=len(years), noise=0.2, seed=5)
    total = np.full(len(years), 1000.0) + 7 * np.arange(len(years))
    bt = ts.backtest(years, x, y, total)
    test = years > 2007
    assert bt.naive_rw_error == pytest.approx(ts.rmse(np.full(test.sum(), y[years == 2007][0]), y[test]))
    share = y[years == 2007][0] / total[years == 2007][0] * total[test]
    assert bt.naive_share_error == pytest.approx(ts.rmse(share, y[test]))
    assert bt.backtest_error < 1.0 < bt.naive_rw_error
    assert bt.beats_naive and 0 < bt.skill <= 1


def test_backtest_on_a_pure_random_walk_does_not_claim_skill():
    years = np.arange(1995, 2018)
    rng = np.random.default_rng(11)
    x = rng.normal(0, 1, (len(years), 3)).cumsum(axis=0)
    y = 100 + rng.normal(0, 5, len(years)).cumsum()  # unrelated to x
    bt = ts.backtest(years, x, y, np.full(len(years), 1e4))
    # the share baseline with a constant total is the random walk itself
    assert bt.naive_share_error == pytest.approx(bt.naive_rw_error)
    assert bt.skill == pytest.approx(1 - bt.backtest_error / bt.naive_rw_error)


def test_bootstrap_band_brackets_the_point_and_is_reproducible():
    x, y = synthetic(noise=2.0, seed=2)
    new = x[-3:] + 1.0
    lo1, hi1 = ts.bootstrap_bands(x, y, 0.01, new, n_boot=200, seed=4)
    lo2, hi2 = ts.bootstrap_bands(x, y, 0.01, new, n_boot=200, seed=4)
    np.testing.assert_array_equal(lo1, lo2)
    point = ts.predict(ts.fit_ridge(x, y, 0.01), new)
    assert (lo1 <= point).all() and (point <= hi1).all()
    assert ((hi1 - lo1) > 2.0).all() and ((hi1 - lo1) < 20.0).all()  # about 2 x 1.645 x sd(noise) = 6.6


def test_run_trade_scenarios_builds_tables_with_known_answers():
    years = np.arange(1995, 2018)
    x, y = synthetic(n=len(years), noise=0.1, seed=9)
    cols = list(ts.REGRESSOR_COLUMNS)
    observed = pd.DataFrame(x, columns=cols).assign(year=years)
    weights = pd.DataFrame({"hs6": "000001", "year": years, "weight_t": y})
    totals = pd.DataFrame({"year": years, "total_t": 10 * y.mean()})
    centre = x.mean(axis=0)  # inside the observed range of every regressor
    future_x = np.vstack([centre, centre + [1.0, 0.0, 0.0], centre + [100.0, 0.0, 0.0]])
    pathways = pd.DataFrame(future_x, columns=cols).assign(
        pathway="P", pathway_class="2C", year=[2020, 2030, 2040], downscaling_method="test"
    )
    fits, proj, hist, skipped = ts.run_trade_scenarios(weights, totals, observed, pathways, ["000001", "999999"])
    assert list(fits["hs6"]) == ["000001"] and bool(fits["beats_naive"].iloc[0])
    assert fits["coef_ghg_t_per_mtco2e"].iloc[0] == pytest.approx(2.0, abs=0.1)
    assert skipped["hs6"].tolist() == ["999999"]
    assert proj["weight_t"].iloc[1] - proj["weight_t"].iloc[0] == pytest.approx(2.0, abs=0.1)
    assert proj["is_extrapolation"].tolist() == [False, False, True]
    assert len(hist) == len(years)


def test_ridge_by_hand_for_two_regressors_orthogonal_and_correlated():
    # orthogonal: standardised columns are +-1 with z'z = 4 I, so beta = z'(y - 3) / (4 + alpha)
    x = np.column_stack([10 + 2 * np.array([-1.0, -1, 1, 1]), 5 + 0.5 * np.array([-1.0, 1, -1, 1])])
    y = np.array([1.0, 2.0, 3.0, 6.0])  # mean 3; z'(y - 3) = (6, 4)
    fit = ts.fit_ridge(x, y, alpha=2.0)
    np.testing.assert_allclose(fit.coef_std, [1.0, 2.0 / 3.0], rtol=1e-12)
    np.testing.assert_allclose(fit.coef, [0.5, 4.0 / 3.0], rtol=1e-12)  # divided by the sds 2 and 0.5
    assert fit.intercept == pytest.approx(3.0, rel=1e-12)
    assert fit.intercept_raw == pytest.approx(3.0 - 0.5 * 10 - 4.0 / 3.0 * 5, rel=1e-12)
    np.testing.assert_allclose(fit.fitted, [4 / 3, 8 / 3, 10 / 3, 14 / 3], rtol=1e-12)
    # correlated: x2 = (0, 1, 1, 1) has mean 3/4 and sd sqrt(3)/4, corr(x1, x2) = 1/sqrt(3); Cramer's rule
    x = np.column_stack([[-1.0, -1, 1, 1], [0.0, 1, 1, 1]])
    y = np.array([2.0, -1.0, 4.0, 3.0])
    n, r, alpha = 4.0, 1 / np.sqrt(3), 0.7
    z2 = (x[:, 1] - 0.75) / (np.sqrt(3) / 4)
    p, q = x[:, 0] @ (y - 2.0), z2 @ (y - 2.0)  # z1 = x1 (mean 0, sd 1); mean of y is 2
    det = (n + alpha) ** 2 - (n * r) ** 2
    expected = np.array([(n + alpha) * p - n * r * q, (n + alpha) * q - n * r * p]) / det
    np.testing.assert_allclose(ts.fit_ridge(x, y, alpha).coef_std, expected, rtol=1e-12)


def test_grid_cv_errors_equal_a_naive_loop_of_fits_per_penalty_and_origin():
    rng = np.random.default_rng(17)
    n, min_train, horizon = 14, 5, 2
    x = np.column_stack([np.arange(n) + rng.normal(0, 1, n), rng.normal(0, 1, (n, 2)).cumsum(axis=0)])
    y = np.maximum(0.0, 6 - 0.5 * np.arange(n) + x[:, 1] + rng.normal(0, 1.5, n))  # hits zero: floor matters
    alphas = [10.0, 1e-3, 0.3, 100.0, 1.0, 0.0]  # unsorted, with the unpenalised fit
    naive, floored = [], 0
    for alpha in alphas:
        errors = []
        for train, test in ts.expanding_window_splits(n, min_train, horizon):
            fit = ts.fit_ridge(x[train], y[train], alpha)
            floored += int((ts.predict(fit, x[test], floor=None) < 0).sum())
            errors.append(ts.predict(fit, x[test]) - y[test])
        naive.append(np.sqrt(np.mean(np.concatenate(errors) ** 2)))
    assert floored > 0
    grid = ts.cv_errors(x, y, alphas, min_train, horizon)
    np.testing.assert_allclose(grid, naive, rtol=1e-9)
    assert ts.cv_error(x, y, 0.3, min_train, horizon) == pytest.approx(naive[2], rel=1e-9)
    alpha, err, per_alpha = ts.choose_alpha(x, y, alphas, min_train, horizon)
    order = np.argsort(alphas)
    np.testing.assert_allclose(per_alpha, np.asarray(naive)[order], rtol=1e-9)
    assert alpha == alphas[int(np.argmin(naive))] and err == pytest.approx(min(naive), rel=1e-9)


def test_choose_alpha_keeps_the_smallest_penalty_on_ties():
    # one origin whose two forecasts (about -45 and -50) are floored at zero for every penalty: all tie
    x = np.r_[np.arange(10.0), 20.0, 21.0][:, None]
    y = np.r_[50 - 5 * np.arange(10.0), 1.0, 2.0]
    alpha, err, errors = ts.choose_alpha(x, y, [1.0, 0.01, 0.1], min_train=10, horizon=2)
    assert np.ptp(errors) == 0 and alpha == 0.01 and err == pytest.approx(np.sqrt(2.5))


def test_bootstrap_bands_equal_a_loop_of_refits_with_the_same_draws():
    x, y = synthetic(noise=3.0, seed=8)
    new = np.vstack([x[-1] + k for k in range(5)]) - [0.0, 0.0, 20.0]
    alpha, n_boot, level, seed = 0.7, 157, 0.8, 12
    base = ts.fit_ridge(x, y, alpha)
    resid = base.residuals - base.residuals.mean()
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_boot):
        refit = ts.fit_ridge(x, base.fitted + rng.choice(resid, size=len(resid), replace=True), alpha)
        draws.append(ts.predict(refit, new, floor=None) + rng.choice(resid, size=len(new), replace=True))
    low, high = np.maximum(np.quantile(draws, [0.1, 0.9], axis=0), 0.0)
    lo, hi = ts.bootstrap_bands(x, y, alpha, new, n_boot=n_boot, level=level, seed=seed)
    np.testing.assert_allclose(lo, low, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(hi, high, rtol=1e-9, atol=1e-9)


def test_fit_ridge_rejects_a_negative_penalty():
    x, y = synthetic()
    with pytest.raises(ValueError):
        ts.fit_ridge(x, y, alpha=-1.0)


def test_grid_position_says_when_the_penalty_sits_on_an_edge():
    from analysis.trade_scenarios import grid_position, penalty_grid

    grid = penalty_grid(-3, 3, 7)  # 0.001, 0.01, ..., 1000
    assert grid_position(0.001, grid) == "lower_edge"
    assert grid_position(1000.0, grid) == "upper_edge"
    assert grid_position(1.0, grid) == "interior"


def test_model_status_says_per_commodity_why_there_is_no_series():
    import pandas as pd

    from analysis.trade_scenarios import model_status

    fits = pd.DataFrame({"hs6": ["270900"], "alpha": [0.01]})
    skipped = pd.DataFrame({"hs6": ["847120"], "reason": ["no trade recorded in the observed years"]})
    weights = pd.DataFrame({"hs6": ["270900"] * 3, "year": [2000, 2001, 2002], "weight_t": [1.0, 2.0, None]})
    status = model_status(["270900", "847120"], fits, skipped, weights, [0.001, 0.01, 0.1])
    assert status["alpha"].isna().tolist() == [False, True] and status["alpha_grid_position"].isna().tolist() == [
        False,
        True,
    ]
    assert status.drop(columns=["alpha", "alpha_grid_position"]).to_dict("list") == {
        "hs6": ["270900", "847120"],
        "status": ["fitted", "no_series"],
        "reason": [
            "fitted on 2 years of world trade weight; penalty 0.01 (interior of the grid)",
            "no real series: no trade recorded in the observed years (0 years with a weight)",
        ],
        "n_years_with_weight": [2, 0],
    }
    assert (status["alpha"].iloc[0], status["alpha_grid_position"].iloc[0]) == (0.01, "interior")
