"""Input–output import models: competitive-import and non-competitive-import Leontief systems.

Pure numerics: numpy arrays in, numpy arrays out.  Notation (Miller & Blair, *Input-Output Analysis*, 2nd ed.,
ch. 2 and 5): ``Z`` intermediate flows (rows: supplying product, columns: using sector), ``x`` output,
``f`` final demand, ``A`` technical coefficients, ``L`` the Leontief inverse, a hat (``x̂``) a diagonal matrix.

The competitive-import model is the one of Japan's MIC tables, where the import of product ``i`` is one
negative final-demand column and the domestic and imported goods share one row.  The non-competitive model
is the one of tables with a separate import-use matrix (WIOD national tables).
"""

from __future__ import annotations

import numpy as np


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Elementwise ``numerator / denominator`` with 0 where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.zeros(np.broadcast(numerator, denominator).shape)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def technical_coefficients(z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Return the technical coefficients ``A = Z x̂⁻¹``.

    .. math:: a_{ij} = z_{ij} / x_j

    Parameters
    ----------
    z : (n, n) array
        Intermediate flows.
    x : (n,) array
        Output of the using sectors (columns).  Columns with ``x_j = 0`` get ``a_ij = 0``.

    Returns
    -------
    (n, n) array
    """
    return _safe_divide(np.asarray(z, dtype=float), np.asarray(x, dtype=float)[None, :])


def commodity_coefficients_industry_technology(
    use: np.ndarray, make: np.ndarray, industry_output: np.ndarray
) -> np.ndarray:
    r"""Return product-by-product coefficients from a rectangular use table and a make table.

    The industry-technology assumption (Eurostat *Manual of Supply, Use and Input-Output Tables* 2008,
    model B; Miller & Blair §5.3): each product is made with the input structure of the industries that
    make it, weighted by their market shares.

    .. math::
        B = U\,\hat g^{-1}, \qquad D = (V \hat q^{-1})^{\top}, \qquad A = B D,

    with ``U`` products × industries (use), ``V`` products × industries (make, the layout of MIC's
    ``V_table_data``: ``v_pk`` is product ``p`` made by industry ``k``), ``g`` industry output and
    ``q = V 1`` product output.  ``D[k, p] = v_pk / q_p`` is industry ``k``'s share of product ``p``.
    A product with ``q_p = 0`` (imported only) gets a zero column.  Because ``D q = V^T 1 = g`` when the make
    table is consistent with ``g``, ``A q = B g = U 1``: the product balance of the use table is kept.

    Parameters
    ----------
    use : (p, k) array
        Intermediate use of products by industries.
    make : (p, k) array
        Make table, products × industries.
    industry_output : (k,) array
        Industry output ``g``.

    Returns
    -------
    (p, p) array
        Product-by-product technical coefficients.
    """
    use = np.asarray(use, dtype=float)
    make = np.asarray(make, dtype=float)
    b = _safe_divide(use, np.asarray(industry_output, dtype=float)[None, :])
    q = make.sum(axis=1)
    d = _safe_divide(make, q[:, None]).T
    return b @ d


def import_coefficients(z: np.ndarray, domestic_final_demand: np.ndarray, imports: np.ndarray) -> np.ndarray:
    r"""Return the competitive-import coefficients (import share of domestic demand of each product).

    .. math:: m_i = M_i \Big/ \Big(\sum_j z_{ij} + f^{d}_i\Big)

    ``f^d`` is domestic final demand (consumption, investment, stocks), exports excluded: exported goods
    are assumed domestically made, so imports only serve domestic use.  Rows with a zero denominator get 0.

    Parameters
    ----------
    z : (n, n) array
        Intermediate flows (domestic and imported goods together, as in a competitive table).
    domestic_final_demand : (n,) array
    imports : (n,) array
        Imports as positive numbers (MIC enters them negative: pass ``-impo``).

    Returns
    -------
    (n,) array
    """
    demand = np.asarray(z, dtype=float).sum(axis=1) + np.asarray(domestic_final_demand, dtype=float)
    return _safe_divide(np.asarray(imports, dtype=float), demand)


def competitive_leontief_inverse(a: np.ndarray, m: np.ndarray) -> np.ndarray:
    r"""Return the domestic Leontief inverse of the competitive-import model.

    .. math:: L^{d} = \big[I - (I - \hat M) A\big]^{-1}

    Parameters
    ----------
    a : (n, n) array
        Technical coefficients.
    m : (n,) array
        Import coefficients.

    Returns
    -------
    (n, n) array
    """
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    return np.linalg.inv(np.eye(n) - (1.0 - np.asarray(m, dtype=float))[:, None] * a)


def competitive_output(a: np.ndarray, m: np.ndarray, f: np.ndarray, exports: np.ndarray | None = None) -> np.ndarray:
    r"""Return domestic output induced by domestic final demand ``f`` (and exports ``e``).

    .. math:: x = \big[I - (I - \hat M) A\big]^{-1} \big[(I - \hat M) f + e\big]

    Parameters
    ----------
    a : (n, n) array
    m : (n,) array
    f : (n,) or (n, k) array
        Domestic final demand (one column per scenario).
    exports : (n,) array, optional
        Exports, met from domestic output only.

    Returns
    -------
    array shaped like ``f``
    """
    f = np.asarray(f, dtype=float)
    m = np.asarray(m, dtype=float)
    keep = (1.0 - m) if f.ndim == 1 else (1.0 - m)[:, None]
    rhs = keep * f
    if exports is not None:
        rhs = rhs + np.asarray(exports, dtype=float)
    a = np.asarray(a, dtype=float)
    return np.linalg.solve(np.eye(a.shape[0]) - (1.0 - m)[:, None] * a, rhs)


def competitive_induced_imports(a: np.ndarray, m: np.ndarray, x: np.ndarray, f: np.ndarray) -> np.ndarray:
    r"""Return imports by product induced by domestic final demand ``f`` and the output ``x`` it induces.

    .. math:: M^{ind} = \hat M (A x + f)

    Parameters
    ----------
    a : (n, n) array
    m : (n,) array
    x : (n,) or (n, k) array
        Output from :func:`competitive_output` (without exports).
    f : array shaped like ``x``

    Returns
    -------
    array shaped like ``x``
    """
    x = np.asarray(x, dtype=float)
    m = np.asarray(m, dtype=float)
    scale = m if x.ndim == 1 else m[:, None]
    return scale * (np.asarray(a, dtype=float) @ x + np.asarray(f, dtype=float))


def noncompetitive_induced_imports(
    a_domestic: np.ndarray, a_imported: np.ndarray, f_domestic: np.ndarray, f_imported: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""Return output and imports by product in the non-competitive-import model.

    .. math::
        x = (I - A^{d})^{-1} f^{d}, \qquad M^{ind} = A^{m} x + f^{m}

    with ``A^d = Z^d x̂⁻¹`` (domestic inputs) and ``A^m = Z^m x̂⁻¹`` (imported inputs, by product of
    origin).  ``f^d`` and ``f^m`` are the domestic and imported parts of final demand.

    Parameters
    ----------
    a_domestic, a_imported : (n, n) arrays
    f_domestic, f_imported : (n,) or (n, k) arrays

    Returns
    -------
    x : array shaped like ``f_domestic``
    imports : array shaped like ``f_domestic``
    """
    a_domestic = np.asarray(a_domestic, dtype=float)
    x = np.linalg.solve(np.eye(a_domestic.shape[0]) - a_domestic, np.asarray(f_domestic, dtype=float))
    return x, np.asarray(a_imported, dtype=float) @ x + np.asarray(f_imported, dtype=float)


def final_demand_import_shares(f_domestic_total: np.ndarray, f_imported_total: np.ndarray) -> np.ndarray:
    """Return the imported share of final demand by product, used to split a demand shock in two.

    .. math:: s_i = f^{m}_i / (f^{d}_i + f^{m}_i)

    A unit demand for product ``i`` is then ``f^d = (1 - s_i)``, ``f^m = s_i``.  Rows with no final demand
    get 0.
    """
    f_domestic_total = np.asarray(f_domestic_total, dtype=float)
    f_imported_total = np.asarray(f_imported_total, dtype=float)
    return _safe_divide(f_imported_total, f_domestic_total + f_imported_total)


def rank_top(values: np.ndarray, labels: list[str] | np.ndarray, k: int = 5) -> list[str]:
    """Return the labels of the ``k`` largest values, largest first; ties broken by label."""
    values = np.asarray(values, dtype=float)
    labels = np.asarray(labels, dtype=object)
    order = np.lexsort((labels.astype(str), -values))
    return [str(label) for label in labels[order][:k]]


# ------------------------------------------------------------------------------------------ table → system
IMPORT_PREFIX = "im"
EXPORT_PREFIX = "exp"
# MIC's deduction columns for customs duties (関税) and commodity taxes on imports (輸入品商品税): the part of
# the import columns that is not the goods' CIF value.
IMPORT_DUTY_TAX_CODES = ("imta", "imtx")


def cif_import_shares(import_columns: np.ndarray, column_codes) -> np.ndarray:
    r"""Return each product's CIF share of its imports valued as MIC's import columns add up.

    .. math:: s_i = \frac{\sum_{c \notin T} M_{ic}}{\sum_c M_{ic}}

    with the import columns ``c`` (codes starting ``im``, negative in MIC tables: the sign cancels) and
    ``T`` the duty and tax columns (:data:`IMPORT_DUTY_TAX_CODES`). Multiplying induced imports valued in
    total (CIF + customs duties + consumption tax on imports) by ``s`` gives them at CIF. A product with
    no imports gets ``s = 1`` (there is nothing to revalue).

    Parameters
    ----------
    import_columns : ndarray, shape (n, k)
        The import columns of the table, one row per product.
    column_codes : sequence of str
        The ``k`` column codes.

    Returns
    -------
    ndarray, shape (n,)
    """
    values = np.asarray(import_columns, dtype=float)
    codes = [str(c) for c in column_codes]
    if values.ndim != 2 or values.shape[1] != len(codes):
        raise ValueError("import_columns must be products x columns, one code per column")
    duty_tax = np.array([c in IMPORT_DUTY_TAX_CODES for c in codes], dtype=bool)
    total = values.sum(axis=1)
    cif = values[:, ~duty_tax].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total != 0, cif / np.where(total != 0, total, 1.0), 1.0)


def make_from_codes(
    row_codes: list[str], col_codes: list[str], product_output: np.ndarray, industry_output: np.ndarray
) -> np.ndarray:
    r"""Return a make table (products × industries) for a MIC basic table from its code structure.

    MIC's basic-table codes nest: a 7-digit product is made by the 6-digit industry whose code is its
    first six digits.  Rule, in order:

    1. the industry ``k = p[:6]`` exists: ``v_pk = q_p``;
    2. otherwise (a product made by several industries, e.g. 0113001 vegetables by 011301 open-field and
       011302 greenhouse): the industries sharing its first five digits that make no product of their own
       by rule 1 (so 4611001 electricity goes to 461101/461102, not to 461103 self-generation, which
       makes 4611031), split by their output,
       ``v_pk = q_p g_k / \sum_{k' \in K(p)} g_{k'}``;
    3. no such industry (imported-only goods, scrap): no row in the make table (``q_p = 0``).

    On Japan's 2015 table this reproduces every industry's output ``g`` to 1e-11; MIC's own
    ``V_table_data`` agrees except for 2623011/2623012, which it credits to 262201 and so leaves industry
    262301 (output 3,345 × 10^9 yen) with no product — the code rule is kept.

    Parameters
    ----------
    row_codes, col_codes : lists of str
    product_output : (p,) array
        ``q`` from the row balance.
    industry_output : (k,) array
        ``g`` (column totals).

    Returns
    -------
    (p, k) array
    """
    col_index = {code: k for k, code in enumerate(col_codes)}
    by_prefix5: dict[str, list[int]] = {}
    for k, code in enumerate(col_codes):
        by_prefix5.setdefault(code[:5], []).append(k)
    industry_output = np.asarray(industry_output, dtype=float)
    make = np.zeros((len(row_codes), len(col_codes)))
    owned = {code[:6] for code in row_codes if code[:6] in col_index}
    for p, code in enumerate(row_codes):
        if code[:6] in col_index:
            make[p, col_index[code[:6]]] = product_output[p]
        elif code[:5] in by_prefix5:
            ks = [k for k in by_prefix5[code[:5]] if col_codes[k] not in owned]
            weights = industry_output[ks]
            if weights.sum() > 0:
                make[p, ks] = product_output[p] * weights / weights.sum()
    return make


class IOSystem:
    """A square product-by-product competitive-import system built from one table.

    Attributes
    ----------
    codes : list of str
        Product codes (the rows of the table), in order.
    a : (n, n) array
        Technical coefficients.
    m : (n,) array
        Import coefficients.
    output : (n,) array
        Domestic output ``q`` (10^9 yen for MIC tables).
    domestic_final_demand, exports, imports : (n,) arrays
        Final demand excluding exports; exports; imports (positive).
    make : (n, k) array
        Make table (products × industries); the identity for a square table.
    industry_codes : list of str
        Industry codes (the columns of the table).
    cif_share : (n,) array
        Each product's CIF share of ``imports`` (:func:`cif_import_shares`; ones when not given).
    """

    def __init__(
        self, codes, industry_codes, a, m, output, domestic_final_demand, exports, imports, make, cif_share=None
    ):
        self.codes = list(codes)
        self.cif_share = np.ones(len(self.codes)) if cif_share is None else np.asarray(cif_share, dtype=float)
        self.industry_codes = list(industry_codes)
        self.a = a
        self.m = m
        self.output = output
        self.domestic_final_demand = domestic_final_demand
        self.exports = exports
        self.imports = imports
        self.make = make

    def industry_demand(self, industry_code: str) -> np.ndarray:
        r"""Return the product vector of one unit of final demand for an industry's output.

        .. math:: f_p = v_{pk} / g_k, \quad g_k = \sum_p v_{pk}

        (the industry's product mix; a unit vector for a square table).
        """
        k = self.industry_codes.index(industry_code)
        column = self.make[:, k]
        total = column.sum()
        if total == 0:
            raise ValueError(f"industry {industry_code} makes no product")
        return column / total


def build_system(cells, row_codes, col_codes, fd_codes, va_codes) -> IOSystem:
    """Build a product-by-product competitive-import system from the long cells of one table.

    Square tables (row codes equal to column codes) are used as they are: ``A = Z q̂⁻¹``.  Rectangular
    tables (MIC basic: 509 products × 391 industries) are made square with the make table of
    :func:`make_from_codes` and ``A = U ĝ⁻¹ (V q̂⁻¹)ᵀ`` (:func:`commodity_coefficients_industry_technology`).

    Final-demand columns are split by code: codes starting ``im`` are imports and import duties (negative
    in MIC tables; their negated sum is ``M``), codes starting ``exp`` exports, the rest domestic final
    demand. ``M`` is valued in total (CIF + customs duties + commodity taxes on imports); the system's
    ``cif_share`` revalues it at CIF.

    Parameters
    ----------
    cells : DataFrame
        ``row_code, col_code, value`` of one table.
    row_codes, col_codes, fd_codes, va_codes : sequences of str
        Product rows, industry columns, final-demand columns and value-added rows, in table order.

    Returns
    -------
    IOSystem
    """
    row_codes = [str(c) for c in row_codes]
    col_codes = [str(c) for c in col_codes]
    fd_codes = [str(c) for c in fd_codes]
    va_codes = [str(c) for c in va_codes]
    value_added = (
        cells[cells["row_code"].isin(va_codes) & cells["col_code"].isin(col_codes)]
        .groupby("col_code")["value"]
        .sum()
        .reindex(col_codes)
        .fillna(0.0)
        .to_numpy(dtype=float)
    )
    wide = cells.pivot_table(index="row_code", columns="col_code", values="value", aggfunc="sum")
    wide = wide.reindex(index=row_codes, columns=col_codes + fd_codes).fillna(0.0)
    use = wide[col_codes].to_numpy(dtype=float)
    fd = wide[fd_codes]
    imports_cols = [c for c in fd_codes if c.startswith(IMPORT_PREFIX)]
    export_cols = [c for c in fd_codes if c.startswith(EXPORT_PREFIX)]
    domestic_cols = [c for c in fd_codes if c not in imports_cols and c not in export_cols]
    imports = -fd[imports_cols].to_numpy(dtype=float).sum(axis=1)
    exports = fd[export_cols].to_numpy(dtype=float).sum(axis=1)
    domestic = fd[domestic_cols].to_numpy(dtype=float).sum(axis=1)
    output = use.sum(axis=1) + domestic + exports - imports
    if row_codes == col_codes:
        make = np.diag(output)
        a = technical_coefficients(use, output)
    else:
        industry_output = use.sum(axis=0) + value_added
        make = make_from_codes(row_codes, col_codes, output, industry_output)
        a = commodity_coefficients_industry_technology(use, make, make.sum(axis=0))
    m = import_coefficients(use, domestic, imports)
    cif_share = cif_import_shares(fd[imports_cols].to_numpy(dtype=float), imports_cols)
    return IOSystem(row_codes, col_codes, a, m, output, domestic, exports, imports, make, cif_share)
