"""Mart suites of the trade domain: cleaned BACI flows, the cleaning audit and the trade reports."""

from __future__ import annotations

from expectations.suites import Suite, between, in_set, matches, not_null, unique

SUITES: dict[str, Suite] = {
    "marts.fct_trade_flows": Suite(
        "marts.fct_trade_flows",
        (
            *not_null("year", "exporter_iso3", "importer_iso3", "hs6", "is_outlier", "is_interpolated"),
            unique("year", "exporter_iso3", "importer_iso3", "hs6"),
            matches("hs6", "[0-9A-Z]{6}"),
            between("value_kusd", 0, None),
            between("quantity_t", 0, None),
            between("quantity_t_reported", 0, None),
            # The default rule flags about 3 % of points on the demo world; far more means a broken rule.
            lambda e: e.ExpectColumnMeanToBeBetween(column="is_outlier", min_value=0, max_value=0.10),
        ),
    ),
    "marts.fct_trade_cleaning_audit": Suite(
        "marts.fct_trade_cleaning_audit",
        (
            *not_null(
                "year",
                "exporter_iso3",
                "importer_iso3",
                "hs6",
                "quantity_t_before",
                "quantity_t_after",
                "threshold",
                "anchor_year_before",
                "anchor_year_after",
            ),
            unique("year", "exporter_iso3", "importer_iso3", "hs6"),
            between("quantity_t_after", 0, None),
            between("threshold", 0, None),
            in_set("cleaning_rule", ["ma_sd", "hampel", "unit_value"]),
            in_set("cleaning_scale", ["log", "level"]),
            lambda e: e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="year", column_B="anchor_year_before", or_equal=False
            ),
            lambda e: e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="anchor_year_after", column_B="year", or_equal=False
            ),
        ),
    ),
    "marts.rpt_trade_by_commodity": Suite(
        "marts.rpt_trade_by_commodity",
        (
            *not_null("hs6", "year", "n_flows"),
            unique("hs6", "year"),
            between("quantity_t", 0, None),
            between("value_kusd", 0, None),
            between("n_flows", 1, None),
        ),
    ),
    "marts.rpt_trade_cleaning_rule_comparison": Suite(
        "marts.rpt_trade_cleaning_rule_comparison",
        (
            *not_null("cleaning_rule", "share_points_flagged"),
            unique("cleaning_rule"),
            in_set("cleaning_rule", ["ma_sd", "hampel", "unit_value"]),
            between("share_points_flagged", 0, 0.2),
            lambda e: e.ExpectTableRowCountToEqual(value=3),
        ),
    ),
}
