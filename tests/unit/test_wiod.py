"""WIOD national IO table reader: the file layout (semicolons, space thousands, names line) and balances."""

from pathlib import Path

import numpy as np
import pytest

from analysis.ai_imports import niot_matrices
from warehouse.errors import InputError
from warehouse.wiod import read_wiod_niot

JPN = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "io" / "wiod_niot" / "JPN_NIOT_nov16.csv"

SAMPLE = (
    "\ufeffYear;Code;Description;Origin;A01;B;CONS_h;CONS_np;CONS_g;GFCF;INVEN;EXP;GO\n"
    ";;;;Crop;Mining;Households;NPISH;Government;GFCF;Inventories;Exports;Output\n"
    "2014;A01;Crop;Domestic;1 200;30;2 000;0;0;10;;5;3 245\n"
    '2014;B;"Mining; quarrying";Domestic;4;1;0;0;0;0;0;0;5\n'
    "2014;A01;Crop;Imports;100;0;50;;;;;0;\n"
    "2014;B;Mining;Imports;7;0;0;0;0;0;0;0;\n"
    "2014;GO;Output at basic prices;TOT;3 245;5;;;;;;;\n"
)


def test_reads_the_layout(tmp_path):
    path = tmp_path / "XYZ_NIOT_nov16.csv"
    path.write_text(SAMPLE, encoding="utf-8")
    cells = read_wiod_niot(path)
    assert set(cells["country"]) == {"XYZ"}
    one = cells.set_index(["row_code", "origin", "col_code"])["value_musd"]
    assert one[("A01", "Domestic", "A01")] == 1200.0  # space thousands separator
    assert one[("A01", "Domestic", "GO")] == 3245.0
    assert ("A01", "Domestic", "INVEN") not in one.index  # empty cell = no row
    mat = niot_matrices(cells, 2014)
    assert mat["codes"] == ["A01", "B"]
    np.testing.assert_array_equal(mat["z_domestic"], [[1200, 30], [4, 1]])
    np.testing.assert_array_equal(mat["z_imported"], [[100, 0], [7, 0]])
    np.testing.assert_array_equal(mat["f_imported"][0], [50, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(mat["output"], [3245, 5])


def test_rejects_a_bad_cell(tmp_path):
    path = tmp_path / "XYZ_NIOT_nov16.csv"
    path.write_text(SAMPLE.replace("1 200", "1x200"), encoding="utf-8")
    with pytest.raises(InputError, match="not a number"):
        read_wiod_niot(path)


def test_real_japan_table_balances():
    if not JPN.exists():
        pytest.skip(f"real data absent: {JPN}")
    cells = read_wiod_niot(JPN)
    assert sorted(cells["year"].unique()) == list(range(2000, 2015))
    mat = niot_matrices(cells, 2014)
    assert len(mat["codes"]) == 56
    # row balance of domestic products: intermediate + final use = gross output (rounded to 1 million USD
    # per cell, so at most a few units off)
    balance = mat["z_domestic"].sum(axis=1) + mat["f_domestic"].sum(axis=1) - mat["output"]
    assert np.abs(balance).max() <= 10
    # column balance: domestic + imported inputs + TOT rows (taxes, value added, margins) = gross output
    tot = cells[(cells["year"] == 2014) & (cells["origin"] == "TOT") & ~cells["row_code"].isin(["GO", "II_fob"])]
    added = tot.groupby("col_code")["value_musd"].sum().reindex(mat["codes"]).fillna(0).to_numpy()
    columns = mat["z_domestic"].sum(axis=0) + mat["z_imported"].sum(axis=0) + added
    assert np.abs(columns - mat["output"]).max() <= 10
