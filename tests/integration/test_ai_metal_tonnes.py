"""Tonnes of goods and of metal per million yen of AI-sector demand (issue 16 item 2) and the AI-demand pathways
to 2050 (item 4), against the demo world's planted unit values, bills of materials, metal contents and the
user's IAMC pathway, recomputed by hand from the raw tables; and what the real build converts."""

import csv

import duckdb
import pytest

from warehouse import config
from warehouse.demo_world.metal_content import METAL_CONTENT
from warehouse.demo_world.metal_flag_sources import BOMS
from warehouse.params import declared

JAPAN = 392
CRITICAL = {"Li", "Cr", "Co", "Ni", "Ga", "Mo", "Pd", "Nd", "Dy", "Pt"}


def _query(db, sql, params=()):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def _unit_value(db, hs6, importer=None):
    """Sum of value over sum of quantity (thousand USD per tonne) in the table year, by hand from raw flows."""
    where = "k = ? and t = ? and q > 0 and v > 0" + (" and j = ?" if importer else "")
    params = [hs6, declared()["io_table_year"]] + ([importer] if importer else [])
    row = _query(db, f"select sum(v) / sum(q) as uv, count(*) as n from raw.baci_flows where {where}", params)
    return row.loc[0, "uv"], row.loc[0, "n"]


def _class_contents():
    """Metal content of each bill-of-materials class, (low, central, high), as the seed states it."""
    path = config.PROJECT_ROOT / "dbt_project" / "seeds" / "io" / "bdg_bom_material_metals.csv"
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    contents: dict[str, dict[str, tuple[float, float, float]]] = {}
    for row in rows:
        band = (float(row["share_low"]), float(row["share_central"]), float(row["share_high"]))
        contents.setdefault(row["material"], {})[row["metal"]] = band
    return contents


def _model_shares(device, metal):
    """(low, central, high) share of a metal in each planted model of a device: the grams of every class x
    its content, over the model's grams (the "Total mass (g)" rows are totals, not a class)."""
    contents = _class_contents()
    totals, metal_g = {}, {}
    for dev, model, _, _, material, grams in BOMS:
        if dev != device or material == "Total mass (g)":
            continue
        totals[model] = totals.get(model, 0.0) + grams
        band = contents.get(material, {}).get(metal, (0.0, 0.0, 0.0))
        previous = metal_g.get(model, (0.0, 0.0, 0.0))
        metal_g[model] = tuple(p + grams * c for p, c in zip(previous, band, strict=True))
    return [tuple(g / totals[m] for g in metal_g[m]) for m in totals]


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
    # 847120 (UNU 0303 laptops), the two planted models: Demo Book 13 (818 g: Al 220.5 g, a 180 g circuit
    # board, a 310 g Li-ion battery …) and Demo Book 15 (400 g of plastic). Al: the aluminium part plus the
    # board's Al content; Co, Li, Ni from the battery, Pd and Cr from the board (the cited compositions)
    book_13_al = (220.5 + 180.0 * 0.01) / 818.0
    assert max(band[0] for band in _model_shares("Laptop", "Al")) == pytest.approx(book_13_al)
    for metal in ("Al", "Co", "Li", "Ni", "Pd", "Cr", "Pb", "Zn"):
        models = _model_shares("Laptop", metal)
        row = shares.loc[("847120", metal)]
        assert row["share_source"] == "device_bom" and row["n_models"] == 2, metal
        assert (row["share_low"], row["share_central"], row["share_high"]) == pytest.approx(
            (min(m[0] for m in models), sum(m[1] for m in models) / 2, max(m[2] for m in models))
        ), metal
    # Co by hand: Book 13 holds 310 g of battery x 0.189958 (central) in 818 g, Book 15 none -> mean of the two
    assert shares.loc[("847120", "Co"), "share_central"] == pytest.approx(310.0 * 0.189958 / 818.0 / 2)
    # the content table wins where it has the item and metal: Fe and Cu of 847120 as planted
    planted = {(hs6, metal): share for hs6, metal, share, _ in METAL_CONTENT}
    for metal in ("Fe", "Cu"):
        row = shares.loc[("847120", metal)]
        assert row["share_source"] == "metal_content_file"
        assert row["share_low"] == row["share_high"] == pytest.approx(planted[("847120", metal)])
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
    # the planted battery and board put critical metals into the PCs' tonnes
    pcs = metals.loc["pcs"]
    assert {"Co", "Li", "Ni", "Pd"} <= set(pcs.index[pcs["metal_t_per_myen"] > 0])


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
            row["n_items_japan_unit_value"]
            + row["n_items_world_unit_value"]
            + row["n_items_other_release_unit_value"]
            + row["n_items_unconverted"]
            == row["n_items"]
        )
        assert row["n_items_other_release_unit_value"] == 0  # the demo folder holds one BACI release


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
    """Issue 16's done-when on the default real release: per sector, tonnes per million yen of >= 5 metals
    incl. Fe, Al, Cu and >= 2 critical ones, each with low <= central <= high; nothing dropped."""
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
    for sector, group in metals.groupby("sector_key"):
        reached = group[group["metal_t_per_myen"] > 0]
        symbols = set(reached["metal_symbol"])
        assert {"Fe", "Al", "Cu"} <= symbols and len(symbols) >= 5, (sector, symbols)
        assert len(symbols & CRITICAL) >= 2, (sector, symbols)
        assert (group["metal_t_per_myen_low"] <= group["metal_t_per_myen"] * (1 + 1e-12)).all()
        assert (group["metal_t_per_myen"] <= group["metal_t_per_myen_high"] * (1 + 1e-12)).all()
        assert (group["metal_t_per_myen_high"] > group["metal_t_per_myen_low"]).any()
    # The default release (V202401b) holds raw materials only: the electronics groups stay whole in yen
    # (Table 1's split) but take a unit value from the folder's other release (V202301, 2021), said per row,
    # at that year's exchange rate; the computers' and PCs' own imports reach metal tonnes that way.
    items = _query(db, "select * from marts.rpt_ai_sector_item_tonnes")
    converted = items[items["conversion_status"] != "unconverted"]
    assert (
        converted["unit_value_basis"]
        .isin(["japan_imports", "world_flows", "other_release_japan_imports", "other_release_world_flows"])
        .all()
    )
    other = converted[converted["unit_value_basis"].str.startswith("other_release")]
    assert len(other) and (other["unit_value_release"] == "V202301").all()
    rates = declared()["io_jpy_per_usd_other_years"]
    assert (other["jpy_per_usd"] == rates[2021]).all() and (other["unit_value_year"] == 2021).all()
    own = converted[~converted["unit_value_basis"].str.startswith("other_release")]
    assert (own["unit_value_release"] == "V202401b").all() and (
        own["jpy_per_usd"] == declared()["io_jpy_per_usd"]
    ).all()
    groups = items[items["split_level"] == "io_group"]
    assert groups["hs6"].isna().all() and (groups["unit_value_scope"].dropna() == "group_items").all()
    for sector in ("computers", "pcs"):
        row = parts[parts["sector_key"] == sector].iloc[0]
        assert row["metal_tonnes_myen_per_myen"] > 0.85 * row["induced_import_myen_per_myen"], sector
    pathways = _query(db, "select distinct pathway_kind, metal_symbol from marts.rpt_ai_demand_pathway_metal_tonnes")
    assert {"gdp_share", "growth_multiplier"} <= set(pathways["pathway_kind"])
    assert {"Fe", "Al", "Cu", "Ni", "Pd"} <= set(pathways["metal_symbol"])
