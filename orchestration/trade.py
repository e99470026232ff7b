"""Trade domain: BACI ingestion (partitioned by year) and the product metal-content table."""

import warnings

import dagster as dg

from orchestration.common import inventory, progress, raw_multi_asset
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
    if not inv.baci_country_lists:
        return "no baci/country_codes_V*.csv[.gz]"
    loader.baci_countries(inv.baci_country_lists)
    return None


def _load_products(loader, inv):
    if not inv.baci_product_lists:
        return "no baci/product_codes_HS92_V*.csv[.gz]"
    loader.baci_products(inv.baci_product_lists)
    return None


def _load_metal_content(loader, inv):
    if not inv.metal_content:
        return "no metal_content/*.csv"
    loader.metal_content(inv.metal_content)
    return None


raw_baci_countries = raw_multi_asset(
    "raw_baci_countries",
    ["baci_countries"],
    GROUP,
    "BACI country lists (CEPII numeric codes ↔ ISO): union over releases, newest entry per code.",
    _load_countries,
)
raw_baci_products = raw_multi_asset(
    "raw_baci_products",
    ["baci_products"],
    GROUP,
    "BACI HS92 product lists (5,022 HS6 codes): union over releases, newest entry per code.",
    _load_products,
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
        # the flows' codes are checked against both lists, so both are loaded first
        deps=[dg.AssetKey(["raw", "baci_countries"]), dg.AssetKey(["raw", "baci_products"])],
        kinds={"duckdb", "python"},
        description="BACI HS92 bilateral flows of one release (var baci_release, default the newest), one "
        "partition per year (BACI_HS92_Y<year>_V<release>*.csv[.gz]).",
    )
    def raw_baci_flows(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, inputs: InputsResource
    ) -> dg.MaterializeResult:
        from warehouse.loaders import Loader

        inv = inventory(inputs.data_dir)
        partitioned = context.has_partition_key_range or context.has_partition_key
        years = [int(k) for k in context.partition_keys] if partitioned else list(inv.baci_years)
        loaded, kept, rows = [], [], 0
        with warehouse.connect() as con:
            loader = Loader(con, inputs.source_kind, inputs.on_bad_rows)
            for year in years:
                paths = inv.baci_years.get(year)
                if not paths:
                    progress(context, f"BACI {year}: no file, partition left empty")
                    with_rows = 0
                    # forget the year, leaving a 'removed' mark so incremental cleaning re-cleans its series
                    loader.baci_forget([year])
                elif loader.baci_year_is_loaded(year, paths):
                    # same files (sha256) as already loaded: kept, so its series are not re-cleaned
                    kept.append(year)
                    progress(context, f"BACI {year}: unchanged since its last load, kept")
                    continue
                else:
                    with_rows = loader.baci_year(year, paths)
                    loaded.append(year)
                rows += with_rows
                progress(context, f"BACI {year}: {with_rows:,} flows")
            if set(years) >= set(inv.baci_years):
                # a run over every year found also forgets years whose files are gone; every series with a
                # flow in such a year is re-cleaned (the load log keeps a 'removed' mark per year)
                for year in loader.baci_forget_years(list(inv.baci_years)):
                    progress(context, f"BACI {year}: its file is gone; year removed and its series re-cleaned")
            total = int(con.execute("select count(*) from raw.baci_flows").fetchone()[0])
        return dg.MaterializeResult(
            metadata={
                "rows_loaded": rows,
                "dagster/row_count": total,
                "years_loaded": ",".join(map(str, loaded)),
                "years_kept_unchanged": ",".join(map(str, kept)),
                "quarantined_rows": len(loader.quarantined),
                "baci_release": inv.baci_release or "",
                "baci_releases_not_used": ",".join(r for r in inv.baci_releases if r != inv.baci_release),
            }
        )

    return raw_baci_flows


def _record_unused(loader, inv):
    loader.unused_inputs(inv.skipped)
    return None


raw_unused_inputs = raw_multi_asset(
    "raw_unused_inputs",
    ["unused_inputs"],
    "inputs",
    "Input-looking files of the data folder that the build did not load, with the reason "
    "(another BACI release, a layout no loader knows, a folder no source reads).",
    _record_unused,
)


def _load_other_release_flows(loader, inv):
    if not inv.baci_other_release_flows:
        return "no BACI flow files of a release other than the build's"
    loader.baci_other_release_flows(inv.baci_other_release_flows)
    return None


raw_baci_other_release_flows = raw_multi_asset(
    "raw_baci_other_release_flows",
    ["baci_other_release_flows"],
    GROUP,
    "BACI flows of the releases in the folder other than the build's: read only for the unit values of items "
    "the build's release has no flows of (int_io__hs6_unit_values), never mixed into the flows.",
    _load_other_release_flows,
)


def assets(data_dir: str) -> list:
    """Return the trade ingestion assets (and the list of input files left out, for every source)."""
    return [
        raw_baci_countries,
        raw_baci_products,
        raw_metal_content,
        raw_unused_inputs,
        raw_baci_other_release_flows,
        make_baci_flows_asset(baci_partitions(data_dir)),
    ]


# Series compared with the reference implementation by the cleaning check (a fixed, hash-ordered sample).
REFERENCE_SAMPLE_SERIES = 300


@dg.asset_check(
    asset=dg.AssetKey(["intermediate", "int_trade_flows_cleaned"]),
    name="cleaning_matches_reference",
    blocking=True,
    description="The SQL cleaning agrees with analysis/trade_cleaning.py on a sample of series "
    "(same flags, cleaned quantities within 1e-9 relative).",
)
def cleaning_matches_reference(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """Re-clean a fixed sample of series with the reference rule and compare row for row."""
    from analysis.trade_cleaning import compare_with_reference

    with warehouse.connect() as con:
        frame = con.execute(
            """
            with sample as (
                select distinct hs6, exporter_code, importer_code from intermediate.int_trade_flows_cleaned
                order by hash(hs6, exporter_code, importer_code) limit ?
            )
            select c.* from intermediate.int_trade_flows_cleaned as c
            join sample using (hs6, exporter_code, importer_code)
            order by hs6, exporter_code, importer_code, year
            """,
            [REFERENCE_SAMPLE_SERIES],
        ).df()
    from warehouse.params import params

    declared = params()
    mismatched_flags, max_rel_diff, n_series = compare_with_reference(
        frame,
        ddof=int(declared["trade_cleaning_sd_ddof"]),
        end_points=declared["trade_cleaning_end_points"],
        sd_outliers=declared["trade_cleaning_sd_outliers"],
    )
    passed = mismatched_flags == 0 and max_rel_diff <= 1e-9
    progress(
        context,
        f"trade cleaning vs reference: {n_series} series, {mismatched_flags} mismatches, "
        f"max relative difference {max_rel_diff:.2e}",
    )
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "series_compared": n_series,
            "rows_compared": len(frame),
            "mismatches": mismatched_flags,
            "max_rel_diff": max_rel_diff,
        },
    )


def checks() -> list:
    """Return the cleaning check (SQL against the reference); GE suites run per layer (definitions.py)."""
    return [cleaning_matches_reference]
