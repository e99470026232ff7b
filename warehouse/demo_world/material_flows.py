"""Material flows: UN IRP domestic extraction, its CCC code list, and the BGS production files.

Writes ``material_flows/DE_met_min_fos_CCC_demo.csv``, ``material_flows/ccc.csv`` and the seven
``material_flows/BGS_<commodity>_production.csv`` files (each in the column order of its real counterpart).
Extraction by CCC code times the ore grades of ``tables/ccc_metal_ores.csv`` is the mined DMI: the
``mined`` route of the SDG panel truth, and the miners' shares that steer ore exports in BACI.  BGS mine
production is that metal content (manifest ``material_flows``).
"""

from __future__ import annotations

import csv
import io

import numpy as np

from warehouse.demo_world.common import BACI_YEARS, _rng, _table
from warehouse.demo_world.countries import Countries
from warehouse.demo_world.writers import _num, _Writer

DE_YEARS = np.arange(1990, 2020)

_ORE_TABLE = _table("ccc_metal_ores.csv")
# CCC code -> (name, metal, ore->metal grade, demo). Codes marked demo do not exist in the real CCC list.
CCC_METAL: dict[str, tuple[str, str, float, bool]] = {
    row["code"]: (row["name"], row["metal"], float(row["grade"]), row["demo_code"] == "yes") for row in _ORE_TABLE
}
# typical national ore extraction (tonnes per year) of a mining country, log-mean
CCC_SIZE = {row["code"]: float(row["typical_tonnes"]) for row in _ORE_TABLE}

OTHER_CCC = {
    "A.3.2.3": ("Limestone", "Non-metallic minerals - construction dominant", "Non-metallic minerals", 2e7),
    "A.4.1.2.3": ("Other Bituminous Coal", "Coal", "Fossil Fuels", 5e7),
    "A.4.2.1": ("Crude oil", "Petroleum", "Fossil Fuels", 4e7),
}
# Known producers (ISO3 -> CCC codes); every other country mines each ore with a small probability.
MINERS = {
    "CHN": ["A.2.1.Fe", "A.2.2.Al", "A.2.2.Cu", "A.2.2.Pb", "A.2.2.Zn", "A.2.2.Mo", "A.2.2.REE", "A.2.2.Ni"],
    "COD": ["A.2.2.Co", "A.2.2.Cu"],
    "CHL": ["A.2.2.Cu", "A.2.2.Mo"],
    "ZAF": ["A.2.2.Pt", "A.2.2.Cr", "A.2.1.Fe"],
    "AUS": ["A.2.1.Fe", "A.2.2.Al", "A.2.2.Ni", "A.2.2.Pb", "A.2.2.Zn", "A.2.2.Cu", "A.2.2.REE", "A.2.2.Co"],
    "RUS": ["A.2.2.Ni", "A.2.2.Pt", "A.2.2.Co", "A.2.1.Fe", "A.2.2.Al"],
    "BRA": ["A.2.1.Fe", "A.2.2.Al", "A.2.2.Ni"],
    "IDN": ["A.2.2.Ni", "A.2.2.Cu", "A.2.2.Al"],
    "USA": ["A.2.2.Cu", "A.2.2.Mo", "A.2.2.Zn", "A.2.2.Pb", "A.2.1.Fe", "A.2.2.REE"],
    "IND": ["A.2.1.Fe", "A.2.2.Cr", "A.2.2.Al", "A.2.2.Zn"],
    "PER": ["A.2.2.Cu", "A.2.2.Zn", "A.2.2.Pb", "A.2.2.Mo"],
    "ZMB": ["A.2.2.Cu", "A.2.2.Co"],
    "KAZ": ["A.2.2.Cr", "A.2.2.Cu", "A.2.2.Zn"],
    "ZWE": ["A.2.2.Pt", "A.2.2.Cr"],
    "CAN": ["A.2.2.Ni", "A.2.2.Cu", "A.2.2.Zn", "A.2.2.Co"],
}
BGS_COMMODITIES = ["cobalt", "platinum", "nickel", "copper", "lithium", "REs", "ferroalloys"]


def _extraction(seed: int, countries: Countries) -> dict[str, np.ndarray]:
    """Domestic extraction (tonnes, 3 decimals) by CCC code: ``{code: (countries, DE_YEARS) array}``.

    Historical entities (no full BACI period) extract nothing here; zero means no row in the file.
    """
    rng = _rng(seed, "extraction")
    n, years = countries.n, len(DE_YEARS)
    out: dict[str, np.ndarray] = {}
    sizes = {**CCC_SIZE, **{code: spec[3] for code, spec in OTHER_CCC.items()}}
    rare = {"A.2.2.Pt", "A.2.2.REE", "A.2.2.Co"}
    for code, typical in sizes.items():
        known = np.array([code in MINERS.get(iso, []) for iso in countries.iso3])
        chance = 0.03 if code in rare else 0.12
        if code == "A.3.2.3":
            chance = 1.0
        elif code in OTHER_CCC:
            chance = 0.3
        mines = (known | (rng.random(n) < chance)) & countries.current
        scale = typical * np.exp(rng.normal(0, 0.9, n)) * np.where(known, 3.0, 0.6)
        growth = rng.normal(0.03, 0.03, n)[:, None] * np.arange(years)[None, :]
        noise = np.cumsum(rng.normal(0, 0.07, (n, years)), axis=1)
        values = scale[:, None] * np.exp(growth + noise - growth[:, [15]])
        out[code] = np.where(mines[:, None], np.round(values, 3), 0.0)
    return out


def _mined_dmi(extraction: dict[str, np.ndarray], years: np.ndarray) -> dict[str, np.ndarray]:
    """Mined DMI (tonnes of metal) by metal: sum over CCC codes of extraction x ore grade."""
    cols = years - DE_YEARS[0]
    out: dict[str, np.ndarray] = {}
    for code, (_, metal, grade, _) in CCC_METAL.items():
        contribution = extraction[code][:, cols] * grade
        out[metal] = out[metal] + contribution if metal in out else contribution
    return out


BGS_LAYOUTS = {
    "A": "x,y,country_trans,bgs_sub_commodity_trans,sdmx_code,country_iso2_code,erml_group,sdmx_translation,"
    "country_iso3_code,erml_commodity,units,pole_of_inaccessibility_longitude,erml_sub_commodity,"
    "concat_table_notes_code,year,pole_of_inaccessibility_latitude,cgi_commodity_url,yearbook_table_id,quantity,"
    "concat_table_notes_text,yearbook_table_trans,bgs_commodity_code,quantity_in_book_style,"
    "concat_figure_notes_code,bgs_statistic_type_trans,bgs_commodity_trans,data_precision_description,"
    "concat_figure_notes_text",
    "B": "x,y,bgs_statistic_type_trans,bgs_commodity_trans,data_precision_description,concat_figure_notes_text,"
    "year,country_trans,bgs_sub_commodity_trans,sdmx_code,country_iso2_code,erml_group,sdmx_translation,"
    "country_iso3_code,erml_commodity,units,pole_of_inaccessibility_longitude,erml_sub_commodity,"
    "concat_table_notes_code,pole_of_inaccessibility_latitude,cgi_commodity_url,yearbook_table_id,quantity,"
    "concat_table_notes_text,yearbook_table_trans,bgs_commodity_code,quantity_in_book_style,"
    "concat_figure_notes_code",
    "C": "x,y,country_iso3_code,erml_group,sdmx_translation,pole_of_inaccessibility_longitude,erml_commodity,"
    "units,year,pole_of_inaccessibility_latitude,erml_sub_commodity,concat_table_notes_code,yearbook_table_id,"
    "cgi_commodity_url,quantity,yearbook_table_trans,bgs_commodity_code,concat_table_notes_text,"
    "bgs_statistic_type_trans,bgs_commodity_trans,quantity_in_book_style,concat_figure_notes_code,"
    "country_trans,bgs_sub_commodity_trans,data_precision_description,concat_figure_notes_text,"
    "country_iso2_code,sdmx_code",
    "D": "x,y,yearbook_table_id,pole_of_inaccessibility_latitude,cgi_commodity_url,quantity,"
    "concat_table_notes_text,yearbook_table_trans,bgs_commodity_code,quantity_in_book_style,"
    "concat_figure_notes_code,year,bgs_statistic_type_trans,bgs_commodity_trans,data_precision_description,"
    "concat_figure_notes_text,country_trans,bgs_sub_commodity_trans,sdmx_code,country_iso2_code,erml_group,"
    "sdmx_translation,country_iso3_code,erml_commodity,units,pole_of_inaccessibility_longitude,"
    "erml_sub_commodity,concat_table_notes_code",
    "E": "x,y,bgs_statistic_type_trans,bgs_commodity_trans,data_precision_description,concat_figure_notes_text,"
    "country_trans,bgs_sub_commodity_trans,sdmx_code,country_iso2_code,erml_group,sdmx_translation,"
    "country_iso3_code,erml_commodity,units,pole_of_inaccessibility_longitude,erml_sub_commodity,"
    "concat_table_notes_code,year,pole_of_inaccessibility_latitude,cgi_commodity_url,yearbook_table_id,quantity,"
    "concat_table_notes_text,yearbook_table_trans,bgs_commodity_code,quantity_in_book_style,"
    "concat_figure_notes_code",
}
BGS_FILE_LAYOUT = {"cobalt": "A", "platinum": "B", "nickel": "C", "copper": "D", "lithium": "C", "REs": "C",
                   "ferroalloys": "E"}  # fmt: skip
_URL = "http://resource.geosciml.org/classifier/cgi/commodity-code/"


def _write_ccc(writer: _Writer) -> None:
    lines = ["CCC_Code;CCC_Name;MFA13Plus;MFA4Plus"]
    rows = [
        (code, name, "Ferrous ores" if code == "A.2.1.Fe" else "Non-ferrous ores", "Metal ores")
        for code, (name, *_) in CCC_METAL.items()
    ]
    rows += [(code, name, group13, group4) for code, (name, group13, group4, _) in OTHER_CCC.items()]
    lines += [";".join(r) for r in sorted(rows)]
    writer.text("material_flows/ccc.csv", lines, "\n")


def _write_extraction(writer: _Writer, countries: Countries, extraction: dict[str, np.ndarray]) -> None:
    """Write ``DE_met_min_fos_CCC_demo.csv``: ``alphanumiso;CCC_Code;year;unit;value`` (tonnes)."""
    lines = ["alphanumiso;CCC_Code;year;unit;value"]
    order = sorted(range(countries.n), key=lambda n: f"{countries.iso3[n]}{countries.m49[n]:03d}")
    for n in order:
        alpha = f"{countries.iso3[n]}{countries.m49[n]:03d}"
        for code in sorted(extraction):
            for y, year in enumerate(DE_YEARS):
                value = extraction[code][n, y]
                if value > 0:
                    lines.append(f"{alpha};{code};{year};t;{_num(value, 3)}")
    writer.text("material_flows/DE_met_min_fos_CCC_demo.csv", lines, "\n")


def _bgs_blocks(
    countries: Countries, extraction: dict[str, np.ndarray], imported: dict[str, np.ndarray], seed: int
) -> dict[str, list[tuple[dict[str, str], np.ndarray, np.ndarray]]]:
    """BGS tables: ``{commodity: [(static fields, years, quantities (countries, years))]}``."""
    rng = _rng(seed, "bgs")
    years = np.arange(1995, 2020)
    cols = years - DE_YEARS[0]
    metal = {code: extraction[code][:, cols] * spec[2] for code, spec in CCC_METAL.items()}
    trade_years = BACI_YEARS

    def mine(group: str, commodity: str, table: str, code: str, sub: str, units: str, url: str) -> dict[str, str]:
        return {
            "erml_group": group,
            "erml_commodity": commodity,
            "yearbook_table_id": table,
            "bgs_commodity_code": code,
            "erml_sub_commodity": sub,
            "units": units,
            "cgi_commodity_url": url,
        }

    def refined_from(imports: np.ndarray, own: np.ndarray) -> np.ndarray:
        top = imports.sum(axis=1) >= np.sort(imports.sum(axis=1))[-min(5, len(imports))]
        return np.where(top[:, None], 0.8 * imports + 0.5 * own, 0.0)

    pd_ratio = rng.uniform(0.6, 1.5, countries.n)[:, None]
    spodumene = np.where(
        np.isin(countries.iso3, ["AUS", "CHL", "CHN", "ARG", "ZWE", "BRA", "PRT"])[:, None],
        np.exp(rng.normal(10, 1, countries.n))[:, None] * np.exp(0.06 * (years - 1995))[None, :],
        0.0,
    )
    cobalt_mine = mine(
        "Cobalt",
        "Cobalt (mine production, metal content)",
        "36",
        "848",
        "Ores and concentrates (metal content)",
        "tonnes (metal content)",
        _URL + "cobalt",
    )
    cobalt_mine.update(bgs_commodity_trans="cobalt, mine", yearbook_table_trans="Mine production of cobalt")
    cobalt_ref = mine("Cobalt", "Cobalt (refined)", "37", "617", "Refined", "tonnes (metric)", _URL + "cobalt")
    cobalt_ref.update(bgs_commodity_trans="cobalt, refined", yearbook_table_trans="Production of refined cobalt")
    pgm = {
        "bgs_commodity_trans": "platinum group metals, mine",
        "yearbook_table_trans": "Mine production of platinum group metals",
    }
    pt = mine(
        "Platinum group metals",
        "Platinum group metals (mine production, metal content)",
        "113",
        "744",
        "Ores and concentates (Platinum content)",
        "kilograms (metal content)",
        _URL + "platinum",
    )
    pt.update(pgm, bgs_sub_commodity_trans="Platinum")
    pd_ = mine(
        "Platinum group metals",
        "Platinum group metals (mine production, metal content)",
        "113",
        "743",
        "Ores and concentrates (Palladium content)",
        "kilograms (metal content)",
        _URL + "palladium",
    )
    pd_.update(pgm, bgs_sub_commodity_trans="Palladium")
    ni = mine(
        "Nickel",
        "Nickel (mine production, metal content)",
        "102",
        "19951",
        "Ores and concentates (metal content)",
        "tonnes (metal content)",
        _URL + "nickel",
    )
    ni.update(bgs_commodity_trans="nickel, mine", yearbook_table_trans="Mine production of nickel")
    cu = mine(
        "Copper",
        "Copper (mine production, metal content)",
        "40",
        "19941",
        "Ores and concentrates (metal content)",
        "tonnes (metal content)",
        _URL + "copper",
    )
    cu.update(bgs_commodity_trans="copper, mine", yearbook_table_trans="Mine production of copper")
    cu_ref = mine("Copper", "Copper, refined", "42", "928", "", "tonnes (metric)", _URL + "copper")
    cu_ref.update(bgs_commodity_trans="copper, refined", yearbook_table_trans="Production of refined copper")
    li = mine("Lithium", "Lithium minerals", "84", "896", "Spodumene", "tonnes (metric)", _URL + "lithium")
    li.update(
        bgs_commodity_trans="lithium minerals",
        yearbook_table_trans="Production of lithium minerals",
        bgs_sub_commodity_trans="Spodumene",
    )
    reo = mine("Rare earths", "Rare earth oxides", "736", "20238", "", "tonnes (metric)", _URL + "rare-earth-oxide")
    reo.update(bgs_commodity_trans="rare earth oxides", yearbook_table_trans="Production of rare earth oxides")

    def ferro(sub: str, code: str) -> dict[str, str]:
        fields = mine("", "", "74", code, "", "tonnes (metric)", "")
        fields.update(
            bgs_commodity_trans="ferro-alloys",
            yearbook_table_trans="Production of ferro-alloys",
            bgs_sub_commodity_trans=sub,
        )
        return fields

    big = (countries.log_exp > np.quantile(countries.log_exp, 0.7))[:, None] & countries.alive[:, None]
    silicon = np.where(big, np.exp(rng.normal(11, 0.8, countries.n))[:, None] * np.ones(len(years)), 0.0)
    return {
        "cobalt": [
            (cobalt_mine, years, metal["A.2.2.Co"]),
            (cobalt_ref, trade_years, refined_from(imported["Co"], metal["A.2.2.Co"][:, : len(trade_years)])),
        ],
        "platinum": [(pt, years, metal["A.2.2.Pt"] * 1000), (pd_, years, metal["A.2.2.Pt"] * 1000 * pd_ratio)],
        "nickel": [(ni, years, metal["A.2.2.Ni"])],
        "copper": [
            (cu, years, metal["A.2.2.Cu"]),
            (cu_ref, trade_years, refined_from(imported["Cu"], metal["A.2.2.Cu"][:, : len(trade_years)])),
        ],
        "lithium": [(li, years, spodumene)],
        "REs": [(reo, years, extraction["A.2.2.REE"][:, cols] * 0.06)],
        "ferroalloys": [
            (ferro("Ferro-chrome", "861"), years, metal["A.2.2.Cr"] * 1.6),
            (ferro("Ferro-molybdenum", "864"), years, metal["A.2.2.Mo"] * 1.5),
            (ferro("Ferro-silicon", "872"), years, silicon),
        ],
    }


def _write_bgs(writer: _Writer, countries: Countries, blocks: dict) -> None:
    """Write the seven BGS production files, each in the column order of its real counterpart."""
    for commodity, parts in blocks.items():
        columns = BGS_LAYOUTS[BGS_FILE_LAYOUT[commodity]].split(",")
        buffer = io.StringIO()
        out = csv.writer(buffer, lineterminator="\n")
        out.writerow(columns)
        for fields, years, quantity in parts:
            producers = np.flatnonzero((quantity > 0).any(axis=1))
            for y, year in enumerate(years):
                for n in producers:
                    amount = int(round(float(quantity[n, y])))
                    row = dict.fromkeys(columns, "")
                    row.update(fields)
                    row.update(
                        {
                            "x": repr(round(float(countries.lon[n]), 6)),
                            "y": repr(round(float(countries.lat[n]), 6)),
                            "pole_of_inaccessibility_longitude": f"{countries.lon[n]:.6f}",
                            "pole_of_inaccessibility_latitude": f"{countries.lat[n]:.6f}",
                            "country_trans": countries.name[n],
                            "country_iso2_code": countries.iso2[n],
                            "country_iso3_code": countries.iso3[n],
                            "year": f"{year}-01-01 00:00:00",
                            "quantity": str(amount),
                            "quantity_in_book_style": str(amount) if amount else "-----",
                            "sdmx_code": "A",
                            "sdmx_translation": "Normal value" if amount else "Normal Value",
                            "data_precision_description": "" if amount else "Nil (nothing produced)",
                            "bgs_statistic_type_trans": "Production",
                        }
                    )
                    out.writerow([row[c] for c in columns])
        writer.bytes(f"material_flows/BGS_{commodity}_production.csv", buffer.getvalue().encode("utf-8"))
