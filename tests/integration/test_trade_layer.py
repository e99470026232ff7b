"""The trade layer end to end: tiny demo world → raw BACI → dbt (staging, cleaning, marts) → checks,
read from the session's tiny build.

Planted truths come from the demo world's manifest; the SQL cleaning is compared row for row with the
reference implementation in ``analysis/trade_cleaning.py``.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from analysis.trade_cleaning import clean_series
from tests.helpers import SERIES, dbt_build
from tests.helpers import query as _query

# Stated false-flag rate of the default rule (ma_sd, window 5, k = 2, population SD, log scale) on the tiny
# demo world (seed 7): 1,278 of 42,976 clean points (3.0 %), all 46 planted outliers found; k = 2 flags a few
# percent of normal deviations by design.
MAX_FALSE_FLAG_RATE = 0.035
# What a dbt run of the cleaning selects: the models up to the cleaned flows, and the country list the staging
# relationship test reads.
CLEANING_MODELS = "+int_trade_flows_cleaned stg_baci__countries"


@pytest.fixture(scope="module")
def demo(tiny_build):
    """The session's tiny build (BACI loaded, trade models built by the whole build); (db path, manifest)."""
    return tiny_build["published"], tiny_build["manifest"]


def _truth(manifest: dict) -> pd.DataFrame:
    rows = [(o["t"], o["i"], o["j"], o["k"], o["factor"]) for o in manifest["baci"]["outliers"]]
    return pd.DataFrame(rows, columns=["year", "exporter_code", "importer_code", "hs6", "factor"])


def test_planted_outliers_are_recovered_and_false_flags_stay_at_the_stated_rate(demo):
    db, manifest = demo
    flows = _query(db, "select * from marts.fct_trade_flows")
    assert len(flows) == manifest["baci"]["n_flows_total"]
    truth = _truth(manifest)
    assert len(truth) == manifest["baci"]["n_outliers"] > 20
    merged = flows.merge(truth, on=["year", "exporter_code", "importer_code", "hs6"], how="left")
    planted = merged["factor"].notna()
    assert planted.sum() == len(truth)
    recall = merged.loc[planted, "is_outlier"].mean()
    assert recall >= 0.95, f"recall {recall:.3f}"
    false_rate = merged.loc[~planted, "is_outlier"].mean()
    assert 0 < false_rate <= MAX_FALSE_FLAG_RATE, f"false-flag rate {false_rate:.4f}"
    # The interpolation undoes the planted factor: the cleaned weight is within the series' own noise
    # (yearly sd 0.3 in logs) of the value before planting (reported / factor, up to rounding).
    hit = merged[planted & merged["is_outlier"]]
    log_error = np.abs(np.log(hit["quantity_t"] / (hit["quantity_t_reported"] / hit["factor"])))
    assert np.median(log_error) < 0.5
    assert (log_error < np.abs(np.log(hit["factor"]))).all()  # every recovered value is nearer the truth
    # Flows never flagged keep their reported weight exactly; NA stays NA.
    kept = merged[~merged["is_outlier"]]
    assert (kept["quantity_t"].isna() == kept["quantity_t_reported"].isna()).all()
    assert (kept["quantity_t"].dropna() == kept["quantity_t_reported"].dropna()).all()


@pytest.mark.parametrize("rule", ["hampel", "unit_value"])
def test_sql_rules_agree_with_the_reference_row_for_row(demo, rule):
    db, _ = demo
    sql = _query(
        db,
        f"select * from intermediate.int_trade_outliers_{rule} order by hs6, exporter_code, importer_code, year",
    )
    ref_parts = []
    for key, series in sql.groupby(SERIES, sort=False):
        out = clean_series(
            series["year"].to_numpy(),
            series["quantity_t"].to_numpy(dtype=float),
            series["value_kusd"].to_numpy(dtype=float),
            rule=rule,
        )
        ref_parts.append(out.assign(hs6=key[0], exporter_code=key[1], importer_code=key[2]))
    ref = pd.concat(ref_parts, ignore_index=True)
    assert len(ref) == len(sql)
    assert (ref["year"].to_numpy() == sql["year"].to_numpy()).all()
    assert (ref["is_outlier"].to_numpy() == sql["is_outlier"].to_numpy()).all()
    for ref_col, sql_col in [
        ("x", "x_tested"),
        ("centre", "centre_value"),
        ("deviation", "deviation"),
        ("threshold", "threshold"),
    ]:
        np.testing.assert_allclose(
            sql[sql_col].to_numpy(dtype=float),
            ref[ref_col].to_numpy(dtype=float),
            rtol=1e-9,
            atol=1e-9,
            equal_nan=True,
            err_msg=ref_col,
        )
    assert sql["is_outlier"].sum() > 100  # the comparison is not vacuous


def test_ma_sd_series_and_flagged_points_agree_with_the_reference(demo):
    # The default rule's model holds one row per series (statistics and flagged points); the reference runs
    # on each series of the flows. Series statistics are compared for every series, the per-year numbers
    # (centre, deviation, anchors) for every flagged year, the flags for every flow.
    db, _ = demo
    series = _query(db, "select * exclude (flagged_points) from intermediate.int_trade_series_ma_sd")
    flows = _query(
        db, "select * from intermediate.int_trade_flows_cleaned order by hs6, exporter_code, importer_code, year"
    )
    ref_parts, ref_series = [], []
    for key, s in flows.groupby(SERIES, sort=False):
        out = clean_series(s["year"].to_numpy(), s["quantity_t_reported"].to_numpy(dtype=float))
        usable_years = out.loc[out["is_usable"], "year"]
        anchors = out.loc[out["is_usable"] & ~out["is_outlier"], "year"].to_numpy()
        out["anchor_before"] = [anchors[anchors < y].max() if (anchors < y).any() else np.nan for y in out["year"]]
        out["anchor_after"] = [anchors[anchors > y].min() if (anchors > y).any() else np.nan for y in out["year"]]
        ref_parts.append(out)
        ref_series.append(
            {
                "hs6": key[0],
                "exporter_code": key[1],
                "importer_code": key[2],
                "ref_n_flows": len(out),
                "ref_n_usable": int(out["n_usable"].iloc[0]),
                "ref_scale": out.loc[out["is_usable"], "scale_stat"].max() if len(usable_years) else np.nan,
                "ref_first": usable_years.min() if len(usable_years) else np.nan,
                "ref_last": usable_years.max() if len(usable_years) else np.nan,
                "ref_n_flagged": int(out["is_outlier"].sum()),
            }
        )
    ref = pd.concat(ref_parts, ignore_index=True)
    assert len(ref) == len(flows)
    assert (ref["is_outlier"].to_numpy() == flows["is_outlier"].to_numpy()).all()
    flagged = flows["is_outlier"].to_numpy()
    assert flagged.sum() > 100  # the comparison is not vacuous
    for ref_col, sql_col in [
        ("x", "x_tested"),
        ("centre", "centre_value"),
        ("deviation", "deviation"),
        ("threshold", "threshold"),
        ("anchor_before", "anchor_year_before"),
        ("anchor_after", "anchor_year_after"),
    ]:
        np.testing.assert_allclose(
            flows.loc[flagged, sql_col].to_numpy(dtype=float),
            ref.loc[flagged, ref_col].to_numpy(dtype=float),
            rtol=1e-9,
            err_msg=ref_col,
        )
        assert flows.loc[~flagged, sql_col].isna().all()  # the statistics are kept on flagged rows only
    check = series.merge(pd.DataFrame(ref_series), on=SERIES, validate="one_to_one")
    assert len(check) == len(series) == len(ref_series)
    assert (check["n_flows"] == check["ref_n_flows"]).all()
    assert (check["n_usable"] == check["ref_n_usable"]).all()
    assert (check["n_flagged"] == check["ref_n_flagged"]).all()
    np.testing.assert_allclose(check["first_usable_year"].astype(float), check["ref_first"], equal_nan=True)
    np.testing.assert_allclose(check["last_usable_year"].astype(float), check["ref_last"], equal_nan=True)
    np.testing.assert_allclose(
        check["scale_stat"].astype(float), check["ref_scale"].astype(float), rtol=1e-9, atol=1e-12, equal_nan=True
    )


def test_cleaned_quantities_agree_with_the_reference(demo):
    db, _ = demo
    sql = _query(
        db,
        "select * from intermediate.int_trade_flows_cleaned order by hs6, exporter_code, importer_code, year",
    )
    ref = pd.concat(
        [
            clean_series(s["year"].to_numpy(), s["quantity_t_reported"].to_numpy(dtype=float))
            for _, s in sql.groupby(SERIES, sort=False)
        ],
        ignore_index=True,
    )
    assert (ref["is_outlier"].to_numpy() == sql["is_outlier"].to_numpy()).all()
    np.testing.assert_allclose(
        sql["quantity_t"].to_numpy(dtype=float),
        ref["quantity_t"].to_numpy(dtype=float),
        rtol=1e-9,
        atol=1e-9,
        equal_nan=True,
    )


def test_audit_and_reports_are_consistent_with_the_flows(demo):
    db, _ = demo
    audit = _query(db, "select * from marts.fct_trade_cleaning_audit")
    flows = _query(db, "select * from marts.fct_trade_flows")
    assert len(audit) == int(flows["is_outlier"].sum()) > 0
    assert (audit["cleaning_rule"] == "ma_sd").all() and (audit["window_years"] == 5).all()
    assert (audit["threshold_k"] == 2.0).all() and (audit["cleaning_scale"] == "log").all()
    np.testing.assert_allclose(audit["threshold"], 2.0 * audit["scale_stat"], rtol=1e-12)
    assert (audit["deviation"].abs() >= audit["threshold"]).all()
    assert (audit["anchor_year_before"] < audit["year"]).all() and (audit["year"] < audit["anchor_year_after"]).all()
    by_commodity = _query(db, "select * from marts.rpt_trade_by_commodity")
    totals = (
        flows.groupby(["hs6", "year"])
        .agg(
            q=("quantity_t", "sum"),
            qr=("quantity_t_reported", "sum"),
            v=("value_kusd", "sum"),
            n=("hs6", "size"),
        )
        .reset_index()
    )
    check = by_commodity.merge(totals, on=["hs6", "year"], validate="one_to_one")
    assert len(check) == len(totals)
    np.testing.assert_allclose(check["quantity_t"], check["q"], rtol=1e-9)
    np.testing.assert_allclose(check["quantity_t_reported"], check["qr"], rtol=1e-9)
    np.testing.assert_allclose(check["value_kusd"], check["v"], rtol=1e-9)
    assert (check["n_flows"] == check["n"]).all()
    comparison = _query(db, "select * from marts.rpt_trade_cleaning_rule_comparison order by cleaning_rule")
    assert comparison["cleaning_rule"].tolist() == ["hampel", "ma_sd", "unit_value"]
    for rule in comparison["cleaning_rule"]:
        counts = _query(
            db,
            "select sum(n_flagged) as n from intermediate.int_trade_series_ma_sd"
            if rule == "ma_sd"
            else f"select count(*) filter (where is_outlier) as n from intermediate.int_trade_outliers_{rule}",
        )
        assert comparison.set_index("cleaning_rule").loc[rule, "n_points_flagged"] == counts["n"].iloc[0]
    active = comparison.set_index("cleaning_rule")["is_active_rule"]
    assert active.to_dict() == {"hampel": False, "ma_sd": True, "unit_value": False}
    assert comparison.set_index("cleaning_rule").loc["ma_sd", "n_points_flagged"] == len(audit)


def test_real_baci_loads_and_cleans(real_build):
    # the real flows are BACI V202401b's 74 raw-material codes, 1995-2024 (the V202301 extract is not used)
    facts = _query(
        real_build["published"],
        """
        select count(*) as n_flows, count(distinct year) as n_years, min(year) as first_year,
            count(*) filter (where is_outlier) as n_flagged,
            count(*) filter (where is_outlier and quantity_t is distinct from quantity_t_reported) as n_changed,
            count(*) filter (where quantity_t_reported is null) as n_na,
            count(*) filter (where not is_outlier and quantity_t is distinct from quantity_t_reported) as n_moved,
            count(*) filter (where regexp_full_match(importer_entity_code, '[A-Z]{3}')
                and importer_entity_code is distinct from importer_iso3) as n_bad_current,
            count(*) filter (where not regexp_full_match(importer_entity_code, '[A-Z]{3}')
                and importer_iso3 is not null and not contains(importer_entity_code, '.')) as n_bad_other,
            count(*) filter (where not regexp_full_match(importer_entity_code, '[A-Z]{3}')) as n_not_current
        from marts.fct_trade_flows
        """,
    ).iloc[0]
    rows = _query(real_build["published"], "select count(*) as n from raw.baci_flows")["n"].iloc[0]
    assert facts["n_flows"] == rows == 1_264_888
    assert (facts["n_years"], facts["first_year"]) == (30, 1995)
    # entity codes are the ISO3 for current entities, ISO3.<code> for historical twins, X<code> for 'nes'
    # groupings (which have no ISO3)
    assert facts["n_bad_current"] == 0 and facts["n_bad_other"] == 0 and facts["n_not_current"] > 0
    # real 30-year series: the cleaning flags some points and replaces exactly those
    assert 0 < facts["n_flagged"] < 0.1 * facts["n_flows"] and facts["n_changed"] > 0 and facts["n_moved"] == 0
    assert facts["n_na"] > 0  # BACI's NA quantities survive as NULL


@pytest.fixture(scope="module")
def padded_grid(tiny_build, tmp_path_factory) -> dict:
    """The cleaning rebuilt by dbt, on a copy of the tiny build, with a calendar grid padded by empty years."""
    span = _query(tiny_build["published"], "select min(year) as a, max(year) as b from staging.stg_baci__flows")
    first, last = int(span["a"].iloc[0]), int(span["b"].iloc[0])
    grid = [first - 7, last + 9]
    # the span is not among the parameters the incremental series model records: rebuild it in full
    variant = _dbt_variant(tiny_build, tmp_path_factory, {"trade_cleaning_years": grid}, full_refresh=True)
    return variant | {"grid": grid}


@pytest.fixture(scope="module", params=["hampel", "unit_value"])
def robust_rule(request, tiny_build, tmp_path_factory) -> dict:
    """The flows cleaned by dbt under var trade_cleaning_rule = hampel or unit_value, on a copy of the tiny build."""
    return _dbt_variant(tiny_build, tmp_path_factory, {"trade_cleaning_rule": request.param}) | {"rule": request.param}


def _dbt_variant(tiny_build, tmp_path_factory, variables: dict, full_refresh: bool = False) -> dict:
    """Run ``dbt build`` of the cleaning models with ``variables`` on a private copy of the tiny build.

    Returns the copy (``db``), the run's own target folder (``target``: its compiled SQL) and the cleaned flows
    (``cleaned``: intermediate.int_trade_flows_cleaned in series and year order).
    """
    folder = tmp_path_factory.mktemp("dbt_variant")
    db, target = folder / "wh.duckdb", folder / "target"
    shutil.copyfile(tiny_build["published"], db)
    dbt_build(db, CLEANING_MODELS, variables, full_refresh=full_refresh, target_path=target)
    cleaned = _query(db, f"select * from intermediate.int_trade_flows_cleaned order by {', '.join(SERIES)}, year")
    return {"db": db, "target": target, "cleaned": cleaned}


def test_the_calendar_grid_does_not_change_the_result(demo, padded_grid):
    # The ma_sd model lays every series on a grid of the data's years (one column per year). A grid padded
    # with empty years on both sides (var trade_cleaning_years, a dbt run of its own) gives the same cleaned flows.
    db, _ = demo
    columns = ["year", "exporter_code", "importer_code", "hs6", "quantity_t", "is_outlier"]
    columns += ["anchor_year_before", "anchor_year_after"]
    listed = ", ".join(columns)
    dbt_cleaned = _query(db, f"select {listed} from intermediate.int_trade_flows_cleaned order by all")
    assert dbt_cleaned["is_outlier"].sum() > 0
    compiled = next(padded_grid["target"].rglob("int_trade_series_ma_sd.sql")).read_text()
    first, last = padded_grid["grid"]
    assert f"as flow_{first}" in compiled and f"as flow_{last}" in compiled  # the padded grid was used
    other = _query(padded_grid["db"], f"select {listed} from intermediate.int_trade_flows_cleaned order by all")
    pd.testing.assert_frame_equal(other, dbt_cleaned, check_dtype=False, rtol=1e-12)


def test_cleaning_under_the_robust_rules_agrees_with_the_reference(robust_rule):
    # var trade_cleaning_rule switches the rule that cleans the flows; its anchors are searched with a window
    # over the rule's model. dbt builds the cleaning models with the var on a copy of the tiny build.
    rule, sql = robust_rule["rule"], robust_rule["cleaned"]
    ref = pd.concat(
        [
            clean_series(
                s["year"].to_numpy(),
                s["quantity_t_reported"].to_numpy(dtype=float),
                s["value_kusd"].to_numpy(dtype=float),
                rule=rule,
            )
            for _, s in sql.groupby(SERIES, sort=False)
        ],
        ignore_index=True,
    )
    assert (sql["cleaning_rule"] == rule).all()
    assert (ref["is_outlier"].to_numpy() == sql["is_outlier"].to_numpy()).all()
    assert sql["is_outlier"].sum() > 20  # the comparison is not vacuous
    np.testing.assert_allclose(
        sql["quantity_t"].to_numpy(dtype=float), ref["quantity_t"].to_numpy(dtype=float), rtol=1e-9, equal_nan=True
    )
