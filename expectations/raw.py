"""Raw-layer suites: what every loaded official file must satisfy before anything reads it.

A failure here blocks everything downstream (the checks are blocking asset checks).
"""

from __future__ import annotations

from expectations.suites import Suite, between, has_columns, matches, not_null, unique

YEAR_RANGE = (1900, 2150)

SUITES: dict[str, Suite] = {
    "raw.baci_flows": Suite(
        "raw.baci_flows",
        (
            *not_null("t", "i", "j", "k", "source_file"),
            between("t", 1988, 2100),
            matches("k", "[0-9A-Z]{6}"),
            between("v", 0, None),
            between("q", 0, None),
            # BACI reports NA quantities for a few percent of flows; far more means a broken file.
            lambda e: e.ExpectColumnValuesToNotBeNull(column="q", mostly=0.5),
        ),
    ),
    "raw.baci_other_release_flows": Suite(
        "raw.baci_other_release_flows",
        (
            *not_null("t", "i", "j", "k", "source_file"),
            between("t", 1988, 2100),
            matches("k", "[0-9A-Z]{6}"),
            between("v", 0, None),
            between("q", 0, None),
        ),
    ),
    "raw.baci_countries": Suite(
        "raw.baci_countries",
        (*not_null("country_code"), unique("country_code"), *has_columns("iso_3digit_alpha")),
    ),
    "raw.baci_products": Suite(
        "raw.baci_products",
        (*not_null("code"), unique("code"), matches("code", "[0-9A-Z]{6}")),
    ),
    "raw.wdi_values": Suite(
        "raw.wdi_values",
        (*not_null("country_code", "year", "value"), between("year", *YEAR_RANGE)),
    ),
    "raw.wdi_indicators": Suite("raw.wdi_indicators", (*not_null("indicator_code"),)),
    "raw.sdg_series": Suite("raw.sdg_series", (*not_null("series_code"),)),
    "raw.owid_co2": Suite(
        "raw.owid_co2",
        (
            *not_null("country", "year"),
            between("year", 1700, 2100),
            between("population", 0, None),
            between("gdp", 0, None),
            between("primary_energy_consumption", 0, None),
        ),
    ),
    "raw.wgi": Suite(
        "raw.wgi",
        (*not_null("code", "year", "indicator"), between("estimate", -5, 5), between("year", 1996, 2100)),
    ),
    "raw.mine_production": Suite(
        "raw.mine_production",
        (*not_null("commodity", "year"), between("year", *YEAR_RANGE), between("value", 0, None)),
    ),
    "raw.comtrade_flows": Suite(
        "raw.comtrade_flows",
        (
            *not_null("ref_year", "reporter_code", "partner_code", "cmd_code"),
            between("ref_year", 1962, 2100),
            matches("cmd_code", "[0-9]{2}|[0-9]{4}|[0-9]{6}|TOTAL"),
            between("net_wgt_kg", 0, None),
        ),
    ),
    "raw.irp_extraction": Suite(
        "raw.irp_extraction",
        (
            *not_null("alphanumiso", "ccc_code", "year"),
            between("value", 0, None),
            between("year", *YEAR_RANGE),
        ),
    ),
    "raw.irp_ccc": Suite("raw.irp_ccc", (*not_null("ccc_code"), unique("ccc_code"))),
    "raw.bgs_production": Suite(
        "raw.bgs_production", (*not_null("year", "commodity_file"), between("year", 1800, 2100))
    ),
    "raw.io_values": Suite(
        "raw.io_values",
        (*not_null("table_id", "row_code", "col_code", "value"), unique("table_id", "row_code", "col_code")),
    ),
    "raw.io_sectors": Suite("raw.io_sectors", (*not_null("table_id", "set_name", "code"),)),
    "raw.wiod_niot_values": Suite(
        "raw.wiod_niot_values",
        (*not_null("country", "year", "row_code", "origin", "col_code", "value_musd"), between("year", 1995, 2030)),
    ),
    "raw.scenario_values": Suite(
        "raw.scenario_values",
        (*not_null("scenario", "region", "variable", "year", "value"), between("year", 1900, 2300)),
    ),
    "raw.oecd_iot_values": Suite(
        "raw.oecd_iot_values",
        (
            *not_null("country_iso3", "year", "row_code", "col_code", "value_musd"),
            between("year", 1995, 2030),
            unique("country_iso3", "year", "row_code", "col_code"),
        ),
    ),
    "raw.hs_raw_materials": Suite("raw.hs_raw_materials", (*not_null("raw_material"),)),
    "raw.device_bom_grams": Suite(
        "raw.device_bom_grams", (*not_null("model", "product", "material", "grams"), between("grams", 0, 1e7))
    ),
    "raw.ewaste_cn_keys": Suite(
        "raw.ewaste_cn_keys", (*not_null("cn8", "year"), between("year", 1988, 2100), unique("cn8", "year"))
    ),
    "raw.hs_conversions": Suite(
        "raw.hs_conversions",
        (
            *not_null("from_edition", "from_hs6", "hs92"),
            matches("hs92", "[0-9]{6}"),
            unique("from_edition", "from_hs6"),
        ),
    ),
    "raw.metal_content": Suite(
        "raw.metal_content",
        (*not_null("hs6", "metal", "content_share"), between("content_share", 0, 1), unique("hs6", "metal")),
    ),
}
