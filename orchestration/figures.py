"""Every figure of metalnexus, drawn in one place for the build and the report alike.

The build's ``figures`` asset writes them beside the warehouse; the report (``orchestration/report/``)
embeds them. Each function takes a mart's rows (a DataFrame) and returns a matplotlib figure, or ``None``
when the mart holds nothing to draw.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def pyplot():
    """Return matplotlib.pyplot on the file-only Agg backend (imported late: it is slow to import)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def first_of(columns: list[str], *candidates: str) -> str | None:
    """Return the first of ``candidates`` that is among ``columns``."""
    for name in candidates:
        if name in columns:
            return name
    return None


def metal_dependence(frame: pd.DataFrame):
    """Table 1's companion: induced imports of goods containing each metal, by AI sector (a bar chart)."""
    plt = pyplot()

    cols = list(frame.columns)
    sector = first_of(cols, "sector_name_en", "sector_key", "sector", "sector_code")
    metal = first_of(cols, "metal", "metal_symbol")
    value = next((c for c in cols if c.startswith("induced_import")), None)
    if not (sector and metal and value) or frame.empty:
        return None
    pivot = frame.pivot_table(index=metal, columns=sector, values=value, aggfunc="sum").fillna(0.0)
    figure, axis = plt.subplots(figsize=(8, 4))
    pivot.plot.bar(ax=axis)
    axis.set_ylabel("induced imports, yen per yen" if value.endswith("_yen_per_yen") else value)
    axis.set_title("Induced imports of goods containing each metal, per yen of final demand")
    return figure


def sdg_deterioration(frame: pd.DataFrame):
    """Figure 1 as in the programme: (a) by goal, mined vs imported; (b) base vs critical; (c) per metal."""
    plt = pyplot()

    needed = {"level", "group_name", "source", "goal", "n_deteriorating_raw"}
    if frame.empty or not needed <= set(frame.columns):
        return None
    count = "n_deteriorating_raw"
    routes = frame[frame["source"].isin(["mined", "imported"])]
    by_goal = routes[(routes["level"] == "all") & (routes["goal"] > 0)].pivot_table(
        index="goal", columns="source", values=count, aggfunc="sum"
    )
    by_group = frame[(frame["level"] == "metal_group") & (frame["goal"] == 0)].pivot_table(
        index="group_name", columns="source", values=count, aggfunc="sum"
    )
    by_metal = routes[(routes["level"] == "metal") & (routes["goal"] == 0)].pivot_table(
        index="group_name", columns="source", values=count, aggfunc="sum"
    )
    figure, axes = plt.subplots(1, 3, figsize=(16, 4.2), gridspec_kw={"width_ratios": [3, 1.2, 2.4]})
    for axis, data, title in (
        (axes[0], by_goal, "(a) by SDG goal: mined vs imported"),
        (axes[1], by_group, "(b) base vs critical metals"),
        (axes[2], by_metal, "(c) per metal"),
    ):
        if data.empty:
            axis.set_visible(False)
            continue
        data.fillna(0).plot.bar(ax=axis, width=0.8)
        axis.set_title(title, fontsize=10)
        axis.set_xlabel("")
        axis.set_ylabel("deteriorating indicators (p < 0.05)", fontsize=8)
        axis.tick_params(labelsize=8)
        axis.legend(title="metal route", fontsize=7, title_fontsize=7)
    axes[0].set_xlabel("SDG goal", fontsize=8)
    figure.suptitle("SDG indicators that deteriorate as metal input rises")
    return figure


def trade_projections(
    projections: pd.DataFrame,
    fits: pd.DataFrame,
    history: pd.DataFrame | None = None,
    names: dict | None = None,
):
    """Figure 2: observed and projected world trade weight of the key commodities, one panel each.

    ``projections`` and ``fits`` are ``marts.fct_trade_projections`` and ``marts.fct_trade_model_fit``;
    ``history`` (``hs6, year, weight_t``) the observed world weight; ``names`` maps HS6 codes to product
    names for the panel titles. Bands are the residual bootstrap's; crosses mark years whose regressors lie
    outside the observed range, triangles on the axis years whose projection fell below zero and was clipped
    to 0; a commodity whose model does not beat the naive forecasts in the backtest says so.
    """
    import textwrap

    from matplotlib.lines import Line2D

    if projections.empty or fits is None or fits.empty:
        return None
    plt = pyplot()
    names = names or {}
    codes = sorted(set(projections["hs6"]) & set(fits["hs6"]))
    n_cols = 4
    n_rows = max(1, -(-len(codes) // n_cols))
    figure, axes = plt.subplots(n_rows, n_cols, figsize=(3.6 * n_cols, 3.1 * n_rows), squeeze=False)
    colours = {"2C": "tab:green", "1.5C": "tab:olive", "reference": "tab:orange", "high": "tab:red"}
    clipped_colour = "firebrick"
    for axis in axes.ravel()[len(codes) :]:
        axis.set_visible(False)
    handles: dict = {}
    for axis, hs6 in zip(axes.ravel(), codes, strict=False):
        if history is not None and len(history):
            observed = history[history["hs6"] == hs6].sort_values("year")
            (line,) = axis.plot(observed["year"], observed["weight_t"] / 1e3, color="black", lw=1.2)
            handles.setdefault("observed", line)
        for scenario, rows in projections[projections["hs6"] == hs6].groupby("scenario", sort=True):
            rows = rows.sort_values("year")
            pathway_class = rows["pathway_class"].iloc[0]
            colour = colours.get(pathway_class, "tab:blue")
            (line,) = axis.plot(rows["year"], rows["weight_t"] / 1e3, color=colour, lw=1.4)
            handles.setdefault(f"{scenario} ({pathway_class})", line)
            axis.fill_between(rows["year"], rows["lower_t"] / 1e3, rows["upper_t"] / 1e3, color=colour, alpha=0.15)
            extra = rows[rows["is_extrapolation"] & ~rows["is_clipped"]]
            axis.scatter(extra["year"], extra["weight_t"] / 1e3, s=10, color=colour, marker="x")
            clipped = rows[rows["is_clipped"]]
            axis.scatter(clipped["year"], clipped["weight_t"] / 1e3, s=22, color=clipped_colour, marker="v", zorder=3)
        fit = fits[fits["hs6"] == hs6].iloc[0]
        name = textwrap.shorten(str(names.get(hs6, "")), width=60, placeholder="…")
        title = "\n".join(textwrap.wrap(name, 34)[:2] + [f"HS{hs6}"]) if name else f"HS{hs6}"
        axis.set_title(title, fontsize=8)
        n_clipped = int(projections.loc[projections["hs6"] == hs6, "is_clipped"].sum())
        notes = []
        if not fit["beats_naive"]:
            notes.append(f"does not beat naive (skill {fit['skill']:.2f})")
        if n_clipped:
            notes.append(f"{n_clipped} points clipped to 0 (▼)")
        if notes:
            axis.text(0.02, 0.97, "\n".join(notes), transform=axis.transAxes, fontsize=6.5, color=clipped_colour,
                      va="top")  # fmt: skip
        axis.tick_params(labelsize=7)
        axis.set_ylabel("world trade weight, kt", fontsize=7)
    handles["outside observed regressors"] = Line2D([], [], color="grey", marker="x", linestyle="none")
    handles["below zero, clipped to 0"] = Line2D([], [], color=clipped_colour, marker="v", linestyle="none")
    figure.legend(list(handles.values()), list(handles.keys()), loc="lower center", ncol=min(4, len(handles)),
                  fontsize=7, frameon=False)  # fmt: skip
    figure.suptitle("World trade weight of key AI-related imports to 2050, by emission pathway (kilotonnes)",
                    fontsize=10)  # fmt: skip
    legend_rows = -(-len(handles) // 4)
    figure.tight_layout(rect=(0, 0.03 + 0.12 * legend_rows / n_rows, 1, 0.97))
    return figure


def oecd_import_content(frame: pd.DataFrame):
    """Import content of final demand for C26 (or the first industry listed) by country, latest year; Japan marked."""
    plt = pyplot()

    needed = {"country_iso3", "year", "industry", "import_content_usd_per_usd"}
    if frame.empty or not needed <= set(frame.columns):
        return None
    industry = "C26" if "C26" in set(frame["industry"]) else sorted(frame["industry"])[0]
    year = int(frame["year"].max())
    data = frame[(frame["industry"] == industry) & (frame["year"] == year)].sort_values(
        "import_content_usd_per_usd", ascending=False
    )
    figure, axis = plt.subplots(figsize=(14, 4))
    colours = ["#c0392b" if c == "JPN" else "#7f8c8d" for c in data["country_iso3"]]
    axis.bar(data["country_iso3"], data["import_content_usd_per_usd"], color=colours)
    axis.set_ylabel("imports per USD of final demand")
    axis.set_title(f"Import content of final demand for {industry}, {year}, {len(data)} tables (Japan in red)")
    axis.tick_params(axis="x", labelrotation=90, labelsize=7)
    return figure


MART_KEYS = ("metal_dependence", "oecd_import_content", "sdg_deterioration", "trade_projections")


def folder(build_path: Path) -> Path:
    """Return the folder of the build's PNGs: ``figures/`` beside the build warehouse."""
    return Path(build_path).parent / "figures"


def read_marts(con, keys=MART_KEYS) -> dict:
    """Return the marts' rows each figure is drawn from (``con``: a DuckDB connection); absent marts are left out.

    ``keys`` (of :data:`MART_KEYS`) says which figures' rows to read. Reading is apart from drawing so that
    a build's worker process (``orchestration/worker.py``) can draw what the main process read: the worker
    holds no connection to the warehouse.
    """

    def has(table: str) -> bool:
        schema, name = table.split(".")
        return bool(
            con.execute(
                "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", [schema, name]
            ).fetchone()[0]
        )

    marts = {}
    if "metal_dependence" in keys and has("marts.rpt_ai_sector_metal_dependence"):
        marts["metal_dependence"] = con.execute("select * from marts.rpt_ai_sector_metal_dependence").df()
    if "oecd_import_content" in keys and has("marts.rpt_oecd_import_content"):
        marts["oecd_import_content"] = con.execute("select * from marts.rpt_oecd_import_content").df()
    if "sdg_deterioration" in keys and has("marts.rpt_sdg_deterioration_counts"):
        marts["sdg_deterioration"] = con.execute("select * from marts.rpt_sdg_deterioration_counts").df()
    if "trade_projections" in keys and has("marts.fct_trade_projections") and has("marts.fct_trade_model_fit"):
        marts["trade_projections"] = (
            con.execute("select * from marts.fct_trade_projections").df(),
            con.execute("select * from marts.fct_trade_model_fit").df(),
            con.execute(
                "select hs6, year, quantity_t as weight_t from marts.rpt_trade_by_commodity "
                "where hs6 in (select hs6 from marts.fct_trade_model_fit)"
            ).df()
            if has("marts.rpt_trade_by_commodity")
            else None,
            dict(con.execute("select hs6, description from marts.dim_product").fetchall())
            if has("marts.dim_product")
            else {},
        )
    return marts


def draw(marts: dict) -> dict:
    """Return ``{name: figure}`` for every figure whose rows ``marts`` (from :func:`read_marts`) holds."""
    drawn = {}
    if "metal_dependence" in marts:
        drawn["table1_metal_dependence"] = metal_dependence(marts["metal_dependence"])
    if "oecd_import_content" in marts:
        drawn["oecd_import_content"] = oecd_import_content(marts["oecd_import_content"])
    if "sdg_deterioration" in marts:
        drawn["figure1_sdg_deterioration"] = sdg_deterioration(marts["sdg_deterioration"])
    if "trade_projections" in marts:
        drawn["figure2_trade_projections"] = trade_projections(*marts["trade_projections"])
    return {name: figure for name, figure in drawn.items() if figure is not None}


def save(figure, path: Path) -> Path:
    """Write ``figure`` as the build's PNG (120 dpi, tight) and release it."""
    figure.savefig(path, dpi=120, bbox_inches="tight")
    pyplot().close(figure)
    return path
