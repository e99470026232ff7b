"""Staging-layer suites: renamed, typed and unit-labelled tables keep their grain and units."""

from __future__ import annotations

from expectations.suites import Suite, between, matches, not_null, unique

SUITES: dict[str, Suite] = {
    "staging.stg_baci__flows": Suite(
        "staging.stg_baci__flows",
        (
            *not_null("year", "exporter_code", "importer_code", "hs6"),
            matches("hs6", "[0-9A-Z]{6}"),
            between("value_kusd", 0, None),
            between("quantity_t", 0, None),
        ),
        columns=("year", "exporter_code", "importer_code", "hs6", "value_kusd", "quantity_t"),
    ),
    "staging.stg_baci__countries": Suite("staging.stg_baci__countries", (*not_null("baci_code"), unique("baci_code"))),
    "staging.stg_baci__products": Suite(
        "staging.stg_baci__products", (*not_null("hs6"), unique("hs6"), matches("hs6", "[0-9A-Z]{6}"))
    ),
    "staging.stg_owid__country_years": Suite(
        "staging.stg_owid__country_years",
        (*not_null("country_name", "year"), between("population_n", 0, None), unique("country_name", "year")),
    ),
    "staging.stg_wgi__governance_estimates": Suite(
        "staging.stg_wgi__governance_estimates",
        (*not_null("iso3", "year", "wgi_indicator"), between("estimate_score", -5, 5)),
    ),
    "staging.stg_io__cells": Suite(
        "staging.stg_io__cells", (*not_null("table_id", "row_code", "col_code", "value_byen"),)
    ),
}
