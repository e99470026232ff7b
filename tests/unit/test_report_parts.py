"""The report's parts that turn mart rows into words: the coverage banner, cells, the inputs summary."""

import duckdb

from orchestration.report import Warehouse, _cell, _thin_inputs, coverage_banner


def test_banner_names_every_thin_or_missing_input_and_what_it_affects(tmp_path):
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.rpt_input_coverage as select * from (values "
            "('trade', 'baci_flows', 'BACI', 'partial', 2, 1, 2021, 2021), "
            "('io', 'baci_flows', 'BACI', 'partial', 2, 1, 2021, 2021), "
            "('sdg_panel', 'baci_flows', 'BACI', 'partial', 2, 1, 2021, 2021), "
            "('sdg_panel', 'wgi', 'WGI', 'partial', 40, 5, 2015, 2019), "
            "('io', 'metal_content', 'metal content', 'missing', 0, 0, null, null), "
            "('io', 'io_values', 'IO table', 'real', 0, 0, null, null)"
            ") as t(analysis, raw_table, source_name, status, n_countries, n_years, first_year, last_year)"
        )
        con.execute(
            "create table marts.rpt_ai_sector_import_dependence as select * from (values "
            "('table year'), ('nearest year 2021 used'), ('nearest year 2021 used')) as t(year_note)"
        )
    wh = Warehouse(db)
    try:
        lines = coverage_banner(wh)
    finally:
        wh.close()
    assert lines == [
        "BACI (baci_flows) is partial: 2 exporters, 1 year (2021); affects Table 1, Figure 1, the trade cleaning.",
        "metal content (metal_content) is missing (no file among the inputs); affects Table 1.",
        "WGI (wgi) is partial: 40 countries, 5 years (2015–2019); affects Figure 1.",
        "Table 1: nearest year 2021 used.",
    ]


def test_cells_and_inputs_read_as_numbers_and_words():
    assert [_cell(v) for v in (71192, 0.000003123, 2.635, 12.0, None, float("nan"), True, "a<b")] == [
        "71,192",
        "3.123e-06",
        "2.635",
        "12",
        "",
        "",
        "yes",
        "a&lt;b",
    ]
    assert _thin_inputs("baci_flows: partial (2 countries, 2021–2021); io_values: real; wgi: real") == (
        "baci_flows: partial (2 countries, 2021–2021); 2 more: real"
    )
    assert _thin_inputs("io_values: real") == "all real"


def test_programme_comparison_takes_figure1_from_the_sdg_mart_when_built(tmp_path):
    from orchestration.report import section_programme_comparison

    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.rpt_programme_comparison as select * from (values "
            "('t1_pcs_1', 'Table 1', 'pcs', 1, '847120', null, null, 1.024, 0.70, 'myen', 'rank 1', "
            "'io_values: real', 'c'),"
            "('f1a_mined', 'Figure 1(a)', null, null, null, 'all', 'mined', 10.3, 2.1, 'ind', '10 series', "
            "'wgi: real', 'c')"
            ") as t(number_id, reported_in, sector_key, programme_rank, hs6, group_name, source, reported_value, "
            "our_value, unit, our_note, inputs, citation)"
        )
    wh = Warehouse(db)
    try:
        alone = section_programme_comparison(wh)
    finally:
        wh.close()
    shown = alone.tables["programme_comparison"].frame
    assert list(shown["item"]) == ["pcs 847120", "all · mined"]  # Table 1 first, then Figure 1
    assert list(shown["inputs"]) == ["all real", "all real"]
    with duckdb.connect(str(db)) as con:
        con.execute(
            "create table marts.rpt_sdg_figure1_vs_programme as select 'mined_per_metal' as measure, "
            "10.3 as programme_value, 2.1 as ours_raw, 'mined: IRP' as inputs, 'extra' as not_shown"
        )
    wh = Warehouse(db)
    try:
        both = section_programme_comparison(wh)
    finally:
        wh.close()
    assert list(both.tables["programme_comparison"].frame["item"]) == ["pcs 847120"]
    figure1 = both.tables["figure1_vs_programme"].frame
    assert list(figure1.columns) == ["measure", "programme_value", "ours_raw", "inputs"]
