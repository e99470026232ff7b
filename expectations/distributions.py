"""Distribution suites on dbt-built tables: statistical expectations, reported at warn level.

Row invariants of dbt-built tables (keys, nulls, value sets, ranges, patterns, row counts) are dbt data tests
in the model YAML. What stays with Great Expectations here is what is not a row invariant: a mean, a share,
a plausible band that known dirt in the inputs may leave. These suites never block the build
(``blocking=False``); a failure is a warning to look at the data.
"""

from __future__ import annotations

from expectations.suites import Suite, between

SUITES: dict[str, Suite] = {
    "marts.fct_trade_flows": Suite(
        "marts.fct_trade_flows",
        # The default rule flags about 3 % of points on the demo world; far more means a broken rule.
        (lambda e: e.ExpectColumnMeanToBeBetween(column="is_outlier", min_value=0, max_value=0.10),),
        columns=("is_outlier",),
        blocking=False,
    ),
    "marts.rpt_trade_cleaning_rule_comparison": Suite(
        "marts.rpt_trade_cleaning_rule_comparison",
        # A rule flagging more than a fifth of the points is flagging the data, not its outliers.
        (between("share_points_flagged", 0, 0.2),),
        blocking=False,
    ),
}
