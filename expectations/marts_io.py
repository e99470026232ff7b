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
