"""The results report: one self-contained HTML page from the published warehouse, laid out as a paper's appendix.

Figures are also written as PNG and SVG, every table in full as CSV beside the page (``tables/``); the page
shows long tables summarised, with a link to their CSV.

One function per section, each taking the warehouse and returning a :class:`Section`: Table 1 in the
programme's layout (per sector: rank, induced imports per million yen, HS92 code, product, metals), Figure 1,
Figure 2, the programme's numbers beside ours, the metal flags' coverage, the
import content of AI-related demand across the OECD tables, trade cleaning, data quality, inputs and provenance. The
banner above them (:func:`coverage_banner`) names every thin or missing input and what it affects. A section
whose marts are absent says so instead of failing, so a partial real build still reports what it has. To add
a section, write a ``section_…`` function and list it in :data:`SECTIONS`.
"""

import base64
import dataclasses
import datetime as dt
import html
import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from orchestration import figures

# Table 1's valuation: the MIC 2015 input-output table of Japan is at producer prices, and induced imports
# per unit of final demand are yen per yen, the same number as million yen per million yen.
VALUATION = "million yen of imports per million yen of final demand, producer prices of the 2015 IO table"
# What Table 1's import_valuation (the io_import_valuation parameter) means.
VALUATIONS = {
    "total": "as the IO table's import column adds up: CIF plus customs duties and consumption tax on imports",
    "cif": "at CIF (the IO table's customs duties and consumption tax on imports taken out)",
}

# Human column labels (with units) for every column the report shows; the CSVs keep the warehouse's names.
# A column without one is shown with its name in words (label()), never as snake_case.
LABELS = {
    # metal flags (rpt_hs6_metal_flag_coverage)
    "n_item_metal_pairs": "Item-metal pairs",
    "n_contains": "Contains",
    "n_does_not_contain": "Does not contain",
    "n_unknown": "Unknown",
    "share_unknown": "Share unknown (0-1)",
    "n_items_containing": "Items containing the metal",
    # OECD import content (rpt_oecd_import_content, rpt_oecd_import_content_japan_check)
    "country_iso3": "Country (ISO3)",
    "year": "Year",
    "industry": "OECD industry",
    "import_content_usd_per_usd": "Import content (USD per USD of final demand)",
    "intermediate_import_content_usd_per_usd": "Of which through imported inputs (USD per USD)",
    "imported_final_demand_share": "Imported share of final use (0-1)",
    "rank_in_year": "Rank in year (1 = highest)",
    "n_countries_in_year": "Countries in year",
    "is_japan": "Japan",
    "table_id": "IO table",
    "oecd_industry": "OECD industry",
    "mic_import_content_total_yen_per_yen": "MIC competitive model, total valuation (yen per yen)",
    "mic_import_content_cif_yen_per_yen": "MIC competitive model, CIF (yen per yen)",
    "oecd_import_content_usd_per_usd": "OECD non-competitive model (USD per USD)",
    "oecd_imported_final_demand_share": "OECD imported share of final use (0-1)",
    "oecd_minus_mic_cif": "OECD minus MIC at CIF (per unit of final demand)",
    "import_valuation": "Import valuation",
    "candidate_hs6": "Candidate HS92 items",
    "split_note": "Why not split",
    "rank": "Rank",
    "hs6": "HS92 code",
    "description": "Product",
    "metals_contained": "Metals contained",
    "induced_import_yen_per_yen": "Induced imports (million yen per million yen)",
    "share_of_induced_imports": "Share of the sector's induced imports",
    "share_basis": "Split of the IO sector by",
    "sector_name_en": "Sector",
    "sector_key": "Sector",
    "metal_symbol": "Metal",
    "metal_group": "Metal group",
    "n_hs_items": "HS items containing it",
    "largest_hs6": "Largest item (HS92)",
    "level": "Level",
    "group_name": "Group",
    "source": "Metal route",
    "goal": "SDG goal (0 = all)",
    "n_tests": "Tests",
    "n_series": "Metal series",
    "n_deteriorating_raw": "Deteriorating (p < 0.05)",
    "n_deteriorating_bh": "Deteriorating (Benjamini–Hochberg)",
    "n_deteriorating_holm": "Deteriorating (Holm)",
    "n_improving_raw": "Improving (p < 0.05)",
    "per_series_deteriorating_raw": "Deteriorating per metal series (p < 0.05)",
    "scenario": "Pathway",
    "pathway_class": "Pathway class",
    "product": "Product",
    "skill": "Backtest skill vs naive (1 − error ratio)",
    "beats_naive": "Beats naive forecasts",
    "alpha": "Ridge penalty",
    "n_years": "Years fitted",
    "first_year": "First year",
    "last_year": "Last year",
    "mean_weight_t": "Mean world weight (t)",
    "weight_2050_kt": "2050 world weight (kt)",
    "lower_2050_kt": "2050 lower band (kt)",
    "upper_2050_kt": "2050 upper band (kt)",
    "n_clipped": "Years clipped to 0",
    "n_extrapolated": "Years outside observed regressors",
    "downscaling_method": "How country pathways were derived",
    "flows": "Flows (series-years)",
    "flagged": "Flagged and replaced",
    "flagged_pct": "Flagged (%)",
    "reported_in": "Reported in",
    "item": "Item",
    "reported_value": "Programme",
    "our_value": "This build",
    "our_rank": "Our rank",
    "unit": "Unit",
    "our_note": "What ours rests on",
    "inputs": "Inputs (status)",
    "citation": "Where the programme states it",
    "analysis": "Analysis",
    "raw_table": "Input table",
    "source_name": "Source",
    "status": "Status",
    "n_files": "Files",
    "n_rows": "Rows",
    "n_countries": "Countries",
    "release": "Release",
    "file_name": "File",
    "sha256_16": "sha256 (first 16)",
    "source_kind": "Kind",
    "suite": "Suite",
    "success": "Passed",
    "layer": "Layer",
    "evaluated": "Expectations evaluated",
    "failed": "Expectations failed",
    "correction": "Correction",
    "observed_n_deteriorating": "Deteriorating (observed)",
    "n_permutations": "Permutations",
    "null_mean_n_deteriorating": "Deteriorating by chance (mean)",
    "null_p95_n_deteriorating": "Deteriorating by chance (95th percentile)",
    "empirical_p": "Permutation p",
    "cleaning_rule": "Rule",
    "threshold_k": "Threshold k",
    "window_years": "Window (years)",
    "cleaning_scale": "Scale",
    "is_active_rule": "Rule of this build",
    "n_flows": "Flows",
    "n_points_tested": "Points tested",
    "n_points_flagged": "Points flagged",
    "goods_t_per_myen": "Goods (t per million yen)",
    "unit_value_kusd_per_t": "Unit value (thousand USD per t)",
    "unit_value_basis": "Unit value from",
    "unit_value_year": "Unit value year",
    "unit_value_release": "Unit value BACI release",
    "jpy_per_usd": "Yen per USD",
    "other_release_unit_value_myen_per_myen": "Of which at another release's unit value",
    "conversion_status": "Converted to",
    "metals_with_shares": "Metals with mass shares",
    "metal_t_per_myen_low": "Low (t per million yen)",
    "metal_t_per_myen": "Central (t per million yen)",
    "metal_t_per_myen_high": "High (t per million yen)",
    "share_sources": "Mass shares from",
    "n_items": "HS items",
    "induced_import_myen_per_myen": "Induced imports (million yen per million yen)",
    "metal_tonnes_myen_per_myen": "Of which to metal tonnes",
    "goods_tonnes_only_myen_per_myen": "Of which to goods tonnes only",
    "unconverted_myen_per_myen": "Of which unconverted (yen)",
    "n_items_unconverted": "Items unconverted",
    "pathway": "AI-demand pathway",
    "final_demand_myen": "Final demand (million yen)",
    "induced_import_myen": "Induced imports (million yen)",
    "unconverted_import_myen": "Of which unconverted (million yen)",
    "goods_t": "Goods (t)",
    "metal_t_low": "Metal low (t)",
    "metal_t": "Metal central (t)",
    "metal_t_high": "Metal high (t)",
    "trade_scenario": "Figure 2 pathway",
    "ai_goods_t": "AI-demand imports (t)",
    "world_trade_t": "Projected world trade (t)",
    "share_of_world_trade": "Share of world trade",
    "share_points_flagged": "Share flagged",
    "n_series_flagged": "Series with a flag",
    "measure": "Measure",
    "programme_value": "Programme",
    "programme_label": "Programme (metal)",
    "ours_raw": "Ours (p < 0.05)",
    "ours_bh": "Ours (Benjamini–Hochberg)",
    "ours_holm": "Ours (Holm)",
    "ours_raw_label": "Ours (metal, p < 0.05)",
    "null_mean_raw": "Chance alone (permutation mean)",
}


def label(column: str) -> str:
    """Return the column's human label: :data:`LABELS`, else its name in words (``n_`` read as "number of")."""
    if column in LABELS:
        return LABELS[column]
    words = column.removeprefix("n_").replace("_", " ")
    return ("Number of " if column.startswith("n_") else "") + (words[:1].upper() + words[1:])


# Table 1's sectors in the order of the programme's table.
PROGRAMME_SECTOR_ORDER = ["computers", "robots", "pcs"]

# Columns of marts.rpt_sdg_figure1_vs_programme the comparison section shows when that mart is built.
FIGURE1_VS_PROGRAMME = [
    "measure",
    "programme_value",
    "programme_label",
    "ours_raw",
    "ours_bh",
    "ours_holm",
    "ours_raw_label",
    "null_mean_raw",
    "inputs",
]

# What each analysis of rpt_input_coverage feeds in this report.
AFFECTS = {
    "io": "Table 1",
    "sdg_panel": "Figure 1",
    "scenarios": "Figure 2",
    "trade": "the trade cleaning",
}


@dataclasses.dataclass
class Table:
    """A table of the report: every row goes to its CSV; the page shows the first ``shown`` rows."""

    frame: pd.DataFrame
    caption: str = ""
    shown: int = 25


@dataclasses.dataclass
class Section:
    """One part of the report: a heading, text, figures (name → figure) and tables (name → Table or frame)."""

    title: str
    text: str = ""
    figures: dict = dataclasses.field(default_factory=dict)
    tables: dict = dataclasses.field(default_factory=dict)
    missing: str = ""
    anchor: str = ""


class Warehouse:
    """Read-only access to the published warehouse for the report."""

    def __init__(self, path: Path):
        from warehouse.config import connect_published

        self.con = connect_published(path)
        self.tables = {
            f"{schema}.{name}"
            for schema, name in self.con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        } | {
            f"{schema}.{name}"
            for schema, name in self.con.execute("select schema_name, view_name from duckdb_views()").fetchall()
        }

    def has(self, *tables: str) -> bool:
        """Return whether every ``schema.table`` exists."""
        return all(t in self.tables for t in tables)

    def frame(self, sql: str) -> pd.DataFrame:
        """Run a query and return a DataFrame."""
        return self.con.execute(sql).df()

    def columns(self, table: str) -> list[str]:
        """Return the column names of ``schema.table``."""
        schema, name = table.split(".")
        return [
            r[0]
            for r in self.con.execute(
                "select column_name from duckdb_columns() where schema_name = ? and table_name = ? "
                "order by column_index",
                [schema, name],
            ).fetchall()
        ]

    def parameters(self) -> dict:
        """Return the parameters the warehouse was built with (``marts.build_info``), else the declared ones."""
        from warehouse.params import declared

        if "parameters" in self.columns("marts.build_info"):
            recorded = self.con.execute("select parameters from marts.build_info").fetchone()
            if recorded and recorded[0]:
                return {**declared(), **json.loads(recorded[0])}
        return dict(declared())

    def close(self) -> None:
        """Close the connection."""
        self.con.close()


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------------ banner
# Names of rpt_output_coverage's outputs as the report calls them.
OUTPUT_NAMES = {"table1": "Table 1", "figure1": "Figure 1", "figure2": "Figure 2", "trade_cleaning": "Trade cleaning"}


def coverage_banner(wh: Warehouse) -> list[str]:
    """Name every thin (partial) or missing input and what it affects, from ``marts.rpt_input_coverage``.

    Returns
    -------
    list[str]
        One plain-text line per input (and one for Table 1's year note when Table 1 does not use the IO
        table's year); empty when every input is real and complete.
    """
    lines = []
    if not wh.has("marts.rpt_input_coverage"):
        return ["marts.rpt_input_coverage was not built: what the results rest on is unknown."]
    thin = wh.frame(
        "select raw_table, any_value(source_name) as source_name, any_value(status) as status, "
        "any_value(n_countries) as n_countries, any_value(n_years) as n_years, any_value(first_year) as first_year, "
        "any_value(last_year) as last_year, list(distinct analysis order by analysis) as analyses "
        "from marts.rpt_input_coverage where status in ('partial', 'missing') group by raw_table order by raw_table"
    )
    order = list(AFFECTS)
    for row in thin.itertuples():
        analyses = sorted(row.analyses, key=lambda a: order.index(a) if a in order else len(order))
        affects = ", ".join(AFFECTS.get(a, a) for a in analyses)
        if row.status == "missing":
            covers = "missing (no file among the inputs)"
        else:
            # rpt_input_coverage counts BACI flows' distinct exporters as its countries
            who = "exporters" if row.raw_table == "baci_flows" else "countries"
            span = (
                f" ({row.first_year})"
                if row.first_year == row.last_year
                else (f" ({row.first_year}–{row.last_year})" if pd.notna(row.first_year) else "")
            )
            covers = f"partial: {int(row.n_countries)} {who}, {int(row.n_years)} year{'s' * (row.n_years != 1)}{span}"
        lines.append(f"{row.source_name} ({row.raw_table}) is {covers}; affects {affects}.")
    if wh.has("marts.rpt_ai_sector_import_dependence"):
        notes = wh.frame(
            "select distinct year_note from marts.rpt_ai_sector_import_dependence "
            "where year_note is not null and year_note != 'table year' order by 1"
        )["year_note"]
        lines += [f"Table 1: {note}." for note in notes]
    if wh.has("marts.rpt_output_coverage"):
        # what each output rests on (rpt_output_coverage): every output that is partial or empty, with why;
        # outputs of one kind (figure2:<hs6>) with the same status and reason on one line
        weak = wh.frame(
            "select split_part(output_name, ':', 1) as output, status, reason, "
            "string_agg(nullif(split_part(output_name, ':', 2), ''), ', ' order by output_name) as parts "
            "from marts.rpt_output_coverage where status in ('partial', 'empty') group by all order by output, status"
        )
        for row in weak.itertuples():
            name = OUTPUT_NAMES.get(row.output, row.output)
            parts = f" ({row.parts})" if isinstance(row.parts, str) and row.parts else ""
            lines.append(f"{name}{parts} is {row.status}: {row.reason}.")
    if wh.has("marts.fct_trade_projections") and not len(wh.frame("select 1 from marts.fct_trade_projections limit 1")):
        lines.append("Figure 2: no projections (no commodity has enough years of trade to fit).")
    return lines


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


def section_figure1(wh: Warehouse) -> Section:
    """Figure 1: SDG indicators that deteriorate as metal input rises, in the programme's three panels."""
    section = Section("Figure 1 — SDG indicators that deteriorate as metal input rises", anchor="figure1")
    table = "marts.rpt_sdg_deterioration_counts"
    if not wh.has(table):
        section.missing = f"{table} was not built."
        return section
    frame = wh.frame(f"select * from {table} order by level, group_name, source, goal")
    section.text = (
        "Counts of indicators whose coefficient on log metal input (country fixed effects, controls, "
        "country-clustered errors) is significant at p < 0.05 and points away from the indicator's better "
        "direction: (a) by SDG goal, mined vs imported metal input; (b) base vs critical metals; (c) per metal. "
        "Counts after Benjamini–Hochberg and Holm corrections are in the table and its CSV."
    )
    figure = figures.sdg_deterioration(frame)
    if figure is not None:
        section.figures["figure1_sdg_deterioration"] = figure
    totals = frame[frame["goal"] == 0][
        [
            "level",
            "group_name",
            "source",
            "n_series",
            "n_tests",
            "n_deteriorating_raw",
            "n_deteriorating_bh",
            "n_deteriorating_holm",
            "per_series_deteriorating_raw",
        ]
    ]
    section.tables["figure1_sdg_deterioration_counts"] = Table(
        frame, caption=f"Every count by level, group, route and goal ({len(frame):,} rows)", shown=0
    )
    section.tables["figure1_totals"] = Table(totals, caption="All goals together (goal 0)", shown=40)
    if wh.has("marts.rpt_sdg_permutation_summary"):
        section.tables["sdg_permutation_summary"] = Table(
            wh.frame("select * from marts.rpt_sdg_permutation_summary"),
            caption="Permutation null: how many deteriorations chance alone gives",
            shown=10,
        )
    return section


def section_figure2(wh: Warehouse) -> Section:
    """Figure 2: world trade weight of the key AI-related imports to 2050 by pathway, panels named by product."""
    section = Section("Figure 2 — world trade of key AI-related imports to 2050, by emission pathway", anchor="figure2")
    table = "marts.fct_trade_projections"
    if not wh.has(table, "marts.fct_trade_model_fit"):
        section.missing = f"{table} was not built."
        return section
    frame = wh.frame(f"select * from {table}")
    fit = wh.frame("select * from marts.fct_trade_model_fit")
    if frame.empty or fit.empty:
        section.missing = "no commodity had enough years of trade to fit a model (fct_trade_projections is empty)."
        return section
    names = (
        wh.frame("select hs6, description from marts.dim_product").set_index("hs6")["description"].to_dict()
        if wh.has("marts.dim_product")
        else {}
    )
    used = wh.parameters()
    train_end, test_end = used["scenario_backtest_train_end"], used["scenario_backtest_test_end"]
    n_clipped, n_extra = int(frame["is_clipped"].sum()), int(frame["is_extrapolation"].sum())
    section.text = (
        "Ridge models of each commodity's world trade weight (kilotonnes) on GHG, GHG/GDP and GHG/population, "
        f"projected under the pathways, with the residual bootstrap's band. Commodities whose model does not beat "
        f"the naive forecasts in the {int(fit['first_year'].min())}–{train_end} → {train_end + 1}–{test_end} "
        f"backtest are marked. Of {len(frame):,} projected points, {n_extra:,} lie outside the observed range of "
        f"the regressors (×) and {n_clipped:,} fell below zero and were clipped to 0 (▼ on the axis)."
    )
    history = (
        wh.frame(
            "select hs6, year, quantity_t as weight_t from marts.rpt_trade_by_commodity "
            "where hs6 in (select distinct hs6 from marts.fct_trade_projections)"
        )
        if wh.has("marts.rpt_trade_by_commodity")
        else None
    )
    figure = figures.trade_projections(frame, fit, history, names)
    if figure is not None:
        section.figures["figure2_trade_projections"] = figure
    end = frame[frame["year"] == frame["year"].max()]
    summary = (
        end.groupby(["hs6", "scenario", "pathway_class"], as_index=False)
        .agg(weight_2050_kt=("weight_t", "sum"), lower_2050_kt=("lower_t", "sum"), upper_2050_kt=("upper_t", "sum"))
        .merge(
            frame.groupby(["hs6", "scenario"], as_index=False).agg(
                n_clipped=("is_clipped", "sum"), n_extrapolated=("is_extrapolation", "sum")
            ),
            on=["hs6", "scenario"],
        )
    )
    for column in ("weight_2050_kt", "lower_2050_kt", "upper_2050_kt"):
        summary[column] = summary[column] / 1e3
    summary.insert(1, "product", summary["hs6"].map(names))
    section.tables["figure2_2050"] = Table(summary, caption="Projected world weight in the last year", shown=40)
    fitted = fit[["hs6", "n_years", "first_year", "last_year", "alpha", "skill", "beats_naive"]].copy()
    fitted.insert(1, "product", fitted["hs6"].map(names))
    section.tables["trade_model_fit"] = Table(fitted, caption="The fitted models and their backtest", shown=20)
    section.tables["figure2_trade_projections"] = Table(
        frame, caption=f"Every projected point ({len(frame):,} rows)", shown=0
    )
    methods = frame[["scenario", "downscaling_method"]].drop_duplicates().sort_values("scenario")
    section.tables["figure2_pathways"] = Table(methods, caption="How the pathways' country values were derived")
    return section


def section_programme_comparison(wh: Warehouse) -> Section:
    """Set the programme's reported numbers beside this build's, with the inputs each rests on."""
    section = Section("The programme's numbers beside ours", anchor="comparison")
    table = "marts.rpt_programme_comparison"
    if not wh.has(table):
        section.missing = f"{table} was not built."
        return section
    frame = wh.frame(
        f"select * from {table} order by reported_in like 'Figure%', reported_in, sector_key, programme_rank, number_id"
    )
    section.text = (
        "Each number the programme's final report states for Table 1 and Figure 1, beside the same quantity in "
        "this build. Table 1: the same HS92 item in the same sector (million yen per million yen of final "
        "demand). Figure 1: (a) and (b) as deteriorating indicators per metal series, (c) as counts, all goals. "
        "Where the inputs are demo, partial or missing, the numbers cannot agree: the inputs column says which."
    )
    item = frame["hs6"].where(
        frame["hs6"].notna(), frame["group_name"].astype(str) + " · " + frame["source"].astype(str)
    )
    sector = frame["sector_key"].fillna("")
    shown = pd.DataFrame(
        {
            "reported_in": frame["reported_in"]
            + frame["programme_rank"].map(lambda r: f", rank {r}" if pd.notna(r) else ""),
            "item": (sector + " " + item).str.strip(),
            "reported_value": frame["reported_value"],
            "our_value": frame["our_value"],
            "unit": frame["unit"],
            "our_note": frame["our_note"],
            "inputs": frame["inputs"].map(_thin_inputs),
        }
    )
    # the SDG engineers' Figure 1 mart, where built, compares Figure 1 more fully (corrections, the
    # permutation null, the metal with the widest impact): it replaces this mart's Figure 1 rows on the page
    figure1 = "marts.rpt_sdg_figure1_vs_programme"
    if wh.has(figure1):
        present = set(wh.columns(figure1))
        wanted = [c for c in FIGURE1_VS_PROGRAMME if c in present]
        shown = shown[~frame["reported_in"].str.startswith("Figure 1")]
        section.tables["figure1_vs_programme"] = Table(
            wh.frame(f"select {', '.join(wanted)} from {figure1}"),
            caption=f"Figure 1: the programme's numbers beside ours ({figure1})",
            shown=20,
        )
    section.tables["programme_comparison"] = Table(shown, caption="Programme vs this build", shown=40)
    section.tables["programme_comparison_sources"] = Table(
        frame[["number_id", "citation"]], caption="Where the programme states each number", shown=0
    )
    return section


def _thin_inputs(inputs: str) -> str:
    """Shorten an ``inputs`` list of the comparison mart to the inputs that are not real (the rest are)."""
    items = [item for item in str(inputs).split("; ") if not item.endswith(": real")]
    n_real = len(str(inputs).split("; ")) - len(items)
    return "; ".join(items) + (f"; {n_real} more: real" if items and n_real else ("all real" if not items else ""))


def section_trade_cleaning(wh: Warehouse) -> Section:
    """Summarise trade cleaning: points flagged and replaced, and the rule comparison."""
    section = Section("Trade cleaning — BACI weights", anchor="cleaning")
    if not wh.has("marts.fct_trade_flows"):
        section.missing = "marts.fct_trade_flows was not built."
        return section
    summary = wh.frame(
        "select count(*) as flows, sum(is_outlier::int) as flagged, "
        "round(100.0 * sum(is_outlier::int) / count(*), 3) as flagged_pct from marts.fct_trade_flows"
    )
    section.tables["trade_cleaning_summary"] = Table(summary, caption="Points flagged and replaced")
    if wh.has("marts.rpt_trade_cleaning_rule_comparison"):
        section.tables["trade_cleaning_rule_comparison"] = Table(
            wh.frame("select * from marts.rpt_trade_cleaning_rule_comparison"), caption="The three rules compared"
        )
    section.text = (
        "Each (HS6, exporter, importer) series of weights: years far from the moving average are flagged and "
        "replaced by linear interpolation; every change is in marts.fct_trade_cleaning_audit."
    )
    return section


def section_quality(wh: Warehouse, published: Path) -> Section:
    """Summarise data quality: the Great Expectations suites of this build."""
    from expectations.data_docs import collect

    section = Section("Data quality — Great Expectations suites of this build", anchor="quality")
    results = published.parent / "data_docs"
    rows = collect(results) if results.is_dir() else []
    if not rows:
        section.missing = f"no Great Expectations results beside {published}."
        return section
    frame = pd.DataFrame(rows).drop(columns=["page"])
    section.tables["data_quality_suites"] = Table(frame, caption="Suites", shown=15)
    section.text = f"{int(frame['success'].sum())} of {len(frame)} suites passed. Data Docs: {results / 'index.html'}"
    return section


def section_coverage(wh: Warehouse) -> Section:
    """Input coverage and provenance: which results rest on real data."""
    section = Section("Inputs — which results rest on real, partial, demo or missing data", anchor="inputs")
    if not wh.has("marts.rpt_input_coverage"):
        section.missing = "marts.rpt_input_coverage was not built."
        return section
    coverage = wh.frame(
        "select analysis, raw_table, source_name, status, n_files, n_rows, n_countries, first_year, last_year "
        "from marts.rpt_input_coverage order by analysis, raw_table"
    )
    section.tables["input_coverage"] = Table(coverage, caption="Per analysis, each input and its status", shown=40)
    if wh.has("marts.dim_source"):
        section.tables["sources"] = Table(
            wh.frame(
                "select raw_table, source_name, release, file_name, substr(sha256, 1, 16) as sha256_16, n_rows, "
                "source_kind from marts.dim_source order by raw_table, file_name"
            ),
            caption="Every file behind the warehouse",
            shown=15,
        )
    return section


SECTIONS: list[Callable] = [
    section_table1,
    section_figure1,
    section_figure2,
    section_programme_comparison,
    section_metal_flags,
    section_ai_metal_tonnes,
    section_ai_demand_pathways,
    section_oecd_import_content,
    section_trade_cleaning,
]


# ------------------------------------------------------------------------------------------------ page
def _cell(value) -> str:
    """Format one value: integers and large numbers with thousands separators, the rest to 4 significant digits."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if pd.isna(value):
            return ""
        if float(value).is_integer() or abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return html.escape(str(value))


def _table_html(name: str, table: Table) -> str:
    """Render a captioned table with human labels, its first ``shown`` rows and a link to its full CSV."""
    frame = table.frame
    link = f"<a href='tables/{html.escape(name)}.csv'>tables/{html.escape(name)}.csv</a>"
    caption = html.escape(table.caption or name)
    if table.shown == 0:
        return f"<p class='csv'>{caption}: {len(frame):,} rows in {link}.</p>"
    shown = frame.head(table.shown)
    head = "".join(f"<th>{html.escape(label(str(c)))}</th>" for c in shown.columns)
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) for c in shown.columns]
    body = "".join(
        "<tr>"
        + "".join(f"<td class='{'num' if n else 'txt'}'>{_cell(v)}</td>" for v, n in zip(row, numeric, strict=True))
        + "</tr>"
        for row in shown.itertuples(index=False)
    )
    more = f"first {len(shown)} of {len(frame):,} rows; every row in {link}" if len(frame) > len(shown) else link
    return (
        f"<div class='table' id='{html.escape(name)}'><table class='data'><caption>{caption}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table><p class='note'>{more}</p></div>"
    )


STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; margin: 1.5em auto; max-width: 1180px; padding: 0 16px;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 2em; }
nav a { margin-right: 1em; }
div.table { max-width: 100%; overflow-x: auto; }
table.data { border-collapse: collapse; font-size: 12.5px; margin: 0.6em 0 0.2em; font-family: sans-serif; }
table.data caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
table.data td, table.data th { padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
table.data th { border-bottom: 2px solid #888; text-align: left; }
table.data td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.data td.txt { max-width: 34em; overflow-wrap: anywhere; }
figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: #444; }
.missing { color: #8a6d3b; }
.banner { padding: 8px 12px; background: #eef; border-left: 4px solid #88a; }
.banner.demo { background: #fee; border-left-color: #c66; } .banner ul { margin: 0.3em 0; }
.note, .csv { font-size: 11.5px; color: #555; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; } nav { display: none; }
  h2 { break-after: avoid; } figure, table.data { break-inside: avoid; }
  div.table { overflow: visible; } table.data { font-size: 8pt; } table.data td.txt { max-width: 24em; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 14mm; }
}
"""


def _banner_html(kind: str, lines: list[str]) -> str:
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    listed = f"<ul>{items}</ul>" if items else ""
    if kind == "demo":
        return (
            "<div class='banner demo' id='banner'><p>Built from the synthetic demo world: numbers illustrate the "
            f"machinery, not the real economy.</p>{listed}</div>"
        )
    head = (
        "Built from real inputs. Thin or missing inputs, and what they affect:"
        if items
        else "Built from real inputs, every one complete."
    )
    return f"<div class='banner' id='banner'><p>{head}</p>{listed}</div>"


def _section_html(section: Section, out_dir: Path, plt) -> str:
    parts = [f"<section id='{section.anchor}'><h2>{html.escape(section.title)}</h2>"]
    if section.missing:
        return parts[0] + f"<p class='missing'>Not available: {html.escape(section.missing)}</p></section>"
    if section.text:
        parts.append(f"<p>{html.escape(section.text)}</p>")
    tables = {name: t if isinstance(t, Table) else Table(t) for name, t in section.tables.items()}
    # Table 1 reads as the programme's: its per-sector tables come before the figure
    first = {n: t for n, t in tables.items() if n.startswith("table1_") and t.shown}
    for name, table in first.items():
        parts.append(_table_html(name, table))
    for name, figure in section.figures.items():
        png = _png(figure)
        (out_dir / "figures" / f"{name}.png").write_bytes(png)
        (out_dir / "figures" / f"{name}.svg").write_bytes(_svg(figure))
        plt.close(figure)
        encoded = base64.b64encode(png).decode()
        parts.append(
            f"<figure id='{name}'><img alt='{name}' src='data:image/png;base64,{encoded}'>"
            f"<figcaption>{section.title.split(' — ')[0]} (<a href='figures/{name}.svg'>SVG</a>, "
            f"<a href='figures/{name}.png'>PNG</a>)</figcaption></figure>"
        )
    for name, table in tables.items():
        table.frame.to_csv(out_dir / "tables" / f"{name}.csv", index=False)
        if name not in first:
            parts.append(_table_html(name, table))
    parts.append("</section>")
    return "".join(parts)


def build_report(published: Path, out_dir: Path) -> Path:
    """Write ``out_dir/report.html`` (self-contained), ``figures/*.png|svg`` and ``tables/*.csv``.

    Returns
    -------
    Path
        The HTML report.
    """
    plt = figures.pyplot()

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "figures").mkdir(exist_ok=True)
    (out_dir / "tables").mkdir(exist_ok=True)
    wh = Warehouse(published)
    try:
        sections = [make(wh) for make in SECTIONS]
        sections += [section_quality(wh, published), section_coverage(wh)]
        banner = coverage_banner(wh)
        info = wh.frame("select * from marts.build_info") if wh.has("marts.build_info") else pd.DataFrame()
    finally:
        wh.close()
    kind = str(info["source_kind"].iloc[0]) if not info.empty else "unknown"
    body = "".join(_section_html(section, out_dir, plt) for section in sections)
    nav = "".join(f"<a href='#{s.anchor}'>{html.escape(s.title.split(' — ')[0])}</a>" for s in sections)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>metalnexus report</title><style>{STYLE}</style></head><body>
<h1>metalnexus — critical metals behind AI-related industry</h1>
<p class='note'>Published warehouse: {html.escape(str(published))}; report written
{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; inputs: {html.escape(kind)}. Every table in full: tables/*.csv;
every figure as SVG and PNG: figures/.</p>
{_banner_html(kind, banner)}
<nav>{nav}</nav>
{body}
</body></html>
"""
    report = out_dir / "report.html"
    temporary = out_dir / "report.html.tmp"
    temporary.write_text(page)
    temporary.replace(report)
    (out_dir / "report.json").write_text(
        json.dumps(
            {"banner": banner, "sections": [{"title": s.title, "missing": s.missing} for s in sections]}, indent=1
        )
    )
    return report
