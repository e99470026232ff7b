"""Import content of AI-related final demand across the OECD national IO tables (real build), and Japan's
cross-check against the MIC-based competitive result; on the demo world, the planted import content."""

import duckdb
import pytest


def _frame(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).df()


def test_real_import_content_for_60_countries_in_2015(real_build):
    db = real_build["published"]
    content = _frame(db, "select * from marts.rpt_oecd_import_content where year = 2015")
    c26 = content[content["industry"] == "C26"]
    assert c26["country_iso3"].nunique() >= 60
    assert set(content["industry"]) == {"C26", "C28", "J62_63"}  # var oecd_ai_industries
    assert ((c26["import_content_usd_per_usd"] > 0) & (c26["import_content_usd_per_usd"] < 1)).all()
    # the total is the imported final share plus the inputs imported through the supply chain
    parts = c26["imported_final_demand_share"] + c26["intermediate_import_content_usd_per_usd"]
    assert c26["import_content_usd_per_usd"].to_numpy() == pytest.approx(parts.to_numpy(), rel=1e-12)
    assert (c26["n_countries_in_year"] == len(c26)).all()


def test_real_japan_cross_check(real_build):
    check = _frame(real_build["published"], "select * from marts.rpt_oecd_import_content_japan_check").set_index(
        "sector_key"
    )
    basic = check[check["table_id"] == "japan_2015_basic_std"]
    assert set(basic.index) == {"computers", "pcs", "robots"}
    assert basic.loc["pcs", "oecd_industry"] == "C26" and basic.loc["robots", "oecd_industry"] == "C28"
    assert basic["oecd_import_content_usd_per_usd"].notna().all()
    assert (basic["oecd_import_content_usd_per_usd"].between(0, 1)).all()
    diff = basic["oecd_import_content_usd_per_usd"] - basic["mic_import_content_cif_yen_per_yen"]
    assert basic["oecd_minus_mic_cif"].to_numpy() == pytest.approx(diff.to_numpy())


def test_demo_import_content_equals_the_planted_truth(tiny_build):
    db, truth = tiny_build["published"], tiny_build["manifest"]["oecd_iot"]
    content = _frame(db, "select * from marts.fct_oecd_import_content")
    # only the years of var oecd_iot_years (2015) are loaded, though the zip holds 2016 too
    assert set(content["year"]) == {2015} and "2016" in truth["import_content"]
    planted = truth["import_content"]["2015"]
    assert len(content) == len(planted) * 3  # C26, C28, J62_63 (A01_02 is in the table, not asked for)
    for row in content.itertuples():
        assert row.import_content_usd_per_usd == pytest.approx(planted[row.country_iso3][row.industry], rel=1e-9)
    check = _frame(db, "select * from marts.rpt_oecd_import_content_japan_check").set_index("sector_key")
    assert check.loc["pcs", "oecd_import_content_usd_per_usd"] == pytest.approx(planted["JPN"]["C26"], rel=1e-9)
    assert check.loc["robots", "oecd_import_content_usd_per_usd"] == pytest.approx(planted["JPN"]["C28"], rel=1e-9)
