"""Input–output domain: ingestion of IO tables and the AI-sector import-dependence analysis (Table 1).

Assets:

* ``raw_io`` → ``raw.io_values``, ``raw.io_sectors``: MIC-layout workbooks and generic long CSVs.
* ``raw_wiod_niot`` → ``raw.wiod_niot_values``: WIOD 2016 national tables (``io/wiod_niot/*_NIOT_*.csv``),
  for the non-competitive comparison.
* ``io_ai_import_dependence`` → ``marts.fct_io_ai_induced_imports``, ``marts.rpt_ai_sector_import_dependence``,
  ``marts.rpt_ai_sector_metal_dependence``, ``marts.rpt_ai_sector_import_sensitivity``: the Leontief model
  (``analysis.leontief``) on every loaded table holding the three AI sectors, joined in DuckDB to the
  concordance, BACI shares and metal flags built by dbt; PNG figures beside the build warehouse.
"""

from pathlib import Path

import dagster as dg

from orchestration.common import progress, raw_multi_asset
from orchestration.resources import InputsResource, WarehouseResource

GROUP = "io"
TOP_N = 5
PREFERRED_TABLE = "japan_2015_basic_std"
WIOD_COUNTRY, WIOD_YEAR = "JPN", 2014

MART_TABLES = (
    "fct_io_ai_induced_imports",
    "rpt_ai_sector_import_dependence",
    "rpt_ai_sector_metal_dependence",
    "rpt_ai_sector_import_sensitivity",
)
UPSTREAM = [
    dg.AssetKey(["staging", "stg_io__cells"]),
    dg.AssetKey(["staging", "stg_io__sectors"]),
    dg.AssetKey(["intermediate", "int_io__japan_hs6_import_shares"]),
    dg.AssetKey(["intermediate", "int_io__hs6_metals_flagged"]),
    dg.AssetKey(["seeds", "io_ai_sectors"]),
    dg.AssetKey(["raw", "wiod_niot_values"]),
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
        progress(context, f"raw_wiod_niot: {len(files)} files, {rows:,} cells")
        return dg.MaterializeResult(
            metadata={"dagster/row_count": rows, "files": len(files), "status": "loaded" if files else "missing"}
        )

    return raw_wiod_niot


ASSETS = [
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
def induced_imports_frame(cells, sectors, ai_sectors):
    """Return competitive-model induced imports by product for each AI sector of each table.

    Parameters
    ----------
    cells : DataFrame
        ``table_id, row_code, col_code, value`` (staging cells).
    sectors : DataFrame
        ``table_id, set_name, sector_code, sector_name``.
    ai_sectors : DataFrame
        ``sector_key, industry_code``.

    Returns
    -------
    DataFrame
        ``table_id, sector_key, industry_code, product_code, product_name, final_demand_myen,
        induced_import_myen`` — imports (million yen) induced by one million yen of final demand.
    """
    import numpy as np
    import pandas as pd

    from analysis import leontief

    out = []
    for table_id, table_sectors in sectors.groupby("table_id"):
        cols = set(table_sectors.loc[table_sectors["set_name"] == "col", "sector_code"])
        wanted = ai_sectors[ai_sectors["industry_code"].isin(cols)]
        if len(wanted) < len(ai_sectors):
            continue

        def codes(name, frame=table_sectors):
            return frame.loc[frame["set_name"] == name, "sector_code"].tolist()

        system = leontief.build_system(
            cells[cells["table_id"] == table_id], codes("row"), codes("col"), codes("fd"), codes("va")
        )
        row_sectors = table_sectors[table_sectors["set_name"] == "row"]
        names = dict(zip(row_sectors["sector_code"], row_sectors["sector_name"], strict=True))
        for key, industry in zip(wanted["sector_key"], wanted["industry_code"], strict=True):
            f = system.industry_demand(industry)
            x = leontief.competitive_output(system.a, system.m, f)
            induced = leontief.competitive_induced_imports(system.a, system.m, x, f)
            keep = np.flatnonzero(induced != 0)
            out.append(
                pd.DataFrame(
                    {
                        "table_id": table_id,
                        "sector_key": key,
                        "industry_code": industry,
                        "product_code": [system.codes[i] for i in keep],
                        "product_name": [names.get(system.codes[i]) for i in keep],
                        "final_demand_myen": f[keep],
                        "induced_import_myen": induced[keep],
                    }
                )
            )
    columns = [
        "table_id",
        "sector_key",
        "industry_code",
        "product_code",
        "product_name",
        "final_demand_myen",
        "induced_import_myen",
    ]
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=columns)


def wiod_comparison_frame(cells, ai_sectors, year: int = WIOD_YEAR):
    """Return induced imports by WIOD sector, competitive vs non-competitive model, for the AI sectors.

    The non-competitive model uses the table's import-use matrix; the competitive one collapses it into
    one row per product (``Z = Z^d + Z^m``, ``M_i`` = imported use plus imported final demand) and uses
    ``m_i = M_i / (Σ_j Z_ij + f^d_i)``. The unit demand for sector ``k`` is split into domestic and imported
    parts by the imported share of domestic final demand of ``k`` (non-competitive model only).

    Returns
    -------
    DataFrame
        ``sector_key, model, wiod_sector, induced_import_myen`` (per million of final demand).
    """
    import numpy as np
    import pandas as pd

    from analysis import leontief
    from warehouse.wiod import FINAL_DEMAND, niot_matrices

    if cells.empty or year not in set(cells["year"]):
        return pd.DataFrame(columns=["sector_key", "model", "wiod_sector", "induced_import_myen"])
    mat = niot_matrices(cells, year)
    codes = mat["codes"]
    domestic_fd = [FINAL_DEMAND.index(c) for c in FINAL_DEMAND if c != "EXP"]
    x = mat["output"]
    a_d = leontief.technical_coefficients(mat["z_domestic"], x)
    a_m = leontief.technical_coefficients(mat["z_imported"], x)
    fd_d = mat["f_domestic"][:, domestic_fd].sum(axis=1)
    fd_m = mat["f_imported"][:, domestic_fd].sum(axis=1)
    share = leontief.final_demand_import_shares(fd_d, fd_m)
    z = mat["z_domestic"] + mat["z_imported"]
    imports = mat["z_imported"].sum(axis=1) + mat["f_imported"].sum(axis=1)
    a = leontief.technical_coefficients(z, x)
    m = leontief.import_coefficients(z, fd_d + fd_m, imports)
    rows = []
    for key, wiod_sector in zip(ai_sectors["sector_key"], ai_sectors["wiod_sector"], strict=True):
        k = codes.index(wiod_sector)
        f = np.zeros(len(codes))
        f[k] = 1.0
        _, noncomp = leontief.noncompetitive_induced_imports(a_d, a_m, f * (1 - share[k]), f * share[k])
        comp = leontief.competitive_induced_imports(a, m, leontief.competitive_output(a, m, f), f)
        for model, vector in (("noncompetitive", noncomp), ("competitive", comp)):
            rows.append(
                pd.DataFrame({"sector_key": key, "model": model, "wiod_sector": codes, "induced_import_myen": vector})
            )
    return pd.concat(rows, ignore_index=True)


REPORT_SQL = {
    # one row per table, sector and HS item: the group's induced imports split by the item's share
    "hs_split": """
        create or replace temp table io_hs_split as
        with groups as (
            select f.table_id, f.sector_key, g.rule_set, g.import_group,
                   sum(f.induced_import_myen) as group_induced_myen
            from marts.fct_io_ai_induced_imports f
            join intermediate.int_io__products_grouped g
              on f.table_id = g.table_id and f.product_code = g.product_code
            group by all
        )
        select g.table_id, g.sector_key, g.rule_set, s.hs6, s.description, g.import_group,
               g.group_induced_myen * s.share_in_group as induced_import_myen,
               s.share_in_group, s.share_basis, s.baci_year, s.year_note, s.basis as concordance_basis
        from groups g
        join intermediate.int_io__japan_hs6_import_shares s
          on g.table_id = s.table_id and g.rule_set = s.rule_set and g.import_group = s.import_group
    """,
    "rpt_ai_sector_import_dependence": """
        create or replace table marts.rpt_ai_sector_import_dependence as
        with totals as (
            select table_id, sector_key, sum(induced_import_myen) as total_induced_myen
            from marts.fct_io_ai_induced_imports group by all
        ),
        metals as (
            select hs6, string_agg(metal_symbol, ',' order by metal_symbol) as metals_contained
            from intermediate.int_io__hs6_metals_flagged group by hs6
        ),
        ranked as (
            select s.*, row_number() over (
                partition by s.table_id, s.sector_key order by s.induced_import_myen desc, s.hs6) as rank
            from io_hs_split s where s.rule_set = 'product'
        )
        select r.table_id, r.sector_key, a.name_en as sector_name_en, a.industry_code,
               cast(r.rank as integer) as rank, r.hs6, r.description, r.import_group,
               r.induced_import_myen,
               r.induced_import_myen / t.total_induced_myen as share_of_induced_imports,
               coalesce(m.metals_contained, '') as metals_contained,
               r.share_in_group, r.share_basis, cast(r.baci_year as integer) as baci_year, r.year_note,
               r.concordance_basis
        from ranked r
        join totals t on r.table_id = t.table_id and r.sector_key = t.sector_key
        join seeds.io_ai_sectors a on r.sector_key = a.sector_key
        left join metals m on r.hs6 = m.hs6
        where r.induced_import_myen > 0
        order by r.table_id, r.sector_key, r.rank
    """,
    "rpt_ai_sector_metal_dependence": """
        create or replace table marts.rpt_ai_sector_metal_dependence as
        select s.table_id, s.sector_key, m.metal_symbol, d.metal_group,
               sum(s.induced_import_myen) as induced_import_myen,
               count(distinct s.hs6) as n_hs_items,
               arg_max(s.hs6, s.induced_import_myen) as largest_hs6
        from io_hs_split s
        join intermediate.int_io__hs6_metals_flagged m on s.hs6 = m.hs6
        join seeds.metals d on m.metal_symbol = d.symbol
        where s.rule_set = 'product'
        group by all
        order by s.table_id, s.sector_key, induced_import_myen desc
    """,
}

SENSITIVITY_SQL = """
    create or replace table marts.rpt_ai_sector_import_sensitivity as
    with items as (
        select table_id as context, sector_key, 'concordance_product_vs_group4' as comparison,
               case rule_set when 'product' then 'baseline' else 'variant' end as side,
               hs6 as item, induced_import_myen
        from io_hs_split
        union all
        select 'wiod_{country}_{year}', sector_key, 'competitive_vs_noncompetitive',
               case model when 'competitive' then 'baseline' else 'variant' end,
               wiod_sector, induced_import_myen
        from io_wiod_comparison
    ),
    ranked as (
        select *, row_number() over (partition by context, sector_key, comparison, side
                                     order by induced_import_myen desc, item) as rank
        from items
    ),
    top as (select * from ranked where rank <= {top_n}),
    paired as (
        select b.context, b.sector_key, b.comparison, cast(b.rank as integer) as rank,
               b.item as baseline_item, b.induced_import_myen as baseline_induced_myen,
               v.item as variant_item, v.induced_import_myen as variant_induced_myen
        from top b join top v
          on b.context = v.context and b.sector_key = v.sector_key and b.comparison = v.comparison
         and b.rank = v.rank and b.side = 'baseline' and v.side = 'variant'
    )
    select p.*,
           exists (select 1 from top v where v.context = p.context and v.sector_key = p.sector_key
                   and v.comparison = p.comparison and v.side = 'variant' and v.item = p.baseline_item)
               as baseline_item_in_variant_top,
           (select count(*) from top b join top v on b.item = v.item and b.context = v.context
                and b.sector_key = v.sector_key and b.comparison = v.comparison
             where b.side = 'baseline' and v.side = 'variant' and b.context = p.context
               and b.sector_key = p.sector_key and b.comparison = p.comparison) as top_overlap_n
    from paired p
    order by context, sector_key, comparison, rank
"""


def _plot(con, figures: Path) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures.mkdir(parents=True, exist_ok=True)
    paths = {}
    imports = con.execute(
        f"select table_id, sector_key, hs6, induced_import_myen from marts.rpt_ai_sector_import_dependence "
        f"where rank <= {TOP_N} order by table_id, sector_key, rank"
    ).df()
    metals = con.execute(
        "select table_id, sector_key, metal_symbol, induced_import_myen from marts.rpt_ai_sector_metal_dependence"
    ).df()
    sens = con.execute(
        "select context, sector_key, comparison, rank, baseline_item, variant_item, top_overlap_n "
        "from marts.rpt_ai_sector_import_sensitivity"
    ).df()
    for name, frame, draw in (
        ("rpt_ai_sector_import_dependence", imports, _draw_imports),
        ("rpt_ai_sector_metal_dependence", metals, _draw_metals),
        ("rpt_ai_sector_import_sensitivity", sens, _draw_sensitivity),
    ):
        fig = draw(plt, frame)
        path = figures / f"{name}.png"
        fig.savefig(path, dpi=110, bbox_inches="tight")
        plt.close(fig)
        paths[name] = str(path)
    return paths


def _panels(plt, keys):
    fig, axes = plt.subplots(1, max(len(keys), 1), figsize=(4.2 * max(len(keys), 1), 3.6), squeeze=False)
    return fig, axes[0]


def _draw_imports(plt, frame):
    keys = sorted(frame[["table_id", "sector_key"]].drop_duplicates().itertuples(index=False, name=None))
    fig, axes = _panels(plt, keys)
    for ax, (table_id, key) in zip(axes, keys, strict=False):
        part = frame[(frame["table_id"] == table_id) & (frame["sector_key"] == key)]
        ax.barh(part["hs6"][::-1], part["induced_import_myen"][::-1], color="#3b6ea5")
        ax.set_title(f"{key} ({table_id})", fontsize=8)
        ax.set_xlabel("induced imports, million yen per million yen")
    return fig


def _draw_metals(plt, frame):
    keys = sorted(frame[["table_id", "sector_key"]].drop_duplicates().itertuples(index=False, name=None))
    fig, axes = _panels(plt, keys)
    for ax, (table_id, key) in zip(axes, keys, strict=False):
        part = frame[(frame["table_id"] == table_id) & (frame["sector_key"] == key)]
        part = part.sort_values("induced_import_myen")
        ax.barh(part["metal_symbol"], part["induced_import_myen"], color="#a5673b")
        ax.set_xscale("log")
        ax.set_title(f"{key} ({table_id})", fontsize=8)
        ax.set_xlabel("induced imports of goods containing the metal")
    return fig


def _draw_sensitivity(plt, frame):
    summary = frame.groupby(["context", "sector_key", "comparison"], as_index=False)["top_overlap_n"].max()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    labels = summary["sector_key"] + "\n" + summary["comparison"].str.replace("_", " ")
    ax.bar(range(len(summary)), summary["top_overlap_n"], color="#5a9a5a")
    ax.set_xticks(range(len(summary)), labels, fontsize=6, rotation=30, ha="right")
    ax.set_ylim(0, TOP_N)
    ax.set_ylabel(f"items shared by the two top-{TOP_N} lists")
    return fig


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
        with warehouse.connect() as con:
            cells = con.execute(
                "select table_id, row_code, col_code, value_byen as value from staging.stg_io__cells "
                "where row_code <> 'Total' and col_code <> 'Total'"
            ).df()
            sectors = con.execute(
                "select table_id, set_name, sector_code, sector_name from staging.stg_io__sectors"
            ).df()
            ai = con.execute("select sector_key, industry_code, wiod_sector from seeds.io_ai_sectors").df()
            has_wiod = con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'raw' and table_name = 'wiod_niot_values'"
            ).fetchone()[0]
            wiod = (
                con.execute(
                    "select year, row_code, origin, col_code, value_musd from raw.wiod_niot_values where country = ?",
                    [WIOD_COUNTRY],
                ).df()
                if has_wiod
                else None
            )
        induced = induced_imports_frame(cells, sectors, ai)
        import pandas as pd

        comparison = wiod_comparison_frame(wiod if wiod is not None else pd.DataFrame(columns=["year"]), ai)
        figures_dir = Path(warehouse.path).parent / "figures"
        with warehouse.connect() as con:
            con.execute("create schema if not exists marts")
            con.register("induced_df", induced)
            con.execute(
                "create or replace table marts.fct_io_ai_induced_imports as "
                "select table_id, sector_key, industry_code, product_code, product_name, "
                "cast(final_demand_myen as double) as final_demand_myen, "
                "cast(induced_import_myen as double) as induced_import_myen from induced_df"
            )
            con.unregister("induced_df")
            con.register("wiod_df", comparison)
            con.execute("create or replace temp table io_wiod_comparison as select * from wiod_df")
            con.unregister("wiod_df")
            for sql in REPORT_SQL.values():
                con.execute(sql)
            con.execute(SENSITIVITY_SQL.format(country=WIOD_COUNTRY, year=WIOD_YEAR, top_n=TOP_N))
            counts = {t: int(con.execute(f"select count(*) from marts.{t}").fetchone()[0]) for t in MART_TABLES}
            top = con.execute(
                "select table_id, sector_key, string_agg(hs6, ' ' order by rank) from "
                f"marts.rpt_ai_sector_import_dependence where rank <= {TOP_N} group by all order by all"
            ).fetchall()
            figures = _plot(con, figures_dir)
        for table_id, key, items in top:
            progress(context, f"io: {table_id} {key} top {TOP_N}: {items}")
        for name in MART_TABLES:
            yield dg.MaterializeResult(
                asset_key=dg.AssetKey(["marts", name]),
                metadata={
                    "dagster/row_count": counts[name],
                    "figure": figures.get(name, ""),
                    "tables_analysed": ", ".join(sorted(induced["table_id"].unique())) if len(induced) else "",
                },
            )

    return io_ai_import_dependence


def assets() -> list:
    """Return the IO ingestion assets and the AI-sector import-dependence analysis asset."""
    return [*ASSETS, _analysis_asset()]
