"""The SDG layer end to end on a tiny demo world: planted DMI, goals and effects come back out of the build.

The tiny world has 11 panel countries, fewer than the programme's 20-country rule, so the build runs with
``METALNEXUS_SDG_MIN_COUNTRIES=8`` (the documented override of the dbt var's default); it is the session's
shared tiny build (``tests/conftest.py``).
"""

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

SEED = 7


@pytest.fixture(scope="module")
def sdg_build(tiny_build):
    """The SDG marts of the session's tiny build (seed 7, built with the country override of 8)."""
    data_dir, summary = tiny_build["data_dir"], tiny_build["summary"]
    manifest = json.loads((data_dir / "manifest.json").read_text())
    with duckdb.connect(str(summary["published"]), read_only=True) as con:
        tables = {
            name: con.execute(f"select * from marts.{name}").df()
            for name in (
                "fct_sdg_panel_estimates",
                "rpt_sdg_deterioration_counts",
                "fct_sdg_permutation_counts",
                "rpt_sdg_permutation_summary",
                "fct_sdg_panel_inputs",
                "dim_sdg_indicator",
            )
        }
        seed_grades = dict(
            con.execute(
                "select metal_symbol, t_metal_per_unit from seeds.sdg_mined_dmi_sources where priority = 1"
            ).fetchall()
        )
    return {"data_dir": data_dir, "summary": summary, "manifest": manifest, "grades": seed_grades, **tables}


def test_goal_and_direction_read_from_the_demo_files(sdg_build):
    truth = sdg_build["manifest"]["panel"]["indicators"]
    dim = sdg_build["dim_sdg_indicator"].set_index("indicator_code")
    for code, entry in truth.items():
        assert dim.loc[code, "goal"] == entry["goal"]
        assert dim.loc[code, "better"] == entry["better"]
        assert dim.loc[code, "mapping_source"] == "files"
    assert dim.loc[list(truth), "is_selected"].all()


def test_panel_inputs_equal_the_planted_dmi(sdg_build):
    """Imported DMI is the generator's exactly; mined differs only by the seed grade / demo grade ratio."""
    manifest = sdg_build["manifest"]
    truth = pd.read_csv(sdg_build["data_dir"] / manifest["panel"]["dmi_file"])
    demo_grades = {v["metal"]: v["grade"] for v in manifest["material_flows"]["ccc_grades"].values()}
    ours = sdg_build["fct_sdg_panel_inputs"].rename(columns={"metal_symbol": "metal", "source_group": "route"})
    both = truth.merge(ours, on=["iso3", "year", "metal", "route"], suffixes=("_truth", "_ours"))
    assert len(both) == len(truth)
    ratio = np.where(
        both["route"] == "mined",
        both["metal"].map(sdg_build["grades"]) / both["metal"].map(demo_grades),
        1.0,
    )
    expected = both["dmi_t_truth"] * ratio
    np.testing.assert_allclose(both["dmi_t_ours"], expected, rtol=1e-9, atol=1e-9)


def test_planted_effects_recovered_with_sign_and_significance(sdg_build):
    panel = sdg_build["manifest"]["panel"]
    est = sdg_build["fct_sdg_panel_estimates"].set_index(["indicator_code", "metal", "source"])
    assert panel["planted"]
    for entry in panel["planted"]:
        truth = panel["indicators"][entry["indicator"]]
        row = est.loc[(entry["indicator"], entry["metal"], entry["route"])]
        assert np.sign(row["coef"]) == np.sign(truth["beta"]), entry
        assert row["p_adjusted_holm"] < 0.05 and row["p_adjusted_bh"] < 0.05, entry
        assert abs(row["coef"] - truth["beta"]) < 4 * row["se"], (entry, row["coef"], truth["beta"])
        worse = np.sign(truth["beta"]) * (1 if truth["better"] == "higher" else -1) < 0
        assert bool(row["deteriorates_holm"]) == worse and bool(row["improves_holm"]) == (not worse)


def test_planted_nulls_not_significant_after_correction(sdg_build):
    """Designated nulls (beta = 0) that are null in the written data too are not significant after Holm.

    "Null in the written data": the generator's own within-OLS on the cells it wrote (manifest
    ``fit_on_written``, homoskedastic SE) has |t| < 2. Measured at this scale (seed 7, 10 countries):
    SDG.DEMO.07.1 x Zn imported has |t| = 2.96 there (a chance correlation, with a planted BACI outlier
    giving one Zn import point huge leverage; clustered t = -8.0), so it is left out. BH controls the false
    discovery rate, not the family-wise error, and 10 clusters make clustered SEs small: one null may pass
    it (SDG.DEMO.05.1 x Ni imported: written t 1.23, clustered t 3.6, BH 0.0066, Holm 0.14). On the small
    world (seed 0, 40 countries) no designated null had BH below 0.29.
    """
    panel = sdg_build["manifest"]["panel"]
    est = sdg_build["fct_sdg_panel_estimates"].set_index(["indicator_code", "metal", "source"])
    keys = [(e["indicator"], e["metal"], e["route"]) for e in panel["nulls"]]
    clean = [k for k in keys if abs(panel["indicators"][k[0]]["fit_on_written"]["t"]) < 2]
    found = [key for key in clean if key in est.index]
    assert len(found) >= len(clean) - 1 and len(clean) >= len(keys) - 2
    assert (est.loc[found, "p_adjusted_holm"] >= 0.05).all()
    assert not est.loc[found, "deteriorates_holm"].any() and not est.loc[found, "improves_holm"].any()
    assert (est.loc[found, "p_adjusted_bh"] < 0.05).sum() <= 1


def test_counts_permutation_null_and_figure(sdg_build):
    est, counts, null = (
        sdg_build["fct_sdg_panel_estimates"],
        sdg_build["rpt_sdg_deterioration_counts"],
        sdg_build["fct_sdg_permutation_counts"],
    )
    total = counts.query("level == 'all' and source == 'all' and goal == 0").iloc[0]
    assert total["n_tests"] == len(est)
    assert total["n_deteriorating_holm"] == est["deteriorates_holm"].sum()
    by_goal = counts.query("level == 'all' and source == 'all' and goal > 0")
    assert by_goal["n_deteriorating_raw"].sum() == total["n_deteriorating_raw"]
    assert len(null) == 201 and null["permutation"].is_unique
    observed = null.query("permutation == 0").iloc[0]
    shuffled = null.query("permutation > 0")
    # The planted effects are strong: the observed Holm count beats 95 % of the shuffles.
    assert observed["n_deteriorating_holm"] + observed["n_improving_holm"] > np.percentile(
        shuffled["n_deteriorating_holm"] + shuffled["n_improving_holm"], 95
    )
    figure = Path(sdg_build["summary"]["build"]).parent / "figures" / "figure1_sdg_deterioration.png"
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_counts_model_equals_the_reference_counting(sdg_build):
    # rpt_sdg_deterioration_counts is SQL (GROUPING SETS) over the estimates; analysis.sdg_panel keeps the
    # same counting in pandas as the reference: every row and every number must agree.
    from analysis.sdg_panel import deterioration_counts

    est = sdg_build["fct_sdg_panel_estimates"]
    groups = dict(zip(est["metal"], est["metal_group"], strict=False))
    reference = deterioration_counts(est, groups)
    key = ["level", "group_name", "source", "goal"]
    ours = sdg_build["rpt_sdg_deterioration_counts"].sort_values(key).reset_index(drop=True)
    reference = reference.sort_values(key).reset_index(drop=True)[ours.columns]
    assert len(ours) == len(reference) > 100
    pd.testing.assert_frame_equal(ours, reference, check_dtype=False)


def test_permutation_summary_by_hand(sdg_build):
    null, summary = sdg_build["fct_sdg_permutation_counts"], sdg_build["rpt_sdg_permutation_summary"]
    shuffled = null[~null["is_observed"]]
    for correction in ("raw", "bh", "holm"):
        row = summary.set_index("correction").loc[correction]
        counts = shuffled[f"n_deteriorating_{correction}"]
        observed = int(null.loc[null["is_observed"], f"n_deteriorating_{correction}"].iloc[0])
        assert row["observed_n_deteriorating"] == observed
        assert row["n_permutations"] == len(shuffled) == 200
        assert row["null_mean_n_deteriorating"] == pytest.approx(counts.mean())
        assert row["null_p95_n_deteriorating"] == pytest.approx(np.percentile(counts, 95))
        assert row["empirical_p"] == pytest.approx((1 + (counts >= observed).sum()) / (1 + len(counts)))
