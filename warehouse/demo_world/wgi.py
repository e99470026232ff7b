"""Worldwide Governance Indicators: ``wgi/2020_Worldwide_Governance_Indicators_1996-2019.csv``.

Six estimates drawn as paths around a country level, with ranks, bounds, standard errors and
source counts; latin-1, CRLF, ``NA`` for missing, no 1997/1999/2001, and the old World Bank codes of
:data:`WGI_CODE_OVERRIDES`.  The :data:`WGI_CONTROL` estimate is the governance control of the SDG panel
truth (manifest ``wgi``).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from warehouse.demo_world.common import _rng
from warehouse.demo_world.countries import HIGH_INCOME, Countries
from warehouse.demo_world.writers import _g15, _q, _Writer

WGI_YEARS = np.array([1996, 1998, 2000] + list(range(2002, 2020)))
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
