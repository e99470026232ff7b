"""Hand-computed cases of the trade-weight outlier rules (analysis/trade_cleaning.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.trade_cleaning import clean_series

YEARS9 = list(range(2000, 2009))


def test_flat_series_with_one_spike_is_flagged_and_interpolated():
    # x = L everywhere, L + D at 2004.  Centred window of 5 (truncated at the ends):
    # d = [0, 0, -D/5, -D/5, 4D/5, -D/5, -D/5, 0, 0], mean 0, SS = 0.8 D^2, population sd = sqrt(0.8/9) D
    # = 0.2981 D; threshold 2 sd = 0.5963 D: only 2004 (0.8 D) is flagged, whatever D; back to 100.
    q = [100.0] * 9
    q[4] = 1000.0
    out = clean_series(YEARS9, q)
    big_d = math.log(10)
    assert out["is_outlier"].tolist() == [False] * 4 + [True] + [False] * 4
    np.testing.assert_allclose(
        out["deviation"], np.array([0, 0, -0.2, -0.2, 0.8, -0.2, -0.2, 0, 0]) * big_d, atol=1e-12
    )
    assert out["scale_stat"].iloc[0] == pytest.approx(math.sqrt(0.8 / 9) * big_d, rel=1e-12)
    assert out["threshold"].iloc[0] == pytest.approx(2 * math.sqrt(0.8 / 9) * big_d, rel=1e-12)
    # The sample SD (ddof = 1): sqrt(0.8/8) D = 0.3162 D, threshold 0.6325 D, still flagged.
    sample = clean_series(YEARS9, q, ddof=1)
    assert sample["scale_stat"].iloc[0] == pytest.approx(math.sqrt(0.1) * big_d, rel=1e-12)
    assert sample["is_outlier"].tolist() == out["is_outlier"].tolist()
    assert out["quantity_t"].tolist() == pytest.approx([100.0] * 9, rel=1e-12)
    assert out["quantity_t_reported"].iloc[4] == 1000.0


def test_seven_year_series_spike_is_flagged_with_either_sd():
    # d / D = [0, -1/4, -1/5, 4/5, -1/5, -1/4, 0], mean -1/70, SS 0.843571: population sd 0.347146
    # (2 sd = 0.6943), sample sd 0.374960 (2 sd = 0.74992); both < 0.8: the ÷20 spike is flagged.
    q = [50.0, 50, 50, 2.5, 50, 50, 50]
    out = clean_series(range(2010, 2017), q)
    assert out["scale_stat"].iloc[0] == pytest.approx(0.347146 * math.log(20), rel=1e-5)
    sample = clean_series(range(2010, 2017), q, ddof=1)
    assert sample["scale_stat"].iloc[0] == pytest.approx(0.374960 * math.log(20), rel=1e-5)
    assert sample["is_outlier"].tolist() == [False, False, False, True, False, False, False]
    assert out["is_outlier"].tolist() == [False, False, False, True, False, False, False]
    assert out["quantity_t"].iloc[3] == pytest.approx(50.0, rel=1e-12)


def test_edge_years_are_never_flagged_but_the_second_year_can_be():
    # A spike at the first year: d_0 = 2D/3 is the largest deviation, but edges cannot be interpolated.
    q = [1000.0] + [100.0] * 8
    out = clean_series(YEARS9, q)
    assert not out["is_outlier"].any()
    assert out["quantity_t"].tolist() == q
    # A spike at the second year: d = [-D/3, 3D/4, -D/5, -D/5, 0...], mean 0.001852 D, SS 0.753580 D^2,
    # population sd 0.289363 D, 2 sd = 0.5787 D < 0.75 D.
    q = [100.0, 1000.0] + [100.0] * 7
    out = clean_series(YEARS9, q)
    assert out["is_outlier"].tolist() == [False, True] + [False] * 7
    assert out["scale_stat"].iloc[0] == pytest.approx(0.289363 * math.log(10), rel=1e-5)
    assert out["quantity_t"].iloc[1] == pytest.approx(100.0, rel=1e-12)


def test_series_shorter_than_the_window_is_left_as_reported():
    q = [100.0, 100.0, 5000.0, 100.0]
    out = clean_series([2000, 2001, 2002, 2003], q)
    assert out["n_usable"].iloc[0] == 4
    assert not out["is_outlier"].any()
    assert out["quantity_t"].tolist() == q
    # The same values with a wider gap of years still count four usable points (< window 5).
    out = clean_series([2000, 2003, 2004, 2010], q)
    assert not out["is_outlier"].any()


def test_missing_quantity_is_kept_and_skipped_by_the_window():
    # NA at 2002: the spike's window {2002..2006} holds four usable points, centre = L + D/4, d = 3D/4.
    q = [100.0, 100.0, np.nan, 100.0, 1000.0, 100.0, 100.0, 100.0, 100.0]
    out = clean_series(YEARS9, q)
    assert out["deviation"].iloc[4] == pytest.approx(0.75 * math.log(10), rel=1e-12)
    assert np.isnan(out["quantity_t"].iloc[2]) and not out["is_outlier"].iloc[2]
    assert not out["is_usable"].iloc[2]
    assert out["is_outlier"].tolist() == [False] * 4 + [True] + [False] * 4
    assert out["quantity_t"].iloc[4] == pytest.approx(100.0, rel=1e-12)


def test_interpolation_is_linear_in_years_between_nearest_unflagged_neighbours():
    # Geometric growth ×2 a year with a ×30 spike at 2004 and NA at 2005: the spike is interpolated
    # between 2003 (800) and 2006 (6400) over 3 years, log-linearly: 800 · 8^(1/3) = 1600.
    years = YEARS9
    q = [100.0 * 2**t for t in range(9)]
    q[4] *= 30
    q[5] = np.nan
    out = clean_series(years, q)
    assert out["is_outlier"].tolist() == [False] * 4 + [True] + [False] * 4
    assert out["quantity_t"].iloc[4] == pytest.approx(1600.0, rel=1e-12)


def test_zero_quantity_log_scale_untouched_level_scale_ordinary_value():
    q = [100.0] * 9
    q[4] = 0.0
    log = clean_series(YEARS9, q, scale="log")
    # Log scale: the zero is not usable; the other eight are flat, sd = 0, so nothing is flagged.
    assert not log["is_usable"].iloc[4] and log["n_usable"].iloc[0] == 8
    assert not log["is_outlier"].any() and log["quantity_t"].iloc[4] == 0.0
    # Level scale: a dip of D = -100 in a flat series, the single-spike pattern: flagged, back to 100.
    level = clean_series(YEARS9, q, scale="level")
    assert level["deviation"].iloc[4] == pytest.approx(-80.0)
    assert level["threshold"].iloc[0] == pytest.approx(2 * math.sqrt(0.8 / 9) * 100)
    assert level["is_outlier"].tolist() == [False] * 4 + [True] + [False] * 4
    assert level["quantity_t"].iloc[4] == pytest.approx(100.0)


def test_logs_and_levels_disagree_on_a_dip_in_a_noisy_series():
    # Levels: centres [133.33, 150, 124, 144, 124, 144, 124, 150, 133.33],
    # d = [-33.33, 50, -24, 56, -104, 56, -24, 50, -33.33], mean -0.7407, SS 25457.28, population sd 53.184,
    # threshold 106.37 > 104: not flagged.  Logs: d_2004 = ln 20 - ln(8e9)/5 = -1.5648 against a threshold
    # of 1.2503: the ÷10 dip is flagged and interpolated back to 200.
    q = [100.0, 200, 100, 200, 20, 200, 100, 200, 100]
    level = clean_series(YEARS9, q, scale="level")
    assert level["centre"].tolist() == pytest.approx([400 / 3, 150, 124, 144, 124, 144, 124, 150, 400 / 3])
    assert level["threshold"].iloc[0] == pytest.approx(106.369, abs=1e-3)
    assert not level["is_outlier"].any()
    log = clean_series(YEARS9, q, scale="log")
    assert log["deviation"].iloc[4] == pytest.approx(math.log(20) - math.log(8e9) / 5, rel=1e-12)
    assert log["is_outlier"].tolist() == [False] * 4 + [True] + [False] * 4
    assert log["quantity_t"].iloc[4] == pytest.approx(200.0, rel=1e-12)


def test_hampel_rule_medians_and_mad():
    # x = [0, 1, 0, 1, 10, 1, 0, 1, 0]; window medians [0, .5, 1, 1, 1, 1, 1, .5, 0];
    # d = [0, .5, -1, 0, 9, 0, -1, .5, 0], median(d) = 0, MAD = median|d| = 0.5, sigma = 0.7413,
    # threshold 4 sigma = 2.9652: only the 9 is flagged; interpolation between x=1 and x=1 gives e.
    x = np.array([0, 1, 0, 1, 10, 1, 0, 1, 0], dtype=float)
    out = clean_series(YEARS9, np.exp(x), rule="hampel")
    assert out["centre"].tolist() == pytest.approx([0, 0.5, 1, 1, 1, 1, 1, 0.5, 0], abs=1e-12)
    assert out["scale_stat"].iloc[0] == pytest.approx(1.4826 * 0.5, rel=1e-12)
    assert out["threshold"].iloc[0] == pytest.approx(4 * 1.4826 * 0.5, rel=1e-12)
    # With k = 1 the two |d| = 1 points (> 0.7413) join, and are interpolated too.
    loose = clean_series(YEARS9, np.exp(x), rule="hampel", k=1)
    assert loose["is_outlier"].tolist() == [False, False, True, False, True, False, True, False, False]
    assert out["is_outlier"].tolist() == [False] * 4 + [True] + [False] * 4
    assert out["quantity_t"].iloc[4] == pytest.approx(math.e, rel=1e-12)


def test_hampel_on_a_perfectly_flat_series_has_zero_scale_and_flags_nothing():
    q = [100.0] * 9
    q[4] = 1000.0
    out = clean_series(YEARS9, q, rule="hampel")
    assert out["scale_stat"].iloc[0] == 0.0 and not out["is_outlier"].any()


def test_unit_value_rule_flags_a_quantity_error_not_a_genuine_jump():
    # u = ln(v/q) = [0, 1, 2, 1, -10, 1, 2, 1, 0]; window medians all 1, d = [-1, 0, 1, 0, -11, 0, 1, 0, -1],
    # MAD = 1, sigma = 1.4826, threshold 5 sigma = 7.413: only 2004 flagged.  q = 100 · 2^t with q_2004
    # inflated by e^10: interpolated log-linearly between 800 and 3200 -> 1600.
    u = np.array([0, 1, 2, 1, -10, 1, 2, 1, 0], dtype=float)
    q = np.array([100.0 * 2**t for t in range(9)])
    q[4] *= math.exp(10)
    v = q * np.exp(u)
    out = clean_series(YEARS9, q, v, rule="unit_value")
    assert out["deviation"].tolist() == pytest.approx([-1, 0, 1, 0, -11, 0, 1, 0, -1], abs=1e-9)
    assert out["threshold"].iloc[0] == pytest.approx(5 * 1.4826, rel=1e-12)
    assert out["is_outlier"].tolist() == [False] * 4 + [True] + [False] * 4
    assert out["quantity_t"].iloc[4] == pytest.approx(1600.0, rel=1e-9)
    # v and q jumping together (a genuine surge) leave the unit value alone: nothing flagged,
    # while the moving-average rule flags the same quantity.
    q2 = np.array([100.0] * 9)
    q2[4] = 1000.0
    v2 = 3.0 * q2
    assert not clean_series(YEARS9, q2, v2, rule="unit_value")["is_outlier"].any()
    assert clean_series(YEARS9, q2, v2, rule="ma_sd")["is_outlier"].iloc[4]


def test_unsorted_input_and_parameter_validation():
    q = [100.0] * 9
    q[4] = 1000.0
    shuffled = [8, 0, 4, 2, 6, 1, 3, 5, 7]
    out = clean_series([YEARS9[i] for i in shuffled], [q[i] for i in shuffled])
    assert out["year"].tolist() == YEARS9 and out["is_outlier"].iloc[4]
    with pytest.raises(ValueError):
        clean_series(YEARS9, q, window=4)
    with pytest.raises(ValueError):
        clean_series(YEARS9, q, rule="median")
    with pytest.raises(ValueError):
        clean_series(YEARS9, q, rule="unit_value")


def test_comparison_with_the_reference_counts_each_kind_of_disagreement():
    from analysis.trade_cleaning import compare_with_reference

    years = np.arange(2000, 2010)
    quantity = np.array([10.0, 11, 10, 12, 300, 11, 10, 12, 11, 10])
    ref = clean_series(years, quantity)
    frame = pd.DataFrame(
        {
            "hs6": "260300",
            "exporter_code": 4,
            "importer_code": 8,
            "year": years,
            "quantity_t_reported": quantity,
            "value_kusd": 1.0,
            "quantity_t": ref["quantity_t"].to_numpy(),
            "is_outlier": ref["is_outlier"].to_numpy(),
            "cleaning_rule": "ma_sd",
            "window_years": 5,
            "threshold_k": 2.0,
            "cleaning_scale": "log",
        }
    )
    assert ref["is_outlier"].sum() == 1
    assert compare_with_reference(frame) == (0, 0.0, 1)
    off = frame.copy()
    off.loc[0, "is_outlier"] = True  # one flag differs
    off.loc[4, "quantity_t"] *= 1 + 1e-6  # the interpolated value differs by 1e-6 relative
    off.loc[9, "quantity_t"] = np.nan  # missing on one side only
    mismatches, max_rel, n_series = compare_with_reference(off)
    assert (mismatches, n_series) == (2, 1)
    assert max_rel == pytest.approx(1e-6, rel=1e-6)


# ----------------------------------------------------------------------- the options real series force
def test_end_points_are_counted_when_skipped_and_flagged_when_one_sided():
    # x = 0 for 2000-2007 and 10 in 2008 (the newest year). Windows at the end are one-sided: centres
    # 2006: 10/5 = 2, 2007: 10/4 = 2.5, 2008: 10/3; deviations -2, -2.5, 6.667, the rest 0
    years = list(range(2000, 2009))
    x = np.array([0.0] * 8 + [10.0])
    deviations = np.array([0, 0, 0, 0, 0, 0, -2, -2.5, 10 - 10 / 3])
    sigma = deviations.std()  # 2.453 by hand: 6.667 >= 2 x 2.453 = 4.907
    skip = clean_series(years, np.exp(x))
    assert np.allclose(skip["deviation"], deviations)
    assert skip["scale_stat"].iloc[0] == pytest.approx(sigma)
    assert not skip["is_outlier"].any() and skip["n_end_over"].iloc[0] == 1
    one_sided = clean_series(years, np.exp(x), end_points="one_sided")
    assert one_sided["is_outlier"].tolist() == [False] * 8 + [True]
    assert one_sided["n_end_over"].iloc[0] == 1
    # one anchor (2007, x = 0): its value is carried to 2008
    assert one_sided["quantity_t"].iloc[-1] == pytest.approx(1.0)


def test_sd_without_the_outliers_finds_the_smaller_spike_the_big_one_hid():
    # x = 0 but 12 in 2003 and 4 in 2010 (2000-2014); the spike of 2003 inflates the SD so that 2010
    # (deviation 4 - 4/5 = 3.2) stays below 2 x 2.958; without 2003's own deviation the SD is 1.504
    years = list(range(2000, 2015))
    x = np.zeros(15)
    x[3], x[10] = 12.0, 4.0
    deviations = np.array([0, -3, -2.4, 9.6, -2.4, -2.4, 0, 0, -0.8, -0.8, 3.2, -0.8, -0.8, 0, 0])
    included = clean_series(years, np.exp(x))
    assert np.allclose(included["deviation"], deviations)
    assert included["scale_stat"].iloc[0] == pytest.approx(deviations.std())
    assert included.loc[included.is_outlier, "year"].tolist() == [2003]
    excluded = clean_series(years, np.exp(x), sd_outliers="exclude")
    assert excluded["scale_stat"].iloc[0] == pytest.approx(np.delete(deviations, 3).std())
    assert excluded.loc[excluded.is_outlier, "year"].tolist() == [2003, 2010]


def test_options_are_checked():
    with pytest.raises(ValueError, match="end_points"):
        clean_series([2000, 2001, 2002], [1.0, 1.0, 1.0], end_points="both")
    with pytest.raises(ValueError, match="apply to rule"):
        clean_series([2000, 2001, 2002], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], rule="hampel", sd_outliers="exclude")


def test_value_follows_the_weight_only_when_asked():
    from analysis.trade_cleaning import clean_value

    value, reported, cleaned = [10.0, 50.0, 7.0], [100.0, 5000.0, 0.0], [100.0, 200.0, 0.0]
    assert clean_value(value, reported, cleaned).tolist() == value
    # the corrected year keeps its unit value 50 / 5000 = 0.01 per tonne: 200 t x 0.01 = 2
    assert clean_value(value, reported, cleaned, "keep_unit_value").tolist() == [10.0, 2.0, 7.0]


def test_reference_comparison_takes_the_options_the_warehouse_cleaned_with():
    from analysis.trade_cleaning import compare_with_reference

    years = list(range(2000, 2009))
    q = np.exp([0.0] * 8 + [10.0])
    ref = clean_series(years, q, end_points="one_sided")
    frame = pd.DataFrame(
        {
            "hs6": "260300",
            "exporter_code": 1,
            "importer_code": 2,
            "year": years,
            "quantity_t_reported": q,
            "value_kusd": 1.0,
            "quantity_t": ref["quantity_t"],
            "is_outlier": ref["is_outlier"],
            "cleaning_rule": "ma_sd",
            "window_years": 5,
            "threshold_k": 2.0,
            "cleaning_scale": "log",
        }
    )
    assert compare_with_reference(frame, end_points="one_sided")[:2] == (0, 0.0)
    mismatches, max_rel_diff, _ = compare_with_reference(frame)  # as if cleaned with "skip"
    assert mismatches == 1 and max_rel_diff > 0.99  # the 2008 flag, and its weight 1 against e^10
