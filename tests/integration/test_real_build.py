"""The whole warehouse on the real public extracts in ../shared/data (skipped, saying why, when absent)."""

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
        files = con.execute("select source_file, sha256, source_kind from marts.dim_source").fetchall()
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
    # the real BACI extract is one year (2021) of two exporters: partial, and said so
    assert baci == (1, 2021, "partial")
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
    assert any(
        line.startswith("BACI HS92 bilateral trade (baci_flows) is partial: 2 exporters, 1 year") for line in banner
    )
    assert "Table 1: BACI has no 2015 imports of Japan; nearest year 2021 used." in banner
    assert all(html.escape(line) in text for line in banner)
    # Table 1 per sector in the programme's layout, and the programme's numbers beside ours
    pcs = pd.read_csv(tmp_path / "report" / "tables" / "table1_japan_2015_basic_std_pcs.csv", dtype={"hs6": str})
    assert list(pcs.columns) == ["rank", "induced_import_yen_per_yen", "hs6", "description", "metals_contained"]
    assert list(pcs["rank"]) == [1, 2, 3, 4, 5] and pcs["hs6"].iloc[0] == "847120"
    comparison = pd.read_csv(tmp_path / "report" / "tables" / "programme_comparison.csv")
    assert len(comparison) == 21  # 15 Table 1 numbers and 6 Figure 1 numbers
    # Table 1 rests on the real Japan 2015 table; its CSV is written beside the page
    table1 = (tmp_path / "report" / "tables" / "table1_ai_sector_imports.csv").read_text()
    assert "847120" in table1  # data-processing machines lead PC demand, as in the programme
    assert (tmp_path / "report" / "tables" / "input_coverage.csv").exists()
