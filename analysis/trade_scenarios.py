r"""Ridge forecasts of world trade weight per commodity from GHG, GHG/GDP and GHG/population (Figure 2).

The model of the programme report (methods, item 4), made precise
-------------------------------------------------------------------
For one HS6 commodity :math:`k`, the cleaned world trade weight :math:`y_t` (tonnes, the sum over all
exporter-importer pairs) is regressed on three world regressors :math:`x_t = (G_t, G_t/Y_t, G_t/P_t)`:
world GHG emissions :math:`G` (Mt CO2e), GHG per unit of GDP (Mt CO2e per billion international $) and
GHG per person (t CO2e), each the sum (or ratio of sums) over the same panel of countries.

*Why world level.*  The report projects *world* trade weight (図 2: 世界貿易量) and its regressors are the
countries' emissions, intensities and per-capita emissions.  With one world series per commodity the
regressors are the world aggregates of those country variables; an importer-level pooled panel would mostly
fit the cross-section (large economies import more), a different relation from the change over time that
a scenario projection needs, and it would need a country split of every future pathway for all three
regressors.  The country detail enters through the aggregation: future world regressors are sums of
harmonised (and, for GHG, downscaled) country pathways (``int_scenario_country_pathways``).

Standardisation uses the training rows only: :math:`z_{tm} = (x_{tm} - \bar x_m)/s_m` with :math:`s_m`
the population standard deviation (ddof = 0; :math:`s_m = 1` when a regressor is constant).  Ridge then
minimises

.. math::  \sum_t (y_t - \beta_0 - z_t^\top \beta)^2 + \alpha \lVert \beta \rVert_2^2 ,

the intercept unpenalised, i.e. :math:`\hat\beta = (Z_c^\top Z_c + \alpha I)^{-1} Z_c^\top (y - \bar y)`
and :math:`\hat\beta_0 = \bar y` (the estimate of scikit-learn's ``Ridge`` with ``fit_intercept=True``).  In
raw units :math:`b_m = \hat\beta_m / s_m` and :math:`b_0 = \hat\beta_0 - \sum_m b_m \bar x_m`.

*Computation.*  The estimate is evaluated in closed form from the thin SVD :math:`Z_c = U S V^\top`:
:math:`\hat\beta(\alpha) = V \operatorname{diag}\big(s_j / (s_j^2 + \alpha)\big) U^\top (y - \bar y)`, which is
the normal-equations solution above without forming :math:`Z_c^\top Z_c`.  One decomposition serves every
:math:`\alpha` of the grid (rolling CV: one per origin) and every response sharing the design (bootstrap: all
replicates in one matrix product), so no estimator is refitted in a loop.

Forecasts are kept non-negative, :math:`\hat y_t = \max(0, \hat\beta_0 + z_t^\top\hat\beta)`, and a row is
flagged as an *extrapolation* when any regressor lies outside the range seen in training,
:math:`x_{tm} \notin [\min_s x_{sm}, \max_s x_{sm}]`.

Choosing :math:`\alpha`: rolling-origin (expanding-window) cross-validation
--------------------------------------------------------------------------
For origins :math:`o = m, m+1, \dots, n-h` the model is fitted (standardisation included) on rows
:math:`0..o-1` and scored on rows :math:`o..o+h-1`; the CV error is the root mean squared error over all
scored points (:math:`h = 1`, :math:`m = 8` by default), and the :math:`\alpha` of the grid with the
smallest CV error is kept (the smallest
:math:`\alpha` on ties).  Leave-one-out is never used: it would let the future inform the past.

Backtest and the two naive forecasts
------------------------------------
Fit on 1995–2007 (:math:`\alpha` chosen by the rolling CV inside 1995–2007 only), forecast 2008–2017 with
the *observed* regressors, and compare the RMSE with

* the **random walk**: :math:`\hat y_t = y_{2007}` for every :math:`t > 2007`;
* **constant shares**: :math:`\hat y_t = (y_{2007} / T_{2007})\,T_t` where :math:`T_t` is the observed
  world trade weight summed over *all* commodities in year :math:`t`: the commodity's share of total trade
  weight is held at its 2007 value and applied to the observed total (so this baseline knows the future
  total; it is a demanding benchmark, not a forecast one could have made in 2007).

``skill`` :math:`= 1 - \mathrm{RMSE}_{ridge} / \min(\mathrm{RMSE}_{rw}, \mathrm{RMSE}_{share})`;
``beats_naive`` is ``skill > 0`` (the ridge beats both).

Uncertainty bands
-----------------
A residual bootstrap of the final fit: :math:`y^*_t = \hat y_t + e^*_t` with :math:`e^*` drawn with
replacement from the centred in-sample residuals, the ridge refitted with the same :math:`\alpha`, and the
forecast at the new regressors plus one more drawn residual; the band is the
:math:`((1-\ell)/2, (1+\ell)/2)` quantiles over the replicates, floored at zero.  Residuals are treated as
exchangeable; with autocorrelated (random-walk-like) errors the band is too narrow far out, which the
backtest skill column makes visible.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np


def penalty_grid(log10_min: float, log10_max: float, n: int) -> tuple[float, ...]:
    """Return ``n`` ridge penalties spaced evenly in log10 from ``10**log10_min`` to ``10**log10_max``."""
    return tuple(float(a) for a in np.logspace(float(log10_min), float(log10_max), int(n)))


DEFAULT_ALPHAS = penalty_grid(-3, 3, 25)
DEFAULT_MIN_TRAIN = 8
DEFAULT_HORIZON = 1
DEFAULT_N_BOOT = 300
DEFAULT_LEVEL = 0.9


@dataclasses.dataclass(frozen=True)
class RidgeFit:
    r"""A fitted ridge regression on standardised regressors.

    Attributes
    ----------
    alpha
        Penalty :math:`\alpha`.
    mean, scale
        Training means and standard deviations (ddof = 0) of the regressors.
    intercept
        :math:`\hat\beta_0` (the training mean of y).
    coef_std
        :math:`\hat\beta` on the standardised regressors.
    x_min, x_max
        Range of each regressor in training (for the extrapolation flag).
    fitted, residuals
        In-sample fitted values (not floored) and :math:`y - \hat y`.
    """

    alpha: float
    mean: np.ndarray
    scale: np.ndarray
    intercept: float
    coef_std: np.ndarray
    x_min: np.ndarray
    x_max: np.ndarray
    fitted: np.ndarray
    residuals: np.ndarray

    @property
    def coef(self) -> np.ndarray:
        r"""Coefficients in raw regressor units, :math:`b_m = \hat\beta_m / s_m`."""
        return self.coef_std / self.scale

    @property
    def intercept_raw(self) -> float:
        r"""Intercept in raw units, :math:`b_0 = \hat\beta_0 - \sum_m b_m \bar x_m`."""
        return float(self.intercept - self.coef @ self.mean)


def _as_2d(x) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    return arr[:, None] if arr.ndim == 1 else arr


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(mean, scale, z)``: training means, population sd (1 for a constant column) and ``z``."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return mean, scale, (x - mean) / scale


def _check_alphas(alphas) -> np.ndarray:
    alphas = np.atleast_1d(np.asarray(alphas, dtype=float))
    if alphas.ndim != 1 or not (np.isfinite(alphas).all() and (alphas >= 0).all()):
        raise ValueError("penalties must be finite and non-negative")
    return alphas


def _ridge_coefs(z: np.ndarray, y: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    r"""Return :math:`\hat\beta(\alpha)` for every penalty and every response column at once.

    Parameters
    ----------
    z
        ``(n, m)`` standardised regressors (centred again here, as the normal equations use :math:`Z_c`).
    y
        ``(n,)`` response or ``(n, r)`` responses sharing the design.
    alphas
        ``(a,)`` penalties.

    Returns
    -------
    numpy.ndarray
        ``(a, m)`` for a single response, ``(a, m, r)`` for ``r`` responses.  A direction with
        :math:`s_j^2 + \alpha = 0` (only possible with :math:`\alpha = 0`) gets a zero coefficient, as
        in the minimum-norm least-squares solution.
    """
    u, s, vt = np.linalg.svd(z - z.mean(axis=0), full_matrices=False)
    denom = s**2 + alphas[:, None]
    shrink = np.divide(s, denom, out=np.zeros_like(denom), where=denom > 0)  # (a, k)
    uty = u.T @ (y - y.mean(axis=0))  # (k,) or (k, r)
    if uty.ndim == 1:
        return (shrink * uty) @ vt
    return vt.T @ (shrink[:, :, None] * uty)


def fit_ridge(x, y, alpha: float) -> RidgeFit:
    """Fit ridge on regressors standardised with the training rows (closed form, see the module notes).

    Parameters
    ----------
    x
        ``(n, m)`` regressors in raw units.
    y
        ``(n,)`` response.
    alpha
        Penalty on the standardised coefficients (intercept unpenalised).

    Raises
    ------
    ValueError
        With fewer than two rows, mismatched lengths, non-finite data or a negative penalty.
    """
    x = _as_2d(x)
    y = np.asarray(y, dtype=float)
    if len(y) != len(x) or len(y) < 2:
        raise ValueError("need at least two rows, with as many regressor rows as responses")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("regressors and response must be finite")
    alphas = _check_alphas(alpha)
    mean, scale, z = _standardise(x)
    coef_std = _ridge_coefs(z, y, alphas)[0]
    intercept = float(y.mean())
    fitted = intercept + z @ coef_std
    return RidgeFit(
        alpha=float(alpha),
        mean=mean,
        scale=scale,
        intercept=intercept,
        coef_std=coef_std,
        x_min=x.min(axis=0),
        x_max=x.max(axis=0),
        fitted=fitted,
        residuals=y - fitted,
    )


def predict(fit: RidgeFit, x, floor: float | None = 0.0) -> np.ndarray:
    r"""Return :math:`\max(\text{floor}, \hat\beta_0 + z^\top\hat\beta)`; ``floor=None`` leaves it raw."""
    z = (_as_2d(x) - fit.mean) / fit.scale
    raw = fit.intercept + z @ fit.coef_std
    return raw if floor is None else np.maximum(raw, floor)


def extrapolation(fit: RidgeFit, x, rel_tol: float = 1e-9) -> np.ndarray:
    """Return, per row, whether any regressor lies outside the training range (beyond ``rel_tol``)."""
    x = _as_2d(x)
    span = np.maximum(fit.x_max - fit.x_min, np.abs(fit.x_max)) * rel_tol
    return ((x < fit.x_min - span) | (x > fit.x_max + span)).any(axis=1)


def expanding_window_splits(n: int, min_train: int, horizon: int = 1) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return rolling-origin splits: train ``0..o-1``, test ``o..o+h-1`` for ``o = min_train .. n-h``.

    Raises
    ------
    ValueError
        When no split fits (``n < min_train + horizon``) or ``min_train < 2``.
    """
    if min_train < 2 or horizon < 1:
        raise ValueError("min_train must be at least 2 and horizon at least 1")
    if n < min_train + horizon:
        raise ValueError(f"{n} rows leave no rolling-origin split with min_train={min_train}, horizon={horizon}")
    return [(np.arange(o), np.arange(o, o + horizon)) for o in range(min_train, n - horizon + 1)]


def rmse(a, b) -> float:
    """Root mean squared difference."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(np.sqrt(np.mean(d**2)))


def cv_errors(
    x, y, alphas: Sequence[float], min_train: int = DEFAULT_MIN_TRAIN, horizon: int = DEFAULT_HORIZON
) -> np.ndarray:
    """Rolling-origin CV RMSE of ridge for every penalty of ``alphas`` (forecasts floored at zero, as used).

    Each origin standardises its training rows once and solves for the whole grid together; the result
    is what :func:`fit_ridge` and :func:`predict` give penalty by penalty, origin by origin.

    Parameters
    ----------
    x, y
        Regressors ``(n, m)`` and response ``(n,)``.
    alphas
        Penalties, in the order of the returned errors.
    min_train, horizon
        See :func:`expanding_window_splits`.

    Returns
    -------
    numpy.ndarray
        ``(len(alphas),)`` RMSE over all scored points.
    """
    x, y = _as_2d(x), np.asarray(y, dtype=float)
    alphas = _check_alphas(alphas)
    if len(y) != len(x):
        raise ValueError("need as many regressor rows as responses")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("regressors and response must be finite")
    errors = []
    for train, test in expanding_window_splits(len(y), min_train, horizon):
        mean, scale, z = _standardise(x[train])
        coefs = _ridge_coefs(z, y[train], alphas)  # (a, m)
        raw = y[train].mean() + ((x[test] - mean) / scale) @ coefs.T  # (h, a)
        errors.append(np.maximum(raw, 0.0) - y[test][:, None])
    return np.sqrt(np.mean(np.concatenate(errors) ** 2, axis=0))


def cv_error(x, y, alpha: float, min_train: int = DEFAULT_MIN_TRAIN, horizon: int = DEFAULT_HORIZON) -> float:
    """Rolling-origin CV RMSE of ridge with penalty ``alpha`` (forecasts floored at zero, as used)."""
    return float(cv_errors(x, y, [alpha], min_train, horizon)[0])


def choose_alpha(
    x,
    y,
    alphas: Sequence[float] = DEFAULT_ALPHAS,
    min_train: int = DEFAULT_MIN_TRAIN,
    horizon: int = DEFAULT_HORIZON,
) -> tuple[float, float, np.ndarray]:
    """Return ``(alpha, cv_error, errors_per_alpha)``: the grid value with the smallest rolling-CV RMSE.

    ``errors_per_alpha`` follows the grid sorted in increasing order.
    """
    grid = np.sort(np.asarray(alphas, dtype=float))
    errors = cv_errors(x, y, grid, min_train, horizon)
    best = int(np.argmin(errors))  # argmin keeps the first (smallest alpha) on ties
    return float(grid[best]), float(errors[best]), errors


def random_walk_forecast(y_train, n_ahead: int) -> np.ndarray:
    """Random walk without drift: the last training value carried forward."""
    return np.full(n_ahead, float(np.asarray(y_train, dtype=float)[-1]))


def constant_share_forecast(y_origin: float, total_origin: float, total_future) -> np.ndarray:
    r"""Constant share: :math:`\hat y_t = (y_o / T_o)\,T_t` with :math:`T` the total over all commodities."""
    if total_origin <= 0:
        raise ValueError("total trade weight at the origin must be positive")
    return float(y_origin) / float(total_origin) * np.asarray(total_future, dtype=float)


@dataclasses.dataclass(frozen=True)
class Backtest:
    """Result of the 1995–2007 → 2008–2017 backtest of one commodity (errors are RMSE, units of y)."""

    alpha: float
    cv_error: float
    backtest_error: float
    naive_rw_error: float
    naive_share_error: float
    forecast: np.ndarray
    naive_rw: np.ndarray
    naive_share: np.ndarray

    @property
    def skill(self) -> float:
        r""":math:`1 - \mathrm{RMSE}_{ridge} / \min(\mathrm{RMSE}_{rw}, \mathrm{RMSE}_{share})`."""
        best_naive = min(self.naive_rw_error, self.naive_share_error)
        if best_naive == 0:
            return 0.0 if self.backtest_error == 0 else -np.inf
        return 1.0 - self.backtest_error / best_naive

    @property
    def beats_naive(self) -> bool:
        """Whether the ridge beats both naive forecasts."""
        return bool(self.skill > 0)


def backtest(
    years,
    x,
    y,
    total,
    train_end: int = 2007,
    test_end: int = 2017,
    alphas: Sequence[float] = DEFAULT_ALPHAS,
    min_train: int = DEFAULT_MIN_TRAIN,
    horizon: int = DEFAULT_HORIZON,
) -> Backtest:
    """Fit on years ``<= train_end`` (alpha by rolling CV inside that window) and forecast to ``test_end``.

    Parameters
    ----------
    years
        ``(n,)`` consecutive years, sorted.
    x, y
        Regressors ``(n, m)`` and the commodity's world weight ``(n,)``.
    total
        ``(n,)`` world trade weight summed over all commodities (for the constant-share baseline).
    """
    years = np.asarray(years)
    x, y, total = _as_2d(x), np.asarray(y, dtype=float), np.asarray(total, dtype=float)
    train = years <= train_end
    test = (years > train_end) & (years <= test_end)
    if not test.any() or train.sum() < min_train + horizon:
        raise ValueError("not enough years before and after the backtest origin")
    alpha, cv, _ = choose_alpha(x[train], y[train], alphas, min_train, horizon)
    fit = fit_ridge(x[train], y[train], alpha)
    forecast = predict(fit, x[test])
    origin = np.flatnonzero(train)[-1]
    rw = random_walk_forecast(y[train], int(test.sum()))
    share = constant_share_forecast(y[origin], total[origin], total[test])
    return Backtest(
        alpha=alpha,
        cv_error=cv,
        backtest_error=rmse(forecast, y[test]),
        naive_rw_error=rmse(rw, y[test]),
        naive_share_error=rmse(share, y[test]),
        forecast=forecast,
        naive_rw=rw,
        naive_share=share,
    )


def bootstrap_bands(
    fit_x,
    fit_y,
    alpha: float,
    new_x,
    n_boot: int = DEFAULT_N_BOOT,
    level: float = DEFAULT_LEVEL,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Residual-bootstrap prediction band at ``new_x`` (floored at zero); see the module notes.

    The design is the same in every replicate, so all ``n_boot`` refits are one solve applied to the
    ``(n, n_boot)`` matrix of bootstrap responses.  The random numbers are drawn replicate by replicate
    (the in-sample residuals, then those added at ``new_x``), so a seed gives the band of the refit-per-replicate
    loop.
    """
    fit_x, fit_y, new_x = _as_2d(fit_x), np.asarray(fit_y, dtype=float), _as_2d(new_x)
    base = fit_ridge(fit_x, fit_y, alpha)
    resid = base.residuals - base.residuals.mean()
    rng = np.random.default_rng(seed)
    noise_fit = np.empty((len(resid), n_boot))
    noise_new = np.empty((n_boot, len(new_x)))
    for b in range(n_boot):
        noise_fit[:, b] = rng.choice(resid, size=len(resid), replace=True)
        noise_new[b] = rng.choice(resid, size=len(new_x), replace=True)
    y_star = base.fitted[:, None] + noise_fit  # (n, n_boot)
    coefs = _ridge_coefs((fit_x - base.mean) / base.scale, y_star, np.array([base.alpha]))[0]  # (m, n_boot)
    z_new = (new_x - base.mean) / base.scale
    draws = (y_star.mean(axis=0)[:, None] + (z_new @ coefs).T) + noise_new  # (n_boot, len(new_x))
    low, high = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return np.maximum(low, 0.0), np.maximum(high, 0.0)


@dataclasses.dataclass(frozen=True)
class CommodityModel:
    """Final fit of one commodity on all history plus its backtest."""

    fit: RidgeFit
    cv_error: float
    backtest: Backtest
    n_years: int


def model_commodity(
    years,
    x,
    y,
    total,
    train_end: int = 2007,
    test_end: int = 2017,
    alphas: Sequence[float] = DEFAULT_ALPHAS,
    min_train: int = DEFAULT_MIN_TRAIN,
    horizon: int = DEFAULT_HORIZON,
) -> CommodityModel:
    """Backtest, then choose alpha by rolling CV on the whole history and refit on it."""
    x, y = _as_2d(x), np.asarray(y, dtype=float)
    bt = backtest(years, x, y, total, train_end, test_end, alphas, min_train, horizon)
    alpha, cv, _ = choose_alpha(x, y, alphas, min_train, horizon)
    return CommodityModel(fit=fit_ridge(x, y, alpha), cv_error=cv, backtest=bt, n_years=len(y))


def project(
    model: CommodityModel,
    fit_x,
    fit_y,
    new_x,
    n_boot: int = DEFAULT_N_BOOT,
    level: float = DEFAULT_LEVEL,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Return ``weight_t``, ``lower_t``, ``upper_t``, ``extrapolated`` and ``clipped`` at ``new_x``."""
    raw = predict(model.fit, new_x, floor=None)
    lower, upper = bootstrap_bands(fit_x, fit_y, model.fit.alpha, new_x, n_boot, level, seed)
    point = np.maximum(raw, 0.0)
    return {
        "weight_t": point,
        "lower_t": np.minimum(lower, point),
        "upper_t": np.maximum(upper, point),
        "extrapolated": extrapolation(model.fit, new_x),
        "clipped": raw < 0,
    }


# ------------------------------------------------------------------------------------- table assembly
REGRESSOR_COLUMNS = ("ghg_mtco2e", "ghg_per_gdp_mtco2e_per_busd", "ghg_per_capita_tco2e")
REGRESSOR_LEVEL = "world (sum over the country panel) per commodity-year"


def run_trade_scenarios(
    weights,
    totals,
    observed,
    pathways,
    hs6_codes: Sequence[str],
    train_end: int = 2007,
    test_end: int = 2017,
    alphas: Sequence[float] = DEFAULT_ALPHAS,
    min_train: int = DEFAULT_MIN_TRAIN,
    horizon: int = DEFAULT_HORIZON,
    n_boot: int = DEFAULT_N_BOOT,
    level: float = DEFAULT_LEVEL,
):
    """Fit, backtest and project every commodity; return ``(fits, projections, history, skipped)`` frames.

    Parameters
    ----------
    weights
        DataFrame ``hs6, year, weight_t``: world trade weight per commodity and year (a missing year of a
        commodity inside the span of ``totals`` counts as zero trade).
    totals
        DataFrame ``year, total_t``: world trade weight over all commodities.
    observed
        DataFrame ``year`` + :data:`REGRESSOR_COLUMNS`: observed world regressors.
    pathways
        DataFrame ``pathway, pathway_class, year, downscaling_method`` + :data:`REGRESSOR_COLUMNS`.
    hs6_codes
        Commodities to model.

    Returns
    -------
    tuple
        ``fits`` (one row per commodity), ``projections`` (one row per commodity, pathway and year),
        ``history`` (the modelled series: hs6, year, weight_t, fitted_t) and ``skipped`` (hs6, reason).
    """
    import pandas as pd

    cols = list(REGRESSOR_COLUMNS)
    years = np.intersect1d(totals["year"].to_numpy(), observed["year"].to_numpy())
    years = years[years <= test_end]
    obs = observed.set_index("year").loc[years, cols].to_numpy(dtype=float)
    tot = totals.set_index("year").loc[years, "total_t"].to_numpy(dtype=float)
    future = pathways.sort_values(["pathway", "year"]).reset_index(drop=True)
    new_x = future[cols].to_numpy(dtype=float)
    fits, projections, history, skipped = [], [], [], []
    for hs6 in hs6_codes:
        series = weights[weights["hs6"] == hs6].set_index("year")["weight_t"]
        y = series.reindex(years).fillna(0.0).to_numpy(dtype=float)
        if len(years) == 0 or not np.all(np.diff(years) == 1):
            skipped.append((hs6, "observed years are not consecutive or absent"))
            continue
        if series.reindex(years).isna().all():
            skipped.append((hs6, "no trade recorded in the observed years"))
            continue
        try:
            model = model_commodity(years, obs, y, tot, train_end, test_end, alphas, min_train, horizon)
        except ValueError as exc:
            skipped.append((hs6, str(exc)))
            continue
        bt = model.backtest
        coef = model.fit.coef
        fits.append(
            {
                "hs6": hs6,
                "alpha": model.fit.alpha,
                "cv_error": model.cv_error,
                "backtest_error": bt.backtest_error,
                "naive_rw_error": bt.naive_rw_error,
                "naive_share_error": bt.naive_share_error,
                "skill": bt.skill,
                "beats_naive": bt.beats_naive,
                "backtest_alpha": bt.alpha,
                "backtest_cv_error": bt.cv_error,
                "n_years": model.n_years,
                "first_year": int(years[0]),
                "last_year": int(years[-1]),
                "mean_weight_t": float(y.mean()),
                "intercept_t": model.fit.intercept_raw,
                "coef_ghg_t_per_mtco2e": float(coef[0]),
                "coef_ghg_per_gdp_t_per_unit": float(coef[1]),
                "coef_ghg_per_capita_t_per_tco2e": float(coef[2]),
                "regressor_level": REGRESSOR_LEVEL,
            }
        )
        history.append(pd.DataFrame({"hs6": hs6, "year": years, "weight_t": y, "fitted_t": model.fit.fitted}))
        if len(future):
            out = project(model, obs, y, new_x, n_boot, level, seed=int(hs6) if hs6.isdigit() else 0)
            projections.append(
                pd.DataFrame(
                    {
                        "hs6": hs6,
                        "scenario": future["pathway"],
                        "pathway_class": future["pathway_class"],
                        "year": future["year"],
                        **{k: out[k] for k in ("weight_t", "lower_t", "upper_t")},
                        "is_extrapolation": out["extrapolated"],
                        "is_clipped": out["clipped"],
                        "downscaling_method": future["downscaling_method"],
                    }
                )
            )
    fit_frame = pd.DataFrame(fits)
    proj_frame = pd.concat(projections, ignore_index=True) if projections else pd.DataFrame()
    hist_frame = pd.concat(history, ignore_index=True) if history else pd.DataFrame()
    return fit_frame, proj_frame, hist_frame, pd.DataFrame(skipped, columns=["hs6", "reason"])


def grid_position(alpha: float, alphas, rel_tol: float = 1e-9) -> str:
    """Return where a chosen penalty sits on its grid: ``lower_edge``, ``upper_edge`` or ``interior``.

    A penalty on an edge means the cross-validation wanted a smaller (or larger) one than the grid offers:
    widen the grid (``scenario_ridge_log10_alpha_min`` / ``_max``) until the choice is interior.
    """
    grid = np.sort(np.asarray(alphas, dtype=float))
    if grid.size == 0:
        raise ValueError("empty penalty grid")
    if abs(alpha - grid[0]) <= rel_tol * grid[0]:
        return "lower_edge"
    if abs(alpha - grid[-1]) <= rel_tol * grid[-1]:
        return "upper_edge"
    return "interior"


def model_status(hs6_codes, fits, skipped, weights, alphas):
    """Return one row per key commodity: fitted or not, why, and where a fitted penalty sits on the grid.

    Returns
    -------
    pandas.DataFrame
        ``hs6, status`` (``fitted`` or ``no_series``), ``reason``, ``n_years_with_weight`` (years with a
        weight in the trade series given), ``alpha`` and ``alpha_grid_position`` (NULL when not fitted).
    """
    import pandas as pd

    reasons = dict(skipped.itertuples(index=False)) if len(skipped) else {}
    fitted = fits.set_index("hs6") if len(fits) else pd.DataFrame()
    rows = []
    for hs6 in hs6_codes:
        n_years = int(weights.loc[(weights["hs6"] == hs6) & weights["weight_t"].notna(), "year"].nunique())
        if hs6 in fitted.index:
            alpha = float(fitted.loc[hs6, "alpha"])
            position = grid_position(alpha, alphas)
            reason = f"fitted on {n_years} years of world trade weight; penalty {alpha:.3g} ({position} of the grid)"
            rows.append((hs6, "fitted", reason, n_years, alpha, position))
        else:
            why = reasons.get(hs6, "not modelled")
            rows.append(
                (hs6, "no_series", f"no real series: {why} ({n_years} years with a weight)", n_years, None, None)
            )
    return pd.DataFrame(
        rows, columns=["hs6", "status", "reason", "n_years_with_weight", "alpha", "alpha_grid_position"]
    )
