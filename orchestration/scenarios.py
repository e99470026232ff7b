"""Scenarios domain: ingestion of IAMC-format pathway files."""

from __future__ import annotations

import dagster as dg

from expectations.raw import SUITES as RAW_SUITES
from orchestration.common import ge_check, raw_multi_asset

GROUP = "scenarios"


def _load_iamc(loader, inv):
    if not inv.scenarios_iamc:
        return "no IAMC-format file in scenarios/"
    loader.iamc(inv.scenarios_iamc)
    return None


ASSETS = [
    raw_multi_asset(
        "raw_scenarios", ["scenario_values"], GROUP, "Scenario pathways (IAMC wide format, long in the table).", _load_iamc
    )
]


def assets() -> list:
    """Return the scenario ingestion assets."""
    return list(ASSETS)


def checks() -> list:
    """Return the raw-layer Great Expectations check of the scenario table (blocking)."""
    return [ge_check("raw.scenario_values", dg.AssetKey(["raw", "scenario_values"]), RAW_SUITES, True, "raw")]
