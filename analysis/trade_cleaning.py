r"""Outlier rules for BACI trade-weight series: the reference implementation, one series at a time.

A *series* is one (HS6 commodity, exporter, importer) triple followed over the years; its values are the
reported quantities :math:`q_t` (tonnes), with the trade values :math:`v_t` (thousand USD) used by the
unit-value rule.  The warehouse applies the same rules to every series at once in SQL
(``dbt_project/models/intermediate/trade/``); the two are tested to agree row for row.

The rule of the programme report (methods, item 4), made precise
------------------------------------------------------------------
1. **Usable points.** :math:`q_t` missing (BACI's ``NA``) is never used, flagged or changed.  On the log
   scale (default) a zero quantity has no logarithm: it is not used, flagged or changed either.  On the
   level scale a zero is an ordinary value.  Let :math:`x_t = \ln q_t` (``scale="log"``) or :math:`x_t = q_t`
   (``scale="level"``) for the usable years :math:`U`.
2. **Centred moving average over calendar years.**  With an odd window :math:`w` and half-width
   :math:`h = (w - 1)/2`, :math:`W_t = \{s \in U : |s - t| \le h\}` and :math:`m_t = \bar x_{W_t}`
   (the point itself included; near the ends of a series and around gaps the window simply holds fewer
   points).  Centred rather than trailing so that a linear trend leaves no bias inside the series.
3. **Deviation** :math:`d_t = x_t - m_t` and its **standard deviation over the series**
   :math:`\sigma = \sqrt{\sum_{t \in U} (d_t - \bar d)^2 / (|U| - \delta)}`, by default the
   population SD of the deviations (:math:`\delta` = ``ddof`` = 0).  With the sample SD (ddof = 1) a spike
   in a 7-year series can reach at most :math:`(n-1)/\sqrt n = 2.27` SDs, too close to :math:`k = 2`: on the
   tiny demo world ddof = 1 misses 2 of 37 planted outliers, ddof = 0 none (measured; see
   ``_trade_cleaning_docs.md`` beside the SQL).
4. **Flag** :math:`t` when :math:`|d_t| \ge k\,\sigma` with :math:`k = 2`, :math:`\sigma > 0`, provided
   * the series has at least :math:`w` usable years (shorter series are left as reported), and
   * :math:`t` is neither the first nor the last usable year (edge years cannot be interpolated, so they
     are never flagged; they still enter :math:`m` and :math:`\sigma`).
5. **Replace** each flagged :math:`t` by linear interpolation, on the same scale, between the nearest
   usable unflagged years :math:`a < t < b`:
   :math:`\hat x_t = x_a + (x_b - x_a)(t - a)/(b - a)`, :math:`\hat q_t = e^{\hat x_t}` on the log scale
   (a geometric interpolation) or :math:`\hat x_t` on the level scale.  Anchors always exist because
   the edge years are never flagged.

Why the log scale by default: planted and real errors are multiplicative (a unit slip gives ×10, ×1000),
and trade weights are lognormal; on levels a ×10 spike in a large series and a ÷10 dip are not symmetric
(the dip is at most :math:`q`, hard to tell from noise), while in logs both are :math:`\pm \ln 10`.

Decisions a long real series forces, each a selectable option (the programme's rule is the default)
----------------------------------------------------------------------------------------------------
* ``end_points="skip"`` (default): step 4 as above, the first and last usable years are never flagged, so
  the newest year of the data is never cleaned. ``"one_sided"``: they may be flagged too; their window is
  the one-sided one the truncated centred window already is there (:math:`W_t` holds the point and the
  :math:`h` years on its one side), and a flagged end point is replaced by the nearest usable unflagged
  year's value (flat extrapolation: one anchor only). Either way ``n_end_over`` counts the end points whose
  :math:`|d_t| \ge k\sigma` (in series that are tested at all), so the cost of skipping them is reported.
* ``sd_outliers="include"`` (default): :math:`\sigma` is taken over every usable deviation, the outliers'
  own included (a single large spike inflates it). ``"exclude"``: one more pass, :math:`\sigma'` over the
  deviations of the points the first pass did not flag (same ``ddof``), and the flags are taken again with
  :math:`k\sigma'`; the centres are unchanged.
* ``value_rule="keep"`` (default): the trade value of a corrected weight is left as reported, so its unit
  value :math:`v/q` moves. ``"keep_unit_value"``: the value is scaled with the weight,
  :math:`\hat v_t = v_t \hat q_t / q_t`, so the reported unit value is kept (:func:`clean_value`).

Robust alternatives
-------------------
``rule="hampel"``: :math:`m_t = \operatorname{median}_{W_t} x`, :math:`d_t = x_t - m_t`, and
:math:`\sigma = 1.4826\,\operatorname{median}_t |d_t - \operatorname{median}(d)|` (the MAD of the
deviations over the series, scaled to a normal SD); default :math:`k = 4` (with :math:`k = 3` about 5 % of
the demo world's clean points are flagged, with 4 about 2.7 %, all planted outliers still found).

``rule="unit_value"``: the same Hampel construction on the log unit value :math:`u_t = \ln(v_t / q_t)`
(points need :math:`v_t > 0` and :math:`q_t > 0`); a quantity error moves :math:`u_t` while a genuine
change in trade moves :math:`v` and :math:`q` together.  Default :math:`k = 5` (1.2 % of clean points flagged
on the demo world, every planted outlier found).  Flagged quantities are
replaced as in step 5 (interpolation of :math:`x`; on the level scale the zeros are then also anchors).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RULES = ("ma_sd", "hampel", "unit_value")
SCALES = ("log", "level")
DEFAULT_WINDOW = 5
DEFAULT_SCALE = "log"
DEFAULT_RULE = "ma_sd"
DEFAULT_K = {"ma_sd": 2.0, "hampel": 4.0, "unit_value": 5.0}
DEFAULT_DDOF = 0
END_POINTS = ("skip", "one_sided")
SD_OUTLIERS = ("include", "exclude")
VALUE_RULES = ("keep", "keep_unit_value")
# Consistency constant of the MAD for normal data: 1 / Phi^{-1}(3/4).
MAD_TO_SD = 1.4826


def _median(values: np.ndarray) -> float:
    return float(np.median(values)) if values.size else float("nan")


def clean_series(
    years,
    quantity,
    value=None,
    *,
    rule: str = DEFAULT_RULE,
    window: int = DEFAULT_WINDOW,
    k: float | None = None,
    scale: str = DEFAULT_SCALE,
    ddof: int = DEFAULT_DDOF,
    end_points: str = "skip",
    sd_outliers: str = "include",
) -> pd.DataFrame:
    r"""Flag and replace outlying trade weights of one series.

    Parameters
    ----------
    years
        Distinct calendar years of the series' rows (any order; gaps allowed).
    quantity
        Reported quantity :math:`q_t` in tonnes; NaN for BACI's ``NA``.
    value
        Trade value :math:`v_t` (thousand USD); needed only by ``rule="unit_value"``.
    rule
        ``"ma_sd"`` (the report's rule, default), ``"hampel"`` or ``"unit_value"``.
    window
        Odd window length in calendar years, at least 3 (default 5: the year and two on each side).
    k
        Threshold in units of the series' scale statistic (default 2 for ``ma_sd``, 4 for ``hampel``,
        5 for ``unit_value``).
    scale
        ``"log"`` (default) or ``"level"``: the scale of :math:`x_t` (and of the interpolation).
    ddof
        Delta degrees of freedom of the SD of the ``ma_sd`` rule: 0 (population, default) or 1 (sample).
    end_points
        ``"skip"`` (default: first and last usable years never flagged) or ``"one_sided"`` (``ma_sd`` only).
    sd_outliers
        ``"include"`` (default: the SD over every deviation) or ``"exclude"`` (``ma_sd`` only: a second pass
        with the SD of the deviations the first pass did not flag).

    Returns
    -------
    pandas.DataFrame
        One row per input year, sorted by year, with ``year``, ``quantity_t_reported``, ``is_usable``,
        ``x`` (the value the rule tests: :math:`x_t`, or :math:`u_t` for ``unit_value``), ``centre``
        (:math:`m_t`), ``deviation`` (:math:`d_t`), ``scale_stat`` (:math:`\sigma`), ``threshold``
        (:math:`k\sigma`), ``n_usable``, ``is_outlier``, ``quantity_t`` (cleaned: every flagged point is
        replaced by interpolation, so it differs from ``quantity_t_reported`` only where ``is_outlier``) and
        ``n_end_over`` (end points of the series at or over the threshold, flagged or not).
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, not {rule!r}")
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, not {scale!r}")
    if ddof not in (0, 1):
        raise ValueError("ddof must be 0 or 1")
    if window < 3 or window % 2 == 0:
        raise ValueError("window must be an odd integer >= 3")
    if end_points not in END_POINTS:
        raise ValueError(f"end_points must be one of {END_POINTS}, not {end_points!r}")
    if sd_outliers not in SD_OUTLIERS:
        raise ValueError(f"sd_outliers must be one of {SD_OUTLIERS}, not {sd_outliers!r}")
    if rule != "ma_sd" and (end_points, sd_outliers) != ("skip", "include"):
        raise ValueError("end_points and sd_outliers options apply to rule 'ma_sd' only")
    k = DEFAULT_K[rule] if k is None else float(k)
    years = np.asarray(years, dtype=np.int64)
    q = np.asarray(quantity, dtype=float)
    if len(np.unique(years)) != len(years):
        raise ValueError("years must be distinct")
    order = np.argsort(years, kind="stable")
    years, q = years[order], q[order]
    v = None if value is None else np.asarray(value, dtype=float)[order]
    if rule == "unit_value" and v is None:
        raise ValueError("rule='unit_value' needs the trade values")

    # Step 1: which points the quantity scale can use (also the interpolation anchors).
    with np.errstate(divide="ignore", invalid="ignore"):
        q_usable = ~np.isnan(q) & ((q > 0) if scale == "log" else (q >= 0))
        x_q = np.where(q_usable, np.log(q) if scale == "log" else q, np.nan)
        if rule == "unit_value":
            tested = ~np.isnan(q) & (q > 0) & ~np.isnan(v) & (v > 0)
            x = np.where(tested, np.log(v / q), np.nan)
        else:
            tested, x = q_usable, x_q

    n = len(years)
    h = (window - 1) // 2
    centre = np.full(n, np.nan)
    for t in np.flatnonzero(tested):
        in_window = tested & (np.abs(years - years[t]) <= h)
        centre[t] = x[in_window].mean() if rule == "ma_sd" else _median(x[in_window])
    deviation = x - centre
    d = deviation[tested]
    n_usable = int(tested.sum())
    if rule == "ma_sd":
        scale_stat = float(np.std(d, ddof=ddof)) if d.size > ddof else float("nan")
    else:
        scale_stat = MAD_TO_SD * _median(np.abs(d - _median(d))) if d.size else float("nan")

    # Step 4: flags, at the first/last tested year only with end_points="one_sided", never in series
    # shorter than the window.
    idx = np.flatnonzero(tested)
    ends = np.zeros(n, dtype=bool)
    ends[idx[[0, -1]] if idx.size else []] = True
    allowed = np.ones(n, dtype=bool) if end_points == "one_sided" else ~ends

    def over(stat: float) -> np.ndarray:
        if n_usable >= window and stat > 0:
            return tested & (np.abs(np.nan_to_num(deviation, nan=0.0)) >= k * stat)
        return np.zeros(n, dtype=bool)

    is_over = over(scale_stat)
    if sd_outliers == "exclude":
        kept = d[~(is_over & allowed)[tested]]
        scale_stat = float(np.std(kept, ddof=ddof)) if kept.size > ddof else float("nan")
        is_over = over(scale_stat)
    threshold = k * scale_stat
    is_outlier = is_over & allowed
    n_end_over = int((is_over & ends).sum())

    # Step 5: interpolate between the nearest usable, unflagged years (one anchor at a flagged end point:
    # its value is carried).
    anchor = q_usable & ~is_outlier
    cleaned = q.copy()
    for t in np.flatnonzero(is_outlier):
        before = np.flatnonzero(anchor & (years < years[t]))
        after = np.flatnonzero(anchor & (years > years[t]))
        if before.size and after.size:
            a, b = before[-1], after[0]
            x_hat = x_q[a] + (x_q[b] - x_q[a]) * (years[t] - years[a]) / (years[b] - years[a])
        elif before.size or after.size:
            x_hat = x_q[before[-1]] if before.size else x_q[after[0]]
        else:
            continue  # no anchor at all: left as reported
        cleaned[t] = np.exp(x_hat) if scale == "log" else x_hat

    return pd.DataFrame(
        {
            "year": years,
            "quantity_t_reported": q,
            "is_usable": tested,
            "x": x,
            "centre": centre,
            "deviation": deviation,
            "scale_stat": np.where(tested, scale_stat, np.nan),
            "threshold": np.where(tested, threshold, np.nan),
            "n_usable": n_usable,
            "is_outlier": is_outlier,
            "quantity_t": cleaned,
            "n_end_over": n_end_over,
        }
    )


def clean_value(value, quantity_reported, quantity_cleaned, value_rule: str = "keep") -> np.ndarray:
    r"""Return the trade values that go with cleaned weights.

    ``"keep"`` (the programme's rule, default) returns :math:`v_t` as reported; ``"keep_unit_value"``
    returns :math:`v_t \hat q_t / q_t` where the weight was changed and both weights are positive (the
    reported unit value is kept), else :math:`v_t`.
    """
    if value_rule not in VALUE_RULES:
        raise ValueError(f"value_rule must be one of {VALUE_RULES}, not {value_rule!r}")
    v = np.asarray(value, dtype=float)
    if value_rule == "keep":
        return v.copy()
    q, q_hat = np.asarray(quantity_reported, dtype=float), np.asarray(quantity_cleaned, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = v * q_hat / q
    changed = (q > 0) & (q_hat > 0) & (q_hat != q)
    return np.where(changed, scaled, v)


def compare_with_reference(cleaned: pd.DataFrame, **ma_sd_options) -> tuple[int, float, int]:
    """Re-clean every series of ``cleaned`` with :func:`clean_series` and count the disagreements.

    ``ma_sd_options`` (``ddof``, ``end_points``, ``sd_outliers``) are passed on for series of the ``ma_sd`` rule.

    Parameters
    ----------
    cleaned
        Cleaned flows as the warehouse holds them (``int_trade_flows_cleaned``), sorted by series and year:
        ``hs6, exporter_code, importer_code, year, quantity_t_reported, value_kusd, quantity_t,
        is_outlier`` and the rule's parameters ``cleaning_rule, window_years, threshold_k, cleaning_scale``.

    Returns
    -------
    tuple
        ``(mismatches, max_rel_diff, n_series)``: flags that differ plus series whose cleaned quantity is
        missing on one side only; the largest :math:`|q_{sql} - q_{ref}| / |q_{ref}|`; series compared.
    """
    mismatches, max_rel_diff, n_series = 0, 0.0, 0
    for _, series in cleaned.groupby(["hs6", "exporter_code", "importer_code"], sort=False):
        params = series.iloc[0]
        ref = clean_series(
            series["year"].to_numpy(),
            series["quantity_t_reported"].to_numpy(dtype=float),
            series["value_kusd"].to_numpy(dtype=float),
            rule=params["cleaning_rule"],
            window=int(params["window_years"]),
            k=float(params["threshold_k"]),
            scale=params["cleaning_scale"],
            **(ma_sd_options if params["cleaning_rule"] == "ma_sd" else {}),
        )
        mismatches += int((ref["is_outlier"].to_numpy() != series["is_outlier"].to_numpy()).sum())
        ours, theirs = series["quantity_t"].to_numpy(dtype=float), ref["quantity_t"].to_numpy(dtype=float)
        if (np.isnan(ours) != np.isnan(theirs)).any():
            mismatches += 1
        both = ~np.isnan(ours) & ~np.isnan(theirs)
        if both.any():
            rel = np.abs(ours[both] - theirs[both]) / np.maximum(np.abs(theirs[both]), 1e-300)
            max_rel_diff = max(max_rel_diff, float(rel.max()))
        n_series += 1
    return mismatches, max_rel_diff, n_series
