"""Readers of the non-IAMC scenario files, on small hand-written files in the official shapes."""

import duckdb
import pytest

from warehouse.errors import InputError
from warehouse.scenario_formats import (
    LONG_COLUMNS,
    classify,
    extra_paths,
    load_scenario_extras,
    read_leach_emissions,
    read_wcde_population,
)

LEACH = (
    "File Description: RCMIP SSP126 emissions scenario from 1750-2500.,,,,,\n"
    '"Code Source: Extracted using FaIR, see https://example.org/\nFAIR/tree/abc",,,,,\n'
    '"Paper Reference: Leach et al. 2021. ""FaIRv2.0.0"" a model\nsecond line",,,,,\n'
    ",,,,,\n"
    ",c2f6,carbon_dioxide,methane,nitrous_oxide,sf6\n"
    "1950,0,1.2,20,0.7,0\n"
    "2015,0.001,12,380,7,0.008\n"
    "2400,0,0,0,0,0\n"
)

WCDE = (
    "name,country_code,year,pop_thousands\n"
    "Afghanistan,4,2015,33740.2\n"
    "France,250,2015,64457.2\n"
    "World,900,2015,7383000.5\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_leach_reader_finds_the_header_after_multiline_preamble_and_converts_units(tmp_path):
    path = write(tmp_path, "MimiSSPs_Leach_SSP126.csv", LEACH)
    frame = read_leach_emissions(path)
    assert list(frame.columns) == LONG_COLUMNS
    assert set(frame["scenario"]) == {"SSP1-2.6"} and set(frame["region"]) == {"World"}
    assert sorted(set(frame["year"])) == [1950, 2015]  # 2400 is outside the kept range 1900-2300
    row = frame[frame["year"] == 2015].set_index("variable")
    assert row.loc["Emissions|CO2", "value"] == pytest.approx(12 * 44 / 12 * 1000)  # GtC -> Mt CO2
    assert row.loc["Emissions|CO2", "unit"] == "Mt CO2/yr"
    assert row.loc["Emissions|CH4", "value"] == pytest.approx(380)
    assert row.loc["Emissions|N2O", "value"] == pytest.approx(7 * 44 / 28 * 1000)  # Mt N -> kt N2O
    assert row.loc["Emissions|SF6", "value"] == pytest.approx(8.0)  # Mt -> kt
    assert "c2f6" not in " ".join(frame["variable"])  # undocumented units are not read


def test_leach_header_may_say_year_and_bad_rows_name_the_line(tmp_path):
    text = LEACH.replace(",c2f6,", "year,c2f6,")
    assert len(read_leach_emissions(write(tmp_path, "MimiSSPs_Leach_SSP585.csv", text))) == 8
    bad = LEACH.replace("2015,0.001,12,", "2015,0.001,twelve,")
    with pytest.raises(InputError) as err:
        read_leach_emissions(write(tmp_path, "MimiSSPs_Leach_SSP245.csv", bad))
    # physical line 9: the preamble holds two quoted fields that span two lines each
    assert ".csv:9:" in str(err.value) and "carbon_dioxide" in str(err.value)
    with pytest.raises(InputError, match="no header row"):
        read_leach_emissions(write(tmp_path, "MimiSSPs_Leach_SSP370.csv", "a,b\n1,2\n"))


def test_wcde_reader_writes_m49_regions_and_world(tmp_path):
    frame = read_wcde_population(write(tmp_path, "DERIVED_wcde_ssp2_total_population_by_country_year.csv", WCDE))
    assert frame["region"].tolist() == ["M49:004", "M49:250", "World"]
    assert set(frame["scenario"]) == {"SSP2"} and set(frame["unit"]) == {"thousand"}
    assert frame["value"].tolist() == [33740.2, 64457.2, 7383000.5]


def test_wcde_reader_rejects_duplicates_and_negative_values(tmp_path):
    dup = WCDE + "Afghanistan,4,2015,1\n"
    with pytest.raises(InputError, match="appear twice"):
        read_wcde_population(write(tmp_path, "x_ssp2_pop.csv", dup))
    neg = WCDE.replace("33740.2", "-1")
    with pytest.raises(InputError, match="negative"):
        read_wcde_population(write(tmp_path, "y_ssp2_pop.csv", neg))


def test_classify_and_extra_paths(tmp_path):
    leach = write(tmp_path, "MimiSSPs_Leach_SSP119.csv", LEACH)
    wcde = write(tmp_path, "pop_ssp2.csv", WCDE)
    iamc = write(tmp_path, "iamc.csv", "Model,Scenario,Region,Variable,Unit,2010\n")
    assert (classify(leach), classify(wcde), classify(iamc)) == ("leach", "wcde", None)
    assert extra_paths([leach, wcde, iamc]) == [leach, wcde]


def test_load_scenario_extras_is_idempotent_and_logged(tmp_path):
    from warehouse.loaders import Loader

    leach = write(tmp_path, "MimiSSPs_Leach_SSP126.csv", LEACH)
    wcde = write(tmp_path, "DERIVED_wcde_ssp2_pop.csv", WCDE)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        loader = Loader(con)
        assert load_scenario_extras(loader, [leach, wcde]) == 8 + 3
        load_scenario_extras(loader, [leach, wcde])
        assert con.execute("select count(*) from raw.scenario_values").fetchone()[0] == 11
        assert con.execute("select count(*) from raw.load_log where table_name = 'scenario_values'").fetchone()[0] == 2
        co2 = con.execute(
            "select value from raw.scenario_values where variable = 'Emissions|CO2' and year = 2015"
        ).fetchone()[0]
    assert co2 == pytest.approx(44000.0)
