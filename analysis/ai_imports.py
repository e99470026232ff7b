"""Induced imports of the AI-related sectors: :mod:`analysis.leontief` applied to whole IO tables.

Numbers in, numbers out; the assets in ``orchestration/input_output.py`` read and write.

* :func:`induced_imports_frame`: the competitive-import model on each table that holds the three AI
  industries, per unit of final demand for each of them (Table 1 before the split into HS items).
* :func:`niot_matrices` and :func:`wiod_comparison_frame`: a WIOD national table (domestic and imported
  use apart) as matrices, and its induced imports under the competitive and the non-competitive model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import leontief

# WIOD national tables: final-demand columns, in the order of the file.
FINAL_DEMAND = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN", "EXP"]


def induced_imports_frame(cells, sectors, ai_sectors):
    """Return competitive-model induced imports by product for each AI sector of each table.

    Parameters
    ----------
    cells : DataFrame
        ``table_id, row_code, col_code, value`` (staging cells).
    sectors : DataFrame
        ``table_id, set_name, sector_code, sector_name``.
    ai_sectors : DataFrame
        ``sector_key, industry_code``.

    Returns
    -------
    DataFrame
        ``table_id, sector_key, industry_code, product_code, product_name, final_demand_share,
        induced_import_yen_per_yen`` — imports of the product induced by one unit of final demand for the
        sector, in the table's money per the same money (yen per yen for Japan's tables: the model is
        linear, so the figure is also million yen per million yen); ``final_demand_share`` is the part of
        that unit demand falling on the product (the industry's product mix; 1 for its own product in a
        square table). ``induced_import_yen_per_yen`` is valued as MIC's import columns add up (total: CIF
        plus customs duties and commodity taxes on imports); ``cif_share_of_imports`` is the product's CIF
        share of them and ``induced_import_cif_yen_per_yen`` the induced imports at CIF (their product).
    """
    out = []
    for table_id, table_sectors in sectors.groupby("table_id"):
        cols = set(table_sectors.loc[table_sectors["set_name"] == "col", "sector_code"])
        wanted = ai_sectors[ai_sectors["industry_code"].isin(cols)]
        if len(wanted) < len(ai_sectors):
            continue

        def codes(name, frame=table_sectors):
            return frame.loc[frame["set_name"] == name, "sector_code"].tolist()

        system = leontief.build_system(
            cells[cells["table_id"] == table_id], codes("row"), codes("col"), codes("fd"), codes("va")
        )
        row_sectors = table_sectors[table_sectors["set_name"] == "row"]
        names = dict(zip(row_sectors["sector_code"], row_sectors["sector_name"], strict=True))
        for key, industry in zip(wanted["sector_key"], wanted["industry_code"], strict=True):
            f = system.industry_demand(industry)
            x = leontief.competitive_output(system.a, system.m, f)
            induced = leontief.competitive_induced_imports(system.a, system.m, x, f)
            keep = np.flatnonzero(induced != 0)
            out.append(
                pd.DataFrame(
                    {
                        "table_id": table_id,
                        "sector_key": key,
                        "industry_code": industry,
                        "product_code": [system.codes[i] for i in keep],
                        "product_name": [names.get(system.codes[i]) for i in keep],
                        "final_demand_share": f[keep],
                        "induced_import_yen_per_yen": induced[keep],
                        "cif_share_of_imports": system.cif_share[keep],
                        "induced_import_cif_yen_per_yen": induced[keep] * system.cif_share[keep],
                    }
                )
            )
    columns = [
        "table_id",
        "sector_key",
        "industry_code",
        "product_code",
        "product_name",
        "final_demand_share",
        "induced_import_yen_per_yen",
        "cif_share_of_imports",
        "induced_import_cif_yen_per_yen",
    ]
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=columns)


def wiod_comparison_frame(cells, ai_sectors, year: int):
    """Return induced imports by WIOD sector, competitive vs non-competitive model, for the AI sectors.

    The non-competitive model uses the table's import-use matrix; the competitive one collapses it into
    one row per product (``Z = Z^d + Z^m``, ``M_i`` = imported use plus imported final demand) and uses
    ``m_i = M_i / (Σ_j Z_ij + f^d_i)``. The unit demand for sector ``k`` is split into domestic and imported
    parts by the imported share of domestic final demand of ``k`` (non-competitive model only).

    Returns
    -------
    DataFrame
        ``sector_key, model, wiod_sector, induced_import_usd_per_usd``: WIOD tables are in million US
        dollars, so the imports induced by one unit of final demand are US dollars per US dollar.
    """
    if cells.empty or year not in set(cells["year"]):
        return pd.DataFrame(columns=["sector_key", "model", "wiod_sector", "induced_import_usd_per_usd"])
    mat = niot_matrices(cells, year)
    codes = mat["codes"]
    domestic_fd = [FINAL_DEMAND.index(c) for c in FINAL_DEMAND if c != "EXP"]
    x = mat["output"]
    a_d = leontief.technical_coefficients(mat["z_domestic"], x)
    a_m = leontief.technical_coefficients(mat["z_imported"], x)
    fd_d = mat["f_domestic"][:, domestic_fd].sum(axis=1)
    fd_m = mat["f_imported"][:, domestic_fd].sum(axis=1)
    share = leontief.final_demand_import_shares(fd_d, fd_m)
    z = mat["z_domestic"] + mat["z_imported"]
    imports = mat["z_imported"].sum(axis=1) + mat["f_imported"].sum(axis=1)
    a = leontief.technical_coefficients(z, x)
    m = leontief.import_coefficients(z, fd_d + fd_m, imports)
    rows = []
    for key, wiod_sector in zip(ai_sectors["sector_key"], ai_sectors["wiod_sector"], strict=True):
        k = codes.index(wiod_sector)
        f = np.zeros(len(codes))
        f[k] = 1.0
        _, noncomp = leontief.noncompetitive_induced_imports(a_d, a_m, f * (1 - share[k]), f * share[k])
        comp = leontief.competitive_induced_imports(a, m, leontief.competitive_output(a, m, f), f)
        for model, vector in (("noncompetitive", noncomp), ("competitive", comp)):
            rows.append(
                pd.DataFrame(
                    {"sector_key": key, "model": model, "wiod_sector": codes, "induced_import_usd_per_usd": vector}
                )
            )
    return pd.concat(rows, ignore_index=True)


def niot_matrices(cells: pd.DataFrame, year: int) -> dict:
    """Return the matrices of one year of a NIOT read by :func:`read_wiod_niot`.

    Returns
    -------
    dict
        ``codes`` (56 industries), ``z_domestic``, ``z_imported`` (56 × 56), ``f_domestic``, ``f_imported``
        (56 × 6, columns :data:`FINAL_DEMAND`), ``output`` (56, the GO column of the domestic rows).
    """
    one = cells[cells["year"] == year]
    codes = list(dict.fromkeys(one.loc[one["origin"] == "Domestic", "row_code"]))
    out = {"codes": codes}
    for origin, key in (("Domestic", "domestic"), ("Imports", "imported")):
        wide = (
            one[one["origin"] == origin]
            .pivot_table(index="row_code", columns="col_code", values="value_musd", aggfunc="sum")
            .reindex(index=codes, columns=codes + FINAL_DEMAND + ["GO"])
            .fillna(0.0)
        )
        out[f"z_{key}"] = wide[codes].to_numpy()
        out[f"f_{key}"] = wide[FINAL_DEMAND].to_numpy()
        if origin == "Domestic":
            out["output"] = wide["GO"].to_numpy()
    return out


# ------------------------------------------------------------------------------------ OECD IOT (2023 ed.)
OECD_DOMESTIC_FINAL_DEMAND = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT")


def oecd_import_content(cells, industries):
    r"""Return the import content of a unit of final demand for each industry, from one OECD national table.

    The non-competitive model (:func:`analysis.leontief.noncompetitive_induced_imports`) on the table's
    domestic (``DOM_*``) and imported (``IMP_*``) use: ``A^d = Z^d x̂⁻¹``, ``A^m = Z^m x̂⁻¹`` with ``x`` the
    ``OUTPUT`` row. A unit of final demand for industry ``k``'s products is split into its imported share
    ``s_k`` (imported over all domestic final use HFCE, NPISH, GGFC, GFCF, INVNT of ``k``'s products) and
    the domestic rest, so

    .. math:: c_k = s_k + (1 - s_k)\, \mathbf{1}^\top A^m (I - A^d)^{-1} e_k

    Parameters
    ----------
    cells : DataFrame
        ``row_code, col_code, value`` of one country-year (million USD).
    industries : sequence of str
        Industry codes to report (e.g. ``C26``).

    Returns
    -------
    DataFrame
        ``industry, imported_final_demand_share, intermediate_import_content_usd_per_usd,
        import_content_usd_per_usd``; imports per unit of final demand, US dollars per US dollar.
    """
    wide = cells.pivot_table(index="row_code", columns="col_code", values="value", aggfunc="sum").fillna(0.0)
    codes = [r[4:] for r in wide.index if r.startswith("DOM_")]
    missing = [k for k in industries if k not in codes]
    if missing:
        raise ValueError(f"industries not in the table: {missing}")
    z_d = wide.reindex(index=[f"DOM_{c}" for c in codes], columns=codes).fillna(0.0).to_numpy(dtype=float)
    z_m = wide.reindex(index=[f"IMP_{c}" for c in codes], columns=codes).fillna(0.0).to_numpy(dtype=float)
    x = wide.reindex(index=["OUTPUT"], columns=codes).fillna(0.0).to_numpy(dtype=float)[0]
    final = [c for c in OECD_DOMESTIC_FINAL_DEMAND if c in wide.columns]
    f_d = wide.reindex(index=[f"DOM_{c}" for c in codes], columns=final).fillna(0.0).to_numpy().sum(axis=1)
    f_m = wide.reindex(index=[f"IMP_{c}" for c in codes], columns=final).fillna(0.0).to_numpy().sum(axis=1)
    a_d = leontief.technical_coefficients(z_d, x)
    a_m = leontief.technical_coefficients(z_m, x)
    share = leontief.final_demand_import_shares(f_d, f_m)
    rows = []
    for industry in industries:
        k = codes.index(industry)
        unit = np.zeros(len(codes))
        unit[k] = 1.0
        _, induced = leontief.noncompetitive_induced_imports(a_d, a_m, unit * (1 - share[k]), unit * share[k])
        intermediate = float(induced.sum() - share[k])
        rows.append((industry, float(share[k]), intermediate, float(induced.sum())))
    return pd.DataFrame(
        rows,
        columns=[
            "industry",
            "imported_final_demand_share",
            "intermediate_import_content_usd_per_usd",
            "import_content_usd_per_usd",
        ],
    )
