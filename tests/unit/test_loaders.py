"""Loaders on small hand-written files in each official format: values, idempotence and error locations."""

import duckdb
import pytest

from warehouse.discover import discover
from warehouse.errors import InputError
from warehouse.loaders import Loader

BACI_HEADER = '"t","i","j","k","v","q"\n'
COUNTRIES = (
    '"country_code","country_name_abbreviation","country_name_full","iso_2digit_alpha","iso_3digit_alpha"\n'
    '4,"Afghanistan","Afghanistan","AF","AFG"\n'
    '24,"Angola","Angola","AO","AGO"\n'
    '392,"Japan","Japan","JP","JPN"\n'
    '810,"Fmr USSR","Former USSR","SU","SUN"\n'
)


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def q(value):
    return f'"{value:>13}"'


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture
def loader(con):
    return Loader(con, "demo")


def test_baci_year_pads_hs6_reads_padded_quantities_and_na(tmp_path, loader, con):
    loader.baci_countries(write(tmp_path / "country_codes_V1.csv", COUNTRIES))
    flows = write(
        tmp_path / "BACI_HS92_Y2001_V1.csv",
        BACI_HEADER
        + f"2001,4,24,10111,52.051,{q('13.235')}\n"
        + f"2001,4,392,382390,0.041,{q('NA')}\n"
        + f"2001,392,4,847191,1000.5,{q('0.000')}\n",
    )
    assert loader.baci_year(2001, [flows]) == 3
    rows = con.execute("select k, v, q from raw.baci_flows order by k").fetchall()
    assert rows == [("010111", 52.051, 13.235), ("382390", 0.041, None), ("847191", 1000.5, 0.0)]


def test_baci_year_reload_is_idempotent_and_replaces_only_that_year(tmp_path, loader, con):
    loader.baci_countries(write(tmp_path / "country_codes_V1.csv", COUNTRIES))
    y1 = write(tmp_path / "BACI_HS92_Y2001_V1.csv", BACI_HEADER + f"2001,4,24,10111,1.0,{q('1.000')}\n")
    y2 = write(
        tmp_path / "BACI_HS92_Y2002_V1.csv",
        BACI_HEADER + f"2002,4,24,10111,2.0,{q('2.000')}\n2002,24,4,10111,3.0,{q('3.000')}\n",
    )
    loader.baci_year(2001, [y1])
    loader.baci_year(2002, [y2])
    before = con.execute("select t, count(*), sum(v) from raw.baci_flows group by t order by t").fetchall()
    loader.baci_year(2002, [y2])
    after = con.execute("select t, count(*), sum(v) from raw.baci_flows group by t order by t").fetchall()
    assert before == after == [(2001, 1, 1.0), (2002, 2, 5.0)]
    assert con.execute("select count(*) from raw.load_log where table_name = 'baci_flows'").fetchone()[0] == 2


def test_an_unchanged_year_is_recognised_and_any_change_is_not(tmp_path, con):
    # A build keeps a year whose files are byte-identical to those loaded (so its series are not re-cleaned);
    # a changed byte, another file set, another source kind or a country dropped from the list all reload.
    loader = Loader(con, "demo")
    countries = write(tmp_path / "country_codes_V1.csv", COUNTRIES)
    loader.baci_countries(countries)
    y1 = write(tmp_path / "BACI_HS92_Y2001_V1.csv", BACI_HEADER + f"2001,4,24,10111,1.0,{q('1.000')}\n")
    extra = write(tmp_path / "BACI_HS92_Y2001_V2.csv", BACI_HEADER + f"2001,24,4,10111,2.0,{q('2.000')}\n")
    assert not loader.baci_year_is_loaded(2001, [y1])  # never loaded
    loader.baci_year(2001, [y1])
    assert loader.baci_year_is_loaded(2001, [y1])
    assert not loader.baci_year_is_loaded(2001, [y1, extra])
    assert not Loader(con, "real").baci_year_is_loaded(2001, [y1])
    y1.write_bytes(y1.read_bytes().replace(b"1.0,", b"1.5,"))  # same size, different content
    assert not loader.baci_year_is_loaded(2001, [y1])
    loader.baci_year(2001, [y1])
    assert loader.baci_year_is_loaded(2001, [y1])
    write(countries, COUNTRIES.replace('24,"Angola","Angola","AO","AGO"\n', ""))
    loader.baci_countries(countries)
    assert not loader.baci_year_is_loaded(2001, [y1])  # Angola (24) is no longer a known country


@pytest.mark.parametrize(
    ("row", "line", "column", "words"),
    [
        (f"2001,4,24,10111,abc,{q('1.0')}", 3, "v", "abc"),
        (f"2001,4,24,10111,-5.0,{q('1.0')}", 3, "v", "negative"),
        (f"2001,4,24,10111,5.0,{q('-1.0')}", 3, "q", "negative"),
        (f"2002,4,24,10111,5.0,{q('1.0')}", 3, "t", "year differs"),
        (f"2001,4,999,10111,5.0,{q('1.0')}", 3, "j", "not in the BACI country list"),
        (f"2001,4,24,12x,5.0,{q('1.0')}", 3, "k", "HS6"),
        ("2001,4,24", 3, None, "Columns"),
    ],
)
def test_baci_bad_rows_name_file_line_and_column(tmp_path, loader, con, row, line, column, words):
    loader.baci_countries(write(tmp_path / "country_codes_V1.csv", COUNTRIES))
    path = write(tmp_path / "BACI_HS92_Y2001_V1.csv", BACI_HEADER + f"2001,4,24,20110,1.0,{q('1.0')}\n" + row + "\n")
    with pytest.raises(InputError) as caught:
        loader.baci_year(2001, [path])
    error = caught.value
    assert error.path == str(path)
    assert error.line == line
    if column is not None:
        assert error.column == column
    assert words.lower() in error.message.lower()
    assert str(path) in str(error) and "\n" not in str(error)
    # the failed load left nothing behind
    assert con.execute("select count(*) from raw.baci_flows").fetchone()[0] == 0


def test_baci_duplicate_flow_is_an_error_and_quarantine_keeps_the_rest(tmp_path, con):
    strict = Loader(con, "demo")
    strict.baci_countries(write(tmp_path / "country_codes_V1.csv", COUNTRIES))
    path = write(
        tmp_path / "BACI_HS92_Y2001_V1.csv",
        BACI_HEADER
        + f"2001,4,24,10111,1.0,{q('1.0')}\n"
        + f"2001,4,24,10111,2.0,{q('2.0')}\n"
        + f"2001,4,24,20110,x,{q('2.0')}\n"
        + f"2001,4,24,30110,3.0,{q('3.0')}\n",
    )
    with pytest.raises(InputError) as caught:
        strict.baci_year(2001, [path])
    assert (caught.value.line, caught.value.column) == (4, "v")  # unparsable rows are reported first
    duplicated = write(
        tmp_path / "BACI_HS92_Y2001_V2.csv",
        BACI_HEADER + f"2001,4,24,10111,1.0,{q('1.0')}\n" + f"2001,4,24,10111,2.0,{q('2.0')}\n",
    )
    with pytest.raises(InputError, match="duplicate flow") as caught:
        strict.baci_year(2001, [duplicated])
    assert caught.value.line == 3
    lenient = Loader(con, "demo", on_bad_rows="quarantine")
    assert lenient.baci_year(2001, [path]) == 2
    quarantined = con.execute("select line, column_name, reason from raw.quarantine order by line").fetchall()
    # the later duplicate is set aside with its reason, never dropped without a word
    assert [(line, col, reason) for line, col, reason in quarantined][0] == (3, None, "duplicate flow")
    assert [(line, col) for line, col, _ in quarantined] == [(3, None), (4, "v")]
    # duplicates keep the first occurrence in quarantine mode
    assert con.execute("select v from raw.baci_flows where k = '010111'").fetchall() == [(1.0,)]


def test_missing_header_column_and_empty_file(tmp_path, loader):
    bad_header = write(tmp_path / "BACI_HS92_Y2001_V1.csv", '"t","i","j","k","value","q"\n2001,4,24,1,1,1\n')
    with pytest.raises(InputError, match="lacks column 'v'") as caught:
        loader.baci_year(2001, [bad_header])
    assert caught.value.line == 1
    empty = write(tmp_path / "empty.csv", "")
    with pytest.raises(InputError, match="empty"):
        loader.baci_countries(empty)


def test_product_codes_keep_legacy_code_and_pad(tmp_path, loader, con):
    path = write(
        tmp_path / "product_codes_HS92_V1.csv",
        '"code","description"\n"010111","Horses"\n"9999AA","Legacy"\n10120,"Asses"\n',
    )
    assert loader.baci_products(path) == 3
    assert [r[0] for r in con.execute("select code from raw.baci_products order by code").fetchall()] == [
        "010111",
        "010120",
        "9999AA",
    ]


def test_world_bank_wide_with_bom_crlf_preamble_and_trailing_comma(tmp_path, loader, con):
    text = (
        '"Data Source","World Development Indicators",\r\n\r\n"Last Updated Date","2021-09-15",\r\n\r\n'
        '"Country Name","Country Code","Indicator Name","Indicator Code","2004","2005",\r\n'
        '"Japan","JPN","Forest area (% of land area)","AG.LND.FRST.ZS","68.4","",\r\n'
        '"Angola","AGO","Forest area (% of land area)","AG.LND.FRST.ZS","","46.5",\r\n'
    )
    wide = write(tmp_path / "API_X.csv", "\ufeff" + text)
    long = write(
        tmp_path / "long.csv",
        "Country Name,Country Code,Year,average_value_Forest area (% of land area),average_value_Other\n"
        "Japan,JPN,2006,68.5,\nJapan,JPN,2007,,2.0\n",
    )
    meta = write(
        tmp_path / "Metadata_Indicator_X.csv",
        '\ufeff"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE","SOURCE_ORGANIZATION",\r\n'
        '"AG.LND.FRST.ZS","Forest area (% of land area)","Forest.","FAO",\r\n',
    )
    assert loader.wdi([wide], [long], [meta]) == 4
    got = con.execute(
        "select country_code, indicator_code, indicator_name, year, value from raw.wdi_values order by 1, 4, 3"
    ).fetchall()
    assert got == [
        ("AGO", "AG.LND.FRST.ZS", "Forest area (% of land area)", 2005, 46.5),
        ("JPN", "AG.LND.FRST.ZS", "Forest area (% of land area)", 2004, 68.4),
        ("JPN", None, "Forest area (% of land area)", 2006, 68.5),
        ("JPN", None, "Other", 2007, 2.0),
    ]
    assert con.execute("select indicator_code from raw.wdi_indicators").fetchall() == [("AG.LND.FRST.ZS",)]


def test_world_bank_wide_bad_value_points_at_line_and_year(tmp_path, loader):
    text = (
        '"Data Source","World Development Indicators",\n\n"Last Updated Date","2021-09-15",\n\n'
        '"Country Name","Country Code","Indicator Name","Indicator Code","2004",\n'
        '"Japan","JPN","X","X.1","1.0",\n"Japan","JPN","Y","Y.1","n/a",\n'
    )
    with pytest.raises(InputError) as caught:
        loader.wdi([write(tmp_path / "API_Y.csv", text)], [], [])
    assert (caught.value.line, caught.value.column) == (7, "2004")


def test_wgi_latin1_and_na(tmp_path, loader, con):
    text = (
        '"","Country/Territory","Code","Year","Estimate","Lower","NumSrc","Rank","StdErr","Upper","Indicator"\n'
        '"1","Côte d\'Ivoire","CIV",2004,-1.2,0,4,10.5,0.2,20,"RuleofLaw"\n'
        '"2","Côte d\'Ivoire","CIV",2005,NA,NA,NA,NA,NA,NA,"RuleofLaw"\n'
    )
    assert loader.wgi(write(tmp_path / "wgi.csv", text, encoding="latin-1")) == 2
    assert con.execute("select country, estimate from raw.wgi order by year").fetchall() == [
        ("Côte d'Ivoire", -1.2),
        ("Côte d'Ivoire", None),
    ]


def test_owid_irp_bgs_and_iamc(tmp_path, loader, con):
    owid = write(
        tmp_path / "owid-co2-data.csv",
        "iso_code,country,year,co2,total_ghg,methane,nitrous_oxide,primary_energy_consumption,population,gdp\n"
        "JPN,Japan,2010,1200.5,1300,30,20,5000,128000000,4.3e12\nOWID_WRL,World,2010,33000,,,,,,\n",
    )
    assert loader.owid(owid) == 2
    irp = write(tmp_path / "DE_x.csv", "alphanumiso;CCC_Code;year;unit;value\nJPN392;A.2.2.Cu;2005;t;12.5\n")
    ccc = write(
        tmp_path / "ccc.csv",
        "CCC_Code;CCC_Name;MFA13Plus;MFA4Plus\nA.2.2.Cu;Copper ores;Non-ferrous ores;Metal ores\n",
    )
    assert loader.irp([irp], [ccc]) == 1
    assert con.execute("select alphanumiso, ccc_code, year, value from raw.irp_extraction").fetchall() == [
        ("JPN392", "A.2.2.Cu", 2005, 12.5)
    ]
    bgs = write(
        tmp_path / "BGS_cobalt_production.csv",
        "x,country_trans,country_iso3_code,bgs_commodity_trans,bgs_sub_commodity_trans,erml_commodity,"
        "erml_sub_commodity,bgs_statistic_type_trans,year,quantity,units\n"
        '1,Canada,CAN,"cobalt, mine",,Cobalt,,Production,1971-01-01 00:00:00,1961,tonnes (metal content)\n',
    )
    assert loader.bgs([bgs]) == 1
    assert con.execute(
        "select commodity_file, country_iso3_code, year, quantity from raw.bgs_production"
    ).fetchall() == [("cobalt", "CAN", 1971, 1961.0)]
    iamc = write(
        tmp_path / "s.csv",
        "MODEL,SCENARIO,REGION,VARIABLE,UNIT,2010,2020\nIIASA,SSP2,JPN,GDP|PPP,billion US$2005/yr,4.1,\n",
    )
    assert loader.iamc([iamc]) == 1
    assert con.execute("select scenario, region, year, value from raw.scenario_values").fetchall() == [
        ("SSP2", "JPN", 2010, 4.1)
    ]


def test_metal_content_share_out_of_range(tmp_path, loader):
    path = write(
        tmp_path / "c.csv",
        'hs6,metal,content_share,basis,source\n"260500",Co,0.1,ore,x\n"260400",Ni,1.5,ore,x\n',
    )
    with pytest.raises(InputError) as caught:
        loader.metal_content([path])
    assert (caught.value.line, caught.value.column) == (3, "content_share")


def test_io_workbook_values_and_bad_cell(tmp_path, loader, con):
    openpyxl = pytest.importorskip("openpyxl")

    def workbook(path, bad=False):
        book = openpyxl.Workbook()
        book.active.title = "Meta_data"
        book["Meta_data"]["A1"] = "toy_2x2"
        sets = book.create_sheet("Set_data")
        sets.append(["toy_2x2"])
        sets.append([])
        sets.append(["row", None, None, "col", None, None, "va", None, None, "fd", None])
        sets.append(["01", "農業", None, "01", "農業", None, "epin", "雇用者所得", None, "hhco", "家計消費"])
        sets.append(["02", "工業", None, "02", "工業", None, None, None, None, "impo", "輸入"])
        values = book.create_sheet("Value_data")
        values.append(["産業連関表（10億円）"])
        values.append([])
        values.append([None, "01", "02", "hhco", "impo", "Total"])
        values.append(["01", 1.0, 2.0, 7.0, -1.0, 9.0])
        values.append(["02", 3.0, "oops" if bad else 4.0, 8.0, -2.0, 13.0])
        book.save(path)
        return path

    good = workbook(tmp_path / "check_toy_std.xlsx")
    assert loader.io_tables([good]) == 10
    assert con.execute("select value from raw.io_values where row_code = '02' and col_code = 'impo'").fetchone() == (
        -2.0,
    )
    assert con.execute("select count(*) from raw.io_sectors").fetchone()[0] == 7
    bad = workbook(tmp_path / "bad.xlsx", bad=True)
    with pytest.raises(InputError, match="cell C5") as caught:
        loader.io_tables([bad])
    assert caught.value.line == 5


def test_discover_layout_and_confinement(tmp_path):
    write(tmp_path / "baci" / "BACI_HS92_Y2001_V202301.csv", BACI_HEADER)
    write(tmp_path / "baci" / "BACI_HS92_Y2001_V202301_exporters_AFG.csv", BACI_HEADER)
    write(tmp_path / "baci" / "country_codes_V202301.csv", COUNTRIES)
    write(tmp_path / "scenarios" / "x.csv", "name,country_code,year,pop\n")
    inv = discover(tmp_path)
    assert list(inv.baci_years) == [2001] and len(inv.baci_years[2001]) == 2
    assert inv.baci_countries.name == "country_codes_V202301.csv"
    assert any("IAMC" in reason for _, reason in inv.skipped)
    assert "OWID CO2/GHG (owid/owid-co2-data*.csv)" in inv.missing()
    outside = tmp_path.parent / f"outside_{tmp_path.name}.csv"
    outside.write_text("x")
    (tmp_path / "owid").mkdir()
    (tmp_path / "owid" / "owid-co2-data.csv").symlink_to(outside)
    with pytest.raises(InputError, match="outside the data folder"):
        discover(tmp_path)


def test_zip_release_is_extracted_and_loaded(tmp_path, loader, con):
    import zipfile

    data = tmp_path / "data"
    (data / "baci").mkdir(parents=True)
    with zipfile.ZipFile(data / "baci" / "BACI_HS92_V202301.zip", "w") as bundle:
        bundle.writestr("country_codes_V202301.csv", COUNTRIES)
        bundle.writestr("BACI_HS92_Y2001_V202301.csv", BACI_HEADER + f"2001,4,24,10111,1.5,{q('2.000')}\n")
    inv = discover(data, extract_dir=tmp_path / "extracted")
    assert list(inv.baci_years) == [2001]
    loader.baci_countries(inv.baci_countries)
    assert loader.baci_year(2001, inv.baci_years[2001]) == 1
    # without an extraction folder the archive is listed, not read
    assert any("zip archive" in why for _, why in discover(data).skipped)


@pytest.mark.parametrize(
    ("member", "words"),
    [("../evil.csv", "climbs out"), ("/etc/evil.csv", "absolute"), ("a/../../evil.csv", "climbs out")],
)
def test_zip_member_climbing_out_is_refused(tmp_path, member, words):
    import zipfile

    from warehouse.archives import extract_zip

    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("ok.csv", "a\n")
        bundle.writestr(member, "x\n")
    with pytest.raises(InputError, match=words):
        extract_zip(archive, tmp_path / "out")
    assert not (tmp_path / "evil.csv").exists()
    assert not list((tmp_path / "out").rglob("*.csv"))


def test_broken_zip_names_the_archive(tmp_path):
    from warehouse.archives import extract_zip

    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(InputError, match="not a readable zip") as caught:
        extract_zip(archive, tmp_path / "out")
    assert caught.value.path == str(archive)


def test_world_bank_bulk_file_without_preamble(tmp_path, loader, con):
    bulk = write(
        tmp_path / "WDICSV.csv",
        '"Country Name","Country Code","Indicator Name","Indicator Code","2004","2005"\n'
        '"Japan","JPN","Forest area (% of land area)","AG.LND.FRST.ZS","68.4","68.5"\n',
    )
    assert loader.wdi([bulk], [], []) == 1
    assert con.execute("select count(*) from raw.wdi_values").fetchone()[0] == 2


def test_hostile_column_names_are_quoted_not_executed(tmp_path, loader, con):
    # A long-format header whose indicator name tries to close the identifier and inject SQL.
    evil = 'average_value_x" from (select 1); drop table raw.wdi_values; --'
    path = write(
        tmp_path / "long.csv",
        "Country Name,Country Code,Year," + '"' + evil.replace('"', '""') + '"' + "\nJapan,JPN,2006,1.5\n",
    )
    assert loader.wdi([], [path], []) == 1
    name = con.execute("select indicator_name from raw.wdi_values").fetchone()[0]
    assert name == evil[len("average_value_") :]
    assert con.execute("select count(*) from raw.wdi_values").fetchone()[0] == 1


NEW_COUNTRIES = (
    "country_code,country_name,country_iso2,country_iso3\n4,Afghanistan,AF,AFG\n736,Sudan (...2011),SD,SDN\n"
)


def gz(path, text):
    import gzip

    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as handle:
        handle.write(text.encode())
    return path


def test_baci_reads_gzipped_years_and_both_code_list_layouts(tmp_path, loader, con):
    # newer layout, gzipped, listed first (newest release): its entry wins for code 4; 24 only in the older list
    new = gz(tmp_path / "country_codes_V202401b.csv.gz", NEW_COUNTRIES.replace("Afghanistan", "Afghanistan new"))
    old = write(tmp_path / "country_codes_V202301.csv", COUNTRIES)
    assert loader.baci_countries([new, old]) == 5  # 4, 736 from the new list; 24, 392, 810 from the old
    rows = dict(
        con.execute(
            "select country_code, country_name_abbreviation || '|' || iso_3digit_alpha from raw.baci_countries"
        ).fetchall()
    )
    assert rows[4] == "Afghanistan new|AFG" and rows[24] == "Angola|AGO" and rows[736] == "Sudan (...2011)|SDN"
    products_new = gz(tmp_path / "product_codes_HS92_V202401b_x.csv.gz", "code,description\n260300,Copper ores new\n")
    products_old = write(
        tmp_path / "product_codes_HS92_V202301.csv", '"code","description"\n"260300","Cu"\n"010111","H"\n'
    )
    assert loader.baci_products([products_new, products_old]) == 2
    assert con.execute("select description from raw.baci_products where code = '260300'").fetchone()[0] == (
        "Copper ores new"
    )
    flows = gz(
        tmp_path / "BACI_HS92_Y2001_V202401b_raw_materials_74.csv.gz",
        "t,i,j,k,v,q\n2001,4,24,260300,7.5,1.25\n2001,736,4,10111,1,NA\n",
    )
    assert loader.baci_year(2001, [flows]) == 2
    assert con.execute("select k, q from raw.baci_flows order by k").fetchall() == [("010111", None), ("260300", 1.25)]


def test_bad_gzip_names_the_file(tmp_path, loader):
    loader.baci_countries(write(tmp_path / "country_codes_V1.csv", COUNTRIES))
    broken = tmp_path / "BACI_HS92_Y2001_V2.csv.gz"
    whole = gz(tmp_path / "whole.csv.gz", BACI_HEADER + f"2001,4,24,10111,1.0,{q('1.000')}\n" * 2000)
    broken.write_bytes(whole.read_bytes()[:60])  # cut inside the compressed stream
    with pytest.raises(InputError) as caught:
        loader.baci_year(2001, [broken])
    assert str(broken) in caught.value.one_line()


def test_discover_uses_one_baci_release_and_lists_the_others(tmp_path):
    baci = tmp_path / "baci"
    write(baci / "BACI_HS92_Y2021_V202301_exporters_AFG.csv", BACI_HEADER)
    write(baci / "BACI_HS92_Y2020_V202301.csv", BACI_HEADER)
    gz(baci / "BACI_HS92_Y2021_V202401b_raw_materials_74.csv.gz", BACI_HEADER)
    gz(baci / "BACI_HS92_Y2022_V202401b_raw_materials_74.csv.gz", BACI_HEADER)
    write(baci / "country_codes_V202301.csv", COUNTRIES)
    gz(baci / "country_codes_V202401b.csv.gz", NEW_COUNTRIES)
    write(baci / "product_codes_HS92_V202301.csv", '"code","description"\n')
    inv = discover(tmp_path)
    # newest by default: V202401b's two years; 2021 is never mixed with the V202301 file of that year
    assert inv.baci_release == "V202401b"
    assert {y: [p.name for p in ps] for y, ps in inv.baci_years.items()} == {
        2021: ["BACI_HS92_Y2021_V202401b_raw_materials_74.csv.gz"],
        2022: ["BACI_HS92_Y2022_V202401b_raw_materials_74.csv.gz"],
    }
    assert inv.baci_releases == {"V202301": [2020, 2021], "V202401b": [2021, 2022]}
    unused = {p.name: why for p, why in inv.skipped}
    assert set(unused) == {"BACI_HS92_Y2021_V202301_exporters_AFG.csv", "BACI_HS92_Y2020_V202301.csv"}
    assert all("--baci-release V202301" in why for why in unused.values())
    assert [p.name for p in inv.baci_country_lists] == ["country_codes_V202401b.csv.gz", "country_codes_V202301.csv"]
    assert [p.name for p in inv.baci_product_lists] == ["product_codes_HS92_V202301.csv"]
    # the older release on request (any case of the v), the newer one listed instead
    older = discover(tmp_path, baci_release="v202301")
    assert older.baci_release == "V202301" and sorted(older.baci_years) == [2020, 2021]
    assert len(older.baci_years[2021]) == 1 and "V202301" in older.baci_years[2021][0].name
    assert {p.name for p, _ in older.skipped} == {
        "BACI_HS92_Y2021_V202401b_raw_materials_74.csv.gz",
        "BACI_HS92_Y2022_V202401b_raw_materials_74.csv.gz",
    }
    with pytest.raises(InputError, match="V202101 asked for.*V202301, V202401b"):
        discover(tmp_path, baci_release="V202101")


def test_baci_release_is_a_declared_parameter(monkeypatch):
    from orchestration.cli import parser
    from warehouse.params import declared, params, set_override

    assert parser().parse_args(["build", "--baci-release", "V202301"]).baci_release == "V202301"

    assert "baci_release" in declared() and declared()["baci_release"] is None
    monkeypatch.setenv("METALNEXUS_DBT_VARS", '{"trade_cleaning_k_ma_sd": 3}')
    set_override("baci_release", "V202301")
    assert params()["baci_release"] == "V202301" and params()["trade_cleaning_k_ma_sd"] == 3


def test_duplicates_are_found_in_sorted_and_unsorted_files(tmp_path, loader, con):
    loader.baci_countries(write(tmp_path / "country_codes_V1.csv", COUNTRIES))
    rows = [f"2001,{i},{j},{k},1.0,{q('1.0')}\n" for i, j, k in [(4, 24, 10111), (4, 392, 10111), (24, 4, 20110)]]
    # unsorted, all distinct: loaded (the keys do not rise, so they are counted by hash)
    unsorted = write(tmp_path / "BACI_HS92_Y2001_V1.csv", BACI_HEADER + rows[2] + rows[0] + rows[1])
    assert loader.baci_year(2001, [unsorted]) == 3
    # a duplicate far from its twin in an unsorted file, and next to it in a sorted one: both refused
    far = write(tmp_path / "BACI_HS92_Y2001_V2.csv", BACI_HEADER + rows[0] + rows[2] + rows[1] + rows[0])
    with pytest.raises(InputError, match="duplicate flow") as caught:
        loader.baci_year(2001, [far])
    assert caught.value.line == 5
    near = write(tmp_path / "BACI_HS92_Y2001_V3.csv", BACI_HEADER + rows[0] + rows[1] + rows[1] + rows[2])
    with pytest.raises(InputError, match="duplicate flow") as caught:
        loader.baci_year(2001, [near])
    assert caught.value.line == 4
    assert con.execute("select count(*) from raw.baci_flows").fetchone()[0] == 3  # the first load, untouched
