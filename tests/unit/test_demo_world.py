"""Tests of the synthetic demo world (warehouse.demo_world): formats, determinism and planted truths."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from warehouse import demo_world
from warehouse.demo_world import SCALES, generate
from warehouse.demo_world.products import _all_product_codes
from warehouse.demo_world.wdi_sdg import _fe_ols

REAL = Path(__file__).resolve().parents[3] / "shared" / "data"


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tiny0")
    messages: list[str] = []
    manifest = generate(root, "tiny", seed=0, progress=messages.append)
    assert manifest == root / "manifest.json"
    assert any("BACI_HS92_Y2017" in m for m in messages)
    return root


@pytest.fixture(scope="module")
def manifest(world) -> dict:
    return json.loads((world / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def flows(world) -> pd.DataFrame:
    frames = [
        pd.read_csv(path, dtype={"k": str, "q": str}, keep_default_na=False)
        for path in sorted((world / "baci").glob("BACI_HS92_Y*.csv"))
    ]
    out = pd.concat(frames, ignore_index=True)
    out["k"] = out["k"].str.zfill(6)
    q = out["q"].str.strip()
    assert set(q[~q.str.fullmatch(r"\d+\.\d{3}")]) == {"NA"}
    out["q"] = pd.to_numeric(q.where(q != "NA"))
    return out


# ------------------------------------------------------------------------------------------ determinism
def test_same_seed_gives_identical_files_other_seed_differs(world, tmp_path):
    again = tmp_path / "again"
    other = tmp_path / "other"
    generate(again, "tiny", seed=0)
    generate(other, "tiny", seed=1)
    first, second, third = _digests(world), _digests(again), _digests(other)
    assert first == second
    assert set(first) == set(third)
    changed = [name for name in first if first[name] != third[name]]
    assert "manifest.json" in changed
    assert all(f"baci/BACI_HS92_Y{t}_V202301.csv" in changed for t in range(1995, 2018))
    assert not list(world.rglob(".partial-*"))


def test_scales_and_layout(world, manifest):
    assert {"tiny", "small", "medium", "full"} <= set(SCALES)
    assert manifest["scales"] == SCALES["tiny"]
    expected = [
        "baci/country_codes_V202301.csv",
        "baci/product_codes_HS92_V202301.csv",
        "metal_content/hs_metal_content.csv",
        "hs_raw_materials/geopolrisk_rawmaterial_hs_codes.csv",
        "product_composition/babbitt2020_bill_of_materials_long_cleaned.csv",
        "product_composition/unu_ewaste/htbl_CN_Match_Key.csv",
        "io/oecd_iot_2023/oecd_niot_demo.zip",
        "wdi/API_SDG_DS2_en_csv_v2_demo.csv",
        "wdi/Metadata_Indicator_API_SDG_DS2_en_csv_v2_demo.csv",
        "wdi/sdg/SDGSeries.csv",
        "wdi/demo-long-format.csv",
        "owid/owid-co2-data.csv",
        "wgi/2020_Worldwide_Governance_Indicators_1996-2019.csv",
        "material_flows/ccc.csv",
        "material_flows/DE_met_min_fos_CCC_demo.csv",
        "io/japan_2015/check_japan_2015_demo_std.xlsx",
        "scenarios/demo_scenarios_iamc.csv",
        "panel_truth_dmi.csv",
    ] + [f"material_flows/BGS_{c}_production.csv" for c in demo_world.BGS_COMMODITIES]
    for name in expected:
        assert (world / name).is_file(), name
        assert name in manifest["files"]
    assert len(list((world / "baci").glob("BACI_HS92_Y*_V202301.csv"))) == 23


def test_full_product_list_has_5022_codes_over_the_chapters():
    codes = _all_product_codes(0)
    assert len(codes) == len(set(codes)) == 5022
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert {int(c[:2]) for c in codes} == set(range(1, 98)) - {77}
    assert set(demo_world.REQUIRED_PRODUCTS) <= set(codes)


# ------------------------------------------------------------------------------------------------ BACI
def test_baci_format_matches_the_official_layout(world):
    raw = (world / "baci" / "BACI_HS92_Y2005_V202301.csv").read_bytes()
    assert raw.startswith(b'"t","i","j","k","v","q"\r\n')
    lines = raw.decode("ascii").split("\r\n")
    assert lines[-1] == ""
    body = lines[1:-1]
    assert "\n" not in raw.decode("ascii").replace("\r\n", "")
    parsed = next(csv.reader(io.StringIO(body[0])))
    assert len(parsed) == 6 and parsed[0] == "2005"
    na_seen = False
    for line in body:
        fields = line.split(",")
        assert len(fields) == 6
        t, i, j, k, v, q = fields
        assert t == "2005" and i.isdigit() and j.isdigit() and k.isdigit() and not k.startswith("0")
        assert not v.startswith('"') and (("." not in v) or (len(v.split(".")[1]) <= 3 and not v.endswith("0")))
        assert q.startswith('"') and q.endswith('"') and len(q) == 15
        inner = q[1:-1]
        if inner.strip() == "NA":
            assert inner == "           NA"
            na_seen = True
        else:
            assert inner == f"{float(inner):13.3f}"
    assert na_seen
    keys = [tuple(int(x) for x in line.split(",")[1:4]) for line in body]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_baci_code_lists(world, flows, manifest):
    countries = pd.read_csv(world / "baci" / "country_codes_V202301.csv", dtype=str, encoding="utf-8")
    assert list(countries.columns) == [
        "country_code",
        "country_name_abbreviation",
        "country_name_full",
        "iso_2digit_alpha",
        "iso_3digit_alpha",
    ]
    assert {"JPN", "CHN", "USA", "DEU", "KOR", "ZAF", "AUS", "COD", "CHL", "IND", "SCG"} <= set(
        countries.iso_3digit_alpha
    )
    assert countries.set_index("iso_3digit_alpha").loc["IND", "country_code"] == "699"
    products = pd.read_csv(world / "baci" / "product_codes_HS92_V202301.csv", dtype=str)
    assert list(products.columns) == ["code", "description"]
    assert products.code.str.fullmatch(r"\d{6}").all()
    assert set(demo_world.REQUIRED_PRODUCTS) <= set(products.code)
    assert set(flows.k) <= set(products.code)
    assert set(flows.i) | set(flows.j) <= set(countries.country_code.astype(int))
    scg = flows[(flows.i == 891) | (flows.j == 891)]
    assert len(scg) and scg.t.max() <= 2005
    counts = flows.groupby("t").size()
    assert counts.to_dict() == {int(k): v for k, v in manifest["baci"]["n_flows"].items()}


def test_outliers_lie_inside_long_series(flows, manifest):
    outliers = manifest["baci"]["outliers"]
    assert len(outliers) == manifest["baci"]["n_outliers"] > 5
    indexed = flows.set_index(["i", "j", "k"]).sort_index()
    for o in outliers:
        series = indexed.loc[(o["i"], o["j"], o["k"])]
        years = series.t.to_numpy()
        assert years.min() < o["t"] < years.max()
        assert series.q.notna().sum() >= 7
        assert not np.isnan(series.set_index("t").loc[o["t"], "q"])
        assert (8 <= o["factor"] <= 30) or (1 / 30 <= o["factor"] <= 1 / 10)


def test_trade_ridge_totals_and_relation(flows, manifest):
    ridge = manifest["trade_ridge"]
    x = np.column_stack([ridge["regressors"][n] for n in ridge["regressor_names"]])
    for code in demo_world.KEY_HS6:
        entry = ridge["products"][code]
        written = flows[flows.k == code].groupby("t").q.sum().reindex(range(1995, 2018), fill_value=0)
        np.testing.assert_allclose(written.to_numpy(), entry["total_as_written"], rtol=1e-9, atol=1e-6)
        beta = np.array([entry["beta"][n] for n in ridge["regressor_names"]])
        fitted = entry["alpha"] + x @ beta + np.array(entry["noise_realised"])
        np.testing.assert_allclose(entry["total_clean"], fitted, rtol=1e-6, atol=0.01 * len(flows))
    assert any(e["beats_naive"] for e in ridge["products"].values())


# -------------------------------------------------------------------------------------------------- IO
def test_io_table_balances_and_induced_imports(world, manifest):
    import openpyxl

    wb = openpyxl.load_workbook(world / "io" / "japan_2015" / "check_japan_2015_demo_std.xlsx", read_only=True)
    assert wb.sheetnames == ["Meta_data", "Set_data", "Value_data", "Set_data_en"]
    en_rows = list(wb["Set_data_en"].iter_rows(values_only=True))
    rows = list(wb["Value_data"].iter_rows(values_only=True))
    set_rows = list(wb["Set_data"].iter_rows(values_only=True))
    wb.close()
    assert rows[0][0] == "産業連関表（10億円）"
    header = list(rows[2])
    codes = manifest["io"]["sector_codes"]
    n = len(codes)
    assert header[1 : n + 1] == codes
    assert header[n + 1 :] == ["ohcc", "hhco", "gvco", "inve", "stck", "expo", "impo", "imta", "imtx", "Total"]
    assert [r[0] for r in rows[3 + n : 3 + n + 7]] == ["ohcr", "epin", "opse", "depr", "idtx", "subs", "Total"]
    assert "パーソナルコンピュータ" in [r[1] for r in set_rows[3:]]
    assert {"personal computers", "industrial robots"} <= {r[1] for r in en_rows[3:]}
    body = np.array([r[1:] for r in rows[3 : 3 + n]], dtype=float)
    va = np.array([r[1 : n + 1] for r in rows[3 + n : 3 + n + 6]], dtype=float)
    total_row = np.array(rows[3 + n + 6][1 : n + 1], dtype=float)
    np.testing.assert_allclose(body[:, :-1].sum(axis=1), body[:, -1], atol=1e-6)
    np.testing.assert_allclose(body[:, :n].sum(axis=0) + va.sum(axis=0), total_row, atol=1e-6)
    np.testing.assert_allclose(total_row, body[:, -1], atol=1e-9)
    assert (body[:, n + 6 : n + 9] <= 0).all()

    z, total = body[:, :n], body[:, -1]
    domestic = body[:, n : n + 5].sum(axis=1)
    imports = -body[:, n + 6 : n + 9].sum(axis=1)
    a_read = z / total[None, :]
    m_read = imports / (z.sum(axis=1) + domestic)
    io_truth = manifest["io"]
    np.testing.assert_allclose(a_read, io_truth["A_written"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(m_read, io_truth["m_written"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(io_truth["A_written"], io_truth["A"], atol=1e-3)
    for label, a_key, m_key in [("true", "A", "m"), ("written", "A_written", "m_written")]:
        a, m = np.array(io_truth[a_key]), np.array(io_truth[m_key])
        for code in demo_world.IO_AI_SECTORS:
            f = np.zeros(n)
            f[codes.index(code)] = 0.001
            keep = np.eye(n) - np.diag(m)
            x = np.linalg.solve(np.eye(n) - keep @ a, keep @ f)
            induced = m * (a @ x + f)
            recorded = io_truth["induced_imports"][label][code]
            np.testing.assert_allclose(induced, [recorded["by_sector"][c] for c in codes], rtol=1e-9, atol=1e-15)
            assert recorded["total"] == pytest.approx(induced.sum(), rel=1e-9)
    assert (np.array(io_truth["A"]).sum(axis=0) < 0.7).all()


# ----------------------------------------------------------------------------------------------- panel
def test_panel_dmi_matches_the_written_files(world, flows, manifest):
    truth = pd.read_csv(world / "panel_truth_dmi.csv")
    de = pd.read_csv(world / "material_flows" / "DE_met_min_fos_CCC_demo.csv", sep=";")
    shares = pd.read_csv(world / "metal_content" / "hs_metal_content.csv", dtype={"hs6": str})
    grades = manifest["material_flows"]["ccc_grades"]
    countries = {c["iso3"]: c for c in manifest["countries"]}
    checked = 0
    for iso3, metal in [("CHL", "Cu"), ("ZAF", "Pt"), ("JPN", "Fe"), ("COD", "Co")]:
        code = countries[iso3]["baci"]
        alpha = f"{iso3}{countries[iso3]['m49']:03d}"
        mined_codes = [c for c, g in grades.items() if g["metal"] == metal]
        rows = de[(de.alphanumiso == alpha) & de.CCC_Code.isin(mined_codes)]
        grade = rows.CCC_Code.map(lambda c: grades[c]["grade"]).astype(float)
        mined = (rows.value * grade).groupby(rows.year).sum()
        metal_shares = shares[shares.metal == metal].set_index("hs6").content_share
        imports = flows[(flows.j == code) & flows.k.isin(metal_shares.index)]
        imported = (imports.q.fillna(0) * imports.k.map(metal_shares)).groupby(imports.t).sum()
        for year in manifest["panel"]["years"]:
            row = truth[(truth.iso3 == iso3) & (truth.year == year) & (truth.metal == metal)].set_index("route")
            assert row.loc["mined", "dmi_t"] == pytest.approx(mined.get(year, 0.0), rel=1e-9, abs=1e-9)
            assert row.loc["imported", "dmi_t"] == pytest.approx(imported.get(year, 0.0), rel=1e-9, abs=1e-9)
        checked += mined.gt(0).any() + imported.gt(0).any()
    assert checked >= 4


def test_planted_sdg_effect_is_recoverable_from_the_written_files(world, manifest):
    panel = manifest["panel"]
    assert panel["planted"] and panel["nulls"]
    for entry in panel["planted"]:
        assert abs(panel["indicators"][entry["indicator"]]["fit_on_written"]["t"]) > 5
    first = panel["planted"][0]
    wide = pd.read_csv(world / "wdi" / "API_SDG_DS2_en_csv_v2_demo.csv", skiprows=4, encoding="utf-8-sig")
    wide = wide[wide["Indicator Code"] == first["indicator"]]
    years = [str(y) for y in panel["years"]]
    y = wide.melt(id_vars=["Country Code"], value_vars=years, var_name="year", value_name="y").dropna()
    y["year"] = y.year.astype(int)
    dmi = pd.read_csv(world / "panel_truth_dmi.csv")
    dmi = dmi[(dmi.metal == first["metal"]) & (dmi.route == first["route"])]
    owid = pd.read_csv(world / "owid" / "owid-co2-data.csv")
    wgi = pd.read_csv(world / "wgi" / "2020_Worldwide_Governance_Indicators_1996-2019.csv", encoding="latin-1")
    wgi = wgi[wgi.Indicator == demo_world.WGI_CONTROL]
    overrides = {v: k for k, v in manifest["wgi"]["code_overrides"].items()}
    wgi["iso3"] = wgi.Code.map(lambda c: overrides.get(c, c))
    data = (
        y.merge(dmi, left_on=["Country Code", "year"], right_on=["iso3", "year"])
        .merge(owid, left_on=["iso3", "year"], right_on=["iso_code", "year"])
        .merge(wgi[["iso3", "Year", "Estimate"]], left_on=["iso3", "year"], right_on=["iso3", "Year"])
    )
    assert set(data.iso3) == set(panel["countries"])
    regressors = np.column_stack(
        [
            np.log1p(data.dmi_t),
            np.log(data.gdp),
            np.log(data.population),
            np.log(data.primary_energy_consumption),
            data.Estimate,
        ]
    )
    fit = _fe_ols(data.y.to_numpy(), regressors, data.iso3.to_numpy())
    recorded = panel["indicators"][first["indicator"]]
    assert fit["n_obs"] == recorded["fit_on_written"]["n_obs"]
    assert fit["beta_hat"] == pytest.approx(recorded["fit_on_written"]["beta_hat"], rel=1e-6)
    assert abs(fit["beta_hat"] - recorded["beta"]) < 4 * fit["se"]


# ------------------------------------------------------------------------------------------ other files
def test_text_file_conventions(world):
    wide = (world / "wdi" / "API_SDG_DS2_en_csv_v2_demo.csv").read_bytes()
    assert wide.startswith(b'\xef\xbb\xbf"Data Source","World Development Indicators",\r\n\r\n"Last Updated Date","')
    header = wide.split(b"\r\n")[4].decode()
    assert header.startswith('"Country Name","Country Code","Indicator Name","Indicator Code","1960",')
    assert header.endswith('"2020",')
    series = pd.read_csv(world / "wdi" / "sdg" / "SDGSeries.csv", encoding="utf-8-sig")
    assert series["Other notes"].str.match(r"Goal \d{1,2}: ").all()
    wgi = (world / "wgi" / "2020_Worldwide_Governance_Indicators_1996-2019.csv").read_bytes()
    assert wgi.startswith(b'"","Country/Territory","Code","Year","Estimate"') and b"\r\n" in wgi
    years = pd.read_csv(io.BytesIO(wgi), encoding="latin-1").Year.unique()
    assert not {1997, 1999, 2001} & set(years) and {1996, 2019} <= set(years)
    owid = pd.read_csv(world / "owid" / "owid-co2-data.csv")
    assert "OWID_WRL" in set(owid.iso_code) and owid.iso_code.isna().any()
    scen = pd.read_csv(world / "scenarios" / "demo_scenarios_iamc.csv")
    assert list(scen.columns[:5]) == ["MODEL", "SCENARIO", "REGION", "VARIABLE", "UNIT"]
    iam = scen[scen.MODEL == "DEMO-IAM 1.0"]
    assert set(iam.SCENARIO) == {"SSP2-Baseline", "SSP1-2C"} and "World" in set(iam.REGION)
    # the user's AI-demand pathway: one row, an index of 1 in 2015 growing 10 % a year
    user = scen[scen.MODEL == "DEMO-USER"]
    assert list(user.VARIABLE) == ["AI Demand|pcs"] and user["2015"].iloc[0] == 1
    assert user["2050"].iloc[0] == pytest.approx(1.1**35)


@pytest.mark.realdata
def test_headers_mirror_the_real_files(world):
    if not REAL.is_dir():
        pytest.skip(f"real data folder {REAL} not found")

    def first_line(path: Path, n: int = 1) -> list[bytes]:
        with open(path, "rb") as handle:
            return [handle.readline() for _ in range(n)]

    pairs = [
        ("baci/BACI_HS92_Y2021_V202301_exporters_AFG_ZAF.csv", "baci/BACI_HS92_Y1995_V202301.csv", 1),
        ("baci/country_codes_V202301.csv", "baci/country_codes_V202301.csv", 1),
        ("baci/product_codes_HS92_V202301.csv", "baci/product_codes_HS92_V202301.csv", 1),
        ("owid/owid-co2-data_2020-12-09.csv", "owid/owid-co2-data.csv", 1),
        ("wgi/2020_Worldwide_Governance_Indicators_1996-2019.csv",
         "wgi/2020_Worldwide_Governance_Indicators_1996-2019.csv", 1),
        ("material_flows/ccc.csv", "material_flows/ccc.csv", 1),
        ("material_flows/DE_met_min_fos_CCC_2022-12-20.csv", "material_flows/DE_met_min_fos_CCC_demo.csv", 1),
        ("wdi/Metadata_Indicator_API_19_DS2_en_csv_v2_3053932.csv",
         "wdi/Metadata_Indicator_API_SDG_DS2_en_csv_v2_demo.csv", 1),
        ("wdi/sdg/SDGSeries.csv", "wdi/sdg/SDGSeries.csv", 1),
    ] + [(f"material_flows/BGS_{c}_production.csv", f"material_flows/BGS_{c}_production.csv", 1)
         for c in demo_world.BGS_COMMODITIES]  # fmt: skip
    for real, demo, n in pairs:
        assert first_line(REAL / real, n) == first_line(world / demo, n), demo
    real_wide = first_line(REAL / "wdi" / "poverty-raw-2021.csv", 5)
    demo_wide = first_line(world / "wdi" / "API_SDG_DS2_en_csv_v2_demo.csv", 5)
    assert [real_wide[i] for i in (0, 1, 3, 4)] == [demo_wide[i] for i in (0, 1, 3, 4)]
    real_long = first_line(REAL / "wdi" / "public-sector.csv")[0].decode()
    demo_long = first_line(world / "wdi" / "demo-long-format.csv")[0].decode()
    assert real_long.split(",")[:3] == demo_long.split(",")[:3]
    import openpyxl

    def cells(path: Path, sheet: str, coords: list[str]) -> list:
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            return [wb[sheet][c].value for c in coords]
        finally:
            wb.close()

    real_io = REAL / "io" / "japan_2015" / "check_japan_2015_13x13_std.xlsx"
    demo_io = world / "io" / "japan_2015" / "check_japan_2015_demo_std.xlsx"
    for sheet, coords in [
        ("Meta_data", ["A3", "B4", "A5", "A6", "A7", "A8", "B7", "B8"]),
        ("Set_data", ["A3", "D3", "G3", "J3", "G4", "H4", "J4", "K4"]),
        ("Value_data", ["A1"]),
    ]:
        assert cells(real_io, sheet, coords) == cells(demo_io, sheet, coords), sheet
    real_iamc = first_line(REAL / "scenarios" / "rfasst_iiasa_GDP_SSP.csv")[0].decode().split(",")[:5]
    assert real_iamc == first_line(world / "scenarios" / "demo_scenarios_iamc.csv")[0].decode().split(",")[:5]


def test_small_scale_sizes(tmp_path):
    manifest = json.loads(generate(tmp_path, "small", seed=3).read_text(encoding="utf-8"))
    per_year = manifest["baci"]["n_flows"].values()
    assert all(20_000 <= n <= 40_000 for n in per_year)
    assert manifest["baci"]["n_flows_total"] < 1_000_000
    assert len(manifest["countries"]) == 40 and manifest["baci"]["n_products"] == 700
    assert 0.02 < manifest["baci"]["na_share"] < 0.04
    assert manifest["baci"]["n_outliers"] > 50
    assert sum(e["beats_naive"] for e in manifest["trade_ridge"]["products"].values()) >= 3
