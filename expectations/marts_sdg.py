"""Mart suites of the metals × SDGs domain: metal input, the selected indicators and the panel results."""

from __future__ import annotations

from expectations.suites import Suite, between, in_set, not_null, unique

ROUTES = ["mined", "imported_ores", "imported_materials", "imported_products"]
PANEL_METALS = ["Nd", "Co", "Pt", "Ni", "Cr", "Mo", "Fe", "Cu", "Pb", "Zn", "Al"]

SUITES: dict[str, Suite] = {
    "marts.fct_metal_dmi": Suite(
        "marts.fct_metal_dmi",
        (
            *not_null("iso3", "year", "metal_symbol", "route", "dmi_t"),
            unique("iso3", "year", "metal_symbol", "route"),
            in_set("route", ROUTES),
            in_set("route_group", ["mined", "imported"]),
            between("dmi_t", 0, None),
        ),
    ),
    "marts.fct_sdg_panel_inputs": Suite(
        "marts.fct_sdg_panel_inputs",
        (
            *not_null("iso3", "year", "metal_symbol", "source_group", "dmi_t"),
            unique("iso3", "year", "metal_symbol", "source_group"),
            in_set("metal_symbol", PANEL_METALS),
            in_set("source_group", ["mined", "imported"]),
            between("dmi_t", 0, None),
            between("year", 2004, 2013),
        ),
    ),
    "marts.dim_sdg_indicator": Suite(
        "marts.dim_sdg_indicator",
        (
            *not_null("indicator_code", "goal", "better"),
            unique("indicator_code"),
            between("goal", 1, 17),
            in_set("better", ["higher", "lower"]),
            in_set("mapping_source", ["seed", "files"]),
        ),
    ),
    "marts.fct_sdg_indicator_values": Suite(
        "marts.fct_sdg_indicator_values",
        (*not_null("indicator_code", "iso3", "year"), unique("indicator_code", "iso3", "year")),
    ),
    "marts.fct_sdg_panel_estimates": Suite(
        "marts.fct_sdg_panel_estimates",
        (
            *not_null("indicator_code", "metal", "source", "coef", "se", "p"),
            *not_null("p_adjusted_bh", "p_adjusted_holm"),
            unique("indicator_code", "metal", "source"),
            in_set("metal", PANEL_METALS),
            in_set("source", ["mined", "imported"]),
            between("goal", 1, 17),
            between("se", 0, None),
            between("p", 0, 1),
            between("p_adjusted_bh", 0, 1),
            between("p_adjusted_holm", 0, 1),
            between("n_countries", 2, None),
            # a Holm-adjusted p is never below the BH one, and neither below the raw p
            lambda e: e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="p_adjusted_holm", column_B="p_adjusted_bh", or_equal=True
            ),
            lambda e: e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="p_adjusted_bh", column_B="p", or_equal=True),
        ),
    ),
    "marts.rpt_sdg_deterioration_counts": Suite(
        "marts.rpt_sdg_deterioration_counts",
        (
            *not_null("level", "group_name", "source", "goal", "n_tests"),
            unique("level", "group_name", "source", "goal"),
            in_set("level", ["metal", "metal_group", "all"]),
            in_set("source", ["mined", "imported", "all"]),
            between("goal", 0, 17),
            lambda e: e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="n_deteriorating_raw", column_B="n_deteriorating_bh", or_equal=True
            ),
            lambda e: e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="n_deteriorating_bh", column_B="n_deteriorating_holm", or_equal=True
            ),
        ),
    ),
    "marts.rpt_sdg_permutation_null": Suite(
        "marts.rpt_sdg_permutation_null",
        (
            *not_null("permutation", "n_tests", "n_deteriorating_raw"),
            unique("permutation"),
            between("permutation", 0, None),
            lambda e: e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="n_tests", column_B="n_deteriorating_raw", or_equal=True
            ),
        ),
    ),
}
