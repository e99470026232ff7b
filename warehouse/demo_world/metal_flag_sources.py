"""The sources of the HS item metal flags, in their official layouts, with the flags they plant.

* ``hs_raw_materials/geopolrisk_rawmaterial_hs_codes.csv``: the raw-material list (a row per raw material,
  its HS code, ``;``-separated additional codes, ``Not Available`` where it has none).
* ``product_composition/babbitt2020_bill_of_materials_long_cleaned.csv``: device bills of materials in
  Babbitt et al.'s long layout (grams per model, component and material class; ``Total mass (g)`` rows).
* ``product_composition/unu_ewaste/htbl_CN_Match_Key.csv``: CN8 → UNU e-waste key per year.

The planted truth (manifest ``metal_flags``): by device bills of materials, the Table 1 items 847120
(CN 84712000 → key 0303, laptops: one model holds a Li-ion battery and a circuit board, the other neither)
contain Al, Cu, Fe, the circuit board's metals (seed ``bdg_bom_material_metals``: Pb, Zn and the critical
Ni, Pd, Cr) and the battery's (the critical Li, Co, Ni; Fe), and 847191 (→ 0302, desktops, with a circuit
board but a battery row of 0 g) Al, Cu, Fe and the board's metals, not Li or Co; 847330 (→ 0301, a key
no device type maps to) gets no device evidence; the Table 1 item 847989 has no evidence from any source
(unknown for every metal); the raw-material list flags Co in 260500 and its additional code 810510, Li in
283691 and 282520, Nd and Dy in 280530 (REE), nothing for coal or for gallium (code "Not Available").
"""

from __future__ import annotations

from warehouse.demo_world.writers import _q, _Writer

RAW_MATERIALS = [
    # Raw Material, Supply Chain Stage, Symbol, HS Code, HS Code - Additional, HS Codes Description
    ("Cobalt", "Processing", "Co", "260500", "810510", "Cobalt ores and concentrates"),
    ("Lithium", "Processing", "Li", "283691", "282520", "Lithium carbonates"),
    ("Rare Earth Elements", "Processing", "REE", "280530", "", "Rare-earth metals, scandium and yttrium"),
    ("Coal", "Extraction", "Coal", "270119", "", "Coal: other"),
    ("Gallium", "", "Ga", "Not Available", "", "Gallium, hafnium, indium …: unwrought"),
]
# device, model, year, component, material, grams
BOMS = [
    ("Laptop", "Demo Book 13 ", "2012", "Battery", "Li-ion battery", 310.0),
    ("Laptop", "Demo Book 13 ", "2012", "Chasis bottom", "Aluminum", 220.5),
    ("Laptop", "Demo Book 13 ", "2012", "Chasis bottom", "Steel", 95.0),
    ("Laptop", "Demo Book 13 ", "2012", "Motherboard", "PCB", 180.0),
    ("Laptop", "Demo Book 13 ", "2012", "Motherboard", "Copper", 12.5),
    ("Laptop", "Demo Book 13 ", "2012", "Motherboard", "Total mass (g)", 192.5),
    ("Laptop", "Demo Book 15", "2014", "Battery", "Li-ion battery", 0.0),
    ("Laptop", "Demo Book 15", "2014", "Display", "Plastic", 400.0),
    ("Traditional desktop", "Demo Tower", "2010", "Casing", "Steel", 4100.0),
    ("Traditional desktop", "Demo Tower", "2010", "Heat sink", "Aluminum", 310.0),
    ("Traditional desktop", "Demo Tower", "2010", "Power supply", "Copper", 140.0),
    ("Traditional desktop", "Demo Tower", "2010", "Motherboard", "PCB", 650.0),
    ("Traditional desktop", "Demo Tower", "2010", "Motherboard", "Li-ion battery", 0.0),
]
# CN8, year, UNU key ("" = no key)
CN_KEYS = [
    ("84712000", 2000, "0303"),
    ("84712000", 2001, "0303"),
    ("84719100", 2000, "0302"),
    ("84733010", 2000, "0301"),
    ("39269099", 2000, ""),
]

PLANTED = {
    # source -> {hs6: metals that source says the item contains}
    # the classes' metals under seed bdg_bom_material_metals: PCB -> Cu, Fe, Al, Pb, Ni, Zn, Pd, Cr;
    # Li-ion battery -> Co, Li, Ni, Fe; Aluminum, Copper, Steel -> Al, Cu, Fe
    "device_bom": {
        "847120": ["Al", "Co", "Cr", "Cu", "Fe", "Li", "Ni", "Pb", "Pd", "Zn"],
        "847191": ["Al", "Cr", "Cu", "Fe", "Ni", "Pb", "Pd", "Zn"],
    },
    "raw_material_list": {
        "260500": ["Co"],
        "810510": ["Co"],
        "283691": ["Li"],
        "282520": ["Li"],
        "280530": ["Dy", "Nd"],
    },
    # CN 84733010 -> key 0301, which no device type maps to: no device_bom evidence for 847330
    "no_device_bom": ["847330"],
    # no source says anything about this Table 1 item: unknown for all 15 metals
    "unknown_all_metals": ["847989"],
    "critical_in_table_1": {"847120": ["Co", "Cr", "Li", "Ni", "Pd"]},
    "absent_chapters": [f"{c:02d}" for c in range(1, 16)],
}


def _write_metal_flag_sources(writer: _Writer) -> dict:
    """Write the three files; return the planted flags (manifest ``metal_flags``)."""
    lines = ["Raw Material,Supply Chain Stage,Symbol,HS Code,HS Code - Additional,HS Codes Description"]
    lines += [",".join([*row[:5], _q(row[5])]) for row in RAW_MATERIALS]
    writer.text("hs_raw_materials/geopolrisk_rawmaterial_hs_codes.csv", lines, "\n")
    lines = ['"","model","year","component","product","material","value"']
    for n, (device, model, year, component, material, grams) in enumerate(BOMS, start=1):
        fields = [_q(n), _q(model), _q(year), _q(component), _q(device), _q(material)]
        lines.append(",".join(fields) + f",{grams:g}")
    writer.text("product_composition/babbitt2020_bill_of_materials_long_cleaned.csv", lines, "\n")
    lines = ['"CN","Year","UNU_Key"'] + [f"{_q(cn)},{_q(year)},{_q(key)}" for cn, year, key in CN_KEYS]
    writer.text("product_composition/unu_ewaste/htbl_CN_Match_Key.csv", lines, "\n")
    return {
        "files": [
            "hs_raw_materials/geopolrisk_rawmaterial_hs_codes.csv",
            "product_composition/babbitt2020_bill_of_materials_long_cleaned.csv",
            "product_composition/unu_ewaste/htbl_CN_Match_Key.csv",
        ],
        **PLANTED,
    }
