"""The results report: one self-contained HTML page from the published warehouse.

Figures are also written as PNG and SVG, tables as CSV.

Sections: Table 1 (imports and metals behind AI-related demand), Figure 1 (deteriorating SDG indicators),
Figure 2 (trade projections to 2050), the trade-cleaning summary, data quality, input coverage and
provenance. A section whose marts are absent says so instead of failing, so a partial real build still
reports what it has.
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


@dataclasses.dataclass
class Section:
    """One part of the report: a heading, text, figures (name → PNG bytes) and tables (name → frame)."""

    title: str
    text: str = ""
    figures: dict = dataclasses.field(default_factory=dict)
    tables: dict = dataclasses.field(default_factory=dict)
    missing: str = ""


class Warehouse:
    """Read-only access to the published warehouse for the report."""

    def __init__(self, path: Path):
        import duckdb

        self.con = duckdb.connect(str(path), read_only=True)
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
        import json

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


# ------------------------------------------------------------------------------------------------ sections
def section_table1(wh: Warehouse) -> Section:
    """Table 1: top imported HS items per AI-related sector, with the metals they contain."""
    section = Section("Table 1 — imports needed by AI-related final demand")
    table = "marts.rpt_ai_sector_import_dependence"
    if not wh.has(table):
        section.missing = f"{table} was not built (no IO table among the inputs?)."
        return section
    cols = wh.columns(table)
    rank = figures.first_of(cols, "rank", "import_rank")
    sector = figures.first_of(cols, "sector_name_en", "sector_key", "sector", "sector_code")
    wanted = [
        c
        for c in (
            sector,
            rank,
            "hs6",
            "description",
            "induced_import_yen_per_yen",
            "share_of_induced_imports",
            "metals_contained",
            "candidate_hs6",  # a group kept whole (no HS split in the BACI release used): its items, and why
            "split_note",
        )
        if c in cols
    ]
    order = ", ".join(c for c in (sector, rank) if c)
    listed = ", ".join(f'"{c}"' for c in wanted) if len(wanted) >= 3 else "*"
    frame = wh.frame(
        f"select {listed} from {table}"
        + (f" where {rank} <= 5" if rank else "")
        + (f" order by {order}" if order else "")
    )
    section.text = (
        "For one million yen of final demand for each sector, the imported HS92 items needed directly and "
        "through the domestic supply chain (competitive-import model), ranked by induced import value."
    )
    section.tables["table1_ai_sector_imports"] = frame
    metal = "marts.rpt_ai_sector_metal_dependence"
    if wh.has(metal):
        section.tables["ai_sector_metal_dependence"] = wh.frame(f"select * from {metal}")
        figure = figures.metal_dependence(section.tables["ai_sector_metal_dependence"])
        if figure is not None:
            section.figures["table1_metal_dependence"] = figure
    return section


def section_figure1(wh: Warehouse) -> Section:
    """Figure 1: SDG indicators that deteriorate as metal input rises."""
    section = Section("Figure 1 — SDG indicators that deteriorate as metal input rises")
    table = "marts.rpt_sdg_deterioration_counts"
    if not wh.has(table):
        section.missing = f"{table} was not built."
        return section
    frame = wh.frame(f"select * from {table}")
    section.tables["figure1_sdg_deterioration_counts"] = frame
    section.text = (
        "Counts of indicators whose coefficient on log metal input is significant and points away from the "
        "better direction (country fixed effects, controls, clustered errors), raw and after multiple-testing "
        "correction."
    )
    figure = figures.sdg_deterioration(frame)
    if figure is not None:
        section.figures["figure1_sdg_deterioration"] = figure
    if wh.has("marts.rpt_sdg_permutation_summary"):
        section.tables["sdg_permutation_summary"] = wh.frame("select * from marts.rpt_sdg_permutation_summary")
    return section


def section_figure2(wh: Warehouse) -> Section:
    """Figure 2: world trade weight of the key AI-related imports to 2050 by pathway."""
    section = Section("Figure 2 — trade of key AI-related imports to 2050, by emission pathway")
    table = "marts.fct_trade_projections"
    if not wh.has(table):
        section.missing = f"{table} was not built."
        return section
    frame = wh.frame(f"select * from {table}")
    fit = wh.frame("select * from marts.fct_trade_model_fit") if wh.has("marts.fct_trade_model_fit") else None
    section.tables["figure2_trade_projections"] = frame
    if fit is not None:
        section.tables["trade_model_fit"] = fit
    used = wh.parameters()
    train_end, test_end = used["scenario_backtest_train_end"], used["scenario_backtest_test_end"]
    first = int(fit["first_year"].min()) if fit is not None and len(fit) else "first year"
    section.text = (
        "Ridge models of each commodity's world trade weight on GHG, GHG/GDP and GHG/population, projected "
        f"under the pathways. Commodities whose model does not beat the naive forecasts in the {first}–{train_end} "
        f"→ {train_end + 1}–{test_end} backtest are marked."
    )
    history = (
        wh.frame(
            "select hs6, year, quantity_t as weight_t from marts.rpt_trade_by_commodity "
            "where hs6 in (select distinct hs6 from marts.fct_trade_projections)"
        )
        if wh.has("marts.rpt_trade_by_commodity")
        else None
    )
    figure = figures.trade_projections(frame, fit, history)
    if figure is not None:
        section.figures["figure2_trade_projections"] = figure
    return section


def section_trade_cleaning(wh: Warehouse) -> Section:
    """Summarise trade cleaning: points flagged and replaced, and the rule comparison."""
    section = Section("Trade cleaning — BACI weights")
    if not wh.has("marts.fct_trade_flows"):
        section.missing = "marts.fct_trade_flows was not built."
        return section
    summary = wh.frame(
        "select count(*) as flows, sum(is_outlier::int) as flagged, "
        "round(100.0 * sum(is_outlier::int) / count(*), 3) as flagged_pct from marts.fct_trade_flows"
    )
    section.tables["trade_cleaning_summary"] = summary
    if wh.has("marts.rpt_trade_cleaning_rule_comparison"):
        section.tables["trade_cleaning_rule_comparison"] = wh.frame(
            "select * from marts.rpt_trade_cleaning_rule_comparison"
        )
    section.text = (
        "Each (HS6, exporter, importer) series of weights: years far from the moving average are flagged and "
        "replaced by linear interpolation; every change is in marts.fct_trade_cleaning_audit."
    )
    return section


def section_quality(wh: Warehouse, published: Path) -> Section:
    """Summarise data quality: the Great Expectations suites of this build."""
    from expectations.data_docs import collect

    section = Section("Data quality — Great Expectations suites of this build")
    results = published.parent / "data_docs"
    rows = collect(results) if results.is_dir() else []
    if not rows:
        section.missing = f"no Great Expectations results beside {published}."
        return section
    frame = pd.DataFrame(rows).drop(columns=["page"])
    section.tables["data_quality_suites"] = frame
    section.text = f"{int(frame['success'].sum())} of {len(frame)} suites passed. Data Docs: {results / 'index.html'}"
    return section


def section_coverage(wh: Warehouse) -> Section:
    """Input coverage and provenance: which results rest on real data."""
    section = Section("Inputs — which results rest on real, partial, demo or missing data")
    if not wh.has("marts.rpt_input_coverage"):
        section.missing = "marts.rpt_input_coverage was not built."
        return section
    section.tables["input_coverage"] = wh.frame("select * from marts.rpt_input_coverage order by analysis, raw_table")
    if wh.has("marts.dim_source"):
        section.tables["sources"] = wh.frame(
            "select raw_table, source_name, release, file_name, substr(sha256, 1, 16) as sha256_16, n_rows, "
            "source_kind from marts.dim_source order by raw_table, file_name"
        )
    return section


SECTIONS: list[Callable] = [
    section_table1,
    section_figure1,
    section_figure2,
    section_trade_cleaning,
]


def _table_html(frame: pd.DataFrame, limit: int = 60) -> str:
    shown = frame.head(limit)
    note = f"<p class='note'>first {limit} of {len(frame)} rows; all rows in the CSV.</p>" if len(frame) > limit else ""
    return shown.to_html(index=False, border=0, classes="data", float_format=lambda v: f"{v:,.6g}") + note


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
        info = wh.frame("select * from marts.build_info") if wh.has("marts.build_info") else pd.DataFrame()
    finally:
        wh.close()
    kind = str(info["source_kind"].iloc[0]) if not info.empty else "unknown"
    body = []
    for section in sections:
        body.append(f"<section><h2>{html.escape(section.title)}</h2>")
        if section.missing:
            body.append(f"<p class='missing'>Not available: {html.escape(section.missing)}</p></section>")
            continue
        if section.text:
            body.append(f"<p>{html.escape(section.text)}</p>")
        for name, figure in section.figures.items():
            png = _png(figure)
            (out_dir / "figures" / f"{name}.png").write_bytes(png)
            (out_dir / "figures" / f"{name}.svg").write_bytes(_svg(figure))
            plt.close(figure)
            encoded = base64.b64encode(png).decode()
            body.append(f"<figure id='{name}'><img alt='{name}' src='data:image/png;base64,{encoded}'></figure>")
        for name, frame in section.tables.items():
            frame.to_csv(out_dir / "tables" / f"{name}.csv", index=False)
            body.append(f"<h3>{html.escape(name)}</h3>" + _table_html(frame))
        body.append("</section>")
    banner = (
        "<p class='banner demo'>Built from the synthetic demo world: numbers illustrate the machinery, "
        "not the real economy.</p>"
        if kind == "demo"
        else "<p class='banner'>Built from real inputs; see the coverage table for what is partial or missing.</p>"
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>metalnexus report</title>
<style>
body {{ font-family: sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }}
table.data {{ border-collapse: collapse; font-size: 12px; margin-bottom: 1em; }}
table.data td, table.data th {{ padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: right; }}
figure img {{ max-width: 100%; }}
.missing {{ color: #8a6d3b; }} .banner {{ padding: 6px 10px; background: #eef; }} .demo {{ background: #fee; }}
.note {{ font-size: 11px; color: #666; }}
</style></head><body>
<h1>metalnexus — critical metals behind AI-related industry</h1>
<p>Published warehouse: {html.escape(str(published))}; report written {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC;
inputs: {html.escape(kind)}.</p>
{banner}
{"".join(body)}
</body></html>
"""
    report = out_dir / "report.html"
    report.write_text(page)
    (out_dir / "report.json").write_text(
        json.dumps({"sections": [{"title": s.title, "missing": s.missing} for s in sections]}, indent=1)
    )
    return report
