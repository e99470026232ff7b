"""The MIC-layout input-output workbook ``io/japan_2015/check_japan_2015_demo_std.xlsx``.

A balanced competitive-import table (integer millions of yen) built from planted technical coefficients,
import shares and final demand over the sectors of ``tables/io_sectors.csv``; the archive is rewritten with
fixed timestamps so it is byte-reproducible.  Plants the import shares of the AI sectors and records the
imports they induce, from the true and from the written coefficients (manifest ``io``).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import numpy as np

from warehouse.demo_world.common import _rng, _table
from warehouse.demo_world.writers import _Writer

# IO sectors (tables/io_sectors.csv): code, Japanese name, English name. The first 24 form the small table.
_IO_SECTORS = [(row["code"], row["name_ja"], row["name_en"]) for row in _table("io_sectors.csv")]

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


def _io_sectors(n: int) -> list[tuple[str, str, str]]:
    """Return the first ``n`` sectors of the list (the AI sectors are among the first 24), sorted by code."""
    return sorted(_IO_SECTORS[:n])


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
