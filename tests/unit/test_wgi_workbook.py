"""The official WGI workbook (one long sheet, ``..`` for missing), written here with openpyxl, as the build reads it."""

import duckdb
import openpyxl
import pytest

from warehouse.discover import discover
from warehouse.errors import InputError
from warehouse.loaders import Loader
from warehouse.wgi_workbook import HEADER, read_wgi_workbook

ROWS = [
    ["AFGcc1996", "AFG", "Afghanistan", 1996, "cc", -1.29, 0.34, 2, 4.3, 0, 23.1],
    ["AFGcc1998", "AFG", "Afghanistan", 1998, "cc", "..", "..", "..", "..", "..", ".."],
    ["JPNva2019", "JPN", "Japan", 2019, "va", 1.05, 0.12, 10, 80.3, 74.4, 85.2],
    ["JPNrl2019", "JPN", "Japan", "2019", "rl", "1.55", 0.15, 9, 89.4, 85.1, 93.3],
]


def workbook(path, rows, header=HEADER, sheets=("Notes",)):
    book = openpyxl.Workbook()
    book.active.title = sheets[0]
    book.active.append(["Worldwide Governance Indicators, 2023 update"])
    sheet = book.create_sheet("Data")
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    sheet.append([None] * len(header))  # a trailing empty row, as spreadsheets keep
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_reads_long_sheet_maps_indicator_codes_and_missing(tmp_path):
    frame = read_wgi_workbook(workbook(tmp_path / "wgidataset.xlsx", ROWS))
    assert list(frame.indicator) == [
        "ControlofCorruption",
        "ControlofCorruption",
        "VoiceandAccountability",
        "RuleofLaw",
    ]
    assert list(frame.year) == [1996, 1998, 2019, 2019]
    assert frame.estimate.iloc[0] == -1.29 and frame.estimate.isna().iloc[1] and frame.estimate.iloc[3] == 1.55
    assert frame.upper.isna().iloc[1] and frame.upper.iloc[2] == 85.2
    assert (frame.std_err.iloc[0], frame.num_src.iloc[2], frame["rank"].iloc[2]) == (0.34, 10, 80.3)


def test_loader_and_discovery_prefer_the_workbook(tmp_path):
    data = tmp_path / "data"
    path = workbook(data / "wgi" / "wgidataset.xlsx", ROWS)
    (data / "wgi" / "old_long.csv").write_text('"","Country/Territory","Code","Year"\n')
    inventory = discover(data)
    assert inventory.wgi == path.resolve()
    assert any(p.name == "old_long.csv" for p, _ in inventory.skipped)
    with duckdb.connect() as con:
        loader = Loader(con, "real")
        assert loader.wgi(inventory.wgi) == 4
        assert loader.wgi(inventory.wgi) == 4  # idempotent
        rows = con.execute("select code, year, indicator, estimate from raw.wgi order by code, year, indicator")
        assert rows.fetchall() == [
            ("AFG", 1996, "ControlofCorruption", -1.29),
            ("AFG", 1998, "ControlofCorruption", None),
            ("JPN", 2019, "RuleofLaw", 1.55),
            ("JPN", 2019, "VoiceandAccountability", 1.05),
        ]
        assert con.execute("select count(*) from raw.load_log where table_name = 'wgi'").fetchone() == (1,)


@pytest.mark.parametrize(
    ("row", "line", "column", "text"),
    [
        (["X", "JPN", "Japan", "20x9", "va", 1, 1, 1, 1, 1, 1], 3, "year", "20x9"),
        (["X", "JPN", "Japan", 2019, "zz", 1, 1, 1, 1, 1, 1], 3, "indicator", "zz"),
        (["X", "JPN", "Japan", 2019, "ge", "n/a", 1, 1, 1, 1, 1], 3, "estimate", "n/a"),
        (["X", "AFG", "Afghanistan", 1996, "cc", 1, 1, 1, 1, 1, 1], 3, None, "twice"),
    ],
)
def test_bad_cells_name_row_and_column(tmp_path, row, line, column, text):
    with pytest.raises(InputError) as caught:
        read_wgi_workbook(workbook(tmp_path / "w.xlsx", [ROWS[0], row]))
    assert (caught.value.line, caught.value.column) == (line, column)
    assert text in caught.value.message


def test_other_layout_is_refused_saying_why(tmp_path):
    path = workbook(tmp_path / "w.xlsx", [], header=["Country/Territory", "Code", "1996", "1998"])
    with pytest.raises(InputError, match="one sheet per indicator"):
        read_wgi_workbook(path)
