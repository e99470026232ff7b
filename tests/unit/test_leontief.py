"""Leontief import models: a hand-computed 3-sector table, pymrio's test system, and Japan's 2015 table."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import leontief

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
BASIC = SHARED / "io" / "japan_2015" / "check_japan_2015_basic_std.xlsx"

# ----------------------------------------------------------------------------------- hand-computed table
# Z (rows supply, columns use), output x, domestic final demand fd, imports M (positive):
#   Z = [[10, 20, 0], [30, 0, 10], [0, 10, 20]],  x = (100, 200, 100)
#   A = Z / x_j = [[0.1, 0.1, 0], [0.3, 0, 0.1], [0, 0.05, 0.2]]
#   fd = (50, 40, 30), M = (20, 8, 0)
#   m_i = M_i / (row sum of Z + fd_i) = (20 / 80, 8 / 80, 0 / 60) = (0.25, 0.1, 0)
#   exports e = x - Z 1 - fd + M = (100 - 30 - 50 + 20, 200 - 40 - 40 + 8, 100 - 30 - 30) = (40, 128, 40)
Z = np.array([[10.0, 20.0, 0.0], [30.0, 0.0, 10.0], [0.0, 10.0, 20.0]])
X = np.array([100.0, 200.0, 100.0])
FD = np.array([50.0, 40.0, 30.0])
M = np.array([20.0, 8.0, 0.0])
E = np.array([40.0, 128.0, 40.0])


def test_coefficients_by_hand():
    a = leontief.technical_coefficients(Z, X)
    np.testing.assert_allclose(a, [[0.1, 0.1, 0.0], [0.3, 0.0, 0.1], [0.0, 0.05, 0.2]], atol=1e-15)
    np.testing.assert_allclose(leontief.import_coefficients(Z, FD, M), [0.25, 0.1, 0.0], atol=1e-15)


def test_output_reproduces_the_table():
    # (I - (I - M)A) x = (I - M) fd + e:  row 1: 100 - 0.075*100 - 0.075*200 = 77.5 = 0.75*50 + 40
    a = leontief.technical_coefficients(Z, X)
    m = leontief.import_coefficients(Z, FD, M)
    np.testing.assert_allclose(leontief.competitive_output(a, m, FD, E), X, rtol=1e-12)
    np.testing.assert_allclose(leontief.competitive_induced_imports(a, m, X, FD), M, rtol=1e-12)


def test_unit_demand_by_hand():
    # f = (1, 0, 0). Solve (I - (I - M)A) x = (0.75, 0, 0) by elimination:
    #   row 3: -0.05 x2 + 0.8 x3 = 0               -> x3 = 0.0625 x2
    #   row 2: -0.27 x1 + x2 - 0.09 x3 = 0         -> x2 = 0.27 / (1 - 0.09 * 0.0625) x1 = 0.27 / 0.994375 x1
    #   row 1: 0.925 x1 - 0.075 x2 = 0.75          -> x1 = 0.75 / (0.925 - 0.075 * 0.27 / 0.994375)
    x1 = 0.75 / (0.925 - 0.075 * 0.27 / 0.994375)  # 0.82906...
    x2 = 0.27 / 0.994375 * x1  # 0.22511...
    x3 = 0.0625 * x2
    a = leontief.technical_coefficients(Z, X)
    m = leontief.import_coefficients(Z, FD, M)
    f = np.array([1.0, 0.0, 0.0])
    x = leontief.competitive_output(a, m, f)
    np.testing.assert_allclose(x, [x1, x2, x3], rtol=1e-12)
    assert x1 == pytest.approx(0.829063, abs=1e-6)
    # imports = m (A x + f): M1 = 0.25 (0.1 x1 + 0.1 x2 + 1), M2 = 0.1 (0.3 x1 + 0.1 x3), M3 = 0
    expected = [0.25 * (0.1 * x1 + 0.1 * x2 + 1.0), 0.1 * (0.3 * x1 + 0.1 * x3), 0.0]
    np.testing.assert_allclose(leontief.competitive_induced_imports(a, m, x, f), expected, rtol=1e-12)
    # the same through the explicit inverse
    inverse = leontief.competitive_leontief_inverse(a, m)
    np.testing.assert_allclose(inverse @ ((1 - m) * f), x, rtol=1e-12)


def test_build_system_from_long_cells():
    codes = ["s1", "s2", "s3"]
    cells = pd.DataFrame(
        [(r, c, Z[i, j]) for i, r in enumerate(codes) for j, c in enumerate(codes)]
        + [(r, "hhco", FD[i]) for i, r in enumerate(codes)]
        + [(r, "expo", E[i]) for i, r in enumerate(codes)]
        + [(r, "impo", -M[i]) for i, r in enumerate(codes)]
        + [("va", c, X[j] - Z[:, j].sum()) for j, c in enumerate(codes)],
        columns=["row_code", "col_code", "value"],
    )
    system = leontief.build_system(cells, codes, codes, ["hhco", "expo", "impo"], ["va"])
    np.testing.assert_allclose(system.output, X)
    np.testing.assert_allclose(system.m, [0.25, 0.1, 0.0])
    np.testing.assert_allclose(system.industry_demand("s2"), [0.0, 1.0, 0.0])


def test_cif_import_shares_by_hand():
    # columns as MIC writes them (negative): imports, direct purchases abroad, customs duties, import taxes
    codes = ["impo", "impd", "imta", "imtx"]
    columns = np.array([[-100.0, -2.0, -5.0, -3.0], [0.0, 0.0, 0.0, 0.0], [-40.0, 0.0, 0.0, -10.0]])
    np.testing.assert_allclose(leontief.cif_import_shares(columns, codes), [102 / 110, 1.0, 40 / 50])
    with pytest.raises(ValueError):
        leontief.cif_import_shares(columns, codes[:3])


def test_build_system_carries_the_cif_share():
    codes = ["s1", "s2", "s3"]
    cells = pd.DataFrame(
        [(r, c, Z[i, j]) for i, r in enumerate(codes) for j, c in enumerate(codes)]
        + [(r, "hhco", FD[i]) for i, r in enumerate(codes)]
        + [(r, "expo", E[i]) for i, r in enumerate(codes)]
        + [(r, "impo", -M[i] * 0.9) for i, r in enumerate(codes)]
        + [(r, "imtx", -M[i] * 0.1) for i, r in enumerate(codes)]
        + [("va", c, X[j] - Z[:, j].sum()) for j, c in enumerate(codes)],
        columns=["row_code", "col_code", "value"],
    )
    system = leontief.build_system(cells, codes, codes, ["hhco", "expo", "impo", "imtx"], ["va"])
    # the model still sees total imports (as without the split); only the CIF share is new
    np.testing.assert_allclose(system.m, [0.25, 0.1, 0.0])
    np.testing.assert_allclose(system.cif_share, [0.9, 0.9, 1.0])


def test_noncompetitive_by_hand():
    # A_d = [[0.1, 0.2], [0.3, 0.1]]: det(I - A_d) = 0.9*0.9 - 0.2*0.3 = 0.75,
    # (I - A_d)^-1 = [[0.9, 0.2], [0.3, 0.9]] / 0.75, so f_d = (1, 0) gives x = (1.2, 0.4);
    # A_m = diag(0.05, 0.1): imports = (0.06, 0.04) + f_m
    x, imports = leontief.noncompetitive_induced_imports(
        [[0.1, 0.2], [0.3, 0.1]], [[0.05, 0.0], [0.0, 0.1]], [1.0, 0.0], [0.5, 0.0]
    )
    np.testing.assert_allclose(x, [1.2, 0.4], rtol=1e-12)
    np.testing.assert_allclose(imports, [0.56, 0.04], rtol=1e-12)
    np.testing.assert_allclose(leontief.final_demand_import_shares([3.0, 0.0], [1.0, 0.0]), [0.25, 0.0])


def test_industry_technology_on_a_rectangular_table():
    # products 1000001, 1000002 made by industry 100000; product 2000001 by industry 200000 and by
    # 200010? no: 2000001 has no 6-digit industry, so industries 200001 and 200002 (same 5 digits) split it.
    rows = ["1000001", "1000002", "2000001"]
    cols = ["100000", "200001", "200002"]
    q = np.array([60.0, 40.0, 50.0])
    g = np.array([100.0, 30.0, 20.0])
    make = leontief.make_from_codes(rows, cols, q, g)
    np.testing.assert_allclose(make, [[60, 0, 0], [40, 0, 0], [0, 30, 20]])
    use = np.array([[10.0, 3.0, 2.0], [5.0, 0.0, 1.0], [20.0, 6.0, 4.0]])
    a = leontief.commodity_coefficients_industry_technology(use, make, make.sum(axis=0))
    # product 1000001 uses industry 100000's inputs: column = use[:, 0] / 100
    np.testing.assert_allclose(a[:, 0], use[:, 0] / 100.0)
    # product 2000001: industries 200001 and 200002 (30/50, 20/50) -> 0.6 * use[:,1]/30 + 0.4 * use[:,2]/20
    np.testing.assert_allclose(a[:, 2], 0.6 * use[:, 1] / 30 + 0.4 * use[:, 2] / 20)
    np.testing.assert_allclose(a @ q, use.sum(axis=1))  # the product balance is kept


def test_rank_top_breaks_ties_by_label():
    assert leontief.rank_top([1.0, 3.0, 3.0, 2.0], ["d", "c", "b", "a"], k=3) == ["b", "c", "a"]


# -------------------------------------------------------------------------------------------- pymrio
def test_against_pymrio_test_system():
    pymrio = pytest.importorskip("pymrio")
    io = pymrio.load_test()
    io.calc_all()
    z = io.Z.to_numpy()
    x = io.x.to_numpy()[:, 0]
    a = leontief.technical_coefficients(z, x)
    np.testing.assert_allclose(a, io.A.to_numpy(), rtol=1e-9, atol=1e-12)
    # with no imports the competitive inverse is the ordinary Leontief inverse
    inverse = leontief.competitive_leontief_inverse(a, np.zeros(len(x)))
    np.testing.assert_allclose(inverse, io.L.to_numpy(), rtol=1e-9, atol=1e-12)
    total_final_demand = io.Y.to_numpy().sum(axis=1)
    np.testing.assert_allclose(leontief.competitive_output(a, np.zeros(len(x)), total_final_demand), x, rtol=1e-9)


# ---------------------------------------------------------------------------------- Japan 2015 (real)
@pytest.fixture(scope="module")
def japan():
    if not BASIC.exists():
        pytest.skip(f"real data absent: {BASIC} (../shared/data not beside the checkout)")
    from warehouse.io_workbook import read_io_workbook

    values, sectors = read_io_workbook(BASIC)

    def codes(name):
        return sectors.loc[sectors["set_name"] == name, "code"].tolist()

    system = leontief.build_system(values, codes("row"), codes("col"), codes("fd"), codes("va"))
    return values, sectors, system


def test_japan_identities(japan):
    _, _, s = japan
    assert s.a.shape == (509, 509)
    scale = np.abs(s.output).max()
    x = leontief.competitive_output(s.a, s.m, s.domestic_final_demand, s.exports)
    np.testing.assert_allclose(x, s.output, rtol=0, atol=1e-9 * scale)  # x = L[(I-M)f + e] is the output
    lhs = x - (1 - s.m) * (s.a @ x)
    np.testing.assert_allclose(lhs, (1 - s.m) * s.domestic_final_demand + s.exports, rtol=0, atol=1e-9 * scale)
    induced = leontief.competitive_induced_imports(s.a, s.m, x, s.domestic_final_demand)
    np.testing.assert_allclose(induced, s.imports, rtol=0, atol=1e-9 * scale)


def test_japan_make_table_reproduces_industry_output(japan):
    values, sectors, s = japan
    cols = sectors.loc[sectors["set_name"] == "col", "code"].tolist()
    totals = values[(values["row_code"] == "Total") & values["col_code"].isin(cols)].set_index("col_code")["value"]
    np.testing.assert_allclose(s.make.sum(axis=0), totals.reindex(cols).to_numpy(), rtol=1e-9)
    # MIC's own V_table_data agrees except for the two cold-finished steel products it credits to 262201
    from warehouse.io_maps import read_make_table

    v = read_make_table(BASIC)
    owner = v.loc[v.groupby("row_code")["value"].idxmax()].set_index("row_code")["col_code"]
    ours = pd.Series([s.industry_codes[k] for k in s.make.argmax(axis=1)], index=s.codes)
    produced = s.make.sum(axis=1) > 0
    differ = sorted(c for c in owner.index if produced[s.codes.index(c)] and owner[c] != ours[c])
    assert differ == ["2623011", "2623012"]


def test_japan_ai_sectors(japan):
    _, sectors, s = japan
    names = sectors[sectors["set_name"] == "col"].set_index("code")["name"]
    assert names["342101"] == "パーソナルコンピュータ"
    assert names["342102"].startswith("電子計算機本体")
    assert names["301903"] == "ロボット"
    for industry, product in (("342101", "3421011"), ("342102", "3421021"), ("301903", "3019031")):
        f = s.industry_demand(industry)
        assert f[s.codes.index(product)] == pytest.approx(1.0)
        x = leontief.competitive_output(s.a, s.m, f)
        induced = leontief.competitive_induced_imports(s.a, s.m, x, f)
        # value of final demand = value added + imports induced, so imports per unit lie in (0, 1)
        assert 0 < induced.sum() < 1
    # PCs' own imports in total valuation: impo 1,015.306 + impd 0.270 + imtx 81.224 (no customs duty) =
    # 1,096.800 (10^9 yen), of which CIF 1,015.576: 8.0 % above CIF
    pcs = s.codes.index("3421011")
    assert s.imports[pcs] == pytest.approx(1096.8, abs=1e-6)
    assert 1 / s.cif_share[pcs] == pytest.approx(1096.8 / 1015.576, rel=1e-9)
    assert 1 / s.cif_share[pcs] - 1 == pytest.approx(0.080, abs=0.0005)


def test_oecd_import_content_by_hand():
    from analysis.ai_imports import oecd_import_content

    # Z^d = [[10, 20], [30, 40]], Z^m = diag(5, 10), x = (100, 200); final use of A: 30 domestic, 10 imported
    cells = pd.DataFrame(
        [
            ("DOM_A", "A", 10),
            ("DOM_A", "B", 20),
            ("DOM_B", "A", 30),
            ("DOM_B", "B", 40),
            ("IMP_A", "A", 5),
            ("IMP_B", "B", 10),
            ("OUTPUT", "A", 100),
            ("OUTPUT", "B", 200),
            ("DOM_A", "HFCE", 20),
            ("DOM_A", "GFCF", 10),
            ("IMP_A", "HFCE", 10),
            ("DOM_A", "EXPO", 500),  # exports are not domestic final use
            ("VALU", "A", 55),
        ],
        columns=["row_code", "col_code", "value"],
    )
    out = oecd_import_content(cells, ["A"]).set_index("industry").loc["A"]
    # s = 10 / 40; A^d = [[.1, .1], [.3, .2]], det(I - A^d) = 0.69, (I - A^d)^-1 e_A = (0.8, 0.3) / 0.69;
    # A^m = diag(.05, .05): intermediate content 0.75 * 0.05 * (0.8 + 0.3) / 0.69
    assert out["imported_final_demand_share"] == pytest.approx(0.25)
    assert out["intermediate_import_content_usd_per_usd"] == pytest.approx(0.75 * 0.055 / 0.69, rel=1e-12)
    assert out["import_content_usd_per_usd"] == pytest.approx(0.25 + 0.75 * 0.055 / 0.69, rel=1e-12)
    with pytest.raises(ValueError):
        oecd_import_content(cells, ["C26"])
