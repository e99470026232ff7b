"""Mart suites of the metals × SDGs domain: the panel results written by Python.

The counts and the null's summary built on them are dbt models, tested in their YAML.

Metal input, the selected indicators and their values (``fct_metal_dmi``, ``fct_sdg_panel_inputs``,
``dim_sdg_indicator``, ``fct_sdg_indicator_values``) are dbt models, tested in their YAML.
"""

from __future__ import annotations

from expectations.suites import Suite, between, in_set, not_null, unique

PANEL_METALS = ["Nd", "Co", "Pt", "Ni", "Cr", "Mo", "Fe", "Cu", "Pb", "Zn", "Al"]

SUITES: dict[str, Suite] = {
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
    "marts.fct_sdg_permutation_counts": Suite(
        "marts.fct_sdg_permutation_counts",
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
