"""Trade domain: BACI ingestion (partitioned by year) and the product metal-content table."""


import warnings

import dagster as dg

from expectations.raw import SUITES as RAW_SUITES
from orchestration.common import ge_check, inventory, progress, raw_multi_asset
from orchestration.resources import InputsResource, WarehouseResource

GROUP = "trade"
DEMO_YEARS = [str(y) for y in range(1995, 2018)]


def baci_partitions(data_dir: str) -> dg.StaticPartitionsDefinition:
    """One partition per BACI year found in ``data_dir`` (the demo years when none is there yet)."""
    try:
        years = [str(y) for y in inventory(data_dir).baci_years]
    except Exception:  # the folder may not exist before the demo world is generated
        years = []
    return dg.StaticPartitionsDefinition(years or DEMO_YEARS)


def _load_countries(loader, inv):
    if inv.baci_countries is None:
        return "no baci/country_codes_V*.csv"
    loader.baci_countries(inv.baci_countries)
    return None


def _load_products(loader, inv):
    if inv.baci_products is None:
        return "no baci/product_codes_HS92_V*.csv"
    loader.baci_products(inv.baci_products)
    return None


def _load_metal_content(loader, inv):
    if not inv.metal_content:
        return "no metal_content/*.csv"
    loader.metal_content(inv.metal_content)
    return None


raw_baci_countries = raw_multi_asset(
    "raw_baci_countries", ["baci_countries"], GROUP, "BACI country list (CEPII numeric codes ↔ ISO).", _load_countries
)
raw_baci_products = raw_multi_asset(
    "raw_baci_products", ["baci_products"], GROUP, "BACI HS92 product list (5,022 HS6 codes).", _load_products
)
raw_metal_content = raw_multi_asset(
    "raw_metal_content",
    ["metal_content"],
    GROUP,
    "Metal content per HS6 item (tonnes of metal per tonne of good).",
    _load_metal_content,
)


def make_baci_flows_asset(partitions: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    """Return the BACI flows asset: one partition per year, idempotent (a year is deleted and re-inserted)."""

    warnings.filterwarnings("ignore", message=".*backfill_policy.*", category=Warning)

    @dg.asset(
        key=["raw", "baci_flows"],
        group_name=GROUP,
        partitions_def=partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        deps=[dg.AssetKey(["raw", "baci_countries"])],
        kinds={"duckdb", "python"},
        description="BACI HS92 bilateral flows, one partition per year (BACI_HS92_Y<year>_V*.csv).",
    )
    def raw_baci_flows(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, inputs: InputsResource
    ) -> dg.MaterializeResult:
        from warehouse.loaders import Loader

        inv = inventory(inputs.data_dir)
        years = [int(k) for k in context.partition_keys] if context.has_partition_key_range or context.has_partition_key else list(inv.baci_years)
        loaded, rows = [], 0
        with warehouse.connect() as con:
            loader = Loader(con, inputs.source_kind, inputs.on_bad_rows)
            for year in years:
                paths = inv.baci_years.get(year)
                if not paths:
                    progress(context, f"BACI {year}: no file, partition left empty")
                    with_rows = 0
                    con.execute("delete from raw.baci_flows where t = ?", [year])
                else:
                    with_rows = loader.baci_year(year, paths)
                    loaded.append(year)
                rows += with_rows
                progress(context, f"BACI {year}: {with_rows:,} flows")
            total = int(con.execute("select count(*) from raw.baci_flows").fetchone()[0])
        return dg.MaterializeResult(
            metadata={
                "rows_loaded": rows,
                "dagster/row_count": total,
                "years_loaded": ",".join(map(str, loaded)),
                "quarantined_rows": len(loader.quarantined),
            }
        )

    return raw_baci_flows


def assets(data_dir: str) -> list:
    """Return the trade ingestion assets."""
    return [raw_baci_countries, raw_baci_products, raw_metal_content, make_baci_flows_asset(baci_partitions(data_dir))]


def checks() -> list:
    """Return the raw-layer Great Expectations checks of the trade sources (blocking)."""
    tables = ["baci_countries", "baci_products", "baci_flows", "metal_content"]
    return [ge_check(f"raw.{t}", dg.AssetKey(["raw", t]), RAW_SUITES, True, "raw") for t in tables]
