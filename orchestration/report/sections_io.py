"""Sections on input-output results: Table 1, metal flags, OECD import content, metal tonnes, 2050 pathways."""

import pandas as pd

from orchestration import figures
from orchestration.report.labels import PROGRAMME_SECTOR_ORDER, VALUATION, VALUATIONS
from orchestration.report.model import Section, Table, Warehouse


# ------------------------------------------------------------------------------------------------ sections
def section_table1(wh: Warehouse) -> Section:
    """Table 1 in the programme's layout: per sector, the top five items with rank, value, code, product, metals."""
    section = Section("Table 1 — main imported items needed by AI-related final demand (top 5)", anchor="table1")
    table = "marts.rpt_ai_sector_import_dependence"
    if not wh.has(table):
        section.missing = f"{table} was not built (no IO table among the inputs?)."
        return section
    top_n = int(wh.parameters().get("io_top_n", 5))
    full = wh.frame(f"select * from {table} order by table_id, sector_key, rank")
    if full.empty:
        section.missing = f"{table} is empty."
        return section
    valuation = (
        VALUATIONS.get(str(full["import_valuation"].iloc[0]), str(full["import_valuation"].iloc[0]))
        if "import_valuation" in full
        else VALUATIONS["total"]
    )
    notes = sorted({str(n) for n in full["year_note"].dropna()} - {"table year"})
    section.text = (
        f"For one million yen of final demand for each sector, the imported HS92 items needed directly and "
        f"through Japan's domestic supply chain (competitive-import Leontief model), the {top_n} largest by "
        f"induced import value. Values in {VALUATION}; imports valued {valuation}. IO sectors are split to "
        f"HS92 items by Japan's BACI import shares ({', '.join(sorted(set(full['share_basis'])))})."
        + (f" Year of the shares: {'; '.join(notes)}." if notes else "")
    )
    if "split_note" in full and full["split_note"].notna().any():
        kept = full[full["split_note"].notna()]
        section.text += (
            f" {kept['import_group'].nunique()} IO import groups are not split into HS items: "
            f"{kept['split_note'].iloc[0].replace('kept at group level: ', '')} (for example); their rows show the "
            "group's candidate items."
        )
    # the programme's order of sectors (electronic computers, robots, personal computers); others after them
    order = {key: n for n, key in enumerate(PROGRAMME_SECTOR_ORDER)}
    groups = sorted(
        full.groupby(["table_id", "sector_key"]), key=lambda g: (g[0][0], order.get(g[0][1], len(order)), g[0][1])
    )
    for (table_id, sector_key), rows in groups:
        top = rows[rows["rank"] <= top_n]
        shown = pd.DataFrame(
            {
                "rank": top["rank"].astype(int),
                "induced_import_yen_per_yen": top["induced_import_yen_per_yen"],
                # a group the BACI release used has no Japanese import of stays whole: its candidate items
                "hs6": top["hs6"].fillna("items " + top["candidate_hs6"].fillna("?"))
                if "candidate_hs6" in top
                else top["hs6"],
                "description": top["description"],
                "metals_contained": top["metals_contained"].fillna("").replace("", "—"),
            }
        )
        name = rows["sector_name_en"].iloc[0]
        caption = f"Demand for {name} (IO sector {rows['industry_code'].iloc[0]}; table {table_id})"
        section.tables[f"table1_{table_id}_{sector_key}"] = Table(shown, caption=caption, shown=top_n)
    section.tables["table1_ai_sector_imports"] = Table(
        full, caption=f"Every item with induced imports, all sectors ({len(full):,} rows)", shown=0
    )
    metal = "marts.rpt_ai_sector_metal_dependence"
    if wh.has(metal):
        frame = wh.frame(f"select * from {metal} order by sector_key, induced_import_yen_per_yen desc")
        section.tables["ai_sector_metal_dependence"] = Table(
            frame[
                ["sector_key", "metal_symbol", "metal_group", "induced_import_yen_per_yen", "n_hs_items", "largest_hs6"]
            ],
            caption="Induced imports of the items containing each metal (an item with several metals counts for each)",
            shown=15,
        )
        figure = figures.metal_dependence(frame)
        if figure is not None:
            section.figures["table1_metal_dependence"] = figure
    return section


def section_metal_flags(wh: Warehouse) -> Section:
    """Metal flags of every HS item: how many item-metal pairs are known to contain, not contain, or unknown."""
    section = Section("Metal flags of every HS92 item")
    table = "marts.rpt_hs6_metal_flag_coverage"
    if not wh.has(table):
        section.missing = f"{table} was not built."
        return section
    section.text = (
        "Each HS92 item and each of the 15 content metals: contains (HS text, metal-content file, raw-material "
        "list or a device bill of materials says so), does not contain (chapters 01-15 only) or unknown - "
        "unknown is not no. Item-level flags with their sources: marts.fct_hs6_metal_flags."
    )
    section.tables["metal_flag_coverage"] = wh.frame(f"select * from {table}")
    return section


def section_oecd_import_content(wh: Warehouse) -> Section:
    """Import content of final demand for the AI-related industries across countries; Japan's cross-check."""
    section = Section("Import content of AI-related final demand across countries (OECD IOT)")
    table = "marts.rpt_oecd_import_content"
    if not wh.has(table):
        section.missing = f"{table} was not built."
        return section
    frame = wh.frame(f"select * from {table}")
    if frame.empty:
        section.missing = "no OECD input-output table was loaded (io/oecd_iot*/*.zip)."
        return section
    section.text = (
        "Imports induced by a dollar of final demand for C26 (computers, electronic and optical products), C28 "
        "(machinery, incl. robots) and J62_63 (IT services), non-competitive model on the OECD national tables; "
        "beside it, Japan's OECD figure and the MIC-based competitive result for the same year."
    )
    figure = figures.oecd_import_content(frame)
    if figure is not None:
        section.figures["oecd_import_content"] = figure
    section.tables["oecd_import_content"] = frame
    check = "marts.rpt_oecd_import_content_japan_check"
    if wh.has(check):
        section.tables["oecd_japan_cross_check"] = wh.frame(f"select * from {check}")
    return section


def section_ai_metal_tonnes(wh: Warehouse) -> Section:
    """Tonnes of goods and of each metal behind a million yen of each AI sector's final demand."""
    section = Section("Tonnes of metal per million yen of AI-related demand", anchor="ai-metal-tonnes")
    table = "marts.rpt_ai_sector_metal_tonnes"
    if not wh.has(table):
        section.missing = f"{table} was not built."
        return section
    section.text = (
        "Table 1's induced imports of each HS item (or of an IO group the BACI release leaves whole) turned into "
        "tonnes of goods at a BACI unit value: Japan's imports of the item, else its flows between all loaded "
        "countries, in the build's release; where that release has none (the real default release holds raw "
        "materials only), the same in the folder's other release, for unit values only (a group takes its items' "
        "unit value together; its yen stay unsplit). The exchange rate is the unit value's year's (parameters "
        "io_jpy_per_usd, 2015: 121.04 yen per dollar, and io_jpy_per_usd_other_years, 2021: 109.75; World Bank "
        "WDI PA.NUS.FCRF). Tonnes of goods become tonnes of each metal by the item's mass shares: the "
        "metal-content table; for metals imported as such the HS legal notes' least content up to pure metal; "
        "else the device bills of materials of Babbitt et al. 2020, whose circuit boards and Li-ion batteries "
        "hold cited compositions (boards: Cu, Fe, Al, Pb, Ni, Zn, Pd, Cr over nine reports; batteries: Co, Li, "
        "Ni, Fe), band = min-max over device models and sources. Steel counts as iron. What has no unit value "
        "stays in yen, in the second table; items without a mass share add goods tonnes only (lower bounds)."
    )
    metals = wh.frame(
        f"select sector_key, metal_symbol, metal_group, metal_t_per_myen_low, metal_t_per_myen, "
        f"metal_t_per_myen_high, n_items, share_sources from {table} order by sector_key, metal_symbol"
    )
    section.tables["ai_metal_tonnes"] = Table(metals, "Metal tonnes per million yen of final demand")
    unconverted = "marts.rpt_ai_sector_tonnes_unconverted"
    if wh.has(unconverted):
        section.tables["ai_tonnes_unconverted"] = Table(
            wh.frame(
                "select sector_key, induced_import_myen_per_myen, metal_tonnes_myen_per_myen, "
                "goods_tonnes_only_myen_per_myen, unconverted_myen_per_myen, "
                "other_release_unit_value_myen_per_myen, goods_t_per_myen, n_items, "
                f"n_items_unconverted from {unconverted} order by sector_key"
            ),
            "How far each sector's induced imports were converted (million yen per million yen)",
        )
    items = "marts.rpt_ai_sector_item_tonnes"
    if wh.has(items):
        section.tables["ai_item_tonnes"] = Table(
            wh.frame(
                "select sector_key, hs6, description, induced_import_myen_per_myen, unit_value_kusd_per_t, "
                "unit_value_basis, unit_value_release, unit_value_year, jpy_per_usd, goods_t_per_myen, "
                "metals_with_shares, conversion_status "
                f"from {items} order by sector_key, induced_import_myen_per_myen desc"
            ),
            "Items in tonnes (every row in the CSV)",
            shown=15,
        )
    return section


def section_ai_demand_pathways(wh: Warehouse) -> Section:
    """AI-demand pathways to 2050: final demand, induced imports and metal tonnes per year and pathway."""
    section = Section("AI-demand pathways to 2050", anchor="ai-demand-pathways")
    table = "marts.rpt_ai_demand_pathway_metal_tonnes"
    if not wh.has(table):
        section.missing = f"{table} was not built."
        return section
    section.text = (
        "Final demand for the three AI sectors from the IO table's own final demand, grown as a constant share of "
        "Japan's GDP in each Figure 2 pathway (gdp_share), by the growth rate ai_demand_growth_rate "
        "(growth_multiplier), or by a user's IAMC rows 'AI Demand|<sector>' (iamc); the linear model scales the "
        "per-million-yen results. Last, the AI-demand imports of an item as a share of Figure 2's projected world "
        "trade in it."
    )
    section.tables["ai_demand_metal_tonnes_2050"] = Table(
        wh.frame(
            "select pathway, metal_symbol, year, sum(final_demand_myen) as final_demand_myen, "
            "sum(metal_t_low) as metal_t_low, sum(metal_t) as metal_t, sum(metal_t_high) as metal_t_high "
            f"from {table} where year in (2030, 2050) group by pathway, metal_symbol, year "
            "order by pathway, metal_symbol, year"
        ),
        "Metal tonnes, three sectors summed, 2030 and 2050",
    )
    pathways = "marts.rpt_ai_demand_pathways"
    if wh.has(pathways):
        section.tables["ai_demand_pathways"] = Table(
            wh.frame(
                "select pathway, sector_key, year, final_demand_myen, induced_import_myen, unconverted_import_myen, "
                f"goods_t from {pathways} order by pathway, sector_key, year"
            ),
            "Final demand and induced imports per sector (every year in the CSV)",
            shown=12,
        )
    trade = "marts.rpt_ai_demand_vs_world_trade"
    if wh.has(trade):
        section.tables["ai_demand_vs_world_trade"] = Table(
            wh.frame(
                "select pathway, trade_scenario, hs6, year, ai_goods_t, world_trade_t, share_of_world_trade "
                f"from {trade} where year = 2050 order by pathway, trade_scenario, hs6"
            ),
            "2050: AI-demand imports beside Figure 2's projected world trade of the same item",
        )
    return section
