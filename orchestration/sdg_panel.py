"""Metals × SDGs domain: ingestion of World Bank, OWID, WGI, UN IRP and BGS files; the SDG panel.

``sdg_panel_marts`` reads the dbt marts (``fct_sdg_indicator_values``, ``fct_sdg_panel_inputs``,
``fct_country_year``, ``dim_metal``), runs every indicator × metal × source regression and the permutation
null (``analysis/sdg_panel.py``), and writes ``marts.fct_sdg_panel_estimates``,
``marts.rpt_sdg_deterioration_counts`` and ``marts.rpt_sdg_permutation_null`` plus Figure 1 (a PNG beside the
build warehouse, ``figures/figure1_sdg_deterioration.png``).
"""

import dataclasses
import time
from pathlib import Path

import dagster as dg

from orchestration.common import progress, raw_multi_asset
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
        return "no wgi/*.csv"
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
    raw_multi_asset("raw_wgi", ["wgi"], GROUP, "Worldwide Governance Indicators (long layout).", _load_wgi),
    raw_multi_asset(
        "raw_irp",
        ["irp_extraction", "irp_ccc"],
        GROUP,
        "UN IRP domestic extraction and CCC codes.",
        _load_irp,
    ),
    raw_multi_asset("raw_bgs", ["bgs_production"], GROUP, "BGS world mineral production.", _load_bgs),
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
]


# ---------------------------------------------------------------------------------------- the panel
ESTIMATES = "fct_sdg_panel_estimates"
COUNTS = "rpt_sdg_deterioration_counts"
NULL = "rpt_sdg_permutation_null"
FIGURE_NAME = "figure1_sdg_deterioration.png"
UPSTREAM = [
    dg.AssetKey(["marts", name])
    for name in ("fct_sdg_indicator_values", "fct_sdg_panel_inputs", "fct_country_year", "dim_metal")
]
# The programme's Figure 1 numbers (report, results item 2), shown beside ours.
PAPER = {"mined": 10.3, "imported": 8.6, "base": 9.3, "critical": 9.5, "Pt_mined": 6, "Pt_imported": 12}

ESTIMATES_DDL = f"""
create or replace table marts.{ESTIMATES} (
    indicator_code varchar not null, goal integer not null, better varchar not null,
    metal varchar not null, metal_group varchar, source varchar not null,
    coef double not null, se double not null, t_stat double not null, p double not null,
    p_adjusted_bh double not null, p_adjusted_holm double not null,
    n_obs integer not null, n_countries integer not null, n_countries_varying integer not null,
    deteriorates boolean not null, improves boolean not null,
    deteriorates_bh boolean not null, improves_bh boolean not null,
    deteriorates_holm boolean not null, improves_holm boolean not null,
    year_effects boolean not null, alpha double not null
)"""
COUNTS_DDL = f"""
create or replace table marts.{COUNTS} (
    level varchar not null, group_name varchar not null, source varchar not null, goal integer not null,
    n_tests bigint not null, n_series bigint not null,
    n_deteriorating_raw bigint not null, n_deteriorating_bh bigint not null,
    n_deteriorating_holm bigint not null,
    n_improving_raw bigint not null, n_improving_bh bigint not null, n_improving_holm bigint not null,
    per_series_deteriorating_raw double not null, per_series_deteriorating_bh double not null,
    per_series_deteriorating_holm double not null, per_series_improving_raw double not null,
    per_series_improving_bh double not null, per_series_improving_holm double not null
)"""
NULL_DDL = f"""
create or replace table marts.{NULL} (
    permutation integer not null, is_observed boolean not null, seed bigint not null, n_tests bigint not null,
    n_deteriorating_raw bigint not null, n_deteriorating_bh bigint not null,
    n_deteriorating_holm bigint not null,
    n_improving_raw bigint not null, n_improving_bh bigint not null, n_improving_holm bigint not null
)"""


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
    """Estimate, count and permute; return the three result frames and a summary (pure, no I/O)."""
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
    counts = sdg_panel.deterioration_counts(estimates, frames["metal_groups"]) if len(estimates) else None
    null = null.assign(is_observed=null["permutation"] == 0, seed=config.permutation_seed)
    summary = {
        "n_indicators": int(estimates["indicator_code"].nunique()) if len(estimates) else 0,
        "n_regressions": int(len(estimates)),
        "seconds_estimate": round(estimated - started, 3),
        "seconds_permutations": round(permuted - estimated, 3),
        **(sdg_panel.summarise_null(null) if len(estimates) else {}),
    }
    return {"estimates": estimates, "counts": counts, "null": null, "summary": summary, "panel": panel}


def headline(counts) -> dict:
    """Return the Figure 1 numbers (raw p < alpha) next to the programme's, as metadata floats."""
    if counts is None:
        return {}
    total = counts[counts["goal"] == 0].set_index(["level", "group_name", "source"])
    out = {}
    for key, index in (
        ("mined", ("all", "all", "mined")),
        ("imported", ("all", "all", "imported")),
        ("base", ("metal_group", "base", "all")),
        ("critical", ("metal_group", "critical", "all")),
        ("Pt_mined", ("metal", "Pt", "mined")),
        ("Pt_imported", ("metal", "Pt", "imported")),
    ):
        if index in total.index:
            column = "n_deteriorating_raw" if key.startswith("Pt") else "per_series_deteriorating_raw"
            out[f"ours_{key}"] = float(total.loc[index, column])
        out[f"paper_{key}"] = float(PAPER[key])
    return out


def figure1(path: Path, counts, null, estimates, years: range) -> None:
    """Figure 1: deteriorating indicators by goal (mined vs imported; base vs critical), per metal, null."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    goals = np.arange(1, 18)
    fig, axes = plt.subplots(2, 2, figsize=(13, 8.5))

    def by_goal(ax, level, pairs, title):
        width = 0.8 / len(pairs)
        for n, (group, source, label, colour) in enumerate(pairs):
            rows = counts[(counts["level"] == level) & (counts["group_name"] == group) & (counts["source"] == source)]
            per_goal = rows.set_index("goal")["per_series_deteriorating_raw"].reindex(goals, fill_value=0.0)
            total = rows.loc[rows["goal"] == 0, "per_series_deteriorating_raw"]
            mean = float(total.iloc[0]) if len(total) else 0.0
            ax.bar(
                goals + (n - (len(pairs) - 1) / 2) * width,
                per_goal.to_numpy(),
                width,
                color=colour,
                label=f"{label}: {mean:.1f} per metal series",
            )
        ax.set_xticks(goals)
        ax.set_xlabel("SDG goal")
        ax.set_ylabel("deteriorating indicators (mean per metal series)")
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8, frameon=False)

    by_goal(
        axes[0, 0],
        "all",
        [("all", "mined", "mined", "tab:brown"), ("all", "imported", "imported", "tab:blue")],
        f"(a) mined vs imported input (paper: {PAPER['mined']} vs {PAPER['imported']})",
    )
    by_goal(
        axes[0, 1],
        "metal_group",
        [("base", "all", "base", "tab:grey"), ("critical", "all", "critical", "tab:red")],
        f"(b) base vs critical metals (paper: {PAPER['base']} vs {PAPER['critical']})",
    )
    per_metal = counts[(counts["level"] == "metal") & (counts["goal"] == 0) & (counts["source"] != "all")]
    table = per_metal.pivot(index="group_name", columns="source", values="n_deteriorating_raw").fillna(0)
    order = [m for m in ["Nd", "Co", "Pt", "Ni", "Cr", "Mo", "Fe", "Cu", "Pb", "Zn", "Al"] if m in table.index]
    table = table.reindex(order)
    ax = axes[1, 0]
    x = np.arange(len(table))
    for n, (source, colour) in enumerate((("mined", "tab:brown"), ("imported", "tab:blue"))):
        if source in table.columns:
            ax.bar(x + (n - 0.5) * 0.4, table[source].to_numpy(), 0.4, color=colour, label=source)
    ax.set_xticks(x, table.index)
    ax.set_ylabel("deteriorating indicators")
    ax.set_title("(c) per metal (raw p < alpha; paper: Pt mined 6, imported 12)", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    ax = axes[1, 1]
    perms = null[null["permutation"] > 0]
    observed = null[null["permutation"] == 0].iloc[0]
    for name, colour in (("raw", "tab:grey"), ("bh", "tab:orange"), ("holm", "tab:purple")):
        column = f"n_deteriorating_{name}"
        if len(perms):
            ax.hist(perms[column], bins=30, color=colour, alpha=0.5, label=f"shuffled ({name})")
        ax.axvline(observed[column], color=colour, lw=2, label=f"observed ({name}) = {int(observed[column])}")
    ax.set_xlabel("deteriorating indicator × metal × source tests")
    ax.set_ylabel("permutations")
    ax.set_title(f"(d) permutation null: metal series shuffled between countries ({len(perms)} draws)", fontsize=10)
    ax.legend(fontsize=7, frameon=False)
    n_tests = len(estimates)
    fig.suptitle(
        f"SDG indicators deteriorating with metal input, {years[0]}-{years[-1]} ({n_tests} regressions, country "
        "fixed effects, country-clustered SEs)",
        fontsize=11,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


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
            key=dg.AssetKey(["marts", COUNTS]),
            group_name=GROUP,
            description="Figure 1 counts: deteriorating/improving indicators by metal (or group), source and "
            "goal, raw and after BH/Holm.",
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
    """Run the SDG panel on the dbt marts; write the three marts and Figure 1."""
    with warehouse.connect(read_only=True) as con:
        frames = read_panel_inputs(con)
    config = PanelSettings.from_params()
    result = run_panel(frames, config)
    estimates, counts, null, summary = (
        result["estimates"],
        result["counts"],
        result["null"],
        result["summary"],
    )
    with warehouse.connect() as con:
        con.execute("create schema if not exists marts")
        con.execute(ESTIMATES_DDL)
        con.execute(COUNTS_DDL)
        con.execute(NULL_DDL)
        if len(estimates):
            est_rows = estimates  # noqa: F841 (read by DuckDB by name)
            con.execute(f"insert into marts.{ESTIMATES} by name select * from est_rows")
            count_rows = counts  # noqa: F841
            con.execute(f"insert into marts.{COUNTS} by name select * from count_rows")
            null_rows = null  # noqa: F841
            con.execute(f"insert into marts.{NULL} by name select * from null_rows")
        rows = {t: int(con.execute(f"select count(*) from marts.{t}").fetchone()[0]) for t in (ESTIMATES, COUNTS, NULL)}
    figure = Path(warehouse.path).parent / "figures" / FIGURE_NAME
    if len(estimates):
        figure1(figure, counts, null, estimates, config.years)
    numbers = headline(counts)
    progress(
        context,
        f"SDG panel: {summary['n_regressions']} regressions on {summary['n_indicators']} indicators in "
        f"{summary['seconds_estimate']} s; {config.n_permutations} permutations in "
        f"{summary['seconds_permutations']} s; deteriorating (raw/BH/Holm) "
        f"{summary.get('observed_raw', 0)}/{summary.get('observed_bh', 0)}/{summary.get('observed_holm', 0)}",
    )
    common = {
        "figure": str(figure) if len(estimates) else "",
        "reason": "" if len(estimates) else "no indicator × metal regression could be estimated",
        **{k: v for k, v in summary.items() if isinstance(v, int | float)},
        **numbers,
    }
    for table in (ESTIMATES, COUNTS, NULL):
        yield dg.MaterializeResult(
            asset_key=dg.AssetKey(["marts", table]), metadata={"dagster/row_count": rows[table], **common}
        )


@dg.asset_check(
    asset=dg.AssetKey(["marts", COUNTS]),
    name="sdg_counts_agree_across_marts",
    blocking=True,
    description="The all-metals, all-sources, all-goals counts equal the flags in the estimates and the "
    "observed row of the permutation null.",
    additional_deps=[dg.AssetKey(["marts", ESTIMATES]), dg.AssetKey(["marts", NULL])],
)
def sdg_counts_agree_across_marts(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Check that the three SDG marts tell the same totals."""
    with warehouse.connect(read_only=True) as con:
        est = con.execute(
            "select count(*), count(*) filter (where deteriorates), "
            "count(*) filter (where deteriorates_bh), "
            f"count(*) filter (where deteriorates_holm) from marts.{ESTIMATES}"
        ).fetchone()
        rpt = con.execute(
            "select n_tests, n_deteriorating_raw, n_deteriorating_bh, n_deteriorating_holm "
            f"from marts.{COUNTS} "
            "where level = 'all' and source = 'all' and goal = 0"
        ).fetchone()
        obs = con.execute(
            "select n_tests, n_deteriorating_raw, n_deteriorating_bh, n_deteriorating_holm "
            f"from marts.{NULL} "
            "where is_observed"
        ).fetchone()
    if est[0] == 0:
        return dg.AssetCheckResult(passed=True, description="no estimates (nothing to compare)")
    passed = rpt is not None and obs is not None and tuple(est) == tuple(rpt) == tuple(obs)
    return dg.AssetCheckResult(
        passed=passed,
        description=f"estimates {tuple(est)}, report {rpt}, permutation 0 {obs} (tests, raw, BH, Holm)",
    )


def assets() -> list:
    """Return the SDG-panel ingestion assets and the panel asset."""
    return [*ASSETS, sdg_panel_marts]


def checks() -> list:
    """Return the cross-mart check of the panel (blocking); GE suites run per layer (definitions.py)."""
    return [sdg_counts_agree_across_marts]
