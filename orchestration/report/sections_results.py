"""The coverage banner and the sections on the SDG panel, trade, the programme's numbers, quality and inputs."""

from pathlib import Path

import pandas as pd

from orchestration import figures
from orchestration.report.labels import AFFECTS, FIGURE1_VS_PROGRAMME
from orchestration.report.model import Section, Table, Warehouse

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
