"""Second sources that check the first: UN Comtrade beside BACI, an outside HS list beside the metal flags.

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


def _load_hs_raw_materials(loader, inv):
    if not inv.hs_raw_materials:
        return "no hs_raw_materials/*rawmaterial_hs_codes.csv"
    loader.hs_raw_materials(inv.hs_raw_materials, inv.hs_raw_material_refs)
    return None


ASSETS = [
    raw_multi_asset("raw_comtrade", ["comtrade_flows"], GROUP, "UN Comtrade records (API v1 columns).", _load_comtrade),
    raw_multi_asset(
        "raw_hs_raw_materials",
        ["hs_raw_materials", "hs_raw_material_refs"],
        GROUP,
        "Raw materials with their HS codes and references (EU SCRREEN, USGS).",
        _load_hs_raw_materials,
    ),
]


def assets() -> list:
    """Return the ingestion assets of the second sources."""
    return list(ASSETS)
