"""Second sources that check the first: UN Comtrade beside BACI, an outside HS list beside the metal flags.

The outside HS list itself (``raw.hs_raw_materials`` and its references) is loaded with the metal-flag
sources (``orchestration/input_output.py``).

Ingestion only; the comparisons are dbt marts (``rpt_trade_comtrade_mirror``,
``rpt_product_metal_outside_check``).
"""

from orchestration.common import raw_multi_asset

GROUP = "cross_checks"


def _load_comtrade(loader, inv):
    if not inv.comtrade:
        return "no comtrade/*.csv[.gz]"
    loader.comtrade(inv.comtrade)
    return None


ASSETS = [
    raw_multi_asset("raw_comtrade", ["comtrade_flows"], GROUP, "UN Comtrade records (API v1 columns).", _load_comtrade),
]


def assets() -> list:
    """Return the ingestion assets of the second sources."""
    return list(ASSETS)
