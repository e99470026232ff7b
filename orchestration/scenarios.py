"""Scenarios domain: ingestion of scenario pathways, and the trade projections to 2050 (Figure 2).

``raw_scenarios`` loads the IAMC wide files and, after them, the non-IAMC files of ``scenarios/`` that
``warehouse.scenario_formats`` reads (Leach/RCMIP emissions, Wittgenstein population).  dbt harmonises them
into ``marts.fct_scenario_regressors``; ``trade_scenario_marts`` fits the ridge model per key commodity on
the world trade weight (``TRADE_SOURCE``), backtests it and projects it along every pathway, writing
``marts.fct_trade_model_fit`` and ``marts.fct_trade_projections``; Figure 2 is drawn from them by
``orchestration/figures.py``.
"""

from pathlib import Path

import dagster as dg

from orchestration.common import progress, raw_multi_asset, validate_early
from orchestration.resources import WarehouseResource

GROUP = "scenarios"

# The key AI-related imports of the programme (Table 1 / Figure 2), in the report's order.
KEY_HS6 = ("847191", "847330", "854219", "852990", "853400", "847989", "270900", "854430", "271111", "847120")

# Where the world trade weight per commodity and year comes from: one switch.  The cleaned mart of issue 3
# (one row per hs6 and year; quantity_t is the weight after cleaning).  The query sums the column per hs6
# and year, so the as-written flows work too: {"table": "staging.stg_baci__flows", "weight_column":
# "quantity_t", "asset_key": ("staging", "stg_baci__flows")}.
TRADE_SOURCE = {
    "table": "marts.rpt_trade_by_commodity",
    "weight_column": "quantity_t",
    "asset_key": ("marts", "rpt_trade_by_commodity"),
}

FIT_TABLE = "marts.fct_trade_model_fit"
PROJECTION_TABLE = "marts.fct_trade_projections"
STATUS_TABLE = "marts.fct_trade_model_status"


def _load_scenarios(loader, inv):
    from warehouse.scenario_formats import extra_paths, load_scenario_extras

    extras = extra_paths(inv.scenarios_extra)
    if not inv.scenarios_iamc and not extras:
        return "no IAMC, Leach/RCMIP or Wittgenstein file in scenarios/"
    loader.iamc(inv.scenarios_iamc)  # empties raw.scenario_values first
    if extras:
        load_scenario_extras(loader, extras)
    return None


ASSETS = [
    raw_multi_asset(
        "raw_scenarios",
        ["scenario_values"],
        GROUP,
        "Scenario pathways: IAMC wide files, Leach/RCMIP global emissions and Wittgenstein population (IAMC long).",
        _load_scenarios,
    )
]


def _trade_sql() -> tuple[str, str]:
    table, column = TRADE_SOURCE["table"], TRADE_SOURCE["weight_column"]
    weights = (
        f"select hs6, cast(year as integer) as year, sum({column}) as weight_t from {table} "
        f"where {column} is not null and hs6 in (select unnest(?)) group by hs6, year"
    )
    totals = (
        f"select cast(year as integer) as year, sum({column}) as total_t from {table} "
        f"where {column} is not null group by year"
    )
    return weights, totals


def ridge_settings() -> dict:
    """Return the keyword arguments of ``run_trade_scenarios`` from the declared ``scenario_*`` parameters."""
    from analysis.trade_scenarios import penalty_grid
    from warehouse.params import params

    p = params()
    return {
        "train_end": int(p["scenario_backtest_train_end"]),
        "test_end": int(p["scenario_backtest_test_end"]),
        "alphas": penalty_grid(
            p["scenario_ridge_log10_alpha_min"], p["scenario_ridge_log10_alpha_max"], p["scenario_ridge_n_alphas"]
        ),
        "min_train": int(p["scenario_cv_min_train"]),
        "horizon": int(p["scenario_cv_horizon"]),
        "n_boot": int(p["scenario_bootstrap_draws"]),
        "level": float(p["scenario_band_level"]),
    }


@dg.multi_asset(
    name="trade_scenario_marts",
    specs=[
        dg.AssetSpec(
            key=dg.AssetKey(["marts", "fct_trade_model_fit"]),
            group_name=GROUP,
            description="Ridge fit per key commodity: alpha by rolling-origin CV, backtest vs naive forecasts.",
            kinds={"duckdb", "python"},
            deps=[dg.AssetKey(["marts", "fct_scenario_regressors"]), dg.AssetKey(list(TRADE_SOURCE["asset_key"]))],
        ),
        dg.AssetSpec(
            key=dg.AssetKey(["marts", "fct_trade_model_status"]),
            group_name=GROUP,
            description="Per key commodity: fitted or no real series, why, and the penalty's place on the grid.",
            kinds={"duckdb", "python"},
            deps=[dg.AssetKey(["marts", "fct_scenario_regressors"]), dg.AssetKey(list(TRADE_SOURCE["asset_key"]))],
        ),
        dg.AssetSpec(
            key=dg.AssetKey(["marts", "fct_trade_projections"]),
            group_name=GROUP,
            description="World trade weight per key commodity, pathway and year to 2050, with bootstrap bands.",
            kinds={"duckdb", "python"},
            deps=[dg.AssetKey(["marts", "fct_scenario_regressors"]), dg.AssetKey(list(TRADE_SOURCE["asset_key"]))],
        ),
    ],
)
def trade_scenario_marts(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Fit, backtest and project the key commodities; write the two marts (Figure 2: orchestration/figures.py)."""
    from analysis.trade_scenarios import REGRESSOR_COLUMNS, model_status, run_trade_scenarios
    from orchestration import figures, worker
    from warehouse.contracts import create_sql

    weights_sql, totals_sql = _trade_sql()
    cols = ", ".join(REGRESSOR_COLUMNS)
    with warehouse.connect() as con:
        weights = con.execute(weights_sql, [list(KEY_HS6)]).df()
        totals = con.execute(totals_sql).df()
        observed = con.execute(
            f"select cast(year as integer) as year, {cols} from marts.fct_scenario_regressors "
            "where pathway = 'observed' and is_complete_panel order by year"
        ).df()
        pathways = con.execute(
            f"select pathway, pathway_class, cast(year as integer) as year, downscaling_method, {cols} "
            "from marts.fct_scenario_regressors where is_projection order by pathway, year"
        ).df()
    settings = ridge_settings()
    fits, projections, history, skipped = run_trade_scenarios(weights, totals, observed, pathways, KEY_HS6, **settings)
    status = model_status(KEY_HS6, fits, skipped, weights, settings["alphas"])
    source = f"{TRADE_SOURCE['table']}.{TRADE_SOURCE['weight_column']}"
    with warehouse.connect() as con:
        con.execute("create schema if not exists marts")
        con.execute(create_sql(FIT_TABLE.split(".")[1]))
        con.execute(create_sql(PROJECTION_TABLE.split(".")[1]))
        con.execute(create_sql(STATUS_TABLE.split(".")[1]))
        status_rows = status.assign(trade_source=source)  # noqa: F841 (read by DuckDB by name)
        con.execute(f"insert into {STATUS_TABLE} by name select * from status_rows")
        if len(fits):
            fit_rows = fits.assign(trade_source=source)  # noqa: F841 (read by DuckDB by name)
            con.execute(f"insert into {FIT_TABLE} by name select * from fit_rows")
        if len(projections):
            proj_rows = projections  # noqa: F841
            con.execute(f"insert into {PROJECTION_TABLE} by name select * from proj_rows")
        n_fit = con.execute(f"select count(*) from {FIT_TABLE}").fetchone()[0]
        n_proj = con.execute(f"select count(*) from {PROJECTION_TABLE}").fetchone()[0]
        validate_early(con, "marts", [FIT_TABLE, PROJECTION_TABLE, STATUS_TABLE])
        if worker.current() is not None:  # Figure 2, drawn by the build's worker while the build goes on
            worker.draw_early(figures.read_marts(con, ["trade_projections"]), figures.folder(Path(warehouse.path)))
    beaten = int(fits["beats_naive"].sum()) if len(fits) else 0
    reasons = "; ".join(f"{h}: {r}" for h, r in skipped.itertuples(index=False))
    progress(context, f"trade scenarios: {n_fit} commodities fitted ({beaten} beat the naive forecasts), "
             f"{n_proj} projection rows" + (f"; skipped {reasons}" if reasons else ""))  # fmt: skip
    common = {"trade_source": source, "skipped": reasons or "none"}
    yield dg.MaterializeResult(
        asset_key=dg.AssetKey(["marts", "fct_trade_model_fit"]),
        metadata={"dagster/row_count": int(n_fit), "beats_naive": beaten, **common},
    )
    yield dg.MaterializeResult(
        asset_key=dg.AssetKey(["marts", "fct_trade_model_status"]),
        metadata={"dagster/row_count": len(status), "fitted": int((status["status"] == "fitted").sum()), **common},
    )
    yield dg.MaterializeResult(
        asset_key=dg.AssetKey(["marts", "fct_trade_projections"]),
        metadata={"dagster/row_count": int(n_proj), **common},
    )


def assets() -> list:
    """Return the scenario ingestion asset and the trade-projection asset."""
    return [*ASSETS, trade_scenario_marts]
