"""Where things live: project paths and the environment variables that override them.

One environment variable, ``METALNEXUS_DUCKDB``, names the DuckDB file being *built*; both the Dagster
resource and dbt's ``profiles.yml`` read it. Readers (``metalnexus query``, reports, BI tools) open the
*published* copy, ``METALNEXUS_PUBLISHED`` (default ``warehouse/metalnexus.duckdb``), read-only.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WAREHOUSE_DIR = PROJECT_ROOT / "warehouse"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_DEMO_DIR = WAREHOUSE_DIR / "demo"
DEFAULT_BUILD_DIR = WAREHOUSE_DIR / "build"
DEFAULT_PUBLISHED = WAREHOUSE_DIR / "metalnexus.duckdb"

OFFLINE_ENV = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "DAGSTER_DISABLE_TELEMETRY": "1",
}


def set_offline_env() -> None:
    """Switch off telemetry and version pings of dbt, Dagster and Great Expectations (idempotent)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


# glibc returns every freed block above its mmap threshold (128 KiB to 32 MiB, adaptive) to the OS and
# page-faults it back on the next allocation; the panel regressions allocate thousands of ~3 MB arrays,
# and those faults cost them more CPU than the arithmetic (x - mean[idx] on 372 x 1,100 doubles: 5.6 ms
# against 0.3 ms with the thresholds below, process CPU time on this machine). Blocks up to 64 MiB now stay in
# the heap, which keeps up to 256 MiB of free memory before trimming.
MALLOC_TUNING = {"MALLOC_MMAP_THRESHOLD_": 64 << 20, "MALLOC_TRIM_THRESHOLD_": 256 << 20}


def tune_allocator() -> None:
    """Apply :data:`MALLOC_TUNING` to this process (``mallopt``) and, through the environment, to its children.

    A no-op where the C library is not glibc or the user set the variables.
    """
    import ctypes
    import sys

    if not sys.platform.startswith("linux") or any(key in os.environ for key in MALLOC_TUNING):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's malloc.h
    mallopt(m_mmap_threshold, MALLOC_TUNING["MALLOC_MMAP_THRESHOLD_"])
    mallopt(m_trim_threshold, MALLOC_TUNING["MALLOC_TRIM_THRESHOLD_"])
    for key, value in MALLOC_TUNING.items():
        os.environ[key] = str(value)


def build_path() -> Path:
    """Return the DuckDB file that builds write into."""
    return Path(os.environ.get("METALNEXUS_DUCKDB", DEFAULT_BUILD_DIR / "metalnexus.build.duckdb"))


def extract_dir() -> Path:
    """Return where zip releases found in the data folder are extracted (beside the build file)."""
    return build_path().parent / "extracted"


def published_path() -> Path:
    """Return the published (read-only for everyone but the publisher) DuckDB file."""
    return Path(os.environ.get("METALNEXUS_PUBLISHED", DEFAULT_PUBLISHED))


def data_dir() -> Path:
    """Return the folder holding the input files in the official layouts."""
    return Path(os.environ.get("METALNEXUS_DATA_DIR", DEFAULT_DEMO_DIR))


def source_kind() -> str:
    """Return ``demo`` or ``real``: which world the build reads."""
    kind = os.environ.get("METALNEXUS_SOURCE", "demo")
    if kind not in {"demo", "real"}:
        raise ValueError(f"METALNEXUS_SOURCE must be 'demo' or 'real', not {kind!r}")
    return kind


def on_bad_rows() -> str:
    """Return ``fail`` (default) or ``quarantine``: what loaders do with rows they cannot read."""
    mode = os.environ.get("METALNEXUS_ON_BAD_ROWS", "fail")
    if mode not in {"fail", "quarantine"}:
        raise ValueError(f"METALNEXUS_ON_BAD_ROWS must be 'fail' or 'quarantine', not {mode!r}")
    return mode


def memory_limit() -> str:
    """Return DuckDB's ``memory_limit`` for warehouse builds: ``METALNEXUS_MEMORY_LIMIT`` (default ``80%``).

    ``80%`` of RAM is DuckDB's own default; a BACI-scale build (200M flows) measured 10.6 GB of peak memory
    with ``10GB`` (benchmarks/README.md), so set it lower on a shared machine. The dbt profile reads the
    same variable.
    """
    return os.environ.get("METALNEXUS_MEMORY_LIMIT", "80%")
