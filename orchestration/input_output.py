"""Input–output domain: ingestion of IO tables and the AI-sector import-dependence analysis (Table 1).

Assets:

* ``raw_io`` → ``raw.io_values``, ``raw.io_sectors``: MIC-layout workbooks and generic long CSVs.
* ``raw_oecd_iot`` → ``raw.oecd_iot_values``: OECD national IO tables (2023 ed.), the years of var
  ``oecd_iot_years``; ``oecd_import_content`` → ``marts.fct_oecd_import_content`` (the non-competitive model
  per country and year, ``analysis.ai_imports.oecd_import_content``).
* ``raw_metal_flag_sources`` → ``raw.hs_raw_materials``, ``raw.device_bom_grams``, ``raw.ewaste_cn_keys``,
  ``raw.hs_conversions``:
  the sources of the metal flags (``fct_hs6_metal_flags``, a dbt mart).
* ``raw_wiod_niot`` → ``raw.wiod_niot_values``: WIOD 2016 national tables (``io/wiod_niot/*_NIOT_*.csv``),
  for the non-competitive comparison.
* ``io_ai_import_dependence`` → ``marts.fct_io_ai_induced_imports`` (the competitive Leontief model on every
  loaded table holding the three AI sectors) and ``marts.fct_io_wiod_model_comparison`` (competitive vs
  non-competitive model on WIOD's Japan), both computed by ``analysis.ai_imports``.

Table 1 and its companions (``rpt_ai_sector_import_dependence``, ``rpt_ai_sector_metal_dependence``,
``rpt_ai_sector_import_sensitivity``) are dbt models over these two tables (``models/marts/io/``).
"""

import dagster as dg

from orchestration.common import progress, raw_multi_asset, validate_early
from orchestration.resources import InputsResource, WarehouseResource

GROUP = "io"

MART_TABLES = ("fct_io_ai_induced_imports", "fct_io_wiod_model_comparison")
UPSTREAM = [
    dg.AssetKey(["staging", "stg_io__cells"]),
    dg.AssetKey(["staging", "stg_io__sectors"]),
    dg.AssetKey(["intermediate", "int_io__japan_hs6_import_shares"]),
    dg.AssetKey(["intermediate", "int_io__hs6_metals_flagged"]),
    dg.AssetKey(["seeds", "io_ai_sectors"]),
    dg.AssetKey(["staging", "stg_wiod__niot_values"]),
]


def _load_io(loader, inv):
    if not (inv.io_workbooks or inv.io_long):
        return "no io/*/check_*_std.xlsx or io/**/*_long.csv"
    loader.io_tables(inv.io_workbooks, inv.io_long)
    return None


def _wiod_asset() -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["raw", "wiod_niot_values"]),
        group_name=GROUP,
        kinds={"duckdb", "python"},
        description="WIOD 2016 national IO tables (domestic and imported use), long, millions of USD.",
    )
    def raw_wiod_niot(context: dg.AssetExecutionContext, warehouse: WarehouseResource, inputs: InputsResource):
        from orchestration.common import inventory
        from warehouse.loaders import Loader

        files = inventory(inputs.data_dir).io_wiod
        with warehouse.connect() as con:
            loader = Loader(con, inputs.source_kind, inputs.on_bad_rows)
            loader.wiod(files)
            rows = int(con.execute("select count(*) from raw.wiod_niot_values").fetchone()[0])
            validate_early(con, "raw", ["raw.wiod_niot_values"])
        progress(context, f"raw_wiod_niot: {len(files)} files, {rows:,} cells")
        return dg.MaterializeResult(
            metadata={"dagster/row_count": rows, "files": len(files), "status": "loaded" if files else "missing"}
        )

    return raw_wiod_niot


def _load_metal_flag_sources(loader, inv):
    found = {
        "hs_raw_materials": inv.hs_raw_materials,
        "device_bom_grams": inv.device_boms,
        "ewaste_cn_keys": inv.ewaste_cn_keys,
        "hs_conversions": inv.hs_conversions,
    }
    if not any(found.values()):
        return "no hs_raw_materials/*rawmaterial_hs_codes.csv or product_composition/ files"
    # each source loads on its own: one that is absent leaves its table empty, its evidence missing
    if inv.hs_raw_materials:
        loader.hs_raw_materials(inv.hs_raw_materials, inv.hs_raw_material_refs)
    if inv.device_boms:
        loader.device_boms(inv.device_boms)
    if inv.ewaste_cn_keys:
        loader.ewaste_cn_keys(inv.ewaste_cn_keys)
    if inv.hs_conversions:
        loader.hs_conversions(inv.hs_conversions)
    return None


def _load_oecd_iot(loader, inv):
    if not inv.oecd_iot:
        return "no io/oecd_iot*/*.zip"
    from warehouse.params import params

    loader.oecd_iot(inv.oecd_iot, [int(y) for y in params()["oecd_iot_years"]])
    return None


ASSETS = [
    raw_multi_asset(
        "raw_oecd_iot",
        ["oecd_iot_values"],
        GROUP,
        "OECD national IO tables, 2023 ed. (zip of <ISO3><year>dom.csv), only the years of var oecd_iot_years.",
        _load_oecd_iot,
    ),
    raw_multi_asset(
        "raw_metal_flag_sources",
        ["hs_raw_materials", "hs_raw_material_refs", "device_bom_grams", "ewaste_cn_keys", "hs_conversions"],
        GROUP,
        "Sources of the HS item metal flags: the raw-material HS list (with its references), device bills of "
        "materials, CN8 → e-waste keys, and the UN HS<year> → HS1992 conversions that take later CN codes to "
        "HS92 items.",
        _load_metal_flag_sources,
    ),
    raw_multi_asset(
        "raw_io",
        ["io_values", "io_sectors"],
        GROUP,
        "IO tables: Value_data cells (10^9 yen) and sector sets of each workbook.",
        _load_io,
    ),
    _wiod_asset(),
]


# ------------------------------------------------------------------------------------------- analysis
def _analysis_asset() -> dg.AssetsDefinition:
    specs = [
        dg.AssetSpec(
            key=dg.AssetKey(["marts", name]),
            group_name=GROUP,
            kinds={"duckdb", "python"},
            deps=UPSTREAM,
            description=f"AI-sector import dependence ({name}); see orchestration/input_output.py.",
        )
        for name in MART_TABLES
    ]

    @dg.multi_asset(name="io_ai_import_dependence", specs=specs)
    def io_ai_import_dependence(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        from analysis.ai_imports import induced_imports_frame, wiod_comparison_frame
        from warehouse.contracts import create_sql
        from warehouse.params import params

        wiod_country, wiod_year = params()["io_wiod_country"], int(params()["io_wiod_year"])

        with warehouse.connect() as con:
            cells = con.execute(
                "select table_id, row_code, col_code, value_byen as value from staging.stg_io__cells "
                "where row_code <> 'Total' and col_code <> 'Total'"
            ).df()
            sectors = con.execute(
                "select table_id, set_name, sector_code, sector_name from staging.stg_io__sectors"
            ).df()
            ai = con.execute("select sector_key, industry_code, wiod_sector from seeds.io_ai_sectors").df()
            wiod = con.execute(
                "select year, row_code, origin, col_code, value_musd from staging.stg_wiod__niot_values "
                "where country_iso3 = ?",
                [wiod_country],
            ).df()
        induced = induced_imports_frame(cells, sectors, ai)
        comparison = wiod_comparison_frame(wiod, ai, wiod_year).assign(context=f"wiod_{wiod_country}_{wiod_year}")
        with warehouse.connect() as con:
            con.execute("create schema if not exists marts")
            for table, frame in (("fct_io_ai_induced_imports", induced), ("fct_io_wiod_model_comparison", comparison)):
                con.execute(create_sql(table))
                if len(frame):
                    con.register("frame_df", frame)
                    con.execute(f"insert into marts.{table} by name select * from frame_df")
                    con.unregister("frame_df")
            counts = {t: int(con.execute(f"select count(*) from marts.{t}").fetchone()[0]) for t in MART_TABLES}
            validate_early(con, "marts", [f"marts.{t}" for t in MART_TABLES])
        tables = ", ".join(sorted(induced["table_id"].unique())) if len(induced) else "none holds the AI sectors"
        progress(context, f"io: induced imports on {tables}; WIOD comparison rows {counts[MART_TABLES[1]]:,}")
        for name in MART_TABLES:
            yield dg.MaterializeResult(
                asset_key=dg.AssetKey(["marts", name]),
                metadata={"dagster/row_count": counts[name], "tables_analysed": tables},
            )

    return io_ai_import_dependence


def _oecd_asset() -> dg.AssetsDefinition:
    @dg.asset(
        key=["marts", "fct_oecd_import_content"],
        group_name=GROUP,
        kinds={"duckdb", "python"},
        deps=[dg.AssetKey(["staging", "stg_oecd__iot_values"])],
        description="Import content of final demand for the AI-related industries, per country and year (OECD IOT).",
    )
    def oecd_import_content(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        import pandas as pd

        from analysis.ai_imports import oecd_import_content as compute
        from warehouse.contracts import create_sql
        from warehouse.params import params

        industries = [str(c) for c in params()["oecd_ai_industries"]]
        with warehouse.connect() as con:
            cells = con.execute(
                "select country_iso3, year, row_code, col_code, value_musd as value from staging.stg_oecd__iot_values"
            ).df()
        parts = [
            compute(table, industries).assign(country_iso3=iso3, year=int(year))
            for (iso3, year), table in cells.groupby(["country_iso3", "year"], sort=True)
        ]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        with warehouse.connect() as con:
            con.execute("create schema if not exists marts")
            con.execute(create_sql("fct_oecd_import_content"))
            if len(frame):
                con.register("frame_df", frame)
                con.execute("insert into marts.fct_oecd_import_content by name select * from frame_df")
                con.unregister("frame_df")
            rows = int(con.execute("select count(*) from marts.fct_oecd_import_content").fetchone()[0])
            validate_early(con, "marts", ["marts.fct_oecd_import_content"])
        progress(context, f"oecd: import content of {', '.join(industries)} for {len(parts)} country-years")
        return dg.MaterializeResult(metadata={"dagster/row_count": rows})

    return oecd_import_content


def assets() -> list:
    """Return the IO ingestion assets, the AI-sector import-dependence and the OECD import-content assets."""
    return [*ASSETS, _analysis_asset(), _oecd_asset()]
