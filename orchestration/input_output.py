"""Input–output domain: ingestion of IO tables (MIC workbook layout and generic long CSV)."""

from __future__ import annotations

import dagster as dg

from expectations.raw import SUITES as RAW_SUITES
from orchestration.common import ge_check, raw_multi_asset

GROUP = "io"


def _load_io(loader, inv):
    if not (inv.io_workbooks or inv.io_long):
        return "no io/*/check_*_std.xlsx or io/**/*_long.csv"
    loader.io_tables(inv.io_workbooks, inv.io_long)
    return None


ASSETS = [
    raw_multi_asset(
        "raw_io",
        ["io_values", "io_sectors"],
        GROUP,
        "IO tables: Value_data cells (10^9 yen) and sector sets of each workbook.",
        _load_io,
    )
]


def assets() -> list:
    """Return the IO ingestion assets."""
    return list(ASSETS)


def checks() -> list:
    """Return the raw-layer Great Expectations checks of the IO tables (blocking)."""
    return [ge_check(f"raw.{t}", dg.AssetKey(["raw", t]), RAW_SUITES, True, "raw") for t in ("io_values", "io_sectors")]
