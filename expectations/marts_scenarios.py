"""Mart suites of the scenarios domain: the trade-model fit and the projections (written by Python).

The scenario regressors (``marts.fct_scenario_regressors``) are a dbt model, tested in its YAML.
"""

from __future__ import annotations

from expectations.suites import Suite, between, has_columns, in_set, matches, not_null, unique

PATHWAY_CLASSES = ["observed", "1.5C", "2C", "reference", "high", "other"]

SUITES: dict[str, Suite] = {
    "marts.fct_trade_model_fit": Suite(
        "marts.fct_trade_model_fit",
        (
            *has_columns(
                "hs6",
                "alpha",
                "cv_error",
                "backtest_error",
                "naive_rw_error",
                "naive_share_error",
                "skill",
                "beats_naive",
            ),  # fmt: skip
            *not_null("hs6", "alpha", "cv_error", "backtest_error", "naive_rw_error", "naive_share_error"),
            unique("hs6"),
            matches("hs6", "[0-9]{6}"),
            between("alpha", 0, None),
            between("cv_error", 0, None),
            between("backtest_error", 0, None),
            between("naive_rw_error", 0, None),
            between("naive_share_error", 0, None),
            between("skill", None, 1),
            between("n_years", 10, None),
        ),
    ),
    "marts.fct_trade_model_status": Suite(
        "marts.fct_trade_model_status",
        (
            *not_null("hs6", "status", "reason"),
            unique("hs6"),
            in_set("status", ["fitted", "no_series"]),
            in_set("alpha_grid_position", ["interior", "lower_edge", "upper_edge"]),
        ),
    ),
    "marts.fct_trade_projections": Suite(
        "marts.fct_trade_projections",
        (
            *has_columns("hs6", "scenario", "year", "weight_t", "lower_t", "upper_t", "downscaling_method"),
            *not_null("hs6", "scenario", "year", "weight_t", "lower_t", "upper_t", "downscaling_method"),
            unique("hs6", "scenario", "year"),
            matches("hs6", "[0-9]{6}"),
            between("weight_t", 0, None),
            between("lower_t", 0, None),
            between("upper_t", 0, None),
            between("year", 2000, 2100),
            in_set("pathway_class", PATHWAY_CLASSES[1:]),
            lambda e: e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="weight_t", column_B="lower_t", or_equal=True),
            lambda e: e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="upper_t", column_B="weight_t", or_equal=True),
        ),
    ),
}
