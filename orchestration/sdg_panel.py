"""Metals × SDGs domain: ingestion of World Bank, OWID, WGI, UN IRP and BGS files; the SDG panel.

``sdg_panel_marts`` reads the dbt marts (``fct_sdg_indicator_values``, ``fct_sdg_panel_inputs``,
``fct_country_year``, ``dim_metal``), runs every indicator × metal × source regression and the permutation
null (``analysis/sdg_panel.py``), and writes ``marts.fct_sdg_panel_estimates`` and
``marts.fct_sdg_permutation_counts``. Figure 1's counts and the null's summary are dbt models over them
(``rpt_sdg_deterioration_counts``, ``rpt_sdg_permutation_summary``); the figure is drawn by
``orchestration/figures.py``.
"""

import dataclasses
import time

import dagster as dg

from orchestration.common import progress, raw_multi_asset, validate_early
from orchestration.resources import WarehouseResource

GROUP = "sdg_panel"


def _load_wdi(loader, inv):
    if not (inv.wdi_wide or inv.wdi_long):
        return "no World Bank indicator file in wdi/"
    loader.wdi(inv.wdi_wide, inv.wdi_long, inv.wdi_metadata)
    return None


def _load_sdg_series(loader, inv):
    if inv.sdg_series is None:
        return "no wdi/sdg/SDGSeries.csv"
    loader.sdg_series(inv.sdg_series)
    return None


def _load_owid(loader, inv):
    if inv.owid is None:
        return "no owid/owid-co2-data*.csv"
    loader.owid(inv.owid)
    return None


def _load_wgi(loader, inv):
    if inv.wgi is None:
        return "no wgi/*.xlsx or wgi/*.csv"
    loader.wgi(inv.wgi)
    return None


def _load_irp(loader, inv):
    if not inv.irp_extraction:
        return "no material_flows/DE_*.csv"
    loader.irp(inv.irp_extraction, inv.irp_ccc)
    return None


def _load_bgs(loader, inv):
    if not inv.bgs:
        return "no material_flows/BGS_*_production.csv"
    loader.bgs(inv.bgs)
    return None


def _load_mine_production(loader, inv):
    if not inv.mine_production:
        return "no material_flows/mine_production_by_country*.csv"
    loader.mine_production(inv.mine_production)
    return None


ASSETS = [
    raw_multi_asset(
        "raw_wdi",
        ["wdi_values", "wdi_indicators"],
        GROUP,
        "World Bank indicators: wide downloads, long files and indicator metadata.",
        _load_wdi,
    ),
    raw_multi_asset("raw_sdg_series", ["sdg_series"], GROUP, "World Bank SDG series list.", _load_sdg_series),
    raw_multi_asset("raw_owid_co2", ["owid_co2"], GROUP, "OWID CO2/GHG, GDP, population, energy.", _load_owid),
    raw_multi_asset("raw_wgi", ["wgi"], GROUP, "WGI (official workbook or long CSV).", _load_wgi),
    raw_multi_asset(
        "raw_irp",
        ["irp_extraction", "irp_ccc"],
        GROUP,
        "UN IRP domestic extraction and CCC codes.",
        _load_irp,
    ),
    raw_multi_asset("raw_bgs", ["bgs_production"], GROUP, "BGS world mineral production.", _load_bgs),
    raw_multi_asset(
        "raw_mine_production",
        ["mine_production"],
        GROUP,
        "Mine production by country, long (numeric country codes).",
        _load_mine_production,
    ),
]

TABLES = [
    "wdi_values",
    "wdi_indicators",
    "sdg_series",
    "owid_co2",
    "wgi",
    "irp_extraction",
    "irp_ccc",
    "bgs_production",
    "mine_production",
]


# ---------------------------------------------------------------------------------------- the panel
ESTIMATES = "fct_sdg_panel_estimates"
NULL = "fct_sdg_permutation_counts"
UPSTREAM = [
    dg.AssetKey(["marts", name])
    for name in ("fct_sdg_indicator_values", "fct_sdg_panel_inputs", "fct_country_year", "dim_metal")
]


@dataclasses.dataclass(frozen=True)
class PanelSettings:
    """Run options of the SDG panel, from the declared parameters (``sdg_*`` in dbt_project.yml vars)."""

    years: range
    year_effects: bool
    alpha: float
    n_permutations: int
    permutation_seed: int
    min_varying_countries: int

    @classmethod
    def from_params(cls) -> "PanelSettings":
        """Return the settings of this build (declared values with the build's overrides)."""
        from warehouse.params import params

        p = params()
        return cls(
            years=range(int(p["sdg_year_start"]), int(p["sdg_year_end"]) + 1),
            year_effects=bool(p["sdg_year_effects"]),
            alpha=float(p["sdg_alpha"]),
            n_permutations=int(p["sdg_n_permutations"]),
            permutation_seed=int(p["sdg_permutation_seed"]),
            min_varying_countries=int(p["sdg_min_varying_countries"]),
        )


def read_panel_inputs(con) -> dict:
    """Read the four dbt marts the panel needs (pandas frames)."""
    values = con.execute(
        "select indicator_code, goal, better, iso3, cast(year as integer) as year, value "
        "from marts.fct_sdg_indicator_values"
    ).df()
    inputs = con.execute(
        "select iso3, cast(year as integer) as year, metal_symbol as metal, source_group as source, dmi_t "
        "from marts.fct_sdg_panel_inputs"
    ).df()
    controls = con.execute(
        "select iso3, cast(year as integer) as year, ln(gdp_intl_usd2011) as log_gdp, "
        "ln(population_n) as log_population, ln(primary_energy_twh) as log_primary_energy, wgi_mean_score "
        "from marts.fct_country_year "
        "where gdp_intl_usd2011 > 0 and population_n > 0 and primary_energy_twh > 0 "
        "and wgi_mean_score is not null"
    ).df()
    groups = dict(con.execute("select symbol, metal_group from marts.dim_metal").fetchall())
    return {"values": values, "inputs": inputs, "controls": controls, "metal_groups": groups}


def run_panel(frames: dict, config: PanelSettings) -> dict:
    """Estimate and permute; return the estimates, the permutation counts and a summary (pure, no I/O)."""
    from analysis import sdg_panel

    indicators = frames["values"][["indicator_code", "goal", "better"]].drop_duplicates("indicator_code")
    indicators = indicators.sort_values("indicator_code")
    panel = sdg_panel.build_panel(frames["values"], indicators, frames["inputs"], frames["controls"], config.years)
    started = time.perf_counter()
    estimates = sdg_panel.estimate(
        panel, year_effects=config.year_effects, alpha=config.alpha, min_varying=config.min_varying_countries
    )
    estimated = time.perf_counter()
    null = sdg_panel.permutation_null(
        panel,
        config.n_permutations,
        config.permutation_seed,
        config.year_effects,
        config.alpha,
        min_varying=config.min_varying_countries,
    )
    permuted = time.perf_counter()
    estimates = estimates.assign(
        metal_group=estimates["metal"].map(frames["metal_groups"]),
        year_effects=config.year_effects,
        alpha=config.alpha,
    ).rename(columns={"t": "t_stat"})
    null = null.assign(is_observed=null["permutation"] == 0, seed=config.permutation_seed)
    summary = {
        "n_indicators": int(estimates["indicator_code"].nunique()) if len(estimates) else 0,
        "n_regressions": int(len(estimates)),
        "seconds_estimate": round(estimated - started, 3),
        "seconds_permutations": round(permuted - estimated, 3),
        **(sdg_panel.summarise_null(null) if len(estimates) else {}),
    }
    return {"estimates": estimates, "null": null, "summary": summary, "panel": panel}


@dg.multi_asset(
    name="sdg_panel_marts",
    specs=[
        dg.AssetSpec(
            key=dg.AssetKey(["marts", ESTIMATES]),
            group_name=GROUP,
            description="One row per indicator × metal × source regression (country FE, clustered SEs), with "
            "BH and Holm adjusted p-values and the deterioration/improvement flags.",
            kinds={"duckdb", "python"},
            deps=UPSTREAM,
        ),
        dg.AssetSpec(
            key=dg.AssetKey(["marts", NULL]),
            group_name=GROUP,
            description="Deterioration counts with the metal series shuffled between countries (fixed seed).",
            kinds={"duckdb", "python"},
            deps=UPSTREAM,
        ),
    ],
)
def sdg_panel_marts(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Run the SDG panel on the dbt marts; write the estimates and the permutation counts."""
    from warehouse.contracts import create_sql

    with warehouse.connect(read_only=True) as con:
        frames = read_panel_inputs(con)
    config = PanelSettings.from_params()
    result = run_panel(frames, config)
    estimates, null, summary = result["estimates"], result["null"], result["summary"]
    with warehouse.connect() as con:
        con.execute("create schema if not exists marts")
        for table, frame in ((ESTIMATES, estimates), (NULL, null)):
            con.execute(create_sql(table))
            if len(estimates):
                con.register("frame_df", frame)
                con.execute(f"insert into marts.{table} by name select * from frame_df")
                con.unregister("frame_df")
        rows = {t: int(con.execute(f"select count(*) from marts.{t}").fetchone()[0]) for t in (ESTIMATES, NULL)}
        validate_early(con, "marts", [f"marts.{t}" for t in (ESTIMATES, NULL)])
    progress(
        context,
        f"SDG panel: {summary['n_regressions']} regressions on {summary['n_indicators']} indicators in "
        f"{summary['seconds_estimate']} s; {config.n_permutations} permutations in "
        f"{summary['seconds_permutations']} s; deteriorating (raw/BH/Holm) "
        f"{summary.get('observed_raw', 0)}/{summary.get('observed_bh', 0)}/{summary.get('observed_holm', 0)}",
    )
    common = {
        "reason": "" if len(estimates) else "no indicator × metal regression could be estimated",
        **{k: v for k, v in summary.items() if isinstance(v, int | float)},
    }
    for table in (ESTIMATES, NULL):
        yield dg.MaterializeResult(
            asset_key=dg.AssetKey(["marts", table]), metadata={"dagster/row_count": rows[table], **common}
        )


def assets() -> list:
    """Return the SDG-panel ingestion assets and the panel asset."""
    return [*ASSETS, sdg_panel_marts]
