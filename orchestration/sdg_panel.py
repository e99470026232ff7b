"""Metals × SDGs domain: ingestion of World Bank indicators, OWID, WGI, UN IRP and BGS files."""

from __future__ import annotations

import dagster as dg

from expectations.raw import SUITES as RAW_SUITES
from orchestration.common import ge_check, raw_multi_asset

GROUP = "sdg_panel"


def _load_wdi(loader, inv):
    if not (inv.wdi_wide or inv.wdi_long):
        return "no World Bank indicator file in wdi/"
    loader.wdi(inv.wdi_wide, inv.wdi_long, inv.wdi_metadata)
    return None


def _load_sdg_series(loader, inv):
    if inv.sdg_series is None:
        return "no wdi/sdg/SDGSeries.csv"
    loader.sdg_series(inv.sdg_series)
    return None


def _load_owid(loader, inv):
    if inv.owid is None:
        return "no owid/owid-co2-data*.csv"
    loader.owid(inv.owid)
    return None


def _load_wgi(loader, inv):
    if inv.wgi is None:
        return "no wgi/*.csv"
    loader.wgi(inv.wgi)
    return None


def _load_irp(loader, inv):
    if not inv.irp_extraction:
        return "no material_flows/DE_*.csv"
    loader.irp(inv.irp_extraction, inv.irp_ccc)
    return None


def _load_bgs(loader, inv):
    if not inv.bgs:
        return "no material_flows/BGS_*_production.csv"
    loader.bgs(inv.bgs)
    return None


ASSETS = [
    raw_multi_asset(
        "raw_wdi",
        ["wdi_values", "wdi_indicators"],
        GROUP,
        "World Bank indicators: wide downloads, long files and indicator metadata.",
        _load_wdi,
    ),
    raw_multi_asset("raw_sdg_series", ["sdg_series"], GROUP, "World Bank SDG series list.", _load_sdg_series),
    raw_multi_asset("raw_owid_co2", ["owid_co2"], GROUP, "OWID CO2/GHG, GDP, population, energy.", _load_owid),
    raw_multi_asset("raw_wgi", ["wgi"], GROUP, "Worldwide Governance Indicators (long layout).", _load_wgi),
    raw_multi_asset(
        "raw_irp", ["irp_extraction", "irp_ccc"], GROUP, "UN IRP domestic extraction and CCC codes.", _load_irp
    ),
    raw_multi_asset("raw_bgs", ["bgs_production"], GROUP, "BGS world mineral production.", _load_bgs),
]

TABLES = ["wdi_values", "wdi_indicators", "sdg_series", "owid_co2", "wgi", "irp_extraction", "irp_ccc", "bgs_production"]


def assets() -> list:
    """Return the SDG-panel ingestion assets."""
    return list(ASSETS)


def checks() -> list:
    """Return the raw-layer Great Expectations checks of these sources (blocking)."""
    return [ge_check(f"raw.{t}", dg.AssetKey(["raw", t]), RAW_SUITES, True, "raw") for t in TABLES]
