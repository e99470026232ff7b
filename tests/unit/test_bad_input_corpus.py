"""The bad-input corpus: malformed inputs across every source, each failing with one line that names the
file (and the line and column where the problem has one), leaving the raw tables as they were.

Each case builds its file in a temporary folder (the corpus is code, so each case states what is wrong).
The end-to-end guarantee that a failed build leaves the published warehouse byte-for-byte unchanged is
checked in tests/integration/test_build.py; here every case runs through the loaders directly.
"""

import zipfile

import duckdb
import pytest

from tests.unit.test_second_sources import COMTRADE_HEAD, comtrade_row
from warehouse.archives import extract_zip
from warehouse.errors import InputError
from warehouse.loaders import Loader

H = '"t","i","j","k","v","q"\n'
OK = '2001,4,24,10111,1.0,"        1.000"\n'
COUNTRIES = (
    '"country_code","country_name_abbreviation","country_name_full","iso_2digit_alpha","iso_3digit_alpha"\n'
    '4,"Afghanistan","Afghanistan","AF","AFG"\n24,"Angola","Angola","AO","AGO"\n'
)
WB_PRE = '"Data Source","World Development Indicators",\n\n"Last Updated Date","2021-09-15",\n\n'
WB_HEAD = '"Country Name","Country Code","Indicator Name","Indicator Code","2004","2005",\n'
LONG_HEAD = "Country Name,Country Code,Year,average_value_X\n"
OWID_HEAD = "iso_code,country,year,co2,total_ghg,methane,nitrous_oxide,primary_energy_consumption,population,gdp\n"
WGI_HEAD = '"","Country/Territory","Code","Year","Estimate","Lower","NumSrc","Rank","StdErr","Upper","Indicator"\n'
IRP_HEAD = "alphanumiso;CCC_Code;year;unit;value\n"
BGS_HEAD = "country_iso3_code,country_trans,bgs_commodity_trans,bgs_sub_commodity_trans,year,quantity,units\n"
IAMC_HEAD = "MODEL,SCENARIO,REGION,VARIABLE,UNIT,2010,2020\n"
METAL_HEAD = "hs6,metal,content_share,basis,source\n"
OWID_OK = "JPN,Japan,2010,1,1,1,1,1,1,1\n"
WGI_ROW = '"1","J","JPN",{year},{est},0,1,{rank},0.2,90,"RuleofLaw"\n'
MINE_HEAD = "commodity,country,iso,year,value\n"
BOM_HEAD = '"","model","year","component","product","material","value"\n'

# (case id, loader method, file name, content (str or bytes), expected line or None, expected column or None,
#  words expected in the message)
CASES = [
    ("baci-text-in-value", "baci", "f.csv", H + OK + '2001,4,24,10111,abc,"1"\n', 3, "v", "abc"),
    ("baci-text-in-quantity", "baci", "f.csv", H + '2001,4,24,10111,1.0,"   x.5"\n', 2, "q", "x.5"),
    ("baci-negative-value", "baci", "f.csv", H + '2001,4,24,10111,-1.0,"1"\n', 2, "v", "negative"),
    ("baci-negative-quantity", "baci", "f.csv", H + '2001,4,24,10111,1.0,"-2"\n', 2, "q", "negative"),
    ("baci-short-row", "baci", "f.csv", H + OK + "2001,4,24\n", 3, None, "columns"),
    ("baci-long-row", "baci", "f.csv", H + OK + '2001,4,24,10111,1.0,"1",9\n', 3, None, "columns"),
    ("baci-truncated-mid-line", "baci", "f.csv", H + OK + "2001,4,2", 3, None, "columns"),
    ("baci-wrong-header", "baci", "f.csv", '"year","i","j","k","v","q"\n' + OK, 1, None, "lacks column 't'"),
    ("baci-no-header", "baci", "f.csv", OK + OK, 1, None, "lacks column"),
    ("baci-empty-file", "baci", "f.csv", "", 1, None, "empty"),
    ("baci-header-only", "baci", "f.csv", H, 2, None, "no flows"),
    ("baci-duplicate-flow", "baci", "f.csv", H + OK + OK, 3, None, "duplicate"),
    ("baci-unknown-exporter", "baci", "f.csv", H + '2001,5,24,10111,1.0,"1"\n', 2, "i", "country list"),
    ("baci-unknown-importer", "baci", "f.csv", H + '2001,4,25,10111,1.0,"1"\n', 2, "j", "country list"),
    ("baci-seven-digit-hs", "baci", "f.csv", H + '2001,4,24,1234567,1.0,"1"\n', 2, "k", "HS6"),
    ("baci-letters-in-hs", "baci", "f.csv", H + '2001,4,24,12ab,1.0,"1"\n', 2, "k", "HS6"),
    ("baci-other-year", "baci", "f.csv", H + '2002,4,24,10111,1.0,"1"\n', 2, "t", "year differs"),
    # the other release's flows give only unit values, but a 1e300 would make them nonsense
    ("baci-other-release-huge-value", "baci_other", "f.csv", H + OK + '2001,4,24,10111,1e300,"1"\n', 3, "v", "above"),
    ("baci-year-not-integer", "baci", "f.csv", H + '20x1,4,24,10111,1.0,"1"\n', 2, "t", "20x1"),
    ("baci-unterminated-quote", "baci", "f.csv", H + '2001,4,24,10111,1.0,"1\n', 2, None, ""),
    ("baci-binary-garbage", "baci", "f.csv", H.encode() + b"\x00\xff\xfe\x00garbage\x00\n", 2, None, ""),
    ("baci-utf16", "baci", "f.csv", (H + OK).encode("utf-16"), 1, None, ""),
    ("baci-absurdly-long-line", "baci", "f.csv", H + "2001,4,24,10111,1.0," + "9" * 3_000_000 + "\n", 2, None, ""),
    # issue 14: accepted silently on main, refused now (or quarantined with --on-bad-rows quarantine)
    (
        "baci-value-1e300",
        "baci",
        "f.csv",
        H + OK.replace("10111", "10112") + '2001,4,24,10111,1e300,"1"\n',
        3,
        "v",
        "plausible",
    ),
    ("baci-infinite-value", "baci", "f.csv", H + '2001,4,24,10111,inf,"1"\n', 2, "v", "plausible"),
    ("baci-quantity-too-large", "baci", "f.csv", H + '2001,4,24,10111,1.0,"1e12"\n', 2, "q", "plausible"),
    ("baci-impossible-unit-value", "baci", "f.csv", H + '2001,4,24,10111,5e9,"1"\n', 2, "q", "unit value"),
    ("baci-hs-not-in-product-list", "baci", "f.csv", H + '2001,4,24,1234,1.0,"1"\n', 2, "k", "product list"),
    (
        "baci-80mb-line-dropped-by-the-reader",
        "baci",
        "f.csv",
        H + OK.replace("10111", "10112") + "2001,4,24,10111,1.0," + "9" * 40_000_000 + "\n" + OK,
        None,
        None,
        "data lines",
    ),
    ("baci-gzip-truncated", "baci", "f.csv.gz", None, None, None, "gzip"),
    ("countries-duplicate-code", "countries", "c.csv", COUNTRIES + '4,"Again","Again","AF","AFG"\n', 4, None, "twice"),
    ("countries-text-code", "countries", "c.csv", COUNTRIES + 'x,"X","X","XX","XXX"\n', 4, "country_code", "x"),
    ("countries-no-code-column", "countries", "c.csv", '"code","name"\n4,"A"\n', 1, None, "country_code"),
    ("products-bad-code", "products", "p.csv", '"code","description"\n"01A0?1","x"\n', 2, "code", "HS code"),
    ("products-missing-column", "products", "p.csv", '"hs","description"\n"010111","x"\n', 1, None, "'code'"),
    ("wdi-text-value", "wdi_wide", "w.csv", WB_PRE + WB_HEAD + '"J","JPN","X","X.1","n/a","",\n', 6, "2004", "n/a"),
    ("wdi-no-indicator-code", "wdi_wide", "w.csv", WB_PRE + WB_HEAD + '"J","JPN","X",,"1","",\n', 6, None, "code"),
    (
        "wdi-no-year-columns",
        "wdi_wide",
        "w.csv",
        WB_PRE + '"Country Name","Country Code","Indicator Name",\n',
        5,
        None,
        "year",
    ),
    ("wdi-preamble-only", "wdi_wide", "w.csv", '"Data Source","World Development Indicators",\n\n', 1, None, "header"),
    ("wdi-long-text-value", "wdi_long", "l.csv", LONG_HEAD + "J,JPN,2004,abc\n", 2, "average_value_X", "abc"),
    ("wdi-long-missing-year", "wdi_long", "l.csv", LONG_HEAD + "J,JPN,,1.0\n", 2, "Year", "year"),
    ("owid-text-population", "owid", "o.csv", OWID_HEAD + "JPN,Japan,2010,1,1,1,1,1,many,1\n", 2, "population", "many"),
    (
        "owid-no-year-column",
        "owid",
        "o.csv",
        OWID_HEAD.replace("year", "yr") + "JPN,J,2010,1,1,1,1,1,1,1\n",
        1,
        None,
        "year",
    ),
    ("wgi-bad-year", "wgi", "g.csv", WGI_HEAD + '"1","J","JPN",20x4,1,0,1,1,1,1,"RuleofLaw"\n', 2, "Year", "20x4"),
    ("wgi-no-indicator", "wgi", "g.csv", WGI_HEAD + '"1","J","JPN",2004,1,0,1,1,1,1,\n', 2, "Indicator", "indicator"),
    (
        "irp-comma-separated",
        "irp",
        "DE_x.csv",
        "alphanumiso,CCC_Code,year,unit,value\nJPN392,A,2005,t,1\n",
        1,
        None,
        "lacks",
    ),
    ("irp-negative", "irp", "DE_x.csv", IRP_HEAD + "JPN392;A.2.2.Cu;2005;t;-4\n", 2, "value", "negative"),
    ("irp-text-year", "irp", "DE_x.csv", IRP_HEAD + "JPN392;A.2.2.Cu;two;t;4\n", 2, "year", "two"),
    ("bgs-unknown-year", "bgs", "BGS_x_production.csv", BGS_HEAD + "JPN,J,c,,unknown,1,t\n", 2, "year", "year"),
    ("bgs-text-quantity", "bgs", "BGS_x_production.csv", BGS_HEAD + "JPN,J,c,,2004,lots,t\n", 2, "quantity", "lots"),
    ("iamc-no-region", "iamc", "s.csv", "MODEL,SCENARIO,VARIABLE,UNIT,2010\nM,S,V,U,1\n", 1, None, "region"),
    ("iamc-text-value", "iamc", "s.csv", IAMC_HEAD + "M,S,JPN,GDP,U,1.0,high\n", 2, "2020", "high"),
    ("metal-share-above-one", "metal", "m.csv", METAL_HEAD + '"260500",Co,1.5,ore,x\n', 2, "content_share", "0..1"),
    ("metal-bad-hs6", "metal", "m.csv", METAL_HEAD + '"26A500",Co,0.1,ore,x\n', 2, "hs6", "HS6"),
    ("io-not-a-workbook", "io", "check_x_std.xlsx", "this is text, not a workbook", None, None, "xlsx"),
    ("io-truncated-workbook", "io", "check_x_std.xlsx", b"PK\x03\x04" + b"\x00" * 64, None, None, "xlsx"),
    # issue 14, item 4 for the other sources: accepted silently before, refused now (or quarantined)
    ("owid-year-1010", "owid", "o.csv", OWID_HEAD + OWID_OK + "JPN,Japan,1010,1,1,1,1,1,1,1\n", 3, "year", "year"),
    (
        "owid-negative-population",
        "owid",
        "o.csv",
        OWID_HEAD + "JPN,Japan,2010,1,1,1,1,1,-5,1\n",
        2,
        "population",
        "negative",
    ),
    ("owid-negative-gdp", "owid", "o.csv", OWID_HEAD + "JPN,Japan,2010,1,1,1,1,1,1,-1e9\n", 2, "gdp", "negative"),
    ("owid-iso-code-form", "owid", "o.csv", OWID_HEAD + "Japan,Japan,2010,1,1,1,1,1,1,1\n", 2, "iso_code", "form"),
    ("owid-infinite-co2", "owid", "o.csv", OWID_HEAD + "JPN,Japan,2010,inf,1,1,1,1,1,1\n", 2, "co2", "finite"),
    (
        "wgi-estimate-beyond-scale",
        "wgi",
        "g.csv",
        WGI_HEAD + WGI_ROW.format(year=2004, est=9, rank=50),
        2,
        "Estimate",
        "standard-normal",
    ),
    ("wgi-rank-above-100", "wgi", "g.csv", WGI_HEAD + WGI_ROW.format(year=2004, est=1, rank=150), 2, "Rank", "0..100"),
    ("wgi-year-2091", "wgi", "g.csv", WGI_HEAD + WGI_ROW.format(year=2091, est=1, rank=50), 2, "Year", "year"),
    (
        "wgi-lower-above-upper",
        "wgi",
        "g.csv",
        WGI_HEAD + '"1","J","JPN",2004,1,90,1,50,0.2,10,"RuleofLaw"\n',
        2,
        "Lower",
        "lower",
    ),
    (
        "wgi-negative-stderr",
        "wgi",
        "g.csv",
        WGI_HEAD + '"1","J","JPN",2004,1,0,1,50,-0.2,90,"RuleofLaw"\n',
        2,
        "StdErr",
        "negative",
    ),
    ("irp-year-2999", "irp", "DE_x.csv", IRP_HEAD + "JPN392;A.2.2.Cu;2999;t;4\n", 2, "year", "year"),
    ("irp-country-form", "irp", "DE_x.csv", IRP_HEAD + "JPN;A.2.2.Cu;2005;t;4\n", 2, "alphanumiso", "form"),
    (
        "bgs-negative-quantity",
        "bgs",
        "BGS_x_production.csv",
        BGS_HEAD + "JPN,J,c,,2004,-3,t\n",
        2,
        "quantity",
        "negative",
    ),
    ("bgs-year-1066", "bgs", "BGS_x_production.csv", BGS_HEAD + "JPN,J,c,,1066-01-01,3,t\n", 2, "year", "year"),
    (
        "bgs-country-form",
        "bgs",
        "BGS_x_production.csv",
        BGS_HEAD + "Japan,J,c,,2004,3,t\n",
        2,
        "country_iso3_code",
        "form",
    ),
    ("mine-year-1492", "mine", "m.csv", MINE_HEAD + "Molybdenum,USA,842,1492,5.0\n", 2, "year", "year"),
    ("mine-country-not-m49", "mine", "m.csv", MINE_HEAD + "Molybdenum,USA,8420,2010,5.0\n", 2, "iso", "M49"),
    ("mine-infinite-value", "mine", "m.csv", MINE_HEAD + "Molybdenum,USA,842,2010,inf\n", 2, "value", "finite"),
    (
        "comtrade-value-1e300",
        "comtrade",
        "c.csv",
        COMTRADE_HEAD + comtrade_row(2015, 32, 36, "283691", 1.0, 1e300),
        2,
        "primaryValue",
        "plausible",
    ),
    (
        "comtrade-weight-too-large",
        "comtrade",
        "c.csv",
        COMTRADE_HEAD + comtrade_row(2015, 32, 36, "283691", 1e16, 1.0),
        2,
        "netWgt",
        "plausible",
    ),
    (
        "comtrade-reporter-not-m49",
        "comtrade",
        "c.csv",
        COMTRADE_HEAD + comtrade_row(2015, 3200, 36, "283691", 1.0, 1.0),
        2,
        "reporterCode",
        "M49",
    ),
    (
        "comtrade-year-2099",
        "comtrade",
        "c.csv",
        COMTRADE_HEAD + comtrade_row(2099, 32, 36, "283691", 1.0, 1.0),
        2,
        "refYear",
        "year",
    ),
    ("cn-keys-year-3010", "cn_keys", "k.csv", '"CN","Year","UNU_Key"\n"84713000","3010","0303"\n', 2, "Year", "year"),
    (
        "boms-infinite-grams",
        "boms",
        "b.csv",
        BOM_HEAD + '"1","D","2012","Case","Laptop","Steel",inf\n',
        2,
        "value",
        "finite",
    ),
    (
        "wdi-negative-population",
        "wdi_wide",
        "w.csv",
        WB_PRE + WB_HEAD + '"J","JPN","P","SP.POP.TOTL","1","-7",\n',
        6,
        "2005",
        "negative",
    ),
    (
        "wdi-percent-above-100",
        "wdi_wide",
        "w.csv",
        WB_PRE + WB_HEAD + '"J","JPN","U","SP.URB.TOTL.IN.ZS","140","",\n',
        6,
        "2004",
        "0..100",
    ),
    (
        "wdi-year-column-3004",
        "wdi_wide",
        "w.csv",
        WB_PRE + WB_HEAD.replace('"2005"', '"3004"') + '"J","JPN","X","X.1","1","",\n',
        5,
        "3004",
        "year",
    ),
    (
        "wdi-country-code-form",
        "wdi_wide",
        "w.csv",
        WB_PRE + WB_HEAD + '"J","Japan","X","X.1","1","",\n',
        6,
        "Country Code",
        "form",
    ),
    (
        "wdi-infinite-value",
        "wdi_wide",
        "w.csv",
        WB_PRE + WB_HEAD + '"J","JPN","X","X.1","inf","",\n',
        6,
        "2004",
        "finite",
    ),
    ("wdi-long-year-1066", "wdi_long", "l.csv", LONG_HEAD + "J,JPN,1066,1.0\n", 2, "Year", "year"),
    (
        "wdi-long-negative-population",
        "wdi_long",
        "l.csv",
        LONG_HEAD.replace("_X", "_SP.POP.TOTL") + "J,JPN,2004,-1\n",
        2,
        "average_value_SP.POP.TOTL",
        "negative",
    ),
    (
        "iamc-year-column-3010",
        "iamc",
        "s.csv",
        IAMC_HEAD.replace("2010", "3010") + "M,S,JPN,GDP,U,1.0,2.0\n",
        1,
        "3010",
        "year",
    ),
    (
        "iamc-negative-population",
        "iamc",
        "s.csv",
        IAMC_HEAD + "M,S,JPN,Population,million,127,-1\n",
        2,
        "2020",
        "negative",
    ),
    ("iamc-infinite-value", "iamc", "s.csv", IAMC_HEAD + "M,S,JPN,GDP,U,inf,1\n", 2, "2010", "finite"),
    (
        "io-long-infinite-value",
        "io_long",
        "x_long.csv",
        "table_id,row_code,col_code,value\nT,01,02,-inf\n",
        2,
        "value",
        "finite",
    ),
]

# A line longer than DuckDB's read buffer (33 MB here) is dropped by its CSV reader without an error: every
# CSV loader must then fail on the count of rows read against the file's lines, naming the file. One case
# per way a loader reads (through _ingest, with a preamble, a wide file, a code list, a long IO file).
LONG = "9" * 33_000_000
ROW_COUNT_CASES = [
    ("owid-line-dropped", "owid", "o.csv", OWID_HEAD + OWID_OK + "JPN,Japan,2011,1,1,1,1,1,1," + LONG + "\n" + OWID_OK),
    ("wdi-line-dropped", "wdi_wide", "w.csv", WB_PRE + WB_HEAD + '"J","JPN","X","X.1","1",' + LONG + ",\n"),
    ("iamc-line-dropped", "iamc", "s.csv", IAMC_HEAD + "M,S,JPN,GDP,U,1.0,2\nM,S,USA,GDP,U,1.0," + LONG + "\n"),
    ("countries-line-dropped", "countries", "c.csv", COUNTRIES + "8,X" + LONG + ',"X","XX","XXX"\n'),
    (
        "io-long-line-dropped",
        "io_long",
        "x_long.csv",
        "table_id,row_code,col_code,value\nT,01,02,1\nT,01,03," + LONG + "\n",
    ),
]


def run_case(con, method, path):
    loader = Loader(con, "real")
    if method == "baci":
        loader.baci_countries(_countries(path.parent))
        loader.baci_products(_products(path.parent))
        return loader.baci_year(2001, [path])
    calls = {
        "countries": lambda: loader.baci_countries(path),
        "products": lambda: loader.baci_products(path),
        "wdi_wide": lambda: loader.wdi([path], [], []),
        "wdi_long": lambda: loader.wdi([], [path], []),
        "owid": lambda: loader.owid(path),
        "wgi": lambda: loader.wgi(path),
        "irp": lambda: loader.irp([path], []),
        "bgs": lambda: loader.bgs([path]),
        "iamc": lambda: loader.iamc([path]),
        "metal": lambda: loader.metal_content([path]),
        "io": lambda: loader.io_tables([path]),
        "io_long": lambda: loader.io_tables([], [path]),
        "mine": lambda: loader.mine_production([path]),
        "comtrade": lambda: loader.comtrade([path]),
        "cn_keys": lambda: loader.ewaste_cn_keys([path]),
        "boms": lambda: loader.device_boms([path]),
        "baci_other": lambda: loader.baci_other_release_flows([path]),
    }
    return calls[method]()


def _products(folder):
    path = folder / "product_codes_ok.csv"
    path.write_text('"code","description"\n"010111","horses"\n"010112","more horses"\n')
    return path


def _truncated_gzip() -> bytes:
    import gzip

    whole = gzip.compress((H + "".join(f'2001,4,24,{10111 + n % 2},{n}.0,"1"\n' for n in range(5000))).encode())
    return whole[: len(whole) // 2]


def _countries(folder):
    path = folder / "country_codes_ok.csv"
    path.write_text(COUNTRIES)
    return path


def test_corpus_has_at_least_forty_cases():
    assert len(CASES) + len(ARCHIVE_CASES) + 1 >= 40  # + the file that changes while read


@pytest.mark.parametrize(
    ("case", "method", "name", "content", "line", "column", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_fails_with_one_line(tmp_path, case, method, name, content, line, column, words):
    path = tmp_path / name
    content = _truncated_gzip() if case == "baci-gzip-truncated" else content
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    con = duckdb.connect()
    with pytest.raises(InputError) as caught:
        run_case(con, method, path)
    error = caught.value
    message = str(error)
    assert error.path == str(path), message
    assert "\n" not in message and message.startswith(str(path))
    if line is not None:
        assert error.line == line, message
    if column is not None:
        assert str(error.column) == column, message
    assert words.lower() in message.lower(), message
    # nothing half-loaded: the flows table is empty after a failed BACI load, and so on
    table = {"baci": "baci_flows", "wdi_wide": "wdi_values", "wdi_long": "wdi_values", "io": "io_values"}.get(method)
    if table:
        assert con.execute(f"select count(*) from raw.{table}").fetchone()[0] == 0


@pytest.mark.parametrize(("case", "method", "name", "content"), ROW_COUNT_CASES, ids=[c[0] for c in ROW_COUNT_CASES])
def test_a_line_the_reader_drops_fails_the_load(tmp_path, case, method, name, content):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError, match="data lines but") as caught:
        run_case(duckdb.connect(), method, path)
    assert caught.value.path == str(path)


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as bundle:
        for name, text in members:
            bundle.writestr(name, text)


ARCHIVE_CASES = [
    ("zip-dotdot", [("ok.csv", "a"), ("../evil.csv", "x")], "climbs out"),
    ("zip-nested-dotdot", [("a/b/../../../evil.csv", "x")], "climbs out"),
    ("zip-absolute", [("/tmp/evil.csv", "x")], "absolute"),
    ("zip-windows-drive", [("C:/evil.csv", "x")], "absolute"),
]


@pytest.mark.parametrize(("case", "members", "words"), ARCHIVE_CASES, ids=[c[0] for c in ARCHIVE_CASES])
def test_unsafe_archives_are_refused(tmp_path, case, members, words):
    archive = tmp_path / "release.zip"
    _zip(archive, members)
    with pytest.raises(InputError, match=words) as caught:
        extract_zip(archive, tmp_path / "out")
    assert caught.value.path == str(archive)
    assert not list(tmp_path.rglob("evil.csv"))


def test_file_changing_while_read_is_refused(tmp_path, monkeypatch):
    import warehouse.loaders.baci as loaders  # the BACI loader reads the facts

    path = tmp_path / "BACI_HS92_Y2001_V1.csv"
    path.write_text(H + OK)
    real_facts = loaders.file_facts

    def read_then_append(*args, **kwargs):
        facts = real_facts(*args, **kwargs)  # the read beside DuckDB's parse (checksum, lines)
        with open(path, "a") as handle:  # another process appends after it
            handle.write('2001,24,4,10111,1.0,"1"\n')
        return facts

    monkeypatch.setattr(loaders, "file_facts", read_then_append)
    con = duckdb.connect()
    loader = Loader(con, "real")
    with pytest.raises(InputError, match="changed while being read"):
        loader.baci_year(2001, [path])
    assert con.execute("select count(*) from raw.baci_flows").fetchone()[0] == 0


def test_implausible_rows_are_quarantined_with_their_reason(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(H + OK + '2001,4,24,10112,1e300,"1"\n' + '2001,24,4,10111,1.0,"1e12"\n')
    con = duckdb.connect()
    loader = Loader(con, "real", on_bad_rows="quarantine")
    loader.baci_countries(_countries(tmp_path))
    loader.baci_products(_products(tmp_path))
    assert loader.baci_year(2001, [path]) == 1
    reasons = con.execute("select line, column_name, reason from raw.quarantine order by line").fetchall()
    assert [(line, column) for line, column, _ in reasons] == [(3, "v"), (4, "q")]
    assert all("plausible" in reason for _, _, reason in reasons)


def test_files_not_loaded_are_listed_with_a_reason(tmp_path):
    from warehouse.discover import discover

    baci = tmp_path / "baci"
    baci.mkdir()
    (baci / "BACI_HS92_Y2001_V202301.csv").write_text(H + OK)
    (baci / "BACI_HS92_Y2004_V202301.csv").write_text(H + OK.replace("2001", "2004"))
    (baci / "BACI_HS92_Y2002_V202301.csv").mkdir()  # a folder named like a year's file
    (baci / "notes.txt").write_text("x")
    (tmp_path / "wdi").mkdir()
    (tmp_path / "wdi" / "odd_layout.csv").write_text("a,b\n1,2\n")
    (tmp_path / "other_source").mkdir()
    (tmp_path / "other_source" / "exports.csv.gz").write_bytes(b"x")
    (tmp_path / "README.md").write_text("not an input")
    inv = discover(tmp_path)
    why = {p.relative_to(tmp_path).as_posix(): reason for p, reason in inv.skipped}
    assert "folder named like an input" in why["baci/BACI_HS92_Y2002_V202301.csv"]
    assert "no loader reads" in why["baci/notes.txt"]
    assert "not a World Bank" in why["wdi/odd_layout.csv"]
    assert "no source of the build reads" in why["other_source/exports.csv.gz"]
    assert "README.md" not in why
    lines = inv.unused_lines()
    assert any(
        line.endswith("other_source/: 1 file(s) not loaded: " + why["other_source/exports.csv.gz"]) for line in lines
    )
    # the years missing inside the span are reported
    assert inv.year_gaps() == [
        "BACI V202301: no flow file for 2002-2003 inside 2001-2004: the series are cleaned without them"
    ]


def test_a_data_folder_without_any_input_is_refused(tmp_path):
    from warehouse.discover import discover

    (tmp_path / "baci").mkdir()
    (tmp_path / "notes.md").write_text("x")
    with pytest.raises(InputError, match="no input file of any source"):
        discover(tmp_path).require_some_input()
    (tmp_path / "baci" / "BACI_HS92_Y2001_V1.csv").write_text(H + OK)
    discover(tmp_path).require_some_input()  # one file of one source is enough
