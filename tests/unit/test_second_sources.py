"""Loaders of the second sources on small hand-written files: mine production, Comtrade (API v1 layout,
gzipped), and the outside raw-material HS list."""

import gzip

import duckdb
import pytest

from warehouse.discover import discover
from warehouse.errors import InputError
from warehouse.loaders import Loader

COMTRADE_HEAD = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,"
    "flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,partner2Desc,classificationCode,"
    "classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
    "mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,altQty,"
    "isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,"
    "legacyEstimationFlag,isReported,isAggregate\n"
)


def comtrade_row(year, reporter, partner, code, net_kg, value):
    return (
        f"C,A,{year}0101,{year},52,{year},{reporter},,,X,,{partner},,,0,,,H4,HS,True,{code},,,,C00,,0 ,0,,8,,"
        f"{net_kg},False,8,,{net_kg},False,{net_kg},False,,False,,{value},{value},0,True,False\n"
    )


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def test_comtrade_gz_loads_kg_and_codes_as_text(tmp_path, con):
    path = tmp_path / "data" / "comtrade" / "c.csv.gz"
    path.parent.mkdir(parents=True)
    with gzip.open(path, "wt") as handle:
        handle.write(COMTRADE_HEAD + comtrade_row(2015, 32, 36, "283691", 85600.0, 405913.7))
        handle.write(comtrade_row(2016, 842, 699, "8105", "", 1000.0))
    inventory = discover(tmp_path / "data")
    assert inventory.comtrade == [path.resolve()]
    assert Loader(con, "real").comtrade(inventory.comtrade) == 2
    rows = con.execute(
        "select ref_year, reporter_code, partner_code, cmd_code, net_wgt_kg, primary_value_usd "
        "from raw.comtrade_flows order by ref_year"
    ).fetchall()
    assert rows == [(2015, 32, 36, "283691", 85600.0, 405913.7), (2016, 842, 699, "8105", None, 1000.0)]


def test_comtrade_bad_code_names_line_and_column(tmp_path, con):
    path = tmp_path / "c.csv"
    path.write_text(COMTRADE_HEAD + comtrade_row(2015, 32, 36, "2836x1", 1.0, 1.0))
    with pytest.raises(InputError) as caught:
        Loader(con, "real").comtrade([path])
    assert (caught.value.line, caught.value.column) == (2, "cmdCode")


def test_mine_production_reads_caret_as_missing(tmp_path, con):
    path = tmp_path / "mine_production_by_country_1970_2020.csv"
    path.write_text("commodity,country,iso,year,value\nMolybdenum,USA,842,2010,59400.0\nChromium,India,,2010,^\n")
    assert Loader(con, "real").mine_production([path]) == 2
    assert con.execute("select commodity, country_code, value from raw.mine_production order by 1").fetchall() == [
        ("Chromium", None, None),
        ("Molybdenum", 842, 59400.0),
    ]


def test_hs_raw_materials_and_references(tmp_path, con):
    codes = tmp_path / "geopolrisk_rawmaterial_hs_codes.csv"
    codes.write_text(
        "Raw Material,Supply Chain Stage,Symbol,HS Code,HS Code - Additional,HS Codes Description\n"
        "Platinum,Processing,Pt,711011,711019;711510,Platinum\nTalc,,,Not Available,,Not Available\n"
    )
    refs = tmp_path / "geopolrisk_rawmaterial_hs_codes_metadata.csv"
    refs.write_text(
        "Raw Material,WMD - Sheet Name,WMD - Category,WMD - Units,HS Code Mapping Reference,EoL-RIR (2023),Comment\n"
        'Platinum,Platinum,Iron,kg,https://scrreen.eu/pt.pdf,0.3,"711011 is platinum, unwrought"\n'
    )
    assert Loader(con, "real").hs_raw_materials([codes], [refs]) == 2
    assert con.execute(
        "select hs_code_additional from raw.hs_raw_materials where raw_material = 'Platinum'"
    ).fetchone() == ("711019;711510",)
    assert con.execute("select reference from raw.hs_raw_material_refs").fetchone() == ("https://scrreen.eu/pt.pdf",)
