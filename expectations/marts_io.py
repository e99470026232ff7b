"""Mart-layer suites of the IO domain: the AI-sector import-dependence marts (issue 4, Table 1), written by Python."""

from __future__ import annotations

from expectations.suites import Suite, between, in_set, matches, not_null, unique

SECTORS = ["computers", "pcs", "robots"]

SUITES: dict[str, Suite] = {
    "marts.fct_io_ai_induced_imports": Suite(
        "marts.fct_io_ai_induced_imports",
        (
            *not_null("table_id", "sector_key", "product_code", "induced_import_myen"),
            unique("table_id", "sector_key", "product_code"),
            in_set("sector_key", SECTORS),
            # one million yen of demand cannot induce more than one million yen of imports of one product
            between("induced_import_myen", -1, 1),
        ),
    ),
    "marts.rpt_ai_sector_import_dependence": Suite(
        "marts.rpt_ai_sector_import_dependence",
        (
            *not_null("table_id", "sector_key", "rank", "hs6", "induced_import_myen", "share_basis"),
            unique("table_id", "sector_key", "rank"),
            unique("table_id", "sector_key", "hs6"),
            in_set("sector_key", SECTORS),
            matches("hs6", "[0-9]{6}"),
            between("rank", 1, None),
            between("induced_import_myen", 0, 1),
            between("share_of_induced_imports", 0, 1),
            in_set("share_basis", ["baci_import_value", "equal_split_no_trade"]),
        ),
    ),
    "marts.rpt_ai_sector_metal_dependence": Suite(
        "marts.rpt_ai_sector_metal_dependence",
        (
            *not_null("table_id", "sector_key", "metal_symbol", "induced_import_myen"),
            unique("table_id", "sector_key", "metal_symbol"),
            in_set(
                "metal_symbol",
                ["Li", "Cr", "Co", "Ni", "Ga", "Mo", "Pd", "Nd", "Dy", "Pt", "Fe", "Cu", "Pb", "Zn", "Al"],
            ),
            in_set("metal_group", ["critical", "base"]),
        ),
    ),
    "marts.rpt_ai_sector_import_sensitivity": Suite(
        "marts.rpt_ai_sector_import_sensitivity",
        (
            *not_null("context", "sector_key", "comparison", "rank", "baseline_item", "variant_item"),
            unique("context", "sector_key", "comparison", "rank"),
            in_set("comparison", ["concordance_product_vs_group4", "competitive_vs_noncompetitive"]),
            between("rank", 1, 5),
            between("top_overlap_n", 0, 5),
        ),
    ),
}
