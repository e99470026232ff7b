"""Mart-layer suites: the published tables hold their keys, units and value ranges.

Core marts are here; each analysis domain adds its own in ``expectations/marts_<domain>.py`` (a ``SUITES``
dict), merged below so there is still one mart-layer suite set.
"""

from __future__ import annotations

from expectations.suites import Suite, between, in_set, matches, not_null, unique

SUITES: dict[str, Suite] = {
    "marts.dim_country": Suite(
        "marts.dim_country",
        (*not_null("baci_code", "entity_code"), unique("baci_code"), unique("entity_code")),
    ),
    "marts.dim_product": Suite(
        "marts.dim_product",
        (
            *not_null("hs6"),
            unique("hs6"),
            matches("hs6", "[0-9A-Z]{6}"),
            matches("hs_chapter", "[0-9]{2}|99"),
        ),
    ),
    "marts.dim_metal": Suite(
        "marts.dim_metal",
        (
            *not_null("symbol", "metal_group"),
            unique("symbol"),
            in_set("metal_group", ["critical", "base"]),
            lambda e: e.ExpectTableRowCountToEqual(value=53),
        ),
    ),
    "marts.dim_source": Suite(
        "marts.dim_source",
        (*not_null("source_id", "sha256", "source_kind"), unique("source_id"), matches("sha256", "[0-9a-f]{64}")),
    ),
    "marts.rpt_input_coverage": Suite(
        "marts.rpt_input_coverage",
        (
            *not_null("analysis", "raw_table", "status"),
            unique("analysis", "raw_table"),
            in_set("status", ["real", "partial", "demo", "missing"]),
        ),
    ),
    "marts.fct_country_year": Suite(
        "marts.fct_country_year",
        (
            *not_null("iso3", "year"),
            unique("iso3", "year"),
            between("population_n", 0, None),
            between("wgi_mean_score", -5, 5),
        ),
    ),
}


def _merge_domain_suites() -> None:
    import importlib
    import pkgutil

    import expectations

    for module in pkgutil.iter_modules(expectations.__path__):
        if module.name.startswith("marts_"):
            SUITES.update(importlib.import_module(f"expectations.{module.name}").SUITES)


_merge_domain_suites()
