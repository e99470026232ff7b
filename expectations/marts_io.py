"""Mart-layer suites of the IO domain: the induced imports the Python asset writes.

Table 1's ``rpt_`` marts built on them are dbt models, tested in their YAML.
"""

from __future__ import annotations

from expectations.suites import Suite, between, in_set, not_null, unique

SECTORS = ["computers", "pcs", "robots"]

SUITES: dict[str, Suite] = {
    "marts.fct_io_ai_induced_imports": Suite(
        "marts.fct_io_ai_induced_imports",
        (
            *not_null("table_id", "sector_key", "product_code", "induced_import_yen_per_yen"),
            unique("table_id", "sector_key", "product_code"),
            in_set("sector_key", SECTORS),
            # a yen of demand cannot induce more than a yen of imports of one product
            between("induced_import_yen_per_yen", -1, 1),
            # duties and taxes on imports are never negative in total, so the CIF share lies in 0..1
            # (Japan 2015: 0.28 for manufactured tobacco, 0.93 for PCs)
            between("cif_share_of_imports", 0, 1),
        ),
    ),
    "marts.fct_oecd_import_content": Suite(
        "marts.fct_oecd_import_content",
        (
            *not_null("country_iso3", "year", "industry", "import_content_usd_per_usd"),
            unique("country_iso3", "year", "industry"),
            between("year", 1995, 2030),
            # a dollar of final demand cannot induce more than a dollar of imports
            between("imported_final_demand_share", 0, 1),
            between("import_content_usd_per_usd", 0, 1),
        ),
    ),
    "marts.fct_io_wiod_model_comparison": Suite(
        "marts.fct_io_wiod_model_comparison",
        (
            *not_null("context", "sector_key", "model", "wiod_sector", "induced_import_usd_per_usd"),
            unique("context", "sector_key", "model", "wiod_sector"),
            in_set("sector_key", SECTORS),
            in_set("model", ["competitive", "noncompetitive"]),
            between("induced_import_usd_per_usd", -1, 1),
        ),
    ),
}
