"""The OECD national input-output tables (2023 edition layout): ``io/oecd_iot_2023/oecd_niot_demo.zip``.

A zip of ``domestic_output_imports/<ISO3><year>dom.csv`` files for three countries (JPN, KOR, DEU) in 2015
and 2016, over four of OECD's industries (A01_02, C26, C28, J62_63): rows ``DOM_*`` (domestic use) and
``IMP_*`` (imported use) from planted coefficients ``A^d``, ``A^m`` and output ``x``, ``VALU`` (the rest of
output) and ``OUTPUT``; columns the industries and final demand (HFCE, GFCF, EXPO, TOTAL). The archive has
fixed timestamps, so it is byte-reproducible.

The planted truth (manifest ``oecd_iot``): for each country-year and industry ``k`` the import content
``c_k = s_k + (1 - s_k) 1ᵀ A^m (I - A^d)⁻¹ e_k`` of the written (6-decimal) table, computed here on its own
with numpy; the default build (var oecd_iot_years = [2015]) loads 2015 only.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np

from warehouse.demo_world.common import _rng
from warehouse.demo_world.writers import _Writer

OECD_INDUSTRIES = ["A01_02", "C26", "C28", "J62_63"]
OECD_COUNTRIES = ["DEU", "JPN", "KOR"]
OECD_YEARS = [2015, 2016]
ZIP_PATH = "io/oecd_iot_2023/oecd_niot_demo.zip"


def _country_year(seed: int, iso3: str, year: int) -> tuple[str, dict[str, float]]:
    """Return the CSV text of one country-year and its planted import content by industry."""
    rng = _rng(seed, f"oecd-{iso3}-{year}")
    n = len(OECD_INDUSTRIES)
    x = np.round(rng.uniform(500, 5000, n), 6)
    a_d = rng.uniform(0.02, 0.15, (n, n))
    a_m = rng.uniform(0.0, 0.08, (n, n))
    z_d = np.round(a_d * x[None, :], 6)
    z_m = np.round(a_m * x[None, :], 6)
    hfce_d = np.round(rng.uniform(50, 800, n), 6)
    gfcf_d = np.round(rng.uniform(0, 300, n), 6)
    hfce_m = np.round(hfce_d * rng.uniform(0.05, 0.9, n), 6)
    expo = np.round(rng.uniform(0, 400, n), 6)
    value_added = x - z_d.sum(axis=0) - z_m.sum(axis=0)
    header = ['""', *(f'"{c}"' for c in OECD_INDUSTRIES), '"HFCE"', '"GFCF"', '"EXPO"', '"TOTAL"']
    lines = [",".join(header)]
    for prefix, z, hfce, gfcf, exports in (
        ("DOM", z_d, hfce_d, gfcf_d, expo),
        ("IMP", z_m, hfce_m, 0 * gfcf_d, 0 * expo),
    ):
        for i, code in enumerate(OECD_INDUSTRIES):
            cells = [*z[i], hfce[i], gfcf[i], exports[i], z[i].sum() + hfce[i] + gfcf[i] + exports[i]]
            lines.append(",".join([f'"{prefix}_{code}"', *(f"{v:.6f}" for v in cells)]))
    lines.append(",".join(['"VALU"', *(f"{v:.6f}" for v in value_added), "", "", "", ""]))
    lines.append(",".join(['"OUTPUT"', *(f"{v:.6f}" for v in x), "", "", "", ""]))
    # the truth from the written numbers, by its own route: solve (I - A^d) y = e_k column by column
    written_x = np.array([float(f"{v:.6f}") for v in x])
    ad = np.array([[float(f"{v:.6f}") for v in row] for row in z_d]) / written_x[None, :]
    am = np.array([[float(f"{v:.6f}") for v in row] for row in z_m]) / written_x[None, :]
    domestic_final = hfce_d + gfcf_d
    imported_final = hfce_m
    truth = {}
    for k, code in enumerate(OECD_INDUSTRIES):
        share = imported_final[k] / (domestic_final[k] + imported_final[k])
        y = np.linalg.solve(np.eye(n) - ad, np.eye(n)[:, k])
        truth[code] = float(share + (1 - share) * (am @ y).sum())
    return "\n".join(lines) + "\n", truth


def _write_oecd_iot(writer: _Writer, seed: int) -> dict:
    """Write the zip; return the planted truth (manifest ``oecd_iot``)."""
    buffer = io.BytesIO()
    truth: dict[str, dict[str, dict[str, float]]] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        member = zipfile.ZipInfo("documentation.xlsx", date_time=(2023, 1, 1, 0, 0, 0))
        archive.writestr(member, b"demo: no documentation workbook")
        for iso3 in OECD_COUNTRIES:
            for year in OECD_YEARS:
                text, content = _country_year(seed, iso3, year)
                info = zipfile.ZipInfo(f"domestic_output_imports/{iso3}{year}dom.csv", date_time=(2023, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text)
                truth.setdefault(str(year), {})[iso3] = content
    writer.bytes(ZIP_PATH, buffer.getvalue())
    return {"file": ZIP_PATH, "industries": OECD_INDUSTRIES, "years": OECD_YEARS, "import_content": truth}
