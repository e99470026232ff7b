"""The analyses on the real 30-year inputs (shared ``real_build``) and their demo counterparts (``tiny_build``):
real cleaning flags, both metal-input routes, Figure 1 beside the programme, Figure 2 per commodity, Comtrade,
the outside metal-flag check and what each output rests on."""

import math

from tests.helpers import query

PANEL_METALS = {"Al", "Co", "Cr", "Cu", "Fe", "Mo", "Nd", "Ni", "Pb", "Pt", "Zn"}


def test_real_cleaning_flags_real_outliers(real_build):
    db = real_build["published"]
    rules = query(db, "select * from marts.rpt_trade_cleaning_rule_comparison").set_index("cleaning_rule")
    # 30 years of one release, 74 codes: 1,203,206 flows with a weight; the programme's rule flags 45,625
    assert rules.loc["ma_sd", "n_points_tested"] == 1_203_206
    assert rules.loc["ma_sd", "n_points_flagged"] == 45_625
    assert (rules["n_points_flagged"] > 0).all()
    chapters = query(db, "select * from marts.rpt_trade_cleaning_by_chapter").set_index("hs_chapter")
    overall = chapters.loc["all"]
    assert overall["n_points_flagged"] == chapters.drop(index="all")["n_points_flagged"].sum() == 45_625
    assert overall["n_points_flagged"] / overall["n_points_reported"] == overall["share_points_flagged"]
    # end points reaching the threshold are counted though the programme's rule leaves them alone
    assert overall["n_end_points_over_threshold"] == 7_544 and overall["end_points_rule"] == "skip"
    largest = query(db, "select * from marts.rpt_trade_cleaning_largest_corrections order by correction_rank")
    assert len(largest) == 25 and list(largest.correction_rank) == list(range(1, 26))
    change = largest.reported_over_cleaned.map(lambda r: abs(math.log(r)))
    assert change.is_monotonic_decreasing
    # the largest corrections of the real series are near-zero reported weights interpolated up
    assert (largest.quantity_t_reported < largest.quantity_t).iloc[0]


def test_real_metal_input_has_both_routes_for_every_panel_metal(real_build):
    rows = query(
        real_build["published"],
        "select metal_symbol, route_group, count(distinct year) as n_years from marts.fct_metal_dmi "
        "where is_panel_metal and year between 2004 and 2013 group by all",
    )
    assert {(m, r) for m, r in zip(rows.metal_symbol, rows.route_group, strict=True)} == {
        (m, r) for m in PANEL_METALS for r in ("mined", "imported")
    }
    assert (rows.n_years == 10).all()
    sources = query(
        real_build["published"],
        "select distinct metal_symbol, source_dataset from marts.fct_metal_dmi where route = 'mined'",
    )
    assert dict(zip(sources.metal_symbol, sources.source_dataset, strict=True))["Mo"] == "mine production file"
    agreement = query(real_build["published"], "select * from marts.rpt_metal_dmi_mined_source_agreement").set_index(
        "metal_symbol"
    )
    assert "Mo" not in agreement.index  # one source only
    assert agreement.loc["Nd", "other_source"] == "mine production file"
    # IRP chromium ore and the file's chromite (same grade): the same tonnage to within 1 %
    assert abs(agreement.loc["Cr", "total_ratio"] - 1.0) < 0.01 and agreement.loc["Cr", "median_ratio"] == 1.0


def test_real_figure1_sits_beside_the_programme(real_build):
    fig = query(real_build["published"], "select * from marts.rpt_sdg_figure1_vs_programme").set_index("measure")
    assert fig.loc["mined_per_metal", "programme_value"] == 10.3
    assert fig.loc["imported_per_metal", "programme_value"] == 8.6
    assert fig.loc["widest_metal", "programme_label"] == "Co"
    for measure in ("mined_per_metal", "imported_per_metal", "base_per_metal", "critical_per_metal"):
        row = fig.loc[measure]
        assert row.ours_raw >= row.ours_bh >= row.ours_holm >= 0
        assert row.null_mean_raw > 0
    assert "Mo mine production file" in fig.loc["mined_per_metal", "inputs"]
    assert "seed sdg_raw_material_metal_content" in fig.loc["imported_per_metal", "inputs"]


def test_real_figure2_fits_the_energy_codes_and_says_why_the_others_are_empty(real_build):
    status = query(real_build["published"], "select * from marts.fct_trade_model_status").set_index("hs6")
    assert set(status.index[status.status == "fitted"]) == {"270900", "271111"}
    assert (status.loc[["270900", "271111"], "alpha_grid_position"] == "interior").all()
    others = status[status.status != "fitted"]
    assert len(others) == 8 and others.reason.str.startswith("no real series").all()
    fits = query(real_build["published"], "select * from marts.fct_trade_model_fit")
    assert set(fits.hs6) == {"270900", "271111"}
    coverage = query(real_build["published"], "select * from marts.rpt_output_coverage").set_index("output_name")
    assert coverage.loc["figure2:847120", "status"] == "empty"
    assert coverage.loc["figure2:270900", "status"] != "empty"
    assert coverage.loc["table1", "status"] == "partial" and "74 of the 5022" in coverage.loc["table1", "reason"]


def test_real_second_sources(real_build):
    db = real_build["published"]
    assert query(db, "select count(*) as n from raw.comtrade_flows").n.iloc[0] == 146_470
    mirror = query(db, "select * from marts.rpt_trade_comtrade_mirror_summary").set_index("hs_code")
    lithium = mirror.loc["283691"]
    assert lithium.n_both > 0 and 0.5 < lithium.median_ratio < 2.0
    check = query(db, "select * from marts.rpt_product_metal_outside_check")
    assert check.agreement.value_counts().to_dict() == {"agree": 22, "outside_only": 3, "bdg_only": 2}
    ferro_vanadium = check[(check.hs6 == "720292") & (check.metal_symbol == "Fe")].iloc[0]
    assert ferro_vanadium.agreement == "bdg_only" and "Vanadium" in ferro_vanadium.outside_reason


def test_demo_outputs_say_they_rest_on_the_demo_world(tiny_build):
    db = tiny_build["published"]
    coverage = query(db, "select * from marts.rpt_output_coverage").set_index("output_name")
    assert set(coverage.status) <= {"demo", "empty"}
    assert coverage.loc["comtrade_mirror", "status"] == "empty"  # the demo world writes no Comtrade file
    assert coverage.loc["table1", "status"] == "demo"
    assert query(db, "select count(*) as n from marts.rpt_sdg_figure1_vs_programme").n.iloc[0] == 8
