"""Issue 14, item 4 beyond BACI: rows read against the file's lines, and implausible values quarantined with a
reason or refused, for the sources read by Python (WIOD, OECD zip, WGI workbook, scenario files) as well as
by DuckDB. The CSV cases of the same rules are in the bad-input corpus (test_bad_input_corpus.py)."""

import zipfile

import duckdb
import pytest

from tests.unit.test_wgi_workbook import ROWS as WGI_ROWS
from tests.unit.test_wgi_workbook import workbook
from tests.unit.test_wiod import SAMPLE as WIOD_SAMPLE
from warehouse.errors import InputError
from warehouse.loaders import Loader
from warehouse.scenario_formats import read_leach_emissions, read_wcde_population

OWID_HEAD = "iso_code,country,year,co2,total_ghg,methane,nitrous_oxide,primary_energy_consumption,population,gdp\n"
WB = (
    '"Data Source","World Development Indicators",\n\n"Last Updated Date","2021-09-15",\n\n'
    '"Country Name","Country Code","Indicator Name","Indicator Code","2004","2005",\n'
)


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def quarantine(con):
    return con.execute("select table_name, line, column_name, reason from raw.quarantine order by line").fetchall()


def test_quarantine_sets_implausible_rows_aside_with_their_reason(tmp_path, con):
    path = tmp_path / "owid-co2-data.csv"
    path.write_text(
        OWID_HEAD
        + "JPN,Japan,2010,1,1,1,1,1,127,5\n"
        + "JPN,Japan,2011,1,1,1,1,1,-127,5\n"  # negative population
        + "JPN,Japan,2999,1,1,1,1,1,127,5\n"  # a year not yet come
        + "USA,USA,2010,1,1,1,1,1,300,20\n"
    )
    assert Loader(con, "real", on_bad_rows="quarantine").owid(path) == 2
    assert con.execute("select iso_code, year from raw.owid_co2 order by 1, 2").fetchall() == [
        ("JPN", 2010),
        ("USA", 2010),
    ]
    rows = quarantine(con)
    assert [(t, line, column) for t, line, column, _ in rows] == [
        ("owid_co2", 3, "population"),
        ("owid_co2", 4, "year"),
    ]
    assert "negative" in rows[0][3] and "plausible_last_observed_year" in rows[1][3]


def test_world_bank_quarantine_sets_one_cell_aside_and_keeps_the_row(tmp_path, con):
    path = tmp_path / "API_SP.POP.TOTL.csv"
    path.write_text(WB + '"Japan","JPN","Population","SP.POP.TOTL","127000000","-1",\n')
    assert Loader(con, "real", on_bad_rows="quarantine").wdi([path], [], []) == 1
    assert con.execute("select year, value from raw.wdi_values").fetchall() == [(2004, 127000000.0)]
    assert [(t, line, column) for t, line, column, _ in quarantine(con)] == [("wdi_values", 6, "2005")]


def test_rows_read_match_lines_despite_blank_lines_quoted_breaks_and_a_preamble(tmp_path):
    from warehouse.csvio import check_rows_read, file_facts

    path = tmp_path / "f.csv"
    # 2 preamble lines (one blank), the header, 3 records: one spans two lines, a blank line between
    path.write_text('"Data Source","x"\n\n"a","b"\n1,"two\nlines"\n\n3,4\n5,6')
    facts = file_facts(path)
    check_rows_read(path, 3, facts, skip=2)  # the physical count (7 data lines) is not the records' count
    with pytest.raises(InputError, match="3 data lines but 2 rows were read") as caught:
        check_rows_read(path, 2, facts, skip=2)
    assert caught.value.path == str(path)


def test_wiod_rows_read_and_implausible_cells(tmp_path, con):
    good = tmp_path / "XYZ_NIOT_nov16.csv"
    good.write_text(WIOD_SAMPLE, encoding="utf-8")
    assert Loader(con, "real").wiod([good]) == 31  # the non-empty cells: 8 + 9 + 4 + 8 + 2
    for name, text, column, words in [
        ("year", WIOD_SAMPLE.replace("2014;B;Mining;Imports", "1066;B;Mining;Imports"), "year", "year"),
        ("inf", WIOD_SAMPLE.replace("2014;B;Mining;Imports;7", "2014;B;Mining;Imports;inf"), "value_musd", "finite"),
    ]:
        path = tmp_path / f"X{name[:2].upper()}_NIOT_nov16.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=words) as caught:
            Loader(con, "real").wiod([path])
        assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), 6, column)


def test_oecd_member_with_an_implausible_year_or_value(tmp_path, con):
    path = tmp_path / "oecd.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("JPN2015dom.csv", "V1,D01T02,HFCE\nDOM_01T02,1.5,inf\n")
    with pytest.raises(InputError, match="finite") as caught:
        Loader(con, "real").oecd_iot([path])
    assert (caught.value.path, caught.value.line, caught.value.column) == (f"{path}!JPN2015dom.csv", 2, "value_musd")
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("JPN1015dom.csv", "V1,D01T02\nDOM_01T02,1.5\n")
    with pytest.raises(InputError, match="year 1015"):
        Loader(con, "real").oecd_iot([path])


def test_wgi_workbook_follows_the_csv_rules(tmp_path, con):
    rows = [list(r) for r in WGI_ROWS]
    rows[2][5] = 7.5  # an estimate of 7.5 standard deviations
    path = workbook(tmp_path / "wgidataset.xlsx", rows)
    with pytest.raises(InputError, match="standard-normal") as caught:
        Loader(con, "real").wgi(path)
    assert (caught.value.line, caught.value.column) == (4, "Estimate")
    assert Loader(con, "real", on_bad_rows="quarantine").wgi(path) == len(WGI_ROWS) - 1
    assert [(t, line, column) for t, line, column, _ in quarantine(con)] == [("wgi", 4, "Estimate")]


def test_scenario_files_refuse_implausible_years_and_values(tmp_path):
    wcde = tmp_path / "DERIVED_wcde_ssp2_total_population_by_country_year.csv"
    wcde.write_text("name,country_code,year,pop_thousands\nJapan,392,2020,125000\nJapan,392,20300,1\n")
    with pytest.raises(InputError, match="year") as caught:
        read_wcde_population(wcde)
    assert (caught.value.line, caught.value.column) == (3, "year")
    leach = tmp_path / "MimiSSPs_Leach_SSP126.csv"
    leach.write_text("year,carbon_dioxide,methane\n2020,10,300\n2021,nan,300\n")
    with pytest.raises(InputError, match="finite") as caught:
        read_leach_emissions(leach)
    assert (caught.value.line, caught.value.column) == (3, "carbon_dioxide")


def test_year_gaps_of_a_panel_source_are_said_when_it_is_loaded(tmp_path, con):
    from warehouse.year_gaps import table_gap_line

    path = tmp_path / "wgi.csv"
    head = '"","Country/Territory","Code","Year","Estimate","Lower","NumSrc","Rank","StdErr","Upper","Indicator"\n'
    path.write_text(
        head + "".join(f'"1","J","JPN",{y},1,0,1,50,0.2,90,"RuleofLaw"\n' for y in (1996, 1998, 2002, 2003))
    )
    Loader(con, "real").wgi(path)
    assert table_gap_line(con, "wgi") == "raw.wgi years 1996-2003, none for 1997, 1999-2001"
    assert table_gap_line(con, "scenario_values") is None  # pathways in steps: not a gap
