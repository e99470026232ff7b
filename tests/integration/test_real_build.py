"""The whole warehouse on the real public extracts in ../shared/data (skipped, saying why, when absent)."""

import gzip
import html
import json
import re

import duckdb
import pandas as pd


def test_real_build_traces_every_file_to_its_published_checksum(real_build, real_data_dir):
    provenance = (real_data_dir / "PROVENANCE.md").read_text()
    published_prefixes = dict(
        re.findall(r"\| ([^|]+?) \| [^|]+ \| [^|]+ \| [^|]+ \| \d+ \| ([0-9a-f]{16}) \|", provenance)
    )
    with duckdb.connect(str(real_build["published"]), read_only=True) as con:
        files = con.execute("select source_file, sha256, source_kind from marts.dim_source where is_loaded").fetchall()
    assert files, "no file recorded in marts.dim_source"
    checked = 0
    for relative, sha, kind in files:
        assert kind == "real"
        assert not relative.startswith("/"), relative  # relative to the data folder, as published
        if relative in published_prefixes:
            assert sha.startswith(published_prefixes[relative]), relative
            checked += 1
    assert checked >= 20  # most loaded files are listed in PROVENANCE.md
    with duckdb.connect(str(real_build["published"]), read_only=True) as con:
        assert con.execute("select data_dir from marts.build_info").fetchall() == [(str(real_data_dir),)]


def test_real_coverage_says_what_rests_on_what(real_build):
    with duckdb.connect(str(real_build["published"]), read_only=True) as con:
        status = dict(
            con.execute(
                "select raw_table, status from marts.rpt_input_coverage where analysis = 'sdg_panel'"
            ).fetchall()
        )
        baci = con.execute(
            "select n_years, first_year, status from marts.rpt_input_coverage "
            "where analysis = 'trade' and raw_table = 'baci_flows'"
        ).fetchone()
    # the real BACI flows are the raw-material release V202401b, 1995–2024, every exporter
    assert baci == (30, 1995, "real")
    assert status["owid_co2"] == "real"
    assert status["wgi"] == "real"
    assert "demo" not in status.values()


def test_real_dimensions(real_build):
    with duckdb.connect(str(real_build["published"]), read_only=True) as con:
        assert con.execute("select count(*) from marts.dim_product").fetchone()[0] == 5022
        assert con.execute("select count(*) from marts.dim_country").fetchone()[0] == 238
        historical = {
            r[0] for r in con.execute("select entity_code from marts.dim_country where is_historical").fetchall()
        }
        assert {"SUN", "DEU.280", "SDN.736"} <= historical
        assert con.execute("select count(distinct table_id) from marts.dim_io_sector").fetchone()[0] == 4


def test_report_builds_from_the_real_profile(real_build, tmp_path):
    from orchestration.report import build_report

    report = build_report(real_build["published"], tmp_path / "report")
    text = report.read_text()
    assert "Built from real inputs" in text
    # the banner names every thin or missing input, what it affects, and Table 1's year note
    banner = json.loads((tmp_path / "report" / "report.json").read_text())["banner"]
    # the 30 real BACI years hold 74 raw-material codes: Table 1 is partial, and Figure 2's electronics are empty
    assert any(line.startswith("Table 1 is partial: BACI flows hold 74 of the 5022 HS items") for line in banner)
    assert any(line.startswith("Figure 2 (847120, 847191,") and " is empty: no real series" in line for line in banner)
    assert all(html.escape(line) in text for line in banner)
    # Table 1 per sector in the programme's layout, and the programme's numbers beside ours
    pcs = pd.read_csv(tmp_path / "report" / "tables" / "table1_japan_2015_basic_std_pcs.csv", dtype={"hs6": str})
    assert list(pcs.columns) == ["rank", "induced_import_yen_per_yen", "hs6", "description", "metals_contained"]
    assert list(pcs["rank"]) == [1, 2, 3, 4, 5] and pcs["hs6"].iloc[0] == "847120"
    comparison = pd.read_csv(tmp_path / "report" / "tables" / "programme_comparison.csv")
    assert len(comparison) == 15  # the 15 Table 1 numbers; Figure 1's come from rpt_sdg_figure1_vs_programme
    figure1 = pd.read_csv(tmp_path / "report" / "tables" / "figure1_vs_programme.csv")
    assert len(figure1) >= 6
    # Table 1 rests on the real Japan 2015 table; its CSV is written beside the page
    table1 = (tmp_path / "report" / "tables" / "table1_ai_sector_imports.csv").read_text()
    assert "847120" in table1  # data-processing machines lead PC demand, as in the programme
    assert (tmp_path / "report" / "tables" / "input_coverage.csv").exists()


def test_real_baci_is_thirty_years_of_the_newest_release(real_build, real_data_dir):
    # rows per year equal the data lines of that year's V202401b file, counted here from the files themselves
    expected = {}
    for path in sorted((real_data_dir / "baci").glob("BACI_HS92_Y*_V202401b_*.csv.gz")):
        with gzip.open(path, "rt") as handle:
            expected[int(path.name[11:15])] = sum(1 for _ in handle) - 1
    with duckdb.connect(str(real_build["published"]), read_only=True) as con:
        per_year = dict(con.execute("select t, count(*) from raw.baci_flows group by t").fetchall())
        releases = con.execute(
            "select raw_table, string_agg(distinct release, ',' order by release) from marts.dim_source "
            "where raw_table like 'baci%' group by raw_table"
        ).fetchall()
        flow_files = {r[0] for r in con.execute("select distinct source_file from raw.baci_flows").fetchall()}
        not_loaded = dict(
            con.execute("select file_name, not_loaded_reason from marts.dim_source where not is_loaded").fetchall()
        )
        n_products = con.execute("select count(*) from raw.baci_products").fetchone()[0]
        newest_wins = con.execute("select source_file from raw.baci_products where code = '260300'").fetchone()[0]
    assert per_year == expected and len(per_year) == 30
    assert sum(per_year.values()) == 1_264_888
    # flows of one release only; the code lists of both (the concordance needs V202301's 5,022 codes)
    # (and the other release's flows in their own table, read for unit values only: issue 16)
    assert dict(releases) == {
        "baci_flows": "202401b",
        "baci_countries": "202301,202401b",
        "baci_products": "202301,202401b",
        "baci_other_release_flows": "202301",
    }
    assert not any("V202301" in f for f in flow_files)
    # the release not used is listed with its reason, beside the other files no source reads (issue 14)
    assert "V202301 not used" in not_loaded["BACI_HS92_Y2021_V202301_exporters_AFG_ZAF.csv"]
    assert any("no source of the build reads" in reason for reason in not_loaded.values())
    assert "comtrade_exports_metals_hs_2015_2024.csv.gz" not in not_loaded  # read since issue 15.6
    assert n_products == 5022
    assert "V202401b" in newest_wins  # a code both releases list takes the newer release's entry
