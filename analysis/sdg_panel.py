r"""Metals × SDGs panel: country fixed-effects regressions of SDG indicators on metal input, counted.

The model (programme report, methods item 2)
--------------------------------------------
For indicator :math:`i`, metal :math:`m` and source :math:`s` (mined or imported direct material input, DMI),
over the countries :math:`c` and years :math:`t` where every variable is observed,

.. math::

    y_{ict} = \alpha_{ic} + \beta_{ims}\, x_{msct} + \gamma_i' z_{ct} \;[+\ \delta_{it}] + \varepsilon_{ict},
    \qquad x_{msct} = \ln(1 + \mathrm{DMI}_{msct}\,[\mathrm t]),

with country effects :math:`\alpha_{ic}`, optional year effects :math:`\delta_{it}`, and controls
:math:`z_{ct}` = (ln GDP, ln population, ln primary energy, mean WGI estimate).  :math:`\ln(1 + \cdot)` keeps
the country-years without input (zero tonnes) in the panel; for inputs of many tonnes it is
:math:`\ln \mathrm{DMI}` to within :math:`1/\mathrm{DMI}`.

Estimator
---------
:math:`\hat\beta` is the within (fixed-effects) OLS estimate.  By Frisch–Waugh–Lovell it is computed from
:math:`\tilde x` and :math:`\tilde y`, the residuals of :math:`x` and :math:`y` after removing country means
and projecting out the demeaned controls :math:`\dot W` (and demeaned year dummies) on the regression's own
sample:

.. math::

    \tilde v = M\,\dot v, \quad M = I - \dot W(\dot W'\dot W)^{-1}\dot W', \qquad
    \hat\beta = \frac{\tilde x'\tilde y}{\tilde x'\tilde x}, \qquad e = \tilde y - \hat\beta\,\tilde x .

Standard errors are clustered by country (one-way, Liang–Zeger), with the small-sample scale of
``linearmodels.PanelOLS(...).fit(cov_type="clustered", cluster_entity=True)`` (its defaults
``debiased=True``, ``auto_df=True``):

.. math::

    \widehat{\mathrm{Var}}(\hat\beta) = \kappa\,
        \frac{\sum_g \big(\sum_{n \in g} \tilde x_n e_n\big)^2}{(\tilde x'\tilde x)^2},
    \qquad \kappa = \frac{n}{n - k - d},

where :math:`k` is the number of slope coefficients (metal input and controls), :math:`d = 0` with country
effects only (they are nested in the clusters and not counted) and :math:`d = G + T - 1` with year effects
as well (:math:`G` countries, :math:`T` years in the sample).  The :math:`\hat\beta` row of the full
sandwich equals this scalar form, because the :math:`\hat\beta` row of :math:`(X'X)^{-1}X'` is
:math:`\tilde x'/(\tilde x'\tilde x)`.  Two-sided p-values use Student's t with
:math:`n - k - G - (T - 1)\,[\text{year effects}]` degrees of freedom, as linearmodels does.

Many regressions at once: for each indicator the sample is its observed country-years (intersected with
each input series' own coverage); all metal series sharing that sample, and all their permuted copies, are
residualised together with one projection (a matrix product), and the per-country sums
:math:`\sum_{n\in g}\tilde x_n\tilde y_n` and :math:`\sum_{n\in g}\tilde x_n^2` come from
``np.add.reduceat`` over country blocks, so that
:math:`\sum_{n\in g}\tilde x_n e_n = \sum_{n\in g}\tilde x_n\tilde y_n - \hat\beta\sum_{n\in g}\tilde x_n^2`.

Which regressions are run
-------------------------
Every selected indicator against every (metal, source) series.  A regression is skipped (no row) when the
metal input has no variation left after the country effects and controls, or when it varies over time in
fewer than ``min_varying`` countries of the sample (default 5): with one to four such countries the
country-clustered standard errors are far too small (few "treated" clusters), and such series (a metal
mined in a handful of countries) gave p < 1e-6 on indicators with no planted effect in the demo world.

Counting
--------
A coefficient is a *deterioration* when it is significant and its sign points away from the better direction
(:math:`\hat\beta < 0` for "higher is better", :math:`\hat\beta > 0` for "lower is better"), an
*improvement* when significant with the other sign.  Significance is reported three ways: raw
:math:`p < \alpha`, and after Benjamini–Hochberg (FDR) and Holm (FWER) adjustment across all the tests of
the run (``statsmodels.stats.multitest.multipletests``; the permutation null uses
:func:`adjust_pvalues_rows`, the same formulas in numpy, tested equal to statsmodels).

Permutation null: the metal-input series are shuffled between countries (one permutation of the countries
applied to every metal series, so the series keep their joint structure and their time paths), and the whole
set of regressions is re-run; the counts per permutation say how many deteriorations chance alone gives.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

DEFAULT_ALPHA = 0.05
# Cluster-robust SEs need several clusters that carry the regressor's variation; with one to four (a metal
# mined in a handful of countries) they are far too small.  Measured on the small demo world (40
# countries): Nd mined varies in 4 countries, and 3 of its 20 tests on indicators with no planted effect
# reached p < 1e-6.
DEFAULT_MIN_VARYING = 5
CONTROLS = ("log_gdp", "log_population", "log_primary_energy", "wgi_mean_score")
SOURCES = ("mined", "imported")


# ------------------------------------------------------------------------------------------ sign logic
def better_sign(better) -> np.ndarray:
    """Return +1 where higher values are better and -1 where lower values are better.

    Parameters
    ----------
    better : array_like of str
        ``"higher"`` or ``"lower"`` per test.
    """
    values = np.asarray(better, dtype=object)
    bad = ~np.isin(values, ["higher", "lower"])
    if bad.any():
        raise ValueError(f"better must be 'higher' or 'lower', got {sorted(set(values[bad]))}")
    return np.where(values == "higher", 1, -1)


def classify(coef, significant, better) -> tuple[np.ndarray, np.ndarray]:
    r"""Return (deteriorates, improves) flags.

    A significant coefficient deteriorates the indicator when :math:`\operatorname{sign}(\hat\beta)
    \cdot s < 0` with :math:`s = +1` for "higher is better" and :math:`-1` for "lower is better", and
    improves it when the product is positive.  Non-significant or missing coefficients do neither.
    """
    coef = np.asarray(coef, dtype=float)
    significant = np.asarray(significant, dtype=bool) & np.isfinite(coef)
    direction = np.sign(coef) * better_sign(better)
    return significant & (direction < 0), significant & (direction > 0)


def adjust_pvalues(p) -> dict[str, np.ndarray]:
    r"""Return Benjamini–Hochberg and Holm adjusted p-values (NaN where ``p`` is NaN).

    The family is every finite p-value given: :math:`p^{BH}_{(j)} = \min_{l \ge j} \min(1, m p_{(l)}/l)`
    and :math:`p^{Holm}_{(j)} = \max_{l \le j} \min(1, (m - l + 1) p_{(l)})` for the sorted p-values.
    """
    p = np.asarray(p, dtype=float)
    out = {"bh": np.full(p.shape, np.nan), "holm": np.full(p.shape, np.nan)}
    finite = np.isfinite(p)
    if finite.any():
        # imported only with p-values to adjust: about 0.6 s, the whole panel step of a world without any
        from statsmodels.stats.multitest import multipletests

        out["bh"][finite] = multipletests(p[finite], method="fdr_bh")[1]
        out["holm"][finite] = multipletests(p[finite], method="holm")[1]
    return out


def adjust_pvalues_rows(p: np.ndarray) -> dict[str, np.ndarray]:
    r"""Return BH and Holm adjusted p-values of each row of ``p`` (one family per row), in numpy.

    The same numbers as :func:`adjust_pvalues` row by row, without statsmodels' per-call overhead (it runs
    a garbage collection each call, about 0.1 s), for the permutation null.  NaN entries are not in the
    family and stay NaN.  With the finite p-values of a row sorted, :math:`p_{(1)} \le \dots \le p_{(m)}`:
    :math:`p^{BH}_{(j)} = \min_{l \ge j} \min(1, m p_{(l)}/l)` and
    :math:`p^{Holm}_{(j)} = \max_{l \le j} \min(1, (m - l + 1) p_{(l)})`.
    """
    p = np.atleast_2d(np.asarray(p, dtype=float))
    order = np.argsort(np.where(np.isfinite(p), p, np.inf), axis=1, kind="stable")
    sorted_p = np.take_along_axis(p, order, axis=1)
    m = np.isfinite(p).sum(axis=1, keepdims=True)
    rank = np.arange(1, p.shape[1] + 1)[None, :]
    finite = rank <= m
    bh = np.where(finite, np.minimum(1.0, m * sorted_p / rank), np.inf)
    bh = np.minimum.accumulate(bh[:, ::-1], axis=1)[:, ::-1]
    holm = np.where(finite, np.minimum(1.0, (m - rank + 1) * sorted_p), -np.inf)
    holm = np.maximum.accumulate(holm, axis=1)
    out = {}
    for name, values in (("bh", bh), ("holm", holm)):
        back = np.full(p.shape, np.nan)
        np.put_along_axis(back, order, np.where(finite, values, np.nan), axis=1)
        out[name] = back
    return out


# ------------------------------------------------------------------------------------------- the panel
@dataclasses.dataclass
class Panel:
    r"""The panel on a full country × year grid (row ``c * n_years + t``), NaN where unobserved.

    Attributes
    ----------
    countries, years : np.ndarray
        Grid axes (ISO3 codes, calendar years).
    indicators : pd.DataFrame
        One row per indicator: ``indicator_code``, ``goal``, ``better``; row order of ``y``.
    series : pd.DataFrame
        One row per input series: ``metal``, ``source``; row order of ``x``.
    y : np.ndarray
        ``(n_indicators, n_rows)`` indicator values.
    x : np.ndarray
        ``(n_series, n_rows)`` regressors :math:`\ln(1 + \mathrm{DMI})`.
    z : np.ndarray
        ``(n_rows, n_controls)`` controls.
    control_names : tuple of str
    """

    countries: np.ndarray
    years: np.ndarray
    indicators: pd.DataFrame
    series: pd.DataFrame
    y: np.ndarray
    x: np.ndarray
    z: np.ndarray
    control_names: tuple[str, ...]

    @property
    def groups(self) -> np.ndarray:
        """Country index of each grid row."""
        return np.repeat(np.arange(len(self.countries)), len(self.years))

    @property
    def year_index(self) -> np.ndarray:
        """Year index of each grid row."""
        return np.tile(np.arange(len(self.years)), len(self.countries))


def build_panel(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    inputs: pd.DataFrame,
    controls: pd.DataFrame,
    years,
    control_names=CONTROLS,
) -> Panel:
    """Lay long tables out on the country × year grid.

    Parameters
    ----------
    values : pd.DataFrame
        ``indicator_code, iso3, year, value``.
    indicators : pd.DataFrame
        ``indicator_code, goal, better`` (the indicators to regress).
    inputs : pd.DataFrame
        ``iso3, year, metal, source, dmi_t``: metal input in tonnes (0 = none; rows absent = not observed).
    controls : pd.DataFrame
        ``iso3, year`` and the ``control_names`` columns (already in logs where they should be).
    years : sequence of int
        Panel years.
    control_names : sequence of str
        Control columns of ``controls``.
    """
    years = np.asarray(sorted(years), dtype=int)
    everyone = set(controls["iso3"]) | set(values["iso3"]) | set(inputs["iso3"])
    countries = np.asarray(sorted(everyone), dtype=object)
    c_index = pd.Index(countries)
    n_years = len(years)

    def rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        keep = frame["year"].isin(years) & frame["iso3"].isin(countries)
        frame = frame[keep]
        grid_rows = c_index.get_indexer(frame["iso3"]) * n_years + np.searchsorted(years, frame["year"])
        return grid_rows, keep.to_numpy()

    n_rows = len(countries) * n_years
    indicators = indicators.reset_index(drop=True)[["indicator_code", "goal", "better"]]
    y = np.full((len(indicators), n_rows), np.nan)
    r, keep = rows(values)
    i_index = pd.Index(indicators["indicator_code"]).get_indexer(values.loc[keep, "indicator_code"])
    ok = i_index >= 0
    y[i_index[ok], r[ok]] = values.loc[keep, "value"].to_numpy(dtype=float)[ok]

    series = inputs[["metal", "source"]].drop_duplicates().sort_values(["source", "metal"])
    series = series.reset_index(drop=True)
    x = np.full((len(series), n_rows), np.nan)
    r, keep = rows(inputs)
    wanted = pd.MultiIndex.from_frame(inputs.loc[keep, ["metal", "source"]])
    s_index = pd.MultiIndex.from_frame(series).get_indexer(wanted)
    x[s_index, r] = np.log1p(inputs.loc[keep, "dmi_t"].to_numpy(dtype=float))

    z = np.full((n_rows, len(control_names)), np.nan)
    r, keep = rows(controls)
    z[r] = controls.loc[keep, list(control_names)].to_numpy(dtype=float)
    return Panel(countries, years, indicators, series, y, x, z, tuple(control_names))


# ------------------------------------------------------------------------------------ core numerics
def _segments(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start offsets and ids of the contiguous blocks of a sorted group vector."""
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    return starts, groups[starts]


def _demean(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Subtract block means (blocks start at ``starts``) from the rows of ``values`` (n, ...)."""
    counts = np.diff(np.r_[starts, len(values)])
    means = np.add.reduceat(values, starts, axis=0) / counts.reshape((-1,) + (1,) * (values.ndim - 1))
    # One new array, written in place: a fresh temporary per step cost ~4x the arithmetic (page faults).
    out = np.repeat(means, counts, axis=0)
    np.subtract(values, out, out=out)
    return out


def _orth_basis(w: np.ndarray, rtol: float = 1e-10) -> np.ndarray:
    """Orthonormal basis of the column space of ``w`` (columns of zero norm or collinear ones dropped)."""
    if w.shape[1] == 0:
        return w
    u, s, _ = np.linalg.svd(w, full_matrices=False)
    return u[:, s > rtol * max(s[0], 1e-300)]


def within_fwl(
    y: np.ndarray,
    x: np.ndarray,
    z: np.ndarray,
    groups: np.ndarray,
    year_index: np.ndarray | None = None,
    min_varying: int = 2,
) -> dict[str, np.ndarray]:
    r"""Within estimates of the first regressor for one sample: one ``y`` against many ``x`` columns.

    Every regression is :math:`y = \alpha_g + \beta_j x_j + \gamma' z\ [+ \delta_t] + e` on the same rows.

    Parameters
    ----------
    y : np.ndarray
        ``(n,)`` dependent variable, no NaN.
    x : np.ndarray
        ``(n, J)`` candidate regressors, no NaN; one regression per column.
    z : np.ndarray
        ``(n, q)`` controls, no NaN.
    groups : np.ndarray
        ``(n,)`` integer cluster/entity ids, **sorted** (rows grouped by country).
    year_index : np.ndarray, optional
        ``(n,)`` integer year ids: adds year effects (dummies, one dropped) when given.
    min_varying : int
        A column needs at least this many countries in which it varies over time, else no estimate.

    Returns
    -------
    dict
        ``coef, se, t, p, df_resid, n_varying`` arrays of length J, and scalars ``n_obs``, ``n_groups``.
    """
    from scipy import stats

    n = len(y)
    starts, _ = _segments(groups)
    n_groups = len(starts)
    w = z
    n_time_effects = 0
    if year_index is not None:
        present = np.unique(year_index)
        dummies = (year_index[:, None] == present[None, 1:]).astype(float)
        w = np.column_stack([z, dummies])
        n_time_effects = len(present) - 1
    basis = _orth_basis(_demean(w, starts)) if w.shape[1] else np.zeros((n, 0))
    yd = _demean(y.astype(float), starts)
    xd = _demean(x.astype(float), starts)
    y_t = yd - basis @ (basis.T @ yd)
    x_t = xd - basis @ (basis.T @ xd)
    sxx = np.einsum("nj,nj->j", x_t, x_t)
    sxy = x_t.T @ y_t
    with np.errstate(divide="ignore", invalid="ignore"):
        coef = sxy / sxx
        gxy = np.add.reduceat(x_t * y_t[:, None], starts, axis=0)
        gxx = np.add.reduceat(x_t * x_t, starts, axis=0)
        scores = gxy - coef[None, :] * gxx
        k = 1 + basis.shape[1] - n_time_effects  # slope coefficients: x and the controls kept
        effects = (n_groups + n_time_effects) if year_index is not None else 0
        scale = n / (n - k - effects)
        se = np.sqrt(scale * np.einsum("gj,gj->j", scores, scores)) / sxx
        df_resid = n - k - n_groups - n_time_effects
        t = coef / se
    # x without variation left after the fixed effects and controls (e.g. all zeros) has no estimate,
    # nor x that varies over time in fewer than min_varying countries (see estimate()).
    total = np.einsum("nj,nj->j", xd, xd)
    varies = sxx > 1e-12 * np.maximum(total, 1e-300)
    n_varying = (np.add.reduceat(xd * xd, starts, axis=0) > 1e-12 * np.maximum(total, 1e-300)).sum(axis=0)
    degenerate = ~varies | (df_resid <= 0) | (n_groups < 2) | (n_varying < min_varying)
    coef, se, t = (np.where(degenerate, np.nan, a) for a in (coef, se, t))
    p = 2 * stats.t.sf(np.abs(t), max(df_resid, 1))
    return {"coef": coef, "se": se, "t": t, "p": p, "df_resid": np.full(len(coef), df_resid),
            "n_varying": n_varying, "n_obs": n, "n_groups": n_groups}  # fmt: skip


def _permuted_rows(n_countries: int, n_years: int, order: np.ndarray) -> np.ndarray:
    """Grid rows that take country ``order[c]``'s value at country ``c`` (same year)."""
    return (order[:, None] * n_years + np.arange(n_years)[None, :]).ravel()


def _run(panel: Panel, year_effects: bool, permutations: np.ndarray | None, min_varying: int) -> dict[str, np.ndarray]:
    """Estimate every indicator × series (× permutation) regression; arrays shaped (P+1, I, S)."""
    n_perm = 0 if permutations is None else len(permutations)
    n_ind, n_ser = len(panel.y), len(panel.x)
    n_c, n_t = len(panel.countries), len(panel.years)
    shape = (n_perm + 1, n_ind, n_ser)
    out = {name: np.full(shape, np.nan) for name in ("coef", "se", "t", "p")}
    out["n_obs"] = np.zeros((n_ind, n_ser), dtype=int)
    out["n_countries"] = np.zeros((n_ind, n_ser), dtype=int)
    out["n_countries_varying"] = np.zeros((n_ind, n_ser), dtype=int)
    groups, year_index = panel.groups, panel.year_index
    # x of every permutation: (P+1, S, rows); permutation 0 is the identity.
    row_maps = [np.arange(n_c * n_t)] + [
        _permuted_rows(n_c, n_t, order) for order in ([] if permutations is None else permutations)
    ]
    x_all = np.stack([panel.x[:, rows] for rows in row_maps])
    z_ok = np.isfinite(panel.z).all(axis=1)
    for i in range(n_ind):
        base = np.isfinite(panel.y[i]) & z_ok
        if base.sum() < 3:
            continue
        # Group (permutation, series) columns by their own coverage so each sample is projected once.
        flat = (np.isfinite(x_all) & base[None, None, :]).reshape(-1, x_all.shape[-1])
        packed = np.packbits(flat, axis=1)
        patterns: dict[bytes, list[int]] = {}
        for col, key in enumerate(map(bytes, packed)):
            patterns.setdefault(key, []).append(col)
        for members in patterns.values():
            cols = np.asarray(members)
            mask = flat[cols[0]]
            if mask.sum() < 3:
                continue
            perm_idx, ser_idx = np.divmod(cols, n_ser)
            xm = x_all[perm_idx, ser_idx][:, mask].T
            fit = within_fwl(
                panel.y[i, mask],
                xm,
                panel.z[mask],
                groups[mask],
                year_index[mask] if year_effects else None,
                min_varying,
            )
            for name in ("coef", "se", "t", "p"):
                out[name][perm_idx, i, ser_idx] = fit[name]
            identity = perm_idx == 0
            out["n_obs"][i, ser_idx[identity]] = fit["n_obs"]
            out["n_countries"][i, ser_idx[identity]] = fit["n_groups"]
            out["n_countries_varying"][i, ser_idx[identity]] = fit["n_varying"][identity]
    return out


# ------------------------------------------------------------------------------------------- results
def estimate(
    panel: Panel,
    year_effects: bool = False,
    alpha: float = DEFAULT_ALPHA,
    min_varying: int = DEFAULT_MIN_VARYING,
) -> pd.DataFrame:
    r"""Run every indicator × (metal, source) regression and classify the coefficients.

    Returns
    -------
    pd.DataFrame
        One row per regression that could be estimated: ``indicator_code, goal, better, metal, source, coef,
        se, t, p, p_adjusted_bh, p_adjusted_holm, n_obs, n_countries`` and the flags ``deteriorates``,
        ``improves`` (raw :math:`p < \alpha`), ``deteriorates_bh``, ``improves_bh``, ``deteriorates_holm``,
        ``improves_holm``, and ``n_countries_varying`` (countries in which the metal input varies).  The
        adjustment family is all rows returned; regressions skipped by the ``min_varying`` rule are not in
        it.
    """
    res = _run(panel, year_effects, None, min_varying)
    n_ind, n_ser = len(panel.y), len(panel.x)
    ii, ss = np.meshgrid(np.arange(n_ind), np.arange(n_ser), indexing="ij")
    frame = pd.DataFrame(
        {
            "indicator_code": panel.indicators["indicator_code"].to_numpy()[ii.ravel()],
            "goal": panel.indicators["goal"].to_numpy()[ii.ravel()].astype(int),
            "better": panel.indicators["better"].to_numpy()[ii.ravel()],
            "metal": panel.series["metal"].to_numpy()[ss.ravel()],
            "source": panel.series["source"].to_numpy()[ss.ravel()],
            "coef": res["coef"][0].ravel(),
            "se": res["se"][0].ravel(),
            "t": res["t"][0].ravel(),
            "p": res["p"][0].ravel(),
            "n_obs": res["n_obs"].ravel(),
            "n_countries": res["n_countries"].ravel(),
            "n_countries_varying": res["n_countries_varying"].ravel(),
        }
    )
    frame = frame[np.isfinite(frame["p"])].reset_index(drop=True)
    return add_flags(frame, alpha)


def add_flags(frame: pd.DataFrame, alpha: float = DEFAULT_ALPHA) -> pd.DataFrame:
    """Add adjusted p-values and the deterioration/improvement flags to an estimates frame (a copy)."""
    frame = frame.copy()
    adjusted = adjust_pvalues(frame["p"].to_numpy())
    frame["p_adjusted_bh"] = adjusted["bh"]
    frame["p_adjusted_holm"] = adjusted["holm"]
    for suffix, column in (("", "p"), ("_bh", "p_adjusted_bh"), ("_holm", "p_adjusted_holm")):
        worse, better = classify(frame["coef"], frame[column].to_numpy() < alpha, frame["better"])
        frame[f"deteriorates{suffix}"] = worse
        frame[f"improves{suffix}"] = better
    return frame


def permutation_null(
    panel: Panel,
    n_permutations: int = 200,
    seed: int = 20240101,
    year_effects: bool = False,
    alpha: float = DEFAULT_ALPHA,
    chunk: int = 50,
    min_varying: int = DEFAULT_MIN_VARYING,
) -> pd.DataFrame:
    r"""Count deteriorations and improvements when the metal series are shuffled between countries.

    Permutation :math:`p` draws one random order :math:`\pi_p` of the countries
    (``numpy.random.default_rng(seed)``) and gives country :math:`c` the metal-input series of country
    :math:`\pi_p(c)` (all metals and sources, all years); the indicators and controls stay.

    Returns
    -------
    pd.DataFrame
        One row per permutation (``permutation`` 1..P) plus the observed data (``permutation`` 0):
        ``n_tests`` and ``n_deteriorating_{raw,bh,holm}``, ``n_improving_{raw,bh,holm}``.
    """
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(len(panel.countries)) for _ in range(n_permutations)]
    better = panel.indicators["better"].to_numpy()
    rows = []

    sign = better_sign(better)[None, :, None]

    def count(first_id: int, coef: np.ndarray, p: np.ndarray) -> pd.DataFrame:
        # coef, p: (runs, indicators, series); one adjustment family per run.
        flat = p.reshape(len(p), -1)
        adjusted = adjust_pvalues_rows(flat)
        direction = (np.sign(coef) * sign).reshape(len(p), -1)
        record = {"permutation": np.arange(first_id, first_id + len(p)), "n_tests": np.isfinite(flat).sum(1)}
        for name, pv in (("raw", flat), ("bh", adjusted["bh"]), ("holm", adjusted["holm"])):
            significant = np.nan_to_num(pv, nan=1.0) < alpha
            record[f"n_deteriorating_{name}"] = (significant & (direction < 0)).sum(axis=1)
            record[f"n_improving_{name}"] = (significant & (direction > 0)).sum(axis=1)
        return pd.DataFrame(record)

    observed = _run(panel, year_effects, None, min_varying)
    rows.append(count(0, observed["coef"][:1], observed["p"][:1]))
    for start in range(0, n_permutations, chunk):
        block = np.stack(orders[start : start + chunk])
        res = _run(panel, year_effects, block, min_varying)
        rows.append(count(start + 1, res["coef"][1:], res["p"][1:]))
    return pd.concat(rows, ignore_index=True)


# ---------------------------------------------------------------------------------------- summaries
def deterioration_counts(estimates: pd.DataFrame, metal_groups: dict[str, str]) -> pd.DataFrame:
    """Count deteriorating and improving indicators by metal (or metal group), source and goal.

    Rows come at three levels (``level``): ``metal`` (one metal), ``metal_group`` (``critical`` / ``base``)
    and ``all``; each for ``source`` mined, imported and ``all``; each by ``goal`` 1–17 and for all goals
    (``goal`` = 0).  ``n_series`` is the number of (metal, source) input series with at least one test in
    the cell, and ``per_series_*`` = count / ``n_series``: the programme's "average number of
    deteriorating indicators" (e.g. mined input → 10.3) is ``per_series_deteriorating_raw`` of the row
    (level ``all``, source ``mined``, goal 0).

    Parameters
    ----------
    estimates : pd.DataFrame
        Output of :func:`estimate`.
    metal_groups : dict
        Metal symbol → ``critical`` or ``base``.
    """
    frame = estimates.assign(metal_group=estimates["metal"].map(metal_groups).fillna("unknown"))
    flags = [f"{kind}{suffix}" for kind in ("deteriorates", "improves") for suffix in ("", "_bh", "_holm")]
    names = {
        f"{kind}{suffix}": f"n_{noun}_{suffix.strip('_') or 'raw'}"
        for kind, noun in (("deteriorates", "deteriorating"), ("improves", "improving"))
        for suffix in ("", "_bh", "_holm")
    }
    pieces = []
    for level, key in (("metal", "metal"), ("metal_group", "metal_group"), ("all", None)):
        for source_all in (False, True):
            for goal_all in (False, True):
                keys = [k for k in (key, None if source_all else "source", None if goal_all else "goal") if k]
                data = frame.assign(series=frame["metal"] + "|" + frame["source"])
                grouped = data.groupby(keys, dropna=False) if keys else data.groupby(lambda _: 0)
                agg = grouped.agg(
                    n_tests=("p", "size"),
                    n_series=("series", "nunique"),
                    **{names[f]: (f, "sum") for f in flags},
                ).reset_index()
                if not keys:
                    agg = agg.drop(columns="index")
                agg["level"] = level
                agg["group_name"] = agg[key] if key else "all"
                agg["source"] = "all" if source_all else agg["source"]
                agg["goal"] = 0 if goal_all else agg["goal"]
                pieces.append(agg.drop(columns=[c for c in ("metal", "metal_group") if c in agg.columns]))
    out = pd.concat(pieces, ignore_index=True)
    for flag in flags:
        out[f"per_series_{names[flag][2:]}"] = out[names[flag]] / out["n_series"]
    lead = ["level", "group_name", "source", "goal", "n_tests", "n_series"]
    out = out[lead + [c for c in out.columns if c not in lead]]
    out["goal"] = out["goal"].astype(int)
    return out.sort_values(["level", "group_name", "source", "goal"]).reset_index(drop=True)


def summarise_null(null: pd.DataFrame) -> dict[str, float]:
    r"""Observed counts against the permutation distribution: mean, 95th percentile and empirical p.

    The empirical p-value of the observed count :math:`c_0` among :math:`P` permutations is
    :math:`(1 + \#\{p : c_p \ge c_0\}) / (1 + P)`.
    """
    observed = null[null["permutation"] == 0].iloc[0]
    perms = null[null["permutation"] > 0]
    out: dict[str, float] = {"n_permutations": int(len(perms))}
    for name in ("raw", "bh", "holm"):
        column = f"n_deteriorating_{name}"
        out[f"observed_{name}"] = int(observed[column])
        if len(perms):
            out[f"null_mean_{name}"] = float(perms[column].mean())
            out[f"null_p95_{name}"] = float(np.percentile(perms[column], 95))
            exceed = int((perms[column] >= observed[column]).sum())
            out[f"empirical_p_{name}"] = float((1 + exceed) / (1 + len(perms)))
    return out


# ------------------------------------------------------------------------------------- references
def fit_panelols(frame: pd.DataFrame, dependent: str, exog: list[str], year_effects: bool = False) -> dict:
    """Fit with ``linearmodels.PanelOLS`` (country effects, country-clustered SEs): the reference.

    ``frame`` has a (country, year) MultiIndex.  Returns ``params``, ``std_errors``, ``pvalues`` (Series).
    """
    from linearmodels.panel import PanelOLS

    model = PanelOLS(frame[dependent], frame[exog], entity_effects=True, time_effects=year_effects)
    result = model.fit(cov_type="clustered", cluster_entity=True)
    return {"params": result.params, "std_errors": result.std_errors, "pvalues": result.pvalues}
