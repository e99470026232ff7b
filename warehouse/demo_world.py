"""Deterministic synthetic "demo world" written in the layouts of the official public files.

:func:`generate` writes, under one output folder, files laid out like ``../shared/data`` (BACI, World Bank
WDI/SDG, OWID, WGI, UN IRP and BGS material flows, a MIC-layout IO workbook, IAMC scenarios) plus a
``metal_content`` table, and a ``manifest.json`` holding the truths planted in them (outliers, the trade
ridge relation, the SDG panel model, the IO import multipliers).  Contents are synthetic; only codes that
are facts (ISO/M49 country codes, HS92 codes, CCC material codes, SDG goal titles) are real.

The same ``seed`` and ``scale`` give byte-identical files.  Randomness comes from numpy's
:func:`numpy.random.default_rng` seeded with a :class:`numpy.random.SeedSequence` derived from ``seed`` and a
stream name, so each part of the world is stable on its own.  BACI flow files are streamed exporter by
exporter (all 23 year files open at once) and formatted with Arrow compute kernels, so memory stays bounded
at every scale.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import json
import math
import os
import pathlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# ----------------------------------------------------------------------------------------------- scales
SCALES: dict[str, dict[str, Any]] = {
    "tiny": {
        "n_countries": 12,
        "n_products": 60,
        "flows_per_year": 2_000,
        "n_indicators": 20,
        "n_io_sectors": 24,
        "outlier_rate": 2e-3,
        "na_share": 0.03,
        "zero_q_share": 0.002,
        "chunk_series": 400_000,
    },
    "small": {
        "n_countries": 40,
        "n_products": 700,
        "flows_per_year": 30_000,
        "n_indicators": 40,
        "n_io_sectors": 24,
        "outlier_rate": 5e-4,
        "na_share": 0.03,
        "zero_q_share": 0.002,
        "chunk_series": 400_000,
    },
    "medium": {
        "n_countries": 120,
        "n_products": 2_500,
        "flows_per_year": 435_000,
        "n_indicators": 80,
        "n_io_sectors": 40,
        "outlier_rate": 4e-5,
        "na_share": 0.03,
        "zero_q_share": 0.002,
        "chunk_series": 400_000,
    },
    "full": {
        "n_countries": 200,
        "n_products": 5_022,
        "flows_per_year": 8_700_000,
        "n_indicators": 120,
        "n_io_sectors": 60,
        "outlier_rate": 4e-6,
        "na_share": 0.03,
        "zero_q_share": 0.002,
        "chunk_series": 400_000,
    },
}

# ------------------------------------------------------------------------------------------- constants
RELEASE = "V202301"
BACI_YEARS = np.arange(1995, 2018)
OWID_YEARS = np.arange(1990, 2019)
DE_YEARS = np.arange(1990, 2020)
WDI_VALUE_YEARS = np.arange(2000, 2018)
WGI_YEARS = np.array([1996, 1998, 2000] + list(range(2002, 2020)))
PANEL_YEARS = np.arange(2004, 2014)
SCENARIO_YEARS = np.arange(2010, 2101, 5)
SOURCE_TEXT = "demo world (synthetic)"

KEY_HS6 = ["847191", "847330", "854219", "852990", "853400", "847989", "270900", "854430", "271111", "847120"]
PANEL_METALS = ["Nd", "Co", "Pt", "Ni", "Cr", "Mo", "Fe", "Cu", "Pb", "Zn", "Al"]
ROUTES = ["mined", "imported"]
WGI_INDICATORS = [
    "VoiceandAccountability",
    "PoliticalStability",
    "GovernmentEffectiveness",
    "RegulatoryQuality",
    "RuleofLaw",
    "ControlofCorruption",
]
WGI_CONTROL = "GovernmentEffectiveness"
WGI_CODE_OVERRIDES = {"COD": "ZAR", "ROU": "ROM", "TLS": "TMP", "AND": "ADO"}

# Required HS92 codes with short descriptions of our own, unit value (thousand USD per tonne) and whether
# the exporters are the mining countries of a metal (ores and first-stage metal).
REQUIRED_PRODUCTS: dict[str, tuple[str, float, str | None]] = {
    "847191": ("Computers: digital processing units", 60.0, None),
    "847330": ("Parts and accessories of computers", 40.0, None),
    "854219": ("Electronic integrated circuits, monolithic, other", 900.0, None),
    "852990": ("Parts of radio, television and radar apparatus", 30.0, None),
    "853400": ('Printed circuits, "bare" boards', 25.0, None),
    "847989": ("Machines with individual functions n.e.s., incl. industrial robots", 25.0, None),
    "270900": ("Crude petroleum oils", 0.4, None),
    "854430": ("Ignition and other wiring sets for vehicles", 12.0, None),
    "271111": ("Natural gas, liquefied", 0.35, None),
    "847120": ("Digital automatic data processing machines", 55.0, None),
    "260500": ("Cobalt ores and concentrates", 8.0, "Co"),
    "261000": ("Chromium ores and concentrates", 0.25, "Cr"),
    "261310": ("Molybdenum ores and concentrates, roasted", 15.0, "Mo"),
    "260400": ("Nickel ores and concentrates", 1.5, "Ni"),
    "260111": ("Iron ores, non-agglomerated", 0.06, "Fe"),
    "260300": ("Copper ores and concentrates", 1.8, "Cu"),
    "260700": ("Lead ores and concentrates", 1.0, "Pb"),
    "260800": ("Zinc ores and concentrates", 0.8, "Zn"),
    "260600": ("Aluminium ores (bauxite) and concentrates", 0.04, "Al"),
    "261690": ("Precious-metal ores other than silver", 6.0, "Pt"),
    "280530": ("Rare-earth metals, scandium and yttrium", 45.0, "Nd"),
    "750210": ("Nickel, not alloyed, unwrought", 14.0, "Ni"),
    "810510": ("Cobalt mattes and unwrought cobalt", 35.0, "Co"),
    "711011": ("Platinum, unwrought or in powder form", 30000.0, "Pt"),
    "720110": ("Pig iron, non-alloy", 0.3, "Fe"),
    "740311": ("Refined copper cathodes", 6.0, "Cu"),
    "760110": ("Aluminium, not alloyed, unwrought", 1.9, "Al"),
    "780110": ("Lead, refined, unwrought", 2.0, "Pb"),
    "790111": ("Zinc, unwrought, 99.99 % or more", 2.2, "Zn"),
    "850511": ("Permanent magnets of metal", 30.0, None),
    "850780": ("Other electric accumulators", 20.0, None),
    "282520": ("Lithium oxide and hydroxide", 9.0, None),
    "283691": ("Lithium carbonate", 6.5, None),
}

# (hs6, metal, tonnes of metal per tonne of good, basis)
METAL_CONTENT: list[tuple[str, str, float, str]] = [
    ("260500", "Co", 0.1, "typical concentrate grade"),
    ("260500", "Cu", 0.02, "copper by-product in cobalt concentrate"),
    ("261000", "Cr", 0.3, "Cr in chromite concentrate"),
    ("261310", "Mo", 0.55, "Mo in roasted concentrate"),
    ("260400", "Ni", 0.12, "typical concentrate grade"),
    ("260400", "Co", 0.004, "cobalt by-product in nickel concentrate"),
    ("260111", "Fe", 0.62, "Fe in fines"),
    ("260300", "Cu", 0.28, "typical concentrate grade"),
    ("260700", "Pb", 0.6, "typical concentrate grade"),
    ("260800", "Zn", 0.5, "typical concentrate grade"),
    ("260600", "Al", 0.25, "recoverable Al in bauxite"),
    ("261690", "Pt", 0.0004, "PGM concentrate, platinum share"),
    ("261690", "Pd", 0.0005, "PGM concentrate, palladium share"),
    ("280530", "Nd", 0.25, "assumed Nd share of mixed rare-earth metal"),
    ("280530", "Dy", 0.03, "assumed Dy share of mixed rare-earth metal"),
    ("750210", "Ni", 0.99, "unwrought metal"),
    ("810510", "Co", 0.95, "mattes and unwrought metal"),
    ("711011", "Pt", 0.999, "unwrought metal"),
    ("720110", "Fe", 0.94, "pig iron"),
    ("740311", "Cu", 0.9999, "cathodes"),
    ("760110", "Al", 0.997, "unwrought metal"),
    ("780110", "Pb", 0.9997, "refined metal"),
    ("790111", "Zn", 0.9995, "unwrought metal"),
    ("850511", "Nd", 0.29, "NdFeB magnet composition"),
    ("850511", "Dy", 0.04, "NdFeB magnet composition"),
    ("850511", "Fe", 0.64, "NdFeB magnet composition"),
    ("850780", "Li", 0.02, "lithium-ion cells, assumed"),
    ("850780", "Co", 0.05, "lithium-ion cells, assumed"),
    ("850780", "Ni", 0.08, "lithium-ion cells, assumed"),
    ("854219", "Ga", 0.0001, "GaAs share, assumed"),
    ("854219", "Cu", 0.05, "lead frames and wiring, assumed"),
    ("847330", "Cu", 0.08, "boards and cables, assumed"),
    ("847330", "Al", 0.05, "heat sinks and frames, assumed"),
    ("847330", "Fe", 0.1, "steel parts, assumed"),
    ("847191", "Fe", 0.35, "steel chassis, assumed"),
    ("847191", "Cu", 0.06, "boards and cables, assumed"),
    ("847191", "Al", 0.08, "frames, assumed"),
    ("847120", "Fe", 0.3, "steel chassis, assumed"),
    ("847120", "Cu", 0.05, "boards and cables, assumed"),
    ("854430", "Cu", 0.35, "conductor share, assumed"),
    ("852990", "Cu", 0.05, "boards, assumed"),
    ("853400", "Cu", 0.2, "copper foil, assumed"),
    ("282520", "Li", 0.29, "stoichiometric (LiOH.H2O ~ 0.165; anhydrous 0.29)"),
    ("283691", "Li", 0.188, "stoichiometric Li2CO3"),
]

# CCC code -> (name, metal, ore->metal grade). Codes marked demo=True do not exist in the real CCC list.
CCC_METAL: dict[str, tuple[str, str, float, bool]] = {
    "A.2.1.Fe": ("Iron ores", "Fe", 0.55, False),
    "A.2.2.Al": ("Bauxite and other aluminium ores - gross ore", "Al", 0.25, False),
    "A.2.2.Cr": ("Chromium ores", "Cr", 0.3, False),
    "A.2.2.Cu": ("Copper ores", "Cu", 0.008, False),
    "A.2.2.Ni": ("Nickel ores", "Ni", 0.012, False),
    "A.2.2.Pb": ("Lead ores", "Pb", 0.04, False),
    "A.2.2.Pt": ("Platinum group metal ores", "Pt", 4e-6, False),
    "A.2.2.Zn": ("Zinc ores", "Zn", 0.06, False),
    "A.2.2.Co": ("Cobalt ores (demo sub-code of Other metal ores)", "Co", 0.003, True),
    "A.2.2.Mo": ("Molybdenum ores (demo sub-code of Other metal ores)", "Mo", 0.002, True),
    "A.2.2.REE": ("Rare earth ores (demo sub-code of Other metal ores)", "Nd", 0.008, True),
}
# typical national ore extraction (tonnes per year) of a mining country, log-mean
CCC_SIZE = {
    "A.2.1.Fe": 3e7,
    "A.2.2.Al": 8e6,
    "A.2.2.Cr": 1e6,
    "A.2.2.Cu": 3e7,
    "A.2.2.Ni": 3e6,
    "A.2.2.Pb": 5e5,
    "A.2.2.Pt": 5e6,
    "A.2.2.Zn": 2e6,
    "A.2.2.Co": 1e6,
    "A.2.2.Mo": 3e6,
    "A.2.2.REE": 5e5,
}
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

SDG_GOALS = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}
# goal -> (topic, base indicator name, unit, better, typical level)
SDG_TEMPLATES = {
    1: (
        "Poverty: Poverty rates",
        "Poverty headcount ratio at national poverty lines",
        "% of population",
        "lower",
        25,
    ),
    2: ("Health: Nutrition", "Prevalence of undernourishment", "% of population", "lower", 12),
    3: ("Health: Mortality", "Mortality rate, under-5", "per 1,000 live births", "lower", 40),
    4: ("Education: Participation", "School enrollment, secondary", "% net", "higher", 70),
    5: ("Gender", "Proportion of seats held by women in national parliaments", "%", "higher", 22),
    6: (
        "Environment: Freshwater",
        "People using safely managed drinking water services",
        "% of population",
        "higher",
        65,
    ),
    7: ("Environment: Energy production & use", "Access to electricity", "% of population", "higher", 80),
    8: ("Social Protection & Labor: Unemployment", "Unemployment, total", "% of labor force", "lower", 8),
    9: ("Infrastructure: Technology", "Research and development expenditure", "% of GDP", "higher", 1.2),
    10: ("Poverty: Income distribution", "Gini index", "index", "lower", 38),
    11: (
        "Environment: Emissions",
        "PM2.5 air pollution, mean annual exposure",
        "micrograms per cubic meter",
        "lower",
        25,
    ),
    12: (
        "Environment: Natural resources contribution to GDP",
        "Natural resources depletion",
        "% of GNI",
        "lower",
        4,
    ),
    13: (
        "Environment: Emissions",
        "Total greenhouse gas emissions per capita",
        "t CO2e per person",
        "lower",
        7,
    ),
    14: (
        "Environment: Biodiversity & protected areas",
        "Marine protected areas",
        "% of territorial waters",
        "higher",
        10,
    ),
    15: ("Environment: Land use", "Forest area", "% of land area", "higher", 30),
    16: ("Public Sector: Conflict & fragility", "Intentional homicides", "per 100,000 people", "lower", 7),
    17: ("Public Sector: Policy & institutions", "Tax revenue", "% of GDP", "higher", 16),
}

# Countries: BACI code | ISO2 | ISO3 | M49 | region | BACI name | BACI full name | World Bank name | OWID name |
# first BACI year | last BACI year.  Empty fields take the BACI name / the full BACI period.  Ordered so
# that the first n of the list form a sensible demo world of n countries.
_COUNTRY_TABLE = """
392|JP|JPN|392|AS|Japan
156|CN|CHN|156|AS|China
842|US|USA|840|NA|USA|USA, Puerto Rico and US Virgin Islands|United States|United States
276|DE|DEU|276|EU|Germany
410|KR|KOR|410|AS|Rep. of Korea|Republic of Korea|Korea, Rep.|South Korea
710|ZA|ZAF|710|AF|South Africa
36|AU|AUS|36|OC|Australia
76|BR|BRA|76|SA|Brazil
180|CD|COD|180|AF|Dem. Rep. of the Congo|Democratic Republic of the Congo|Congo, Dem. Rep.|Democratic Republic of Congo
152|CL|CHL|152|SA|Chile
699|IN|IND|356|AS|India
891|CS|SCG|891|EU|Serbia and Montenegro||||1995|2005
251|FR|FRA|250|EU|France|France, Monaco
360|ID|IDN|360|AS|Indonesia
643|RU|RUS|643|EU|Russian Federation||Russian Federation|Russia
124|CA|CAN|124|NA|Canada
484|MX|MEX|484|NA|Mexico
826|GB|GBR|826|EU|United Kingdom
380|IT|ITA|380|EU|Italy
724|ES|ESP|724|EU|Spain
528|NL|NLD|528|EU|Netherlands
757|CH|CHE|756|EU|Switzerland|Switzerland, Liechtenstein
752|SE|SWE|752|EU|Sweden
616|PL|POL|616|EU|Poland
792|TR|TUR|792|AS|Türkiye||Turkey|Turkey
682|SA|SAU|682|AS|Saudi Arabia
784|AE|ARE|784|AS|United Arab Emirates
604|PE|PER|604|SA|Peru
894|ZM|ZMB|894|AF|Zambia
716|ZW|ZWE|716|AF|Zimbabwe
398|KZ|KAZ|398|AS|Kazakhstan
458|MY|MYS|458|AS|Malaysia
764|TH|THA|764|AS|Thailand
704|VN|VNM|704|AS|Viet Nam||Vietnam|Vietnam
608|PH|PHL|608|AS|Philippines
32|AR|ARG|32|SA|Argentina
566|NG|NGA|566|AF|Nigeria
818|EG|EGY|818|AF|Egypt||Egypt, Arab Rep.|Egypt
688|RS|SRB|688|EU|Serbia||||2006|2017
702|SG|SGP|702|AS|Singapore
579|NO|NOR|578|EU|Norway|Norway, Svalbard and Jan Mayen
56|BE|BEL|56|EU|Belgium
40|AT|AUT|40|EU|Austria
208|DK|DNK|208|EU|Denmark
246|FI|FIN|246|EU|Finland
372|IE|IRL|372|EU|Ireland
620|PT|PRT|620|EU|Portugal
300|GR|GRC|300|EU|Greece
203|CZ|CZE|203|EU|Czechia||Czech Republic|Czechia
348|HU|HUN|348|EU|Hungary
642|RO|ROU|642|EU|Romania
100|BG|BGR|100|EU|Bulgaria
703|SK|SVK|703|EU|Slovakia||Slovak Republic|Slovakia
705|SI|SVN|705|EU|Slovenia
191|HR|HRV|191|EU|Croatia
804|UA|UKR|804|EU|Ukraine
112|BY|BLR|112|EU|Belarus
233|EE|EST|233|EU|Estonia
428|LV|LVA|428|EU|Latvia
440|LT|LTU|440|EU|Lithuania
352|IS|ISL|352|EU|Iceland
442|LU|LUX|442|EU|Luxembourg
470|MT|MLT|470|EU|Malta
196|CY|CYP|196|AS|Cyprus
499|ME|MNE|499|EU|Montenegro||||2006|2017
807|MK|MKD|807|EU|North Macedonia
8|AL|ALB|8|EU|Albania
70|BA|BIH|70|EU|Bosnia Herzegovina||Bosnia and Herzegovina|Bosnia and Herzegovina
498|MD|MDA|498|EU|Rep. of Moldova|Republic of Moldova|Moldova|Moldova
268|GE|GEO|268|AS|Georgia
51|AM|ARM|51|AS|Armenia
31|AZ|AZE|31|AS|Azerbaijan
860|UZ|UZB|860|AS|Uzbekistan
795|TM|TKM|795|AS|Turkmenistan
417|KG|KGZ|417|AS|Kyrgyzstan||Kyrgyz Republic|Kyrgyzstan
762|TJ|TJK|762|AS|Tajikistan
496|MN|MNG|496|AS|Mongolia
364|IR|IRN|364|AS|Iran||Iran, Islamic Rep.|Iran
368|IQ|IRQ|368|AS|Iraq
400|JO|JOR|400|AS|Jordan
422|LB|LBN|422|AS|Lebanon
414|KW|KWT|414|AS|Kuwait
634|QA|QAT|634|AS|Qatar
512|OM|OMN|512|AS|Oman
48|BH|BHR|48|AS|Bahrain
376|IL|ISR|376|AS|Israel
586|PK|PAK|586|AS|Pakistan
50|BD|BGD|50|AS|Bangladesh
144|LK|LKA|144|AS|Sri Lanka
524|NP|NPL|524|AS|Nepal
104|MM|MMR|104|AS|Myanmar
116|KH|KHM|116|AS|Cambodia
418|LA|LAO|418|AS|Lao People's Dem. Rep.|Lao People's Democratic Republic|Lao PDR|Laos
344|HK|HKG|344|AS|China, Hong Kong SAR|China, Hong Kong Special Administrative Region|Hong Kong SAR, China|Hong Kong
554|NZ|NZL|554|OC|New Zealand
598|PG|PNG|598|OC|Papua New Guinea
242|FJ|FJI|242|OC|Fiji
504|MA|MAR|504|AF|Morocco
12|DZ|DZA|12|AF|Algeria
788|TN|TUN|788|AF|Tunisia
231|ET|ETH|231|AF|Ethiopia
834|TZ|TZA|834|AF|United Rep. of Tanzania|United Republic of Tanzania|Tanzania|Tanzania
800|UG|UGA|800|AF|Uganda
404|KE|KEN|404|AF|Kenya
646|RW|RWA|646|AF|Rwanda
288|GH|GHA|288|AF|Ghana
384|CI|CIV|384|AF|Côte d'Ivoire||Cote d'Ivoire|Cote d'Ivoire
686|SN|SEN|686|AF|Senegal
120|CM|CMR|120|AF|Cameroon
266|GA|GAB|266|AF|Gabon
178|CG|COG|178|AF|Congo||Congo, Rep.|Congo
24|AO|AGO|24|AF|Angola
508|MZ|MOZ|508|AF|Mozambique
450|MG|MDG|450|AF|Madagascar
454|MW|MWI|454|AF|Malawi
516|NA|NAM|516|AF|Namibia
72|BW|BWA|72|AF|Botswana
480|MU|MUS|480|AF|Mauritius
466|ML|MLI|466|AF|Mali
854|BF|BFA|854|AF|Burkina Faso
562|NE|NER|562|AF|Niger
148|TD|TCD|148|AF|Chad
324|GN|GIN|324|AF|Guinea
694|SL|SLE|694|AF|Sierra Leone
430|LR|LBR|430|AF|Liberia
768|TG|TGO|768|AF|Togo
204|BJ|BEN|204|AF|Benin
478|MR|MRT|478|AF|Mauritania
140|CF|CAF|140|AF|Central African Rep.|Central African Republic|Central African Republic|Central African Republic
218|EC|ECU|218|SA|Ecuador
862|VE|VEN|862|SA|Venezuela||Venezuela, RB|Venezuela
68|BO|BOL|68|SA|Bolivia (Plurinational State of)||Bolivia|Bolivia
600|PY|PRY|600|SA|Paraguay
858|UY|URY|858|SA|Uruguay
170|CO|COL|170|SA|Colombia
320|GT|GTM|320|NA|Guatemala
340|HN|HND|340|NA|Honduras
222|SV|SLV|222|NA|El Salvador
558|NI|NIC|558|NA|Nicaragua
188|CR|CRI|188|NA|Costa Rica
591|PA|PAN|591|NA|Panama
192|CU|CUB|192|NA|Cuba
214|DO|DOM|214|NA|Dominican Rep.|Dominican Republic|Dominican Republic|Dominican Republic
388|JM|JAM|388|NA|Jamaica
780|TT|TTO|780|NA|Trinidad and Tobago
332|HT|HTI|332|NA|Haiti
328|GY|GUY|328|SA|Guyana
740|SR|SUR|740|SA|Suriname
84|BZ|BLZ|84|NA|Belize
44|BS|BHS|44|NA|Bahamas||Bahamas, The|Bahamas
52|BB|BRB|52|NA|Barbados
446|MO|MAC|446|AS|China, Macao SAR|China, Macao Special Administrative Region|Macao SAR, China|Macao
408|KP|PRK|408|AS|Dem. People's Rep. of Korea||Korea, Dem. People's Rep.|North Korea
540|NC|NCL|540|OC|New Caledonia
232|ER|ERI|232|AF|Eritrea
262|DJ|DJI|262|AF|Djibouti
706|SO|SOM|706|AF|Somalia
108|BI|BDI|108|AF|Burundi
270|GM|GMB|270|AF|Gambia||Gambia, The|Gambia
624|GW|GNB|624|AF|Guinea-Bissau
132|CV|CPV|132|AF|Cabo Verde
678|ST|STP|678|AF|Sao Tome and Principe
226|GQ|GNQ|226|AF|Equatorial Guinea
174|KM|COM|174|AF|Comoros
690|SC|SYC|690|AF|Seychelles
426|LS|LSO|426|AF|Lesotho
748|SZ|SWZ|748|AF|Eswatini
462|MV|MDV|462|AS|Maldives
64|BT|BTN|64|AS|Bhutan
626|TL|TLS|626|AS|Timor-Leste
90|SB|SLB|90|OC|Solomon Isds|Solomon Islands|Solomon Islands|Solomon Islands
548|VU|VUT|548|OC|Vanuatu
882|WS|WSM|882|OC|Samoa
776|TO|TON|776|OC|Tonga
296|KI|KIR|296|OC|Kiribati
583|FM|FSM|583|OC|Micronesia (Federated States of)||Micronesia, Fed. Sts.|Micronesia (country)
584|MH|MHL|584|OC|Marshall Isds|Marshall Islands|Marshall Islands|Marshall Islands
585|PW|PLW|585|OC|Palau
28|AG|ATG|28|NA|Antigua and Barbuda
212|DM|DMA|212|NA|Dominica
308|GD|GRD|308|NA|Grenada
659|KN|KNA|659|NA|Saint Kitts and Nevis
662|LC|LCA|662|NA|Saint Lucia
670|VC|VCT|670|NA|Saint Vincent and the Grenadines
533|AW|ABW|533|NA|Aruba
531|CW|CUW|531|NA|Curaçao
304|GL|GRL|304|NA|Greenland
234|FO|FRO|234|EU|Faeroe Isds|Faeroe Islands|Faroe Islands|Faroe Islands
20|AD|AND|20|EU|Andorra
674|SM|SMR|674|EU|San Marino
275|PS|PSE|275|AS|State of Palestine||West Bank and Gaza|Palestine
520|NR|NRU|520|OC|Nauru
798|TV|TUV|798|OC|Tuvalu
60|BM|BMU|60|NA|Bermuda
136|KY|CYM|136|NA|Cayman Isds|Cayman Islands|Cayman Islands|Cayman Islands
4|AF|AFG|4|AS|Afghanistan
887|YE|YEM|887|AS|Yemen||Yemen, Rep.|Yemen
434|LY|LBY|434|AF|Libya
760|SY|SYR|760|AS|Syria||Syrian Arab Republic|Syria
96|BN|BRN|96|AS|Brunei Darussalam||Brunei Darussalam|Brunei
"""
HIGH_INCOME = set(
    "JPN USA DEU KOR AUS FRA CAN GBR ITA ESP NLD CHE SWE NOR BEL AUT DNK FIN IRL ISL LUX SGP NZL ISR "
    "HKG MAC ARE QAT KWT SAU BHR CYP MLT SVN CZE EST PRT GRC".split()
)
# approximate 1990 populations (millions) of the largest countries; the others are drawn
POP_1990_MILLIONS = {
    "CHN": 1135, "IND": 873, "USA": 250, "IDN": 182, "BRA": 150, "RUS": 148, "JPN": 124, "PAK": 107,
    "BGD": 107, "NGA": 95, "MEX": 84, "DEU": 79, "VNM": 68, "PHL": 62, "THA": 57, "GBR": 57, "ITA": 57,
    "FRA": 57, "EGY": 57, "TUR": 54, "IRN": 56, "ETH": 48, "KOR": 43, "ZAF": 39, "ESP": 39, "COD": 35,
    "ARG": 33, "POL": 38, "CAN": 28, "COL": 34, "AUS": 17, "CHL": 13, "PER": 22, "ZMB": 8, "ZWE": 10,
}  # fmt: skip
REGION_NAMES = {
    "AF": "Africa",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "SA": "South America",
    "OC": "Oceania",
}

HS_CHAPTERS = {
    1: "Live animals", 2: "Meat and edible offal", 3: "Fish and crustaceans", 4: "Dairy produce, eggs, honey",
    5: "Products of animal origin n.e.s.", 6: "Live trees and plants", 7: "Edible vegetables",
    8: "Edible fruit and nuts", 9: "Coffee, tea and spices", 10: "Cereals", 11: "Products of the milling industry",
    12: "Oil seeds and oleaginous fruits", 13: "Lac, gums and resins", 14: "Vegetable plaiting materials",
    15: "Animal or vegetable fats and oils", 16: "Preparations of meat or fish", 17: "Sugars",
    18: "Cocoa", 19: "Preparations of cereals", 20: "Preparations of vegetables or fruit",
    21: "Miscellaneous edible preparations", 22: "Beverages", 23: "Residues of the food industries",
    24: "Tobacco", 25: "Salt, sulphur, earths and stone, cement", 26: "Ores, slag and ash",
    27: "Mineral fuels and oils", 28: "Inorganic chemicals", 29: "Organic chemicals",
    30: "Pharmaceutical products", 31: "Fertilisers", 32: "Tanning or dyeing extracts, paints",
    33: "Essential oils, perfumery, cosmetics", 34: "Soap, waxes, polishes", 35: "Albuminoidal substances, glues",
    36: "Explosives, matches", 37: "Photographic goods", 38: "Miscellaneous chemical products",
    39: "Plastics", 40: "Rubber", 41: "Raw hides, skins and leather", 42: "Articles of leather",
    43: "Furskins", 44: "Wood and articles of wood", 45: "Cork", 46: "Manufactures of plaiting material",
    47: "Pulp of wood", 48: "Paper and paperboard", 49: "Printed matter", 50: "Silk", 51: "Wool",
    52: "Cotton", 53: "Other vegetable textile fibres", 54: "Man-made filaments", 55: "Man-made staple fibres",
    56: "Wadding, felt, nonwovens", 57: "Carpets", 58: "Special woven fabrics", 59: "Coated textile fabrics",
    60: "Knitted fabrics", 61: "Apparel, knitted", 62: "Apparel, not knitted", 63: "Other made-up textiles",
    64: "Footwear", 65: "Headgear", 66: "Umbrellas, walking sticks", 67: "Prepared feathers, artificial flowers",
    68: "Articles of stone, plaster, cement", 69: "Ceramic products", 70: "Glass and glassware",
    71: "Pearls, precious stones and metals", 72: "Iron and steel", 73: "Articles of iron or steel",
    74: "Copper", 75: "Nickel", 76: "Aluminium", 78: "Lead", 79: "Zinc", 80: "Tin", 81: "Other base metals",
    82: "Tools and cutlery of base metal", 83: "Miscellaneous articles of base metal",
    84: "Machinery and mechanical appliances", 85: "Electrical machinery and equipment",
    86: "Railway vehicles", 87: "Vehicles other than railway", 88: "Aircraft and spacecraft",
    89: "Ships and boats", 90: "Optical, measuring and medical instruments", 91: "Clocks and watches",
    92: "Musical instruments", 93: "Arms and ammunition", 94: "Furniture, bedding, lamps",
    95: "Toys, games and sports requisites", 96: "Miscellaneous manufactured articles",
    97: "Works of art and antiques",
}  # fmt: skip
# relative number of HS6 codes per chapter (our own rough weights; scaled to 5,022 codes)
CHAPTER_WEIGHT = {
    3: 85, 7: 55, 8: 50, 12: 45, 15: 50, 25: 75, 26: 34, 27: 40, 28: 190, 29: 300, 32: 45, 38: 55, 39: 120,
    40: 65, 44: 65, 48: 110, 52: 125, 54: 65, 55: 115, 61: 115, 62: 120, 63: 55, 68: 50, 72: 190, 73: 120,
    74: 55, 76: 35, 81: 36, 82: 65, 84: 500, 85: 265, 87: 75, 90: 150, 91: 55, 96: 50,
}  # fmt: skip
# unit value (thousand USD per tonne) of a typical good of a chapter range
CHAPTER_UV = [(1, 24, 2.5), (25, 27, 0.3), (28, 38, 4.0), (39, 40, 2.8), (41, 49, 3.0), (50, 67, 12.0),
              (68, 70, 1.2), (71, 71, 2000.0), (72, 83, 3.0), (84, 85, 30.0), (86, 89, 12.0), (90, 92, 60.0),
              (93, 97, 10.0)]  # fmt: skip

# IO sectors: code | Japanese name | English name. The first 24 form the small table.
_IO_SECTORS = """
011100|耕種農業|Crop farming
021100|鉱業|Mining
111200|飲食料品|Food and beverages
151100|繊維製品|Textile products
161100|パルプ・紙・木製品|Pulp, paper and wooden products
201100|化学製品|Chemical products
211100|石油・石炭製品|Petroleum and coal products
251100|窯業・土石製品|Ceramic, stone and clay products
261100|鉄鋼|Iron and steel
271100|非鉄金属|Non-ferrous metals
281100|金属製品|Metal products
291100|はん用機械|General-purpose machinery
301903|産業用ロボット|industrial robots
311100|業務用機械|Production machinery n.e.c.
331100|電子部品|Electronic components
342101|パーソナルコンピュータ|personal computers
342102|電子計算機本体（除パソコン）|electronic computing equipment (except PCs)
351100|輸送機械|Transport equipment
411100|建設|Construction
461100|電力・ガス・水道|Electricity, gas and water
511100|商業|Commerce
531100|金融・保険・不動産|Finance, insurance and real estate
571100|運輸・郵便・情報通信|Transport, post and communications
681100|サービス・公務・その他|Services, public administration and other
012100|畜産|Livestock
013100|農業サービス|Agricultural services
015100|林業|Forestry
017100|漁業|Fisheries
221100|プラスチック・ゴム製品|Plastic and rubber products
231100|なめし革・毛皮|Leather and fur
321100|民生用電子機器|Consumer electronics
322100|通信機械|Communication equipment
331200|半導体素子・集積回路|Semiconductors and integrated circuits
332100|電気機械|Electrical machinery
341100|電子計算機附属装置|Computer peripherals
352100|乗用車|Passenger cars
362100|船舶|Ships
391100|その他の製造工業製品|Other manufacturing
412100|土木|Civil engineering
462100|ガス・熱供給|Gas and heat supply
463100|水道|Water supply
471100|廃棄物処理|Waste management
512100|小売|Retail trade
541100|不動産仲介|Real estate services
551100|鉄道輸送|Rail transport
561100|道路輸送|Road transport
581100|通信|Telecommunications
591100|放送|Broadcasting
601100|情報サービス|Information services
611100|公務|Public administration
621100|教育|Education
631100|研究|Research
641100|医療|Medical services
651100|社会福祉|Social welfare
661100|物品賃貸サービス|Goods rental
671100|広告|Advertising
691100|対事業所サービス|Business services
701100|飲食サービス|Food services
711100|対個人サービス|Personal services
721100|分類不明|Activities not elsewhere classified
"""
IO_AI_SECTORS = ["342101", "342102", "301903"]
IO_VA = [
    ("ohcr", "家計外消費支出（行）", "Household consumption outside households (row)"),
    ("epin", "雇用者所得", "Compensation of employees"),
    ("opse", "営業余剰", "Operating surplus"),
    ("depr", "資本減耗引当", "Consumption of fixed capital"),
    ("idtx", "間接税（関税・輸入品商品税を除く。）", "Indirect taxes (excluding customs and import taxes)"),
    ("subs", "（控除）経常補助金", "(less) Current subsidies"),
]
IO_FD = [
    ("ohcc", "家計外消費支出（列）", "Household consumption outside households (column)"),
    ("hhco", "民間消費支出", "Private consumption"),
    ("gvco", "一般政府消費支出", "General government consumption"),
    ("inve", "国内総固定資本形成", "Gross domestic fixed capital formation"),
    ("stck", "在庫純増", "Increase in stocks"),
    ("expo", "輸出", "Exports"),
    ("impo", "（控除）輸入", "(less) Imports"),
    ("imta", "（控除）関税", "(less) Customs duties"),
    ("imtx", "（控除）輸入品商品税", "(less) Commodity taxes on imports"),
]
IO_TABLE_ID = "japan_2015_demo_std"

ProgressFn = Callable[[str], None]


# ============================================================================================ helpers
def _rng(seed: int, *key: int | str) -> np.random.Generator:
    """Return the generator of one named random stream.

    Parameters
    ----------
    seed : int
        The world's seed.
    *key : int or str
        Names the stream (strings are hashed with CRC-32); streams with different keys are independent.
    """
    words = tuple(zlib.crc32(k.encode()) if isinstance(k, str) else int(k) for k in key)
    return np.random.default_rng(np.random.SeedSequence(entropy=int(seed), spawn_key=words))


def _num(value: float, decimals: int) -> str:
    """Format ``value`` rounded to ``decimals`` places in its shortest form (no trailing zeros, no ``.0``)."""
    rounded = round(float(value), decimals)
    if rounded == int(rounded) and abs(rounded) < 1e15:
        return str(int(rounded))
    return repr(rounded)


def _g15(value: float) -> str:
    """Format a float with 15 significant digits, as World Bank and WGI files do."""
    return f"{float(value):.15g}"


def _q(text: object) -> str:
    """Quote one CSV field, doubling embedded quotes."""
    return '"' + str(text).replace('"', '""') + '"'


def _round_sig(value: float, digits: int = 12) -> float:
    """Round a float to ``digits`` significant digits."""
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{digits}g}")


def _jsonable(obj: Any) -> Any:
    """Turn numpy types into plain Python ones and round floats to 12 significant digits."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.bool_ | bool):
        return bool(obj)
    if isinstance(obj, np.integer | int):
        return int(obj)
    if isinstance(obj, np.floating | float):
        value = float(obj)
        return None if not math.isfinite(value) else _round_sig(value)
    return obj


class _Writer:
    """Writes the files of one output folder through ``.partial-<name>`` files renamed when complete."""

    def __init__(self, root: pathlib.Path, progress: ProgressFn | None):
        self.root = root
        self.progress = progress
        self.written: list[str] = []

    def say(self, message: str) -> None:
        """Report progress, when a callback was given."""
        if self.progress is not None:
            self.progress(message)

    @contextlib.contextmanager
    def open(self, relative: str) -> Iterator[Any]:
        """Open ``relative`` for binary writing; the file appears under its name only once closed."""
        final = self.root / relative
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.parent / f".partial-{final.name}"
        try:
            with open(partial, "wb") as handle:
                yield handle
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, final)
        self.written.append(relative)

    def bytes(self, relative: str, data: bytes) -> None:
        """Write a whole file."""
        self.say(f"writing {relative}")
        with self.open(relative) as handle:
            handle.write(data)

    def text(self, relative: str, lines: list[str], newline: str, encoding: str = "utf-8", bom: bool = False) -> None:
        """Write ``lines`` joined by ``newline`` (a final newline included)."""
        data = newline.join(lines) + newline
        self.bytes(relative, (b"\xef\xbb\xbf" if bom else b"") + data.encode(encoding))


# ========================================================================================== countries
@dataclasses.dataclass
class Countries:
    """The demo countries, sorted by BACI code, and their synthetic structural parameters."""

    baci: np.ndarray
    iso2: list[str]
    iso3: list[str]
    m49: np.ndarray
    region: list[str]
    name: list[str]
    full: list[str]
    wb_name: list[str]
    owid_name: list[str]
    first: np.ndarray
    last: np.ndarray
    log_exp: np.ndarray
    log_imp: np.ndarray
    lon: np.ndarray
    lat: np.ndarray

    @property
    def n(self) -> int:
        """Number of countries."""
        return len(self.baci)

    def index(self, iso3: str) -> int:
        """Position of a country by ISO3 code."""
        return self.iso3.index(iso3)

    @property
    def alive(self) -> np.ndarray:
        """Mask of countries that still exist at the end of the BACI period (written outside BACI too)."""
        return self.last == BACI_YEARS[-1]

    @property
    def current(self) -> np.ndarray:
        """Mask of countries that exist over the whole BACI period (not historical or successor states)."""
        return (self.first == BACI_YEARS[0]) & (self.last == BACI_YEARS[-1])


def _parse_country_table() -> list[dict[str, Any]]:
    rows = []
    for line in _COUNTRY_TABLE.strip().splitlines():
        parts = line.split("|") + [""] * 11
        name = parts[5]
        rows.append(
            {
                "baci": int(parts[0]),
                "iso2": parts[1],
                "iso3": parts[2],
                "m49": int(parts[3]),
                "region": parts[4],
                "name": name,
                "full": parts[6] or name,
                "wb": parts[7] or name,
                "owid": parts[8] or parts[7] or name,
                "first": int(parts[9] or BACI_YEARS[0]),
                "last": int(parts[10] or BACI_YEARS[-1]),
            }
        )
    return rows


def _countries(seed: int, n: int) -> Countries:
    """Select the first ``n`` countries of the table and draw their trade sizes and map positions."""
    rows = _parse_country_table()[:n]
    for position, row in enumerate(rows):
        row["rank"] = position
    rows.sort(key=lambda r: r["baci"])
    rng = _rng(seed, "countries")
    rank = np.array([r["rank"] for r in rows], dtype=float)
    rich = np.array([r["iso3"] in HIGH_INCOME for r in rows])
    size = 3.0 - 0.015 * rank + 0.8 * rich + rng.normal(0, 0.6, len(rows))
    boxes = {"AF": (-15, 45, -30, 30), "AS": (40, 140, 0, 50), "EU": (-10, 40, 36, 65),
             "NA": (-120, -65, 10, 55), "SA": (-75, -40, -45, 5), "OC": (115, 180, -45, -5)}  # fmt: skip
    lon = np.array([rng.uniform(*boxes[r["region"]][:2]) for r in rows])
    lat = np.array([rng.uniform(*boxes[r["region"]][2:]) for r in rows])
    return Countries(
        baci=np.array([r["baci"] for r in rows]),
        iso2=[r["iso2"] for r in rows],
        iso3=[r["iso3"] for r in rows],
        m49=np.array([r["m49"] for r in rows]),
        region=[r["region"] for r in rows],
        name=[r["name"] for r in rows],
        full=[r["full"] for r in rows],
        wb_name=[r["wb"] for r in rows],
        owid_name=[r["owid"] for r in rows],
        first=np.array([r["first"] for r in rows]),
        last=np.array([r["last"] for r in rows]),
        log_exp=size + rng.normal(0, 0.4, len(rows)),
        log_imp=size + rng.normal(0, 0.4, len(rows)),
        lon=lon,
        lat=lat,
    )


# =========================================================================================== products
@dataclasses.dataclass
class Products:
    """The HS92 product list of the scale, sorted by code."""

    code: list[str]
    description: list[str]
    chapter: np.ndarray
    log_uv: np.ndarray
    log_pop: np.ndarray

    @property
    def n(self) -> int:
        """Number of products."""
        return len(self.code)

    @functools.cached_property
    def k_int(self) -> np.ndarray:
        """Codes as integers (as BACI flow files write them)."""
        return np.array([int(c) for c in self.code], dtype=np.int64)


def _chapter_counts(total: int) -> dict[int, int]:
    """Spread ``total`` codes over chapters 01-97 (no 77) by the chapter weights, largest remainder."""
    chapters = sorted(HS_CHAPTERS)
    weight = np.array([CHAPTER_WEIGHT.get(c, 25) for c in chapters], dtype=float)
    exact = weight / weight.sum() * total
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return dict(zip(chapters, counts.tolist(), strict=True))


def _chapter_uv(chapter: int) -> float:
    return next(uv for lo, hi, uv in CHAPTER_UV if lo <= chapter <= hi)


def _all_product_codes(seed: int) -> list[str]:
    """Draw the full list of 5,022 plausible HS92 codes (required codes included)."""
    rng = _rng(seed, "product-codes")
    suffixes = np.array(["10", "11", "12", "19", "20", "21", "22", "29", "30", "31", "39", "40", "41", "49",
                         "50", "60", "70", "80", "90", "91", "92", "99", "00"])  # fmt: skip
    required = set(REQUIRED_PRODUCTS)
    codes: list[str] = []
    for chapter, count in _chapter_counts(5022).items():
        own = sorted(c for c in required if int(c[:2]) == chapter)
        n_headings = int(np.clip(count // 4 + 2, 3, 99))
        headings = np.arange(1, n_headings + 1)
        pool = [f"{chapter:02d}{h:02d}{s}" for h in headings for s in suffixes]
        pool = [c for c in pool if c not in required]
        weights = rng.gamma(0.7, size=len(pool))
        need = max(count - len(own), 0)
        pick = rng.choice(len(pool), size=min(need, len(pool)), replace=False, p=weights / weights.sum())
        codes.extend(own + [pool[i] for i in pick])
    return sorted(codes)


def _products(seed: int, n: int) -> Products:
    """Return the product list of a scale: the required codes plus a random subset of the full list."""
    full = _all_product_codes(seed)
    rng = _rng(seed, "products")
    required = sorted(set(REQUIRED_PRODUCTS))
    others = [c for c in full if c not in REQUIRED_PRODUCTS]
    if n >= len(full):
        chosen = full
    else:
        pick = rng.choice(len(others), size=max(n - len(required), 0), replace=False)
        chosen = sorted(required + [others[i] for i in pick])
    quirky = chosen[len(chosen) // 3]
    descriptions, chapters, uv = [], [], []
    for code in chosen:
        chapter = int(code[:2])
        chapters.append(chapter)
        if code in REQUIRED_PRODUCTS:
            descriptions.append(REQUIRED_PRODUCTS[code][0])
            uv.append(REQUIRED_PRODUCTS[code][1])
            continue
        text = f"{HS_CHAPTERS[chapter]}: heading {code[:4]}, subheading {code[4:]} (demo)"
        if code == quirky:
            text = f'{HS_CHAPTERS[chapter]}: so-called "demo" goods, other than in heading {code[:4]}'
        descriptions.append(text)
        uv.append(_chapter_uv(chapter))
    log_uv = np.log(np.array(uv)) + rng.normal(0, 0.5, len(chosen)) * np.array(
        [c not in REQUIRED_PRODUCTS for c in chosen]
    )
    log_pop = rng.normal(0, 1.0, len(chosen))
    for i, code in enumerate(chosen):
        if code in KEY_HS6:
            log_pop[i] = 2.0 + 0.3 * rng.normal()
    return Products(chosen, descriptions, np.array(chapters), log_uv, log_pop)


# ============================================================================================== macro
@dataclasses.dataclass
class Macro:
    """OWID-style country-year series for :data:`OWID_YEARS`, rounded as written.

    Attributes are ``(countries, years)`` arrays: population (persons), gdp (USD), ghg (total GHG,
    Mt CO2e, 2 decimals), co2 (Mt, 3 decimals), energy (primary energy, TWh, 3 decimals).
    """

    population: np.ndarray
    gdp: np.ndarray
    ghg: np.ndarray
    co2: np.ndarray
    energy: np.ndarray

    def at(self, name: str, years: np.ndarray) -> np.ndarray:
        """Return one series for the given years."""
        return getattr(self, name)[:, years - OWID_YEARS[0]]


def _macro(seed: int, countries: Countries) -> Macro:
    """Draw population, GDP, GHG, CO2 and energy paths with common world shocks (e.g. 2009)."""
    rng = _rng(seed, "macro")
    n, years = countries.n, len(OWID_YEARS)
    rich = np.array([c in HIGH_INCOME for c in countries.iso3], dtype=float)
    size = 0.5 * (countries.log_exp + countries.log_imp) - 0.8 * rich
    log_pop0 = 13.8 + 1.5 * size + rng.normal(0, 0.5, n)
    known = np.array([POP_1990_MILLIONS.get(c, np.nan) for c in countries.iso3])
    log_pop0 = np.where(np.isnan(known), log_pop0, np.log(known * 1e6) + rng.normal(0, 0.02, n))
    log_gdppc0 = 7.4 + 2.2 * rich + rng.normal(0, 0.5, n)
    world = np.full(years, 0.012)
    for year, shock in {
        1991: -0.01,
        1998: -0.015,
        2001: -0.012,
        2008: -0.02,
        2009: -0.055,
        2010: 0.02,
    }.items():
        world[year - OWID_YEARS[0]] += shock
    world += rng.normal(0, 0.004, years)
    growth_pc = (0.012 + 0.022 * (1 - rich))[:, None] + world[None, :] + rng.normal(0, 0.02, (n, years))
    growth_pop = (0.004 + 0.012 * (1 - rich) + rng.normal(0, 0.004, n))[:, None] + rng.normal(0, 0.002, (n, years))
    growth_pc[:, 0] = 0.0
    growth_pop[:, 0] = 0.0
    log_pop = log_pop0[:, None] + np.cumsum(growth_pop, axis=1)
    log_gdp = log_pop + log_gdppc0[:, None] + np.cumsum(growth_pc, axis=1)
    decline = rng.normal(0.015, 0.008, n)[:, None] + rng.normal(0, 0.01, (n, years))
    decline[:, 0] = 0.0
    log_int = np.log(0.6e-9) + rng.normal(0, 0.35, n)[:, None] - np.cumsum(decline, axis=1)
    ghg = np.exp(log_gdp + log_int)
    co2 = ghg * np.clip(rng.normal(0.75, 0.07, n), 0.5, 0.92)[:, None]
    energy_int = np.exp(np.log(1.6e-9) + rng.normal(0, 0.3, n))[:, None] * np.exp(-0.01 * np.arange(years))
    return Macro(
        population=np.round(np.exp(log_pop)),
        gdp=np.round(np.exp(log_gdp) / 1e6) * 1e6,
        ghg=np.round(ghg, 2),
        co2=np.round(co2, 3),
        energy=np.round(np.exp(log_gdp) * energy_int, 3),
    )


# ================================================================================================ WGI
@dataclasses.dataclass
class Wgi:
    """WGI values for :data:`WGI_YEARS`: arrays ``(indicator, country, year)``; ``latent`` covers 1996-2019."""

    estimate: np.ndarray
    stderr: np.ndarray
    numsrc: np.ndarray
    rank: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    missing: np.ndarray
    latent: np.ndarray

    def control(self, years: np.ndarray) -> np.ndarray:
        """Return the governance control (``WGI_CONTROL`` estimate) by country for ``years`` (latent if unwritten)."""
        return self.latent[WGI_INDICATORS.index(WGI_CONTROL)][:, years - 1996]


def _wgi(seed: int, countries: Countries) -> Wgi:
    """Draw the six WGI estimates as AR(1) paths around a country level; derive ranks and bounds."""
    rng = _rng(seed, "wgi")
    n, n_all = countries.n, 2019 - 1996 + 1
    rich = np.array([c in HIGH_INCOME for c in countries.iso3], dtype=float)
    level = -0.45 + 1.6 * rich + rng.normal(0, 0.5, n)
    latent = np.empty((6, n, n_all))
    for ind in range(6):
        path = np.cumsum(rng.normal(0, 0.06, (n, n_all)), axis=1)
        latent[ind] = np.clip(level[:, None] + rng.normal(0, 0.25, n)[:, None] + path, -2.5, 2.5)
    latent = np.vectorize(lambda v: float(_g15(v)))(latent)
    cols = WGI_YEARS - 1996
    estimate = latent[:, :, cols]
    shape = estimate.shape
    order = estimate.argsort(axis=1).argsort(axis=1)
    rank = order / max(n - 1, 1) * 100
    lower = np.clip(rank - rng.uniform(4, 15, shape), 0, 100)
    upper = np.clip(rank + rng.uniform(4, 15, shape), 0, 100)
    small = (countries.log_exp < np.quantile(countries.log_exp, 0.25))[None, :, None]
    early = (WGI_YEARS < 2002)[None, None, :]
    missing = small & early & (rng.random(shape) < 0.3)
    return Wgi(
        estimate=estimate,
        stderr=rng.uniform(0.15, 0.35, shape),
        numsrc=rng.integers(3, 16, shape),
        rank=rank,
        lower=lower,
        upper=upper,
        missing=missing,
        latent=latent,
    )


# ========================================================================================= extraction
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


# ============================================================================================== trade
@dataclasses.dataclass
class FlowBlock:
    """Trade series: positions ``i, j, k`` and ``(series, year)`` matrices in integer thousandths."""

    i: np.ndarray
    j: np.ndarray
    k: np.ndarray
    v: np.ndarray
    q: np.ndarray
    present: np.ndarray
    na: np.ndarray

    def take(self, rows: np.ndarray) -> FlowBlock:
        """Return the series at ``rows``."""
        return FlowBlock(*(getattr(self, f.name)[rows] for f in dataclasses.fields(self)))

    @staticmethod
    def concat(blocks: list[FlowBlock]) -> FlowBlock:
        """Concatenate blocks."""
        return FlowBlock(*(np.concatenate([getattr(b, f.name) for b in blocks]) for f in dataclasses.fields(FlowBlock)))


@dataclasses.dataclass
class TradeModel:
    """What the flow generator needs to know about countries, products and world trade."""

    countries: Countries
    products: Products
    params: dict[str, Any]
    year_effect: np.ndarray
    n_series: int
    p_gap: float = 0.04


def _gumbel_top(rng: np.random.Generator, logw: np.ndarray, n: int) -> np.ndarray:
    """Sorted indices of ``n`` items drawn without replacement with probability proportional to ``exp(logw)``."""
    finite = int(np.isfinite(logw).sum())
    n = min(n, finite)
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    keys = logw + rng.gumbel(size=logw.shape)
    if n >= keys.size:
        return np.arange(keys.size)
    return np.sort(np.argpartition(-keys, n - 1)[:n])


def _expected_series_length() -> float:
    """Mean number of present years of a series under the start/end/gap rules (fixed simulation)."""
    rng = np.random.default_rng(20230101)
    n, years = 200_000, len(BACI_YEARS)
    start = np.where(rng.random(n) < 0.45, 0, rng.integers(0, years, n))
    end = np.where(rng.random(n) < 0.5, years - 1, rng.integers(start, years))
    length = end - start + 1
    return float(np.mean(length - np.maximum(length - 2, 0) * 0.04))


def _series_paths(
    rng: np.random.Generator, model: TradeModel, i: np.ndarray, j: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw presence and float values/quantities of series ``(i, j, k)`` over the BACI years.

    Each series starts and ends in random years (clipped to the years both countries exist), has a
    few interior gaps, a lognormal level from exporter, importer and product sizes, its own growth
    rate, the world trade cycle, and a unit value around the product's.
    """
    c, p = model.countries, model.products
    n, n_years = len(i), len(BACI_YEARS)
    years = np.arange(n_years)
    lo = np.maximum(c.first[i], c.first[j]) - BACI_YEARS[0]
    hi = np.minimum(c.last[i], c.last[j]) - BACI_YEARS[0]
    start = np.where(rng.random(n) < 0.45, 0, rng.integers(0, n_years, n))
    end = np.where(rng.random(n) < 0.5, n_years - 1, rng.integers(start, n_years))
    start = np.clip(start, lo, hi)
    end = np.clip(np.maximum(end, start), lo, hi)
    present = (years >= start[:, None]) & (years <= end[:, None])
    interior = (years > start[:, None]) & (years < end[:, None])
    present &= ~(interior & (rng.random((n, n_years)) < model.p_gap))
    mean_exp, mean_imp = c.log_exp.mean(), c.log_imp.mean()
    base = np.log(25.0) + 0.7 * (c.log_exp[i] - mean_exp) + 0.7 * (c.log_imp[j] - mean_imp)
    base += 0.6 * p.log_pop[k] + rng.normal(0, 1.6, n)
    growth = rng.normal(0.03, 0.05, n)
    log_v = base[:, None] + growth[:, None] * (years - 11) + model.year_effect[None, :]
    log_v += rng.normal(0, 0.3, (n, n_years))
    log_uv = (p.log_uv[k] + rng.normal(0, 0.35, n))[:, None] + rng.normal(0, 0.08, (n, n_years))
    return present, np.exp(log_v), np.exp(log_v - log_uv)


def _masks(rng: np.random.Generator, present: np.ndarray, params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Draw the NA-quantity and zero-quantity cells among present ones."""
    draw = rng.random(present.shape)
    na = present & (draw < params["na_share"])
    zero = present & ~na & (draw > 1 - params["zero_q_share"])
    return na, zero


def _to_block(i, j, k, present, v, q, na, zero) -> FlowBlock:
    """Round float values and quantities to integer thousandths (v at least 0.001) into a block."""
    v_milli = np.where(present, np.maximum(np.rint(v * 1000), 1), 0).astype(np.int64)
    q_milli = np.where(present & ~zero, np.rint(q * 1000), 0).astype(np.int64)
    return FlowBlock(i.astype(np.int32), j.astype(np.int32), k.astype(np.int32), v_milli, q_milli, present, na)


def _plant_outliers(rng: np.random.Generator, block: FlowBlock, rate: float) -> dict[str, np.ndarray]:
    """Multiply (or divide) a few quantities inside long series; return rows, year positions and factors.

    Eligible points: quantity present, not NA, at least 1 tonne, strictly between the first and last
    present years of a series with at least 7 non-NA years.  At most one outlier per series.
    """
    n, n_years = block.q.shape
    if n == 0:
        return {"row": np.zeros(0, np.int64), "col": np.zeros(0, np.int64), "factor": np.zeros(0)}
    years = np.arange(n_years)
    has = block.present
    first = np.argmax(has, axis=1)
    last = n_years - 1 - np.argmax(has[:, ::-1], axis=1)
    valid = has & ~block.na
    eligible = valid & (block.q >= 1000) & (years > first[:, None]) & (years < last[:, None])
    eligible &= (valid.sum(axis=1) >= 7)[:, None]
    hit = eligible & (rng.random((n, n_years)) < rate)
    rows = np.flatnonzero(hit.any(axis=1))
    cols = np.argmax(hit[rows], axis=1)
    up = rng.random(len(rows)) < 0.5
    factor = np.where(up, rng.uniform(8, 30, len(rows)), 1 / rng.uniform(10, 30, len(rows)))
    block.q[rows, cols] = np.maximum(np.rint(block.q[rows, cols] * factor), 1)
    return {"row": rows, "col": cols, "factor": factor}


def _pair_candidates(countries: Countries) -> tuple[np.ndarray, np.ndarray]:
    """All ordered country pairs (i != j) that coexist in some BACI year, sorted by (i, j)."""
    i, j = np.meshgrid(np.arange(countries.n), np.arange(countries.n), indexing="ij")
    i, j = i.ravel(), j.ravel()
    ok = (i != j) & (
        np.maximum(countries.first[i], countries.first[j]) <= np.minimum(countries.last[i], countries.last[j])
    )
    return i[ok], j[ok]


def _special_positions(products: Products) -> np.ndarray:
    """Product positions generated up front: the key products and those with a metal content."""
    special = set(KEY_HS6) | {hs for hs, *_ in METAL_CONTENT}
    return np.array([pos for pos, code in enumerate(products.code) if code in special])


@dataclasses.dataclass
class RawSeries:
    """Series still in floats (before rounding), with their NA and zero-quantity masks."""

    i: np.ndarray
    j: np.ndarray
    k: np.ndarray
    present: np.ndarray
    v: np.ndarray
    q: np.ndarray
    na: np.ndarray
    zero: np.ndarray

    def to_block(self) -> FlowBlock:
        """Round into a :class:`FlowBlock`."""
        return _to_block(self.i, self.j, self.k, self.present, self.v, self.q, self.na, self.zero)


def _special_raw(seed: int, model: TradeModel, mined_share: dict[str, np.ndarray]) -> RawSeries:
    """Draw every series of the special products, all exporters at once.

    Ores and first-stage metals are exported mostly by the countries mining that metal
    (``mined_share``: each country's share of world mined metal).
    """
    c, p = model.countries, model.products
    pair_i, pair_j = _pair_candidates(c)
    weights = np.exp(p.log_pop)
    parts: list[tuple] = []
    for pos in _special_positions(p):
        code = p.code[pos]
        rng = _rng(seed, "baci-special", code)
        n_k = int(max(3, round(model.n_series * weights[pos] / weights.sum())))
        n_k = min(n_k, int(0.6 * len(pair_i)))
        logw = 0.7 * c.log_exp[pair_i] + 0.7 * c.log_imp[pair_j]
        metal = REQUIRED_PRODUCTS.get(code, ("", 0.0, None))[2]
        if metal is not None:
            logw = logw + 2.0 * np.log(mined_share[metal][pair_i] + 0.02)
        pick = _gumbel_top(rng, logw, n_k)
        i, j = pair_i[pick], pair_j[pick]
        k = np.full(len(pick), pos)
        present, v, q = _series_paths(rng, model, i, j, k)
        na, zero = _masks(rng, present, model.params)
        parts.append((i, j, k, present, v, q, na, zero))
    return RawSeries(*(np.concatenate([part[n] for part in parts]) for n in range(8)))


def _regular_exporter(seed: int, model: TradeModel, exporter: int, n_series: int, regular: np.ndarray) -> tuple:
    """Draw the series of one exporter over the regular (non-special) products; return block and outliers."""
    c, p = model.countries, model.products
    rng = _rng(seed, "baci-exporter", int(c.baci[exporter]))
    others = np.flatnonzero(
        (np.arange(c.n) != exporter) & (np.maximum(c.first, c.first[exporter]) <= np.minimum(c.last, c.last[exporter]))
    )
    rca = rng.normal(0, 1.0, 100)
    logw = (0.7 * c.log_imp[others])[:, None] + (p.log_pop[regular] + rca[p.chapter[regular]])[None, :]
    pick = _gumbel_top(rng, logw.ravel(), n_series)
    j = others[pick // len(regular)]
    k = regular[pick % len(regular)]
    i = np.full(len(pick), exporter)
    present, v, q = _series_paths(rng, model, i, j, k)
    na, zero = _masks(rng, present, model.params)
    block = _to_block(i, j, k, present, v, q, na, zero)
    outliers = _plant_outliers(rng, block, model.params["outlier_rate"])
    return block, outliers


def _allocate(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Split ``total`` proportionally to ``weights`` without exceeding ``caps`` (water filling)."""
    alloc = np.zeros(len(weights))
    free = caps > 0
    remaining = float(total)
    for _ in range(50):
        if remaining <= 0.5 or not free.any():
            break
        share = np.where(free, weights, 0.0)
        add = remaining * share / share.sum()
        alloc = np.minimum(alloc + add, caps)
        remaining = total - alloc.sum()
        free = alloc < caps - 0.5
    return np.floor(alloc).astype(np.int64)


def _trade_model(seed: int, countries: Countries, products: Products, macro: Macro, params: dict) -> TradeModel:
    """Set the number of series so that the expected number of flows per year matches the scale."""
    world_gdp = macro.at("gdp", BACI_YEARS)[countries.alive].sum(axis=0)
    year_effect = 1.2 * np.log(world_gdp / world_gdp[BACI_YEARS == 2006][0])
    n_series = int(round(params["flows_per_year"] * len(BACI_YEARS) / _expected_series_length()))
    return TradeModel(countries, products, params, year_effect, n_series)


# ====================================================================================== trade ridge
def _ridge_regressors(macro: Macro, countries: Countries) -> dict[str, np.ndarray]:
    """World GHG, GHG/GDP and GHG/population per BACI year from the OWID rows written (demo countries)."""
    alive = countries.alive
    ghg = macro.at("ghg", BACI_YEARS)[alive].sum(axis=0)
    gdp = macro.at("gdp", BACI_YEARS)[alive].sum(axis=0)
    pop = macro.at("population", BACI_YEARS)[alive].sum(axis=0)
    return {
        "ghg": ghg,
        "ghg_per_gdp": ghg / (gdp / 1e9),
        "ghg_per_capita": ghg * 1e6 / pop,
    }


def _ridge_backtest(y: np.ndarray, x: np.ndarray, lam: float = 1.0, split: int = 2007) -> dict[str, float]:
    """Fit ridge on 1995..split, forecast the rest; compare with the random walk (last value carried)."""
    train = BACI_YEARS <= split
    mu, sd = x[train].mean(axis=0), x[train].std(axis=0)
    z = (x - mu) / sd
    y_mean = y[train].mean()
    coef = np.linalg.solve(z[train].T @ z[train] + lam * np.eye(x.shape[1]), z[train].T @ (y[train] - y_mean))
    forecast = y_mean + z[~train] @ coef
    naive = np.full((~train).sum(), y[train][-1])
    rmse_ridge = float(np.sqrt(np.mean((forecast - y[~train]) ** 2)))
    rmse_naive = float(np.sqrt(np.mean((naive - y[~train]) ** 2)))
    return {"rmse_ridge": rmse_ridge, "rmse_naive": rmse_naive, "beats_naive": rmse_ridge < rmse_naive}


def _plant_ridge(seed: int, raw: RawSeries, products: Products, regressors: dict[str, np.ndarray]) -> dict:
    """Rescale each key product's quantities (and values) per year to a planted linear target.

    target_t = alpha + sum_m beta_m x_m,t + e_t, with x = (ghg, ghg_per_gdp, ghg_per_capita).  Strong
    products get large standardized effects and i.i.d. noise of 1 % of the level; weak ones tiny effects
    and random-walk noise (8 % of the level per year), floored so the target stays above 15 % of the level.
    """
    rng = _rng(seed, "ridge")
    names = list(regressors)
    x = np.column_stack([regressors[n] for n in names])
    mu, sd = x.mean(axis=0), x.std(axis=0)
    z = (x - mu) / sd
    strong = set(rng.choice(KEY_HS6, size=4, replace=False).tolist())
    truth: dict[str, Any] = {}
    for code in KEY_HS6:
        rows = raw.k == products.code.index(code)
        valid = raw.present[rows] & ~raw.na[rows] & ~raw.zero[rows]
        natural = (raw.q[rows] * valid).sum(axis=0)
        level = float(natural.mean())
        if code in strong:
            b = rng.normal(0, 1, 3)
            b *= 0.35 / np.abs(b).sum()
            noise = rng.normal(0, 0.01, len(BACI_YEARS)) * level
            noise_sd = 0.01 * level
        else:
            b = rng.normal(0, 0.02, 3)
            noise = np.cumsum(rng.normal(0, 0.08, len(BACI_YEARS))) * level
            noise_sd = 0.08 * level
        signal = level * (1 + z @ b)
        noise = np.maximum(signal + noise, 0.15 * level) - signal
        target = signal + noise
        factor = np.where(natural > 0, target / np.where(natural > 0, natural, 1), 1.0)
        raw.q[rows] *= factor[None, :]
        raw.v[rows] *= factor[None, :]
        beta = level * b / sd
        truth[code] = {
            "designed": "strong" if code in strong else "weak",
            "alpha": level - float(beta @ mu),
            "beta": dict(zip(names, beta.tolist(), strict=True)),
            "beta_standardized": dict(zip(names, b.tolist(), strict=True)),
            "noise": "iid normal" if code in strong else "random walk (cumulated normal), floored",
            "noise_sd": noise_sd,
            "noise_realised": noise,
            "target": target,
            "years_without_flows": BACI_YEARS[natural <= 0],
        }
    return {"regressor_names": names, "regressors": regressors, "products": truth}


def _ridge_totals(block: FlowBlock, products: Products) -> dict[str, np.ndarray]:
    """World quantity (tonnes, NA excluded) per key product and BACI year."""
    valid = block.present & ~block.na
    out = {}
    for code in KEY_HS6:
        rows = block.k == products.code.index(code)
        out[code] = (block.q[rows] * valid[rows]).sum(axis=0) / 1000
    return out


def _finish_ridge(ridge: dict, clean: dict[str, np.ndarray], written: dict[str, np.ndarray]) -> dict:
    """Add clean/as-written totals and the ridge-versus-random-walk backtest to the ridge truth."""
    x = np.column_stack([ridge["regressors"][n] for n in ridge["regressor_names"]])
    for code, entry in ridge["products"].items():
        entry["total_clean"] = clean[code]
        entry["total_as_written"] = written[code]
        clean_test = _ridge_backtest(clean[code], x)
        written_test = _ridge_backtest(written[code], x)
        entry["beats_naive"] = clean_test["beats_naive"]
        entry["backtest_clean"] = clean_test
        entry["backtest_as_written"] = written_test
    ridge["years"] = BACI_YEARS
    ridge["definition"] = {
        "total": "sum over BACI flows of q (tonnes) for the hs6 and year, NA excluded",
        "ghg": "sum of OWID total_ghg (Mt CO2e) over the demo countries written (aggregates excluded)",
        "ghg_per_gdp": "ghg / (sum of OWID gdp / 1e9): Mt CO2e per billion USD",
        "ghg_per_capita": "ghg * 1e6 / sum of OWID population: t CO2e per person",
        "model": "total_clean = alpha + sum(beta[m] * regressor[m]) + noise_realised (up to 0.001 t rounding)",
        "backtest": "ridge (lambda=1 on regressors standardized on 1995-2007, centred y) fitted on 1995-2007, "
        "forecast 2008-2017 with observed regressors; naive = 2007 value carried forward; RMSE compared",
    }
    return ridge


# =============================================================================================== DMI
def _metal_shares() -> dict[str, list[tuple[str, float]]]:
    """``{hs6: [(metal, share as written)]}``."""
    out: dict[str, list[tuple[str, float]]] = {}
    for hs6, metal, share, _ in METAL_CONTENT:
        out.setdefault(hs6, []).append((metal, float(f"{share:.6g}")))
    return out


def _imported_dmi(block: FlowBlock, products: Products, n_countries: int) -> dict[str, np.ndarray]:
    """Compute imported DMI (t of metal) by metal, ``(importers, BACI years)``: q x content share, NA as 0."""
    valid = block.present & ~block.na
    out = {metal: np.zeros((n_countries, len(BACI_YEARS))) for metal in PANEL_METALS}
    for hs6, pairs in _metal_shares().items():
        rows = np.flatnonzero(block.k == products.code.index(hs6))
        tonnes = block.q[rows] * valid[rows] / 1000
        for metal, share in pairs:
            if metal in out:
                np.add.at(out[metal], block.j[rows], tonnes * share)
    return out


def _dmi_tables(
    extraction: dict[str, np.ndarray], imported: dict[str, np.ndarray], years: np.ndarray
) -> dict[tuple[str, str], np.ndarray]:
    """``{(metal, route): (countries, years)}`` for the panel metals."""
    mined = _mined_dmi(extraction, years)
    cols = years - BACI_YEARS[0]
    out = {}
    for metal in PANEL_METALS:
        out[(metal, "mined")] = mined[metal]
        out[(metal, "imported")] = imported[metal][:, cols]
    return out


# =============================================================================================== SDG
@dataclasses.dataclass
class Indicator:
    """One synthetic SDG indicator, its planted model and the values written (NaN = empty)."""

    code: str
    name: str
    goal: int
    topic: str
    unit: str
    better: str
    planted: bool
    metal: str
    route: str
    beta: float
    gamma: dict[str, float]
    sigma: float
    fe: np.ndarray
    values: np.ndarray
    fit: dict[str, float]


def _within(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Demean ``values`` (rows = observations) within groups."""
    out = values.astype(float).copy()
    for g in np.unique(groups):
        sel = groups == g
        out[sel] -= out[sel].mean(axis=0)
    return out


def _fe_ols(y: np.ndarray, regressors: np.ndarray, groups: np.ndarray) -> dict[str, float]:
    """Within (country fixed effects) OLS; return estimate, standard error and t of the first regressor."""
    yd = _within(y[:, None], groups)[:, 0]
    xd = _within(regressors, groups)
    coef, *_ = np.linalg.lstsq(xd, yd, rcond=None)
    resid = yd - xd @ coef
    dof = len(y) - len(np.unique(groups)) - xd.shape[1]
    s2 = resid @ resid / dof
    cov = s2 * np.linalg.inv(xd.T @ xd)
    se = float(np.sqrt(cov[0, 0]))
    return {"beta_hat": float(coef[0]), "se": se, "t": float(coef[0] / se), "n_obs": len(y)}


def _sdg(
    seed: int,
    countries: Countries,
    n_indicators: int,
    dmi: dict[tuple[str, str], np.ndarray],
    controls: dict[str, np.ndarray],
) -> list[Indicator]:
    """Draw indicators and their values from the planted fixed-effects model on DMI and controls.

    y[c, t] = fe[c] + beta * ln(1 + DMI[metal, route][c, t]) + sum_m gamma[m] * control[m][c, t] + eps.
    About a third of the indicators have beta != 0 (sized so |t| is about 9-14 on the panel); the others
    have beta = 0 for every metal and route.
    """
    rng = _rng(seed, "sdg")
    years = WDI_VALUE_YEARS
    in_panel = countries.current[:, None] & np.isin(years, PANEL_YEARS)[None, :]
    groups_grid = np.broadcast_to(np.arange(countries.n)[:, None], in_panel.shape)
    control_names = list(controls)
    ctrl = np.stack([controls[n] for n in control_names], axis=-1)
    logs = {key: np.log1p(value) for key, value in dmi.items()}
    candidates = [
        key for key, value in dmi.items() if (value[in_panel] > 0).mean() >= 0.6 and logs[key][in_panel].std() > 0.05
    ]
    goals = np.resize(rng.permutation(np.arange(1, 18)), n_indicators)
    planted_flags = rng.random(n_indicators) < 0.35
    planted_flags[0] = True
    versions: dict[int, int] = {}
    out: list[Indicator] = []
    for idx in range(n_indicators):
        goal = int(goals[idx])
        versions[goal] = versions.get(goal, 0) + 1
        topic, base, unit, better, level = SDG_TEMPLATES[goal]
        metal, route = candidates[rng.integers(len(candidates))]
        x = logs[(metal, route)]
        missing = rng.random(in_panel.shape) < np.where(in_panel, 0.04, 0.15)
        obs = in_panel & ~missing
        sigma = 0.02 * level
        gamma = dict(zip(control_names, (level * rng.normal(0, [0.1, 0.1, 0.05, 0.05])).tolist(), strict=True))
        beta = 0.0
        if planted_flags[idx]:
            groups = groups_grid[obs]
            xr = _within(np.column_stack([x[obs], ctrl[obs]]), groups)
            coef, *_ = np.linalg.lstsq(xr[:, 1:], xr[:, 0], rcond=None)
            spread = float(np.std(xr[:, 0] - xr[:, 1:] @ coef))
            kappa = rng.uniform(9, 14) * rng.choice([-1, 1])
            beta = kappa * sigma / (spread * np.sqrt(obs.sum()))
        effect = beta * x + ctrl @ np.array(list(gamma.values()))
        fe = level * (1 + 0.3 * rng.normal(0, 1, countries.n)) - effect.mean(axis=1)
        y = fe[:, None] + effect + sigma * rng.normal(0, 1, in_panel.shape)
        y = np.vectorize(lambda v: float(_g15(v)))(y)
        fit = _fe_ols(y[obs], np.column_stack([x[obs], ctrl[obs]]), groups_grid[obs])
        out.append(
            Indicator(
                code=f"SDG.DEMO.{goal:02d}.{versions[goal]}",
                name=f"{base}, demo series {versions[goal]} ({unit})",
                goal=goal,
                topic=topic,
                unit=unit,
                better=better,
                planted=bool(planted_flags[idx]),
                metal=metal,
                route=route,
                beta=beta,
                gamma=gamma,
                sigma=sigma,
                fe=fe,
                values=np.where(missing, np.nan, y),
                fit=fit,
            )
        )
    return out


def _controls(countries: Countries, macro: Macro, wgi: Wgi, years: np.ndarray) -> dict[str, np.ndarray]:
    """Panel controls as written: ln GDP, ln population, ln primary energy (OWID) and the WGI estimate."""
    return {
        "log_gdp": np.log(macro.at("gdp", years)),
        "log_population": np.log(macro.at("population", years)),
        "log_primary_energy": np.log(macro.at("energy", years)),
        "wgi_estimate": wgi.control(years),
    }


# ======================================================================================== BACI files
BACI_HEADER = b'"t","i","j","k","v","q"\r\n'


def _fixed3(milli: np.ndarray) -> pa.Array:
    """Format non-negative integer thousandths as ``"<int>.<3 digits>"`` strings."""
    whole = pc.cast(pa.array(milli // 1000), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(milli % 1000), pa.string()), width=3, padding="0")
    return pc.binary_join_element_wise(whole, frac, ".")


def _baci_bytes(year: int, i: np.ndarray, j: np.ndarray, k: np.ndarray, v, q, na) -> memoryview:
    """Format flow rows exactly like BACI: ``t,i,j,k,v,"%13.3f"`` with CRLF; q may be ``NA``."""
    value = _fixed3(v)
    value = pc.utf8_rtrim(pc.utf8_rtrim(value, characters="0"), characters=".")
    quantity = pc.utf8_lpad(pc.if_else(pa.array(na), "NA", _fixed3(q)), width=13, padding=" ")
    quantity = pc.binary_join_element_wise('"', quantity, '"\r\n', "")
    line = pc.binary_join_element_wise(
        str(year),
        pc.cast(pa.array(i), pa.string()),
        pc.cast(pa.array(j), pa.string()),
        pc.cast(pa.array(k), pa.string()),
        value,
        quantity,
        ",",
    )
    offsets = np.frombuffer(line.buffers()[1], dtype=np.int32, count=len(line) + 1, offset=line.offset * 4)
    return memoryview(line.buffers()[2])[offsets[0] : offsets[-1]]


def _outlier_records(block: FlowBlock, found: dict[str, np.ndarray], model: TradeModel) -> list[dict]:
    """Turn outlier positions into ``{t, i, j, k, factor}`` records."""
    c, p = model.countries, model.products
    return [
        {
            "t": int(BACI_YEARS[col]),
            "i": int(c.baci[block.i[row]]),
            "j": int(c.baci[block.j[row]]),
            "k": p.code[block.k[row]],
            "factor": float(f),
        }
        for row, col, f in zip(found["row"], found["col"], found["factor"], strict=True)
    ]


class _BaciStream:
    """Appends series blocks, sorted by (i, j, k), to the 23 open year files."""

    def __init__(self, handles: list[Any], model: TradeModel):
        self.handles = handles
        self.model = model
        self.counts = np.zeros(len(BACI_YEARS), dtype=np.int64)
        self.na = 0
        self.zero = 0
        self.pending: list[FlowBlock] = []
        self.size = 0

    def add(self, block: FlowBlock) -> None:
        """Queue a block; write when the queue is large."""
        self.pending.append(block)
        self.size += len(block.i)
        if self.size >= self.model.params["chunk_series"]:
            self.flush()

    def flush(self) -> None:
        """Write every queued block, year by year."""
        if not self.pending:
            return
        block = FlowBlock.concat(self.pending)
        self.pending, self.size = [], 0
        codes, k_int = self.model.countries.baci, self.model.products.k_int
        for y, year in enumerate(BACI_YEARS):
            sel = np.flatnonzero(block.present[:, y])
            if not sel.size:
                continue
            na = block.na[sel, y]
            q = block.q[sel, y]
            self.handles[y].write(
                _baci_bytes(
                    int(year),
                    codes[block.i[sel]],
                    codes[block.j[sel]],
                    k_int[block.k[sel]],
                    block.v[sel, y],
                    q,
                    na,
                )
            )
            self.counts[y] += sel.size
            self.na += int(na.sum())
            self.zero += int(((q == 0) & ~na).sum())


def _write_baci_flows(writer: _Writer, seed: int, model: TradeModel, special: FlowBlock) -> dict[str, Any]:
    """Stream every flow file: regular series drawn exporter by exporter, merged with the special ones."""
    c, p = model.countries, model.products
    regular = np.setdiff1d(np.arange(p.n), _special_positions(p))
    partners = np.array(
        [((np.maximum(c.first, c.first[e]) <= np.minimum(c.last, c.last[e])).sum() - 1) for e in range(c.n)]
    )
    span = (c.last - c.first + 1) / len(BACI_YEARS)
    budget = max(model.n_series - len(special.i), 0)
    alloc = _allocate(budget, np.exp(c.log_exp) * span, 0.6 * partners * len(regular))
    by_exporter = np.argsort(special.i, kind="stable")
    bounds = np.searchsorted(special.i[by_exporter], np.arange(c.n + 1))
    names = [f"baci/BACI_HS92_Y{year}_{RELEASE}.csv" for year in BACI_YEARS]
    outliers: list[dict] = []
    with contextlib.ExitStack() as stack:
        handles = [stack.enter_context(writer.open(name)) for name in names]
        for handle in handles:
            handle.write(BACI_HEADER)
        stream = _BaciStream(handles, model)
        for e in range(c.n):
            block, found = _regular_exporter(seed, model, e, int(alloc[e]), regular)
            outliers += _outlier_records(block, found, model)
            merged = FlowBlock.concat([block, special.take(by_exporter[bounds[e] : bounds[e + 1]])])
            merged = merged.take(np.lexsort((p.k_int[merged.k], c.baci[merged.j])))
            stream.add(merged)
            if e % 10 == 9 or e == c.n - 1:
                writer.say(f"baci: exporters {e + 1}/{c.n} drawn, {int(stream.counts.sum()):,} flows written")
        stream.flush()
    for name in names:
        writer.say(f"wrote {name}")
    total = int(stream.counts.sum())
    return {
        "n_flows": dict(zip(BACI_YEARS.tolist(), stream.counts.tolist(), strict=True)),
        "n_flows_total": total,
        "na_share": stream.na / max(total, 1),
        "zero_q_rows": stream.zero,
        "regular_outliers": outliers,
    }


def _write_country_codes(writer: _Writer, countries: Countries) -> None:
    lines = ['"country_code","country_name_abbreviation","country_name_full","iso_2digit_alpha","iso_3digit_alpha"']
    for n in range(countries.n):
        fields = [countries.name[n], countries.full[n], countries.iso2[n], countries.iso3[n]]
        lines.append(f"{countries.baci[n]}," + ",".join(_q(f) for f in fields))
    writer.text(f"baci/country_codes_{RELEASE}.csv", lines, "\r\n")


def _write_product_codes(writer: _Writer, products: Products) -> None:
    lines = ['"code","description"'] + [
        f"{_q(c)},{_q(d)}" for c, d in zip(products.code, products.description, strict=True)
    ]
    writer.text(f"baci/product_codes_HS92_{RELEASE}.csv", lines, "\r\n")


def _write_metal_content(writer: _Writer) -> None:
    lines = ["hs6,metal,content_share,basis,source"]
    for hs6, metal, share, basis in METAL_CONTENT:
        lines.append(f"{_q(hs6)},{metal},{share:.6g},{_q(basis)},{_q(SOURCE_TEXT)}")
    writer.text("metal_content/hs_metal_content.csv", lines, "\n")


# ========================================================================================= WDI files
WDI_YEAR_COLUMNS = list(range(1960, 2021))
SDG_SERIES_COLUMNS = [
    "Series Code", "Topic", "Indicator Name", "Short definition", "Long definition", "Unit of measure",
    "Periodicity", "Base Period", "Other notes", "Aggregation method", "Limitations and exceptions",
    "Notes from original source", "General comments", "Source", "Statistical concept and methodology",
    "Development relevance", "Related source links", "Other web links", "Related indicators", "License Type",
]  # fmt: skip
LONG_INDICATORS = [
    ("GC.DEMO.REV", "Demo revenue, excluding grants (% of GDP)", 20.0),
    ("MS.DEMO.MIL", "Demo military expenditure (% of GDP)", 2.0),
    ("IQ.DEMO.PUB", "Demo public sector management rating (1=low to 6=high)", 3.5),
]


def _wdi_cell(value: float) -> str:
    return '""' if not np.isfinite(value) else _q(_g15(value))


def _write_wdi(writer: _Writer, seed: int, countries: Countries, indicators: list[Indicator]) -> list[dict]:
    """Write the wide SDG file, its indicator metadata, the SDG series list and one long-format file."""
    order = sorted(np.flatnonzero(countries.alive), key=lambda n: countries.wb_name[n])
    header = ",".join(_q(h) for h in ["Country Name", "Country Code", "Indicator Name", "Indicator Code"])
    header += "," + ",".join(_q(y) for y in WDI_YEAR_COLUMNS) + ","
    lines = [
        '"Data Source","World Development Indicators",',
        "",
        '"Last Updated Date","2023-01-31",',
        "",
        header,
    ]
    col = {year: n for n, year in enumerate(WDI_VALUE_YEARS)}
    for n in order:
        for ind in sorted(indicators, key=lambda i: i.code):
            cells = [_wdi_cell(ind.values[n, col[y]]) if y in col else '""' for y in WDI_YEAR_COLUMNS]
            head = [countries.wb_name[n], countries.iso3[n], ind.name, ind.code]
            lines.append(",".join(_q(h) for h in head) + "," + ",".join(cells) + ",")
    writer.text("wdi/API_SDG_DS2_en_csv_v2_demo.csv", lines, "\r\n", bom=True)

    meta = ['"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE","SOURCE_ORGANIZATION",']
    for ind in sorted(indicators, key=lambda i: i.code):
        note = f"Synthetic indicator for SDG {ind.goal} ({SDG_GOALS[ind.goal]}), {ind.unit}; {ind.better} is better."
        meta.append(",".join(_q(f) for f in [ind.code, ind.name, note, SOURCE_TEXT]) + ",")
    for code, name, _ in LONG_INDICATORS:
        meta.append(
            ",".join(_q(f) for f in [code, name, "Synthetic indicator of the long-format file.", SOURCE_TEXT]) + ","
        )
    writer.text("wdi/Metadata_Indicator_API_SDG_DS2_en_csv_v2_demo.csv", meta, "\r\n", bom=True)

    series = [",".join(_q(c) for c in SDG_SERIES_COLUMNS) + ","]
    for ind in sorted(indicators, key=lambda i: i.code):
        fields = dict.fromkeys(SDG_SERIES_COLUMNS, "")
        fields.update(
            {
                "Series Code": ind.code,
                "Topic": ind.topic,
                "Indicator Name": ind.name,
                "Long definition": f"Synthetic series of the demo world.\n\nMeasured in {ind.unit}; "
                f"{ind.better} values are better.",
                "Unit of measure": ind.unit,
                "Periodicity": "Annual",
                "Other notes": f"Goal {ind.goal}: {SDG_GOALS[ind.goal]}",
                "Aggregation method": "Weighted average",
                "Source": SOURCE_TEXT,
                "License Type": "CC BY-4.0",
            }
        )
        series.append(",".join(_q(fields[c]) for c in SDG_SERIES_COLUMNS) + ",")
    writer.text("wdi/sdg/SDGSeries.csv", series, "\n", bom=True)
    return _write_wdi_long(writer, seed, countries, order)


def _write_wdi_long(writer: _Writer, seed: int, countries: Countries, order: list[int]) -> list[dict]:
    """Write ``wdi/demo-long-format.csv`` (``average_value_<name>`` columns) with a few extra indicators."""
    rng = _rng(seed, "wdi-long")
    shape = (countries.n, len(WDI_VALUE_YEARS))
    values = []
    for _, _, level in LONG_INDICATORS:
        path = level * np.exp(rng.normal(0, 0.3, shape[0])[:, None] + np.cumsum(rng.normal(0, 0.03, shape), axis=1))
        values.append(np.where(rng.random(shape) < 0.1, np.nan, path))
    header = ["Country Name", "Country Code", "Year"] + [f"average_value_{name}" for _, name, _ in LONG_INDICATORS]
    lines = [",".join(_q(h) for h in header)]
    for n in order:
        for y, year in enumerate(WDI_VALUE_YEARS):
            cells = [_wdi_cell(v[n, y]) for v in values]
            lines.append(",".join([_q(countries.wb_name[n]), _q(countries.iso3[n]), _q(year)] + cells))
    writer.text("wdi/demo-long-format.csv", lines, "\n")
    return [{"code": code, "name": name} for code, name, _ in LONG_INDICATORS]


# ======================================================================================== OWID, WGI
OWID_COLUMNS = (
    "iso_code,country,year,co2,co2_growth_prct,co2_growth_abs,consumption_co2,trade_co2,trade_co2_share,"
    "co2_per_capita,consumption_co2_per_capita,share_global_co2,cumulative_co2,share_global_cumulative_co2,"
    "co2_per_gdp,consumption_co2_per_gdp,co2_per_unit_energy,cement_co2,coal_co2,flaring_co2,gas_co2,oil_co2,"
    "cement_co2_per_capita,coal_co2_per_capita,flaring_co2_per_capita,gas_co2_per_capita,oil_co2_per_capita,"
    "total_ghg,ghg_per_capita,methane,methane_per_capita,nitrous_oxide,nitrous_oxide_per_capita,"
    "primary_energy_consumption,energy_per_capita,energy_per_gdp,population,gdp"
).split(",")


def _owid_row(iso: str, name: str, year: int, pop: float, gdp: float, ghg: float, co2: float, energy: float) -> str:
    cells = dict.fromkeys(OWID_COLUMNS, "")
    cells.update(
        {
            "iso_code": iso,
            "country": name if "," not in name else _q(name),
            "year": str(year),
            "co2": repr(round(co2, 3)),
            "co2_per_capita": repr(round(co2 * 1e6 / pop, 3)),
            "co2_per_gdp": repr(round(co2 * 1e9 / gdp, 3)),
            "total_ghg": repr(round(ghg, 2)),
            "ghg_per_capita": repr(round(ghg * 1e6 / pop, 3)),
            "primary_energy_consumption": repr(round(energy, 3)),
            "energy_per_capita": repr(round(energy * 1e9 / pop, 3)),
            "energy_per_gdp": repr(round(energy * 1e9 / gdp, 3)),
            "population": repr(float(pop)),
            "gdp": repr(float(gdp)),
        }
    )
    return ",".join(cells[c] for c in OWID_COLUMNS)


def _write_owid(writer: _Writer, countries: Countries, macro: Macro) -> dict[str, Any]:
    """Write country rows for the living demo countries plus World and continent aggregates."""
    rows: list[tuple[str, int, str]] = []
    alive = np.flatnonzero(countries.alive)
    groups = [("OWID_WRL", "World", alive)] + [
        ("", REGION_NAMES[r], np.array([n for n in alive if countries.region[n] == r])) for r in sorted(REGION_NAMES)
    ]
    entities = [(countries.iso3[n], countries.owid_name[n], np.array([n])) for n in alive] + groups
    for iso, name, members in entities:
        if len(members) == 0:
            continue
        for y, year in enumerate(OWID_YEARS):
            totals = [float(getattr(macro, a)[members, y].sum()) for a in ("population", "gdp", "ghg", "co2", "energy")]
            rows.append((name, int(year), _owid_row(iso, name, int(year), *totals)))
    rows.sort(key=lambda r: (r[0], r[1]))
    writer.text("owid/owid-co2-data.csv", [",".join(OWID_COLUMNS)] + [r[2] for r in rows], "\n")
    return {
        "aggregates": {"OWID_WRL (World)": "sum of the demo countries", "empty iso_code": "continent sums"},
        "filled_columns": [
            "iso_code",
            "country",
            "year",
            "co2",
            "co2_per_capita",
            "co2_per_gdp",
            "total_ghg",
            "ghg_per_capita",
            "primary_energy_consumption",
            "energy_per_capita",
            "energy_per_gdp",
            "population",
            "gdp",
        ],
    }


def _wgi_name(countries: Countries, n: int) -> str:
    return {"CIV": "Côte d'Ivoire", "CUW": "Curaçao"}.get(countries.iso3[n], countries.wb_name[n])


def _write_wgi(writer: _Writer, countries: Countries, wgi: Wgi) -> None:
    """Write the long WGI file (latin-1, CRLF, NA for missing), ordered by indicator, country, year."""
    lines = ['"","Country/Territory","Code","Year","Estimate","Lower","NumSrc","Rank","StdErr","Upper","Indicator"']
    order = sorted(np.flatnonzero(countries.alive), key=lambda n: _wgi_name(countries, n))
    counter = 0
    for ind, indicator in enumerate(WGI_INDICATORS):
        for n in order:
            code = WGI_CODE_OVERRIDES.get(countries.iso3[n], countries.iso3[n])
            for y, year in enumerate(WGI_YEARS):
                counter += 1
                if wgi.missing[ind, n, y]:
                    numbers = ["NA"] * 6
                else:
                    numbers = [
                        _g15(wgi.estimate[ind, n, y]),
                        _g15(wgi.lower[ind, n, y]),
                        str(wgi.numsrc[ind, n, y]),
                        _g15(wgi.rank[ind, n, y]),
                        _g15(wgi.stderr[ind, n, y]),
                        _g15(wgi.upper[ind, n, y]),
                    ]
                head = [_q(counter), _q(_wgi_name(countries, n)), _q(code), str(year)]
                lines.append(",".join(head + numbers + [_q(indicator)]))
    writer.text("wgi/2020_Worldwide_Governance_Indicators_1996-2019.csv", lines, "\r\n", encoding="latin-1")


# ============================================================================== material flow files
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
    import csv

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


# ========================================================================================== IO table
def _io_sectors(n: int) -> list[tuple[str, str, str]]:
    """Return the first ``n`` sectors of the list (the AI sectors are among the first 24), sorted by code."""
    return sorted(tuple(line.split("|")) for line in _IO_SECTORS.strip().splitlines()[:n])


def _induced_imports(a: np.ndarray, m: np.ndarray, sector: int, unit: float = 0.001) -> np.ndarray:
    """Compute the imports induced by ``unit`` of domestic final demand for ``sector`` (competitive imports).

    x = [I - (I - M)A]^-1 (I - M) f and imports = M (A x + f), with M = diag(m).
    """
    n = len(m)
    f = np.zeros(n)
    f[sector] = unit
    keep = np.eye(n) - np.diag(m)
    x = np.linalg.solve(np.eye(n) - keep @ a, keep @ f)
    return m * (a @ x + f)


def _io_table(seed: int, n: int) -> dict[str, Any]:
    """Build a balanced competitive-import IO table (integer millions of yen) from planted A, m and f."""
    rng = _rng(seed, "io")
    sectors = _io_sectors(n)
    codes = [s[0] for s in sectors]
    service = np.array([int(c[:2]) >= 41 for c in codes])
    mask = (rng.random((n, n)) < 0.45) | np.eye(n, dtype=bool)
    raw = rng.gamma(0.6, 1.0, (n, n)) * mask
    a = raw / raw.sum(axis=0) * rng.uniform(0.3, 0.65, n)
    m = np.where(service, rng.uniform(0, 0.08, n), rng.uniform(0.02, 0.6, n))
    for code, share in zip(IO_AI_SECTORS, [0.55, 0.35, 0.08], strict=True):
        m[codes.index(code)] = share
    total_fd = np.exp(rng.normal(np.log(8000), 1.0, n))
    split = rng.dirichlet([0.3, 5, 1.5, 2], size=n)
    domestic = np.column_stack([total_fd[:, None] * split, total_fd * rng.normal(0, 0.01, n)])
    exports = total_fd * np.where(service, rng.uniform(0, 0.05, n), rng.uniform(0, 0.5, n))
    keep = np.eye(n) - np.diag(m)
    x = np.linalg.solve(np.eye(n) - keep @ a, keep @ domestic.sum(axis=1) + exports)
    z = a * x[None, :]
    imports = m * (z.sum(axis=1) + domestic.sum(axis=1))
    z_m = np.rint(z * 1000).astype(np.int64)
    d_m = np.rint(domestic * 1000).astype(np.int64)
    e_m = np.rint(exports * 1000).astype(np.int64)
    imp_total = np.rint(imports * 1000).astype(np.int64)
    impo = -np.rint(imports * 0.92 * 1000).astype(np.int64)
    imta = -np.rint(imports * 0.03 * 1000).astype(np.int64)
    imtx = -imp_total - impo - imta
    fd = np.column_stack([d_m, e_m, impo, imta, imtx])
    total = z_m.sum(axis=1) + fd.sum(axis=1)
    va_total = total - z_m.sum(axis=0)
    shares = np.column_stack(
        [
            rng.uniform(0.01, 0.04, n),
            rng.uniform(0.35, 0.55, n),
            np.zeros(n),
            rng.uniform(0.1, 0.25, n),
            rng.uniform(0.03, 0.08, n),
            -rng.uniform(0, 0.02, n),
        ]
    )
    va = np.rint(va_total[:, None] * shares).astype(np.int64)
    va[:, 2] = va_total - va.sum(axis=1)
    a_w = z_m / total[None, :]
    m_w = imp_total / (z_m.sum(axis=1) + d_m.sum(axis=1))
    return {
        "sectors": sectors,
        "codes": codes,
        "a": a,
        "m": m,
        "x": x,
        "z": z_m,
        "fd": fd,
        "va": va.T,
        "total": total,
        "a_written": a_w,
        "m_written": m_w,
    }


def _io_truth(table: dict[str, Any]) -> dict[str, Any]:
    codes = table["codes"]
    induced: dict[str, Any] = {}
    for label, a, m in [
        ("true", table["a"], table["m"]),
        ("written", table["a_written"], table["m_written"]),
    ]:
        induced[label] = {}
        for code in IO_AI_SECTORS:
            vector = _induced_imports(a, m, codes.index(code))
            induced[label][code] = {
                "by_sector": dict(zip(codes, vector.tolist(), strict=True)),
                "total": vector.sum(),
            }
    return {
        "file": "io/japan_2015/check_japan_2015_demo_std.xlsx",
        "table_id": IO_TABLE_ID,
        "unit": "10^9 yen (values written with 3 decimals, i.e. to the million yen)",
        "sector_codes": codes,
        "sector_names_ja": [s[1] for s in table["sectors"]],
        "sector_names_en": [s[2] for s in table["sectors"]],
        "ai_sectors": {c: table["sectors"][codes.index(c)][2] for c in IO_AI_SECTORS},
        "A": table["a"],
        "m": table["m"],
        "A_written": table["a_written"],
        "m_written": table["m_written"],
        "x": table["x"],
        "induced_imports": induced,
        "conventions": {
            "final_demand_unit": "f = 0.001 (10^9 yen) = one million yen of domestic final demand for the sector",
            "induced_imports_unit": "10^9 yen",
            "model": "x = [I - (I - M)A]^-1 (I - M) f; imports = M (A x + f); M = diag(m)",
            "m_definition": "m_i = M_i / (sum_j Z_ij + domestic final demand_i); M_i = -(impo + imta + imtx); "
            "domestic final demand = ohcc + hhco + gvco + inve + stck (exports excluded)",
            "A_written": "Z_ij / Total_j from the written table; m_written likewise",
            "balance": "row: sum_j Z_ij + all final-demand columns (imports negative) = Total exactly in "
            "thousandths; column: sum_i Z_ij + value added rows = Total row = Total column",
            "english_names": "sheet Set_data_en (same layout as Set_data)",
        },
    }


def _io_meta_sheet(sheet: Any, n: int) -> None:
    """Fill ``Meta_data``: the table id and the numbers of sectors, value-added and final-demand items."""
    sheet.title = "Meta_data"
    cells = {"A1": IO_TABLE_ID, "A3": "部門数の値", "B4": "value", "A5": "行部門", "B5": n, "A6": "列部門",
             "B6": n, "A7": "付加価値部門", "B7": len(IO_VA), "A8": "最終需要部門", "B8": len(IO_FD)}  # fmt: skip
    for cell, value in cells.items():
        sheet[cell] = value


def _io_set_sheet(sheet: Any, table: dict[str, Any], lang: int) -> None:
    """Fill a ``Set_data`` sheet: code/name pairs of rows, columns, value added, final demand (from row 4)."""
    sheet["A1"] = IO_TABLE_ID if lang == 1 else f"{IO_TABLE_ID} (English names)"
    labels = ["row（行部門）", "col（列部門）", "va（付加価値部門）", "fd（最終需要部門）"]
    for col, label in zip("ADGJ", labels, strict=True):
        sheet[f"{col}3"] = label
    for first_col, items in [(1, table["sectors"]), (4, table["sectors"]), (7, IO_VA), (10, IO_FD)]:
        for r, item in enumerate(items, start=4):
            sheet.cell(r, first_col, item[0])
            sheet.cell(r, first_col + 1, item[lang])


def _io_value_sheet(sheet: Any, table: dict[str, Any]) -> None:
    """Fill ``Value_data``: title, column codes on row 3, sector rows, value-added rows and ``Total``."""
    sheet["A1"] = "産業連関表（10億円）"
    header = table["codes"] + [f[0] for f in IO_FD] + ["Total"]
    for c, code in enumerate(header, start=2):
        sheet.cell(3, c, code)
    body = np.column_stack([table["z"], table["fd"], table["total"]])
    rows = [(code, body[r]) for r, code in enumerate(table["codes"])]
    rows += [(item[0], table["va"][v]) for v, item in enumerate(IO_VA)] + [("Total", table["total"])]
    for r, (code, values) in enumerate(rows, start=4):
        sheet.cell(r, 1, code)
        for c, value in enumerate(values, start=2):
            sheet.cell(r, c, int(value) / 1000)


def _write_io(writer: _Writer, table: dict[str, Any]) -> None:
    """Write the MIC-layout workbook (Meta_data, Set_data, Value_data, Set_data_en), byte-reproducibly."""
    import openpyxl

    wb = openpyxl.Workbook()
    _io_meta_sheet(wb.active, len(table["codes"]))
    _io_set_sheet(wb.create_sheet("Set_data"), table, 1)
    _io_value_sheet(wb.create_sheet("Value_data"), table)
    _io_set_sheet(wb.create_sheet("Set_data_en"), table, 2)
    buffer = io.BytesIO()
    wb.save(buffer)
    writer.bytes("io/japan_2015/check_japan_2015_demo_std.xlsx", _reproducible_zip(buffer.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite an xlsx archive with fixed member timestamps and fixed document dates."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2023-01-01T00:00:00Z", content)
            member = zipfile.ZipInfo(info.filename, date_time=(2023, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, content)
    return out.getvalue()


# ========================================================================================= scenarios
def _write_scenarios(writer: _Writer, seed: int, countries: Countries, macro: Macro) -> dict[str, Any]:
    """Write IAMC-format pathways (SSP2-Baseline, SSP1-2C) for the living demo countries and World."""
    rng = _rng(seed, "scenarios")
    alive = np.flatnonzero(countries.alive)
    rich = np.array([countries.iso3[n] in HIGH_INCOME for n in alive])
    t = SCENARIO_YEARS - 2015
    base = {name: macro.at(name, np.array([2015]))[alive, 0] for name in ("gdp", "population", "ghg")}
    ppp = np.where(rich, 1.0, 1.8) * rng.uniform(0.9, 1.1, len(alive))
    g0 = np.where(rich, 0.018, 0.035) + rng.normal(0, 0.004, len(alive))
    p0 = np.where(rich, 0.002, 0.012) + rng.normal(0, 0.002, len(alive))
    decay = (1 - np.exp(-t / 60.0)) * 60.0
    paths: dict[str, dict[str, np.ndarray]] = {}
    for scenario, g_adj, p_adj in [("SSP2-Baseline", 1.0, 1.0), ("SSP1-2C", 1.1, 0.8)]:
        gdp = base["gdp"][:, None] * ppp[:, None] / 1e9 * np.exp(g_adj * g0[:, None] * decay[None, :])
        pop = base["population"][:, None] / 1e6 * np.exp(p_adj * p0[:, None] * np.minimum(t, 55)[None, :])
        if scenario == "SSP2-Baseline":
            ghg = base["ghg"][:, None] * (gdp / gdp[:, [1]]) ** 0.6 * np.exp(-0.008 * t)[None, :]
        else:
            factor = np.interp(SCENARIO_YEARS, [2010, 2020, 2050, 2070, 2100], [0.97, 1.0, 0.45, 0.2, 0.1])
            ghg = base["ghg"][:, None] * factor[None, :]
        paths[scenario] = {"Emissions|Kyoto Gases": ghg, "GDP|PPP": gdp, "Population": pop}
    units = {
        "Emissions|Kyoto Gases": "Mt CO2-equiv/yr",
        "GDP|PPP": "billion US$2005/yr",
        "Population": "million",
    }
    lines = ["MODEL,SCENARIO,REGION,VARIABLE,UNIT," + ",".join(str(y) for y in SCENARIO_YEARS)]
    regions = [countries.iso3[n] for n in alive]
    for scenario, variables in paths.items():
        for r, region in enumerate(regions + ["World"]):
            for variable, values in variables.items():
                row = values.sum(axis=0) if region == "World" else values[r]
                lines.append(
                    f"DEMO-IAM 1.0,{scenario},{region},{variable},{units[variable]},"
                    + ",".join(f"{v:.10g}" for v in row)
                )
    writer.text("scenarios/demo_scenarios_iamc.csv", lines, "\n")
    return {
        "model": "DEMO-IAM 1.0",
        "scenarios": list(paths),
        "regions": regions + ["World"],
        "world": "sum of the regions",
        "units": units,
    }


# ============================================================================= panel truth, manifest
def _write_panel_dmi(writer: _Writer, countries: Countries, dmi: dict[tuple[str, str], np.ndarray]) -> None:
    """Write ``panel_truth_dmi.csv``: DMI (tonnes of metal) per panel country, year, metal and route."""
    cols = PANEL_YEARS - WDI_VALUE_YEARS[0]
    lines = ["iso3,baci_code,year,metal,route,dmi_t"]
    for n in np.flatnonzero(countries.current):
        for c, year in zip(cols, PANEL_YEARS, strict=True):
            for metal in PANEL_METALS:
                for route in ROUTES:
                    lines.append(
                        f"{countries.iso3[n]},{countries.baci[n]},{year},{metal},{route},"
                        f"{dmi[(metal, route)][n, c]:.12g}"
                    )
    writer.text("panel_truth_dmi.csv", lines, "\n")


def _panel_truth(countries: Countries, indicators: list[Indicator]) -> dict[str, Any]:
    current = np.flatnonzero(countries.current)
    entries, planted, nulls = {}, [], []
    for ind in indicators:
        entries[ind.code] = {
            "name": ind.name,
            "goal": ind.goal,
            "topic": ind.topic,
            "better": ind.better,
            "planted": ind.planted,
            "metal": ind.metal,
            "route": ind.route,
            "beta": ind.beta,
            "gamma": ind.gamma,
            "sigma": ind.sigma,
            "country_fe": {countries.iso3[n]: ind.fe[n] for n in range(countries.n) if countries.alive[n]},
            "fit_on_written": ind.fit,
        }
        (planted if ind.planted else nulls).append({"indicator": ind.code, "metal": ind.metal, "route": ind.route})
    return {
        "years": PANEL_YEARS,
        "countries": [countries.iso3[n] for n in current],
        "metals": PANEL_METALS,
        "routes": ROUTES,
        "dmi_file": "panel_truth_dmi.csv",
        "dmi_definition": {
            "mined": "sum over DE rows (material_flows/DE_met_min_fos_CCC_demo.csv) of the country-year whose "
            "CCC_Code maps to the metal (material_flows.ccc_grades) of value (t ore) x grade",
            "imported": "sum over BACI flows with j = the country's BACI code and t = year of q (tonnes; NA as 0) "
            "x content_share (metal_content/hs_metal_content.csv) for the metal",
            "unit": "tonnes of metal",
        },
        "model": "value[c,t] = country_fe[c] + beta * ln(1 + DMI[metal, route][c,t]) + sum_m gamma[m] * "
        "control[m][c,t] + N(0, sigma^2); values written with 15 significant digits for 2000-2017 with gaps",
        "controls": {
            "log_gdp": "ln(OWID gdp) of the country-year",
            "log_population": "ln(OWID population)",
            "log_primary_energy": "ln(OWID primary_energy_consumption)",
            "wgi_estimate": f"WGI {WGI_CONTROL} Estimate (code as written in the WGI file; see wgi.code_overrides)",
        },
        "indicators": entries,
        "planted": planted,
        "nulls": nulls,
        "null_rule": "indicators with planted=false have beta = 0 for every metal and route; 'nulls' lists one "
        "designated (metal, route) per null indicator",
        "fit_on_written": "within (country FE) OLS on the panel cells written, regressors [x, controls]; "
        "beta_hat/se/t refer to x",
    }


def _write_manifest(writer: _Writer, manifest: dict[str, Any]) -> pathlib.Path:
    text = json.dumps(_jsonable(manifest), sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False)
    writer.bytes("manifest.json", (text + "\n").encode("utf-8"))
    return writer.root / "manifest.json"


# ========================================================================================== generate
def generate(
    out_dir: str | os.PathLike,
    scale: str = "small",
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> pathlib.Path:
    """Write the demo world into out_dir; return the path of out_dir/manifest.json.

    Parameters
    ----------
    out_dir : str or os.PathLike
        Output folder (created if missing).  Files are written as ``.partial-<name>`` and renamed when
        complete; existing files of the same name are replaced.
    scale : str
        A key of :data:`SCALES` (``tiny``, ``small``, ``medium``, ``full``).
    seed : int
        Seed of every random stream; the same seed and scale give byte-identical files.
    progress : callable, optional
        Called with a short message at each file and BACI chunk.

    Returns
    -------
    pathlib.Path
        The manifest path.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    params = dict(SCALES[scale])
    root = pathlib.Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    writer = _Writer(root, progress)
    writer.say(f"demo world: scale={scale} seed={seed} into {root}")

    countries = _countries(seed, params["n_countries"])
    products = _products(seed, params["n_products"])
    macro = _macro(seed, countries)
    wgi = _wgi(seed, countries)
    extraction = _extraction(seed, countries)
    model = _trade_model(seed, countries, products, macro, params)

    mined_2005 = _mined_dmi(extraction, np.array([2005]))
    mined_share = {metal: v[:, 0] / max(v.sum(), 1e-9) for metal, v in mined_2005.items()}
    raw = _special_raw(seed, model, mined_share)
    ridge = _plant_ridge(seed, raw, products, _ridge_regressors(macro, countries))
    special = raw.to_block()
    del raw
    clean_totals = _ridge_totals(special, products)
    special_found = _plant_outliers(_rng(seed, "baci-special-outliers"), special, params["outlier_rate"])
    ridge = _finish_ridge(ridge, clean_totals, _ridge_totals(special, products))

    imported = _imported_dmi(special, products, countries.n)
    dmi = _dmi_tables(extraction, imported, WDI_VALUE_YEARS)
    indicators = _sdg(seed, countries, params["n_indicators"], dmi, _controls(countries, macro, wgi, WDI_VALUE_YEARS))

    _write_country_codes(writer, countries)
    _write_product_codes(writer, products)
    baci = _write_baci_flows(writer, seed, model, special)
    outliers = baci.pop("regular_outliers") + _outlier_records(special, special_found, model)
    outliers.sort(key=lambda o: (o["t"], o["i"], o["j"], o["k"]))
    _write_metal_content(writer)
    long_indicators = _write_wdi(writer, seed, countries, indicators)
    owid = _write_owid(writer, countries, macro)
    _write_wgi(writer, countries, wgi)
    _write_ccc(writer)
    _write_extraction(writer, countries, extraction)
    _write_bgs(writer, countries, _bgs_blocks(countries, extraction, imported, seed))
    io_table = _io_table(seed, params["n_io_sectors"])
    _write_io(writer, io_table)
    scenarios = _write_scenarios(writer, seed, countries, macro)
    _write_panel_dmi(writer, countries, dmi)

    manifest = {
        "generator": {"module": "warehouse.demo_world", "scale": scale, "seed": seed, "release": RELEASE},
        "scales": params,
        "files": sorted(writer.written + ["manifest.json"]),
        "countries": [
            {
                "iso3": countries.iso3[n],
                "baci": countries.baci[n],
                "m49": countries.m49[n],
                "first_year": countries.first[n],
                "last_year": countries.last[n],
                "name": countries.name[n],
            }
            for n in range(countries.n)
        ],
        "baci": {
            **baci,
            "years": BACI_YEARS,
            "countries": countries.baci,
            "n_products": products.n,
            "n_series": model.n_series,
            "outliers": outliers,
            "n_outliers": len(outliers),
            "generation": {
                "outlier_rate": params["outlier_rate"],
                "outlier_rule": "per eligible point with probability outlier_rate, at most one per series; eligible: "
                "q present, not NA, q >= 1 t, strictly between the first and last present years of a series with "
                ">= 7 non-NA years",
                "outlier_factor": "q multiplied by U(8, 30) or by 1/U(10, 30) (equal odds); v unchanged; written q = "
                "round(q * factor, 3) (at least 0.001)",
                "na_share_target": params["na_share"],
                "zero_q_share_target": params["zero_q_share"],
                "gap_probability": model.p_gap,
                "series": "start 1995 with p=0.45 else uniform; end 2017 with p=0.5 else uniform >= start; clipped "
                "to the years both countries exist; interior gaps with gap_probability",
                "values": "lognormal level by exporter/importer/product, series growth N(0.03, 0.05), world trade "
                "cycle, yearly noise sd 0.3 (log); unit value per product x lognormal(0.35) per series",
                "historical": "SCG (891) only 1995-2005; SRB (688) and MNE (499) only 2006-2017",
            },
            "q_format": '"%13.3f" right-aligned in 13 characters, or "           NA"',
        },
        "trade_ridge": ridge,
        "panel": _panel_truth(countries, indicators),
        "io": _io_truth(io_table),
        "metal_content": {
            "file": "metal_content/hs_metal_content.csv",
            "metals": sorted({m for _, m, _, _ in METAL_CONTENT}),
        },
        "material_flows": {
            "ccc_grades": {
                code: {"metal": metal, "grade": grade, "demo_code": demo}
                for code, (_, metal, grade, demo) in CCC_METAL.items()
            },
            "alphanumiso": "ISO3 followed by the zero-padded 3-digit UN M49 code",
            "bgs": "mine production (metal content) = DE ore x grade rounded to whole units; platinum in kg; "
            "refined cobalt/copper from imports of the top-5 importers; lithium synthetic",
        },
        "wdi": {
            "wide_file": "wdi/API_SDG_DS2_en_csv_v2_demo.csv",
            "sdg_goal_field": "Other notes",
            "sdg_goal_format": "Goal N: <goal title> (SDGSeries.csv column 'Other notes'); Topic holds the WB topic",
            "long_format_indicators": long_indicators,
        },
        "wgi": {"code_overrides": WGI_CODE_OVERRIDES, "encoding": "latin-1", "control": WGI_CONTROL},
        "owid": owid,
        "scenarios": scenarios,
    }
    path = _write_manifest(writer, manifest)
    writer.say(f"demo world written: {len(writer.written)} files")
    return path
