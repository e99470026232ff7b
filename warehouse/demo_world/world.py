"""Assemble the demo world: draw every part in dependency order, plant the truths, write every file.

Countries, products, macro series, WGI and extraction come first; the special BACI series get the ridge
truth and their outliers; DMI and the SDG indicators follow; then every file is written, source by source,
and ``manifest.json`` last, with the truths each module planted (:func:`generate`).
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Callable

import numpy as np

from warehouse.demo_world.baci import _outlier_records, _plant_outliers, _special_raw, _trade_model, _write_baci_flows
from warehouse.demo_world.common import BACI_YEARS, RELEASE, SCALES, WDI_VALUE_YEARS, _rng
from warehouse.demo_world.countries import _countries, _write_country_codes
from warehouse.demo_world.io_table import _io_table, _io_truth, _write_io
from warehouse.demo_world.macro import _macro, _write_owid
from warehouse.demo_world.manifest import _write_manifest
from warehouse.demo_world.material_flows import (
    CCC_METAL,
    _bgs_blocks,
    _extraction,
    _mined_dmi,
    _write_bgs,
    _write_ccc,
    _write_extraction,
)
from warehouse.demo_world.metal_content import METAL_CONTENT, _write_metal_content
from warehouse.demo_world.metal_flag_sources import _write_metal_flag_sources
from warehouse.demo_world.oecd_iot import _write_oecd_iot
from warehouse.demo_world.panel import _controls, _dmi_tables, _imported_dmi, _panel_truth, _write_panel_dmi
from warehouse.demo_world.products import _products, _write_product_codes
from warehouse.demo_world.ridge import _finish_ridge, _plant_ridge, _ridge_regressors, _ridge_totals
from warehouse.demo_world.scenarios import _write_scenarios
from warehouse.demo_world.wdi_sdg import _sdg, _write_wdi
from warehouse.demo_world.wgi import WGI_CODE_OVERRIDES, WGI_CONTROL, _wgi, _write_wgi
from warehouse.demo_world.writers import _Writer


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
    metal_flags = _write_metal_flag_sources(writer)
    long_indicators = _write_wdi(writer, seed, countries, indicators)
    owid = _write_owid(writer, countries, macro)
    _write_wgi(writer, countries, wgi)
    _write_ccc(writer)
    _write_extraction(writer, countries, extraction)
    _write_bgs(writer, countries, _bgs_blocks(countries, extraction, imported, seed))
    io_table = _io_table(seed, params["n_io_sectors"])
    _write_io(writer, io_table)
    oecd_iot = _write_oecd_iot(writer, seed)
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
        "metal_flags": metal_flags,
        "oecd_iot": oecd_iot,
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
