"""Tonnes of goods and of metal per million yen of AI-sector demand (issue 16 item 2) and the AI-demand pathways
to 2050 (item 4), against the demo world's planted unit values, bills of materials, metal contents and the
user's IAMC pathway, recomputed by hand from the raw tables; and what the real build converts."""

import duckdb
import pytest

from warehouse.demo_world.metal_content import METAL_CONTENT
from warehouse.demo_world.metal_flag_sources import BOMS
from warehouse.params import declared

JAPAN = 392


def _query(db, sql, params=()):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def _unit_value(db, hs6, importer=None):
    """Sum of value over sum of quantity (thousand USD per tonne) in the table year, by hand from raw flows."""
    where = "k = ? and t = ? and q > 0 and v > 0" + (" and j = ?" if importer else "")
    params = [hs6, declared()["io_table_year"]] + ([importer] if importer else [])
    row = _query(db, f"select sum(v) / sum(q) as uv, count(*) as n from raw.baci_flows where {where}", params)
    return row.loc[0, "uv"], row.loc[0, "n"]


def _laptop_shares(material):
    """Mass share of a material class in each planted laptop model (grams over the model's summed grams)."""
    totals, grams = {}, {}
    for device, model, _, _, mat, g in BOMS:
        if device != "Laptop" or mat == "Total mass (g)":
            continue
        totals[model] = totals.get(model, 0.0) + g
        grams[model] = grams.get(model, 0.0) + (g if mat == material else 0.0)
    return [grams[m] / totals[m] for m in totals]


def test_demo_items_reach_tonnes_at_the_planted_unit_values(tiny_build):
    db = tiny_build["published"]
    rate = declared()["io_jpy_per_usd"]
    items = _query(db, "select * from marts.rpt_ai_sector_item_tonnes").set_index(["sector_key", "hs6"])
    pcs = items.loc[("pcs", "847120")]
    uv, n = _unit_value(db, "847120", JAPAN)
    assert n > 0 and pcs["unit_value_basis"] == "japan_imports"
    assert pcs["unit_value_kusd_per_t"] == pytest.approx(uv)
    # million yen -> thousand USD -> tonnes
    assert pcs["goods_t_per_myen"] == pytest.approx(pcs["induced_import_myen_per_myen"] * 1e3 / rate / uv)
    # pig iron: Japan imports none in the demo world, so the world unit value is used and said so
    assert _unit_value(db, "720110", JAPAN)[1] == 0
    pig = items.loc[("pcs", "720110")]
    assert pig["unit_value_basis"] == "world_flows"
    assert pig["unit_value_kusd_per_t"] == pytest.approx(_unit_value(db, "720110")[0])
    # Table 1 is kept whole: every item with induced imports is here, converted or not
    table_1 = _query(db, "select sector_key, hs6 from marts.rpt_ai_sector_import_dependence")
    assert len(items) == len(table_1)


def test_demo_metal_tonnes_follow_the_planted_bills_and_contents(tiny_build):
    db = tiny_build["published"]
    shares = _query(db, "select * from intermediate.int_io__hs6_metal_mass_shares").set_index(["hs6", "metal_symbol"])
    # Al in 847120 (UNU 0303 laptops): the two planted laptop models, 220.5 g of 818 g and none of 400 g
    laptops = _laptop_shares("Aluminum")
    assert sorted(laptops) == pytest.approx([0.0, 220.5 / 818.0])
    al = shares.loc[("847120", "Al")]
    assert al["share_source"] == "device_bom" and al["n_models"] == 2
    assert (al["share_low"], al["share_central"], al["share_high"]) == pytest.approx(
        (min(laptops), sum(laptops) / 2, max(laptops))
    )
    # the content table wins where it has the item and metal: Fe and Cu of 847120 as planted
    planted = {(hs6, metal): share for hs6, metal, share, _ in METAL_CONTENT}
    for metal in ("Fe", "Cu"):
        row = shares.loc[("847120", metal)]
        assert row["share_source"] == "metal_content_file"
        assert row["share_low"] == row["share_high"] == pytest.approx(planted[("847120", metal)])
    # no cited cathode composition: the battery gives no Li tonnes
    assert ("847120", "Li") not in shares.index
    # metal tonnes of a sector = sum over its items of goods tonnes x share, with the band
    items = _query(db, "select * from marts.rpt_ai_sector_item_tonnes where goods_t_per_myen is not null")
    joined = items.merge(shares.reset_index(), on="hs6")
    metals = _query(db, "select * from marts.rpt_ai_sector_metal_tonnes").set_index(["sector_key", "metal_symbol"])
    for (sector, metal), group in joined.groupby(["sector_key", "metal_symbol"]):
        row = metals.loc[(sector, metal)]
        for band, col in (
            ("low", "metal_t_per_myen_low"),
            ("central", "metal_t_per_myen"),
            ("high", "metal_t_per_myen_high"),
        ):
            assert row[col] == pytest.approx((group["goods_t_per_myen"] * group[f"share_{band}"]).sum())
    assert len(metals) == joined.groupby(["sector_key", "metal_symbol"]).ngroups
    assert {"Al", "Cu", "Fe"} <= set(metals.reset_index()["metal_symbol"])


def test_demo_conversion_parts_add_up_to_table_1(tiny_build):
    db = tiny_build["published"]
    parts = _query(db, "select * from marts.rpt_ai_sector_tonnes_unconverted").set_index("sector_key")
    totals = _query(
        db,
        "select sector_key, sum(induced_import_yen_per_yen) as total from marts.rpt_ai_sector_import_dependence "
        "group by sector_key",
    ).set_index("sector_key")["total"]
    for sector, row in parts.iterrows():
        assert row["induced_import_myen_per_myen"] == pytest.approx(totals[sector])
        assert row["metal_tonnes_myen_per_myen"] + row["goods_tonnes_only_myen_per_myen"] + row[
            "unconverted_myen_per_myen"
        ] == pytest.approx(row["induced_import_myen_per_myen"])
        assert (
            row["n_items_japan_unit_value"] + row["n_items_world_unit_value"] + row["n_items_unconverted"]
            == row["n_items"]
        )


def test_demo_pathways_scale_the_per_unit_results(tiny_build):
    db, truth = tiny_build["published"], tiny_build["manifest"]["scenarios"]["ai_demand"]
    params = declared()
    base_year, end_year, growth = params["io_table_year"], params["scenario_end_year"], params["ai_demand_growth_rate"]
    demand = _query(db, "select * from marts.rpt_ai_demand_pathways")
    kinds = set(demand["pathway_kind"])
    assert kinds == {"gdp_share", "growth_multiplier", "iamc"}
    growth_rows = demand[demand["pathway"] == "growth_multiplier"]
    assert len(growth_rows) == 3 * (end_year - base_year + 1)
    last = growth_rows[growth_rows["year"] == end_year]
    assert last["demand_index"].to_numpy() == pytest.approx((1 + growth) ** (end_year - base_year))
    # the user's IAMC pathway as planted: PCs only, 10 % a year
    user = demand[demand["pathway"] == truth["pathway"]]
    assert set(user["sector_key"]) == {truth["sector_key"]}
    row = user[user["year"] == 2050].iloc[0]
    assert row["demand_index"] == pytest.approx((1 + truth["annual_growth"]) ** (2050 - base_year))
    # constant share of Japan's GDP in each Figure 2 pathway
    gdp = _query(
        db,
        "select pathway, year, gdp_intl_usd2011 from marts.fct_scenario_country_pathways where iso3 = 'JPN'",
    ).set_index(["pathway", "year"])["gdp_intl_usd2011"]
    for _, r in demand[demand["pathway_kind"] == "gdp_share"].iterrows():
        src = r["source_pathway"]
        assert r["demand_index"] == pytest.approx(gdp[(src, r["year"])] / gdp[(src, params["scenario_base_year"])])
    # induced imports and metal tonnes are the per-unit results times final demand
    per_unit = _query(db, "select * from marts.rpt_ai_sector_tonnes_unconverted").set_index("sector_key")
    assert demand["induced_import_myen"].to_numpy() == pytest.approx(
        (demand["final_demand_myen"] * demand["sector_key"].map(per_unit["induced_import_myen_per_myen"])).to_numpy()
    )
    metals = _query(db, "select * from marts.rpt_ai_demand_pathway_metal_tonnes")
    per_metal = _query(db, "select * from marts.rpt_ai_sector_metal_tonnes").set_index(["sector_key", "metal_symbol"])
    expected = metals["final_demand_myen"] * [
        per_metal.loc[(s, m), "metal_t_per_myen"]
        for s, m in zip(metals["sector_key"], metals["metal_symbol"], strict=True)
    ]
    assert metals["metal_t"].to_numpy() == pytest.approx(expected.to_numpy())
    assert (metals["metal_t_low"] <= metals["metal_t"] * (1 + 1e-12)).all()
    # beside Figure 2's world trade of the same items, as a share of it
    beside = _query(db, "select * from marts.rpt_ai_demand_vs_world_trade")
    assert len(beside) > 0
    assert set(beside["hs6"]) <= set(_query(db, "select distinct hs6 from marts.fct_trade_projections")["hs6"])
    positive = beside[beside["world_trade_t"] > 0]
    assert positive["share_of_world_trade"].to_numpy() == pytest.approx(
        (positive["ai_goods_t"] / positive["world_trade_t"]).to_numpy()
    )
    own = beside[beside["pathway_kind"] == "gdp_share"]
    assert (own["pathway"] == "gdp_share:" + own["trade_scenario"]).all()


def test_real_build_tonnes_per_sector(real_build):
    """Which metals get tonnes per million yen on the real inputs (no metal-content file is among them)."""
    db = real_build["published"]
    metals = _query(db, "select * from marts.rpt_ai_sector_metal_tonnes")
    parts = _query(db, "select * from marts.rpt_ai_sector_tonnes_unconverted")
    assert set(parts["sector_key"]) == {"computers", "pcs", "robots"}
    # nothing is dropped: converted and unconverted parts add up to Table 1
    total = (
        parts["metal_tonnes_myen_per_myen"]
        + parts["goods_tonnes_only_myen_per_myen"]
        + parts["unconverted_myen_per_myen"]
    )
    assert total.to_numpy() == pytest.approx(parts["induced_import_myen_per_myen"].to_numpy())
    # The real build's default BACI release (V202401b) holds raw materials only: Japan imports none of the
    # electronics items there, so their IO groups stay whole (no item, no unit value) and stay in yen. What
    # reaches tonnes is what is imported as the metal itself (HS legal-note purities: unwrought Al, Pt, Pd),
    # banded; the device bills of materials need item-level electronics imports (--baci-release V202301).
    items = _query(db, "select * from marts.rpt_ai_sector_item_tonnes")
    groups = items[items["split_level"] == "io_group"]
    assert len(groups) and (groups["conversion_status"] == "unconverted").all() and groups["hs6"].isna().all()
    for sector, group in metals.groupby("sector_key"):
        assert "Al" in set(group["metal_symbol"]), sector
        assert (group["metal_group"] == "critical").sum() >= 2, sector  # Pt and Pd
        assert (group["metal_t_per_myen_high"] >= group["metal_t_per_myen_low"]).all()
        assert (group["metal_t_per_myen_high"] > group["metal_t_per_myen_low"]).any()
    assert (parts["unconverted_myen_per_myen"] > 0.5 * parts["induced_import_myen_per_myen"]).any()
    pathways = _query(db, "select distinct pathway_kind from marts.rpt_ai_demand_pathway_metal_tonnes")
    assert {"gdp_share", "growth_multiplier"} <= set(pathways["pathway_kind"])
