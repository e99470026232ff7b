"""What every part of the demo world shares: the scales, the release and calendars, random streams, tables.

Writes no file and plants no truth itself.  :data:`SCALES` sizes each world; :func:`_rng` gives each part of
the world its own random stream (so the parts are stable on their own); :func:`_table` reads the literal
tables kept as CSV files in ``tables/`` beside the code (country list, HS chapters, IO sectors, ...).
"""

from __future__ import annotations

import csv
import importlib.resources
import zlib
from typing import Any

import numpy as np

# ----------------------------------------------------------------------------------------------- scales
SCALES: dict[str, dict[str, Any]] = {
    "tiny": {
        "n_countries": 12,
        "n_products": 60,
        "flows_per_year": 2_000,
        "n_indicators": 20,
        "n_io_sectors": 24,
        "outlier_rate": 2e-3,
        "na_share": 0.03,
        "zero_q_share": 0.002,
        "chunk_series": 400_000,
    },
    "small": {
        "n_countries": 40,
        "n_products": 700,
        "flows_per_year": 30_000,
        "n_indicators": 40,
        "n_io_sectors": 24,
        "outlier_rate": 5e-4,
        "na_share": 0.03,
        "zero_q_share": 0.002,
        "chunk_series": 400_000,
    },
    "medium": {
        "n_countries": 120,
        "n_products": 2_500,
        "flows_per_year": 435_000,
        "n_indicators": 80,
        "n_io_sectors": 40,
        "outlier_rate": 4e-5,
        "na_share": 0.03,
        "zero_q_share": 0.002,
        "chunk_series": 400_000,
    },
    "full": {
        "n_countries": 200,
        "n_products": 5_022,
        "flows_per_year": 8_700_000,
        "n_indicators": 120,
        "n_io_sectors": 60,
        "outlier_rate": 4e-6,
        "na_share": 0.03,
        "zero_q_share": 0.002,
        "chunk_series": 400_000,
    },
}

# ------------------------------------------------------------------------------------------- constants
RELEASE = "V202301"
# Present while the generator writes a folder (removed once manifest.json is written).
GENERATION_MARKER = ".demo-world-generating.json"
BACI_YEARS = np.arange(1995, 2018)
WDI_VALUE_YEARS = np.arange(2000, 2018)
SOURCE_TEXT = "demo world (synthetic)"

_TABLES = importlib.resources.files(__package__) / "tables"


def _table(name: str) -> list[dict[str, str]]:
    """Read ``tables/<name>`` (UTF-8 CSV with a header) as one dict of strings per row, in file order.

    Parameters
    ----------
    name : str
        File name inside the package's ``tables`` folder.
    """
    with (_TABLES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _rng(seed: int, *key: int | str) -> np.random.Generator:
    """Return the generator of one named random stream.

    Parameters
    ----------
    seed : int
        The world's seed.
    *key : int or str
        Names the stream (strings are hashed with CRC-32); streams with different keys are independent.
    """
    words = tuple(zlib.crc32(k.encode()) if isinstance(k, str) else int(k) for k in key)
    return np.random.default_rng(np.random.SeedSequence(entropy=int(seed), spawn_key=words))
