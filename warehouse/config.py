"""Where things live: project paths and the environment variables that override them.

One environment variable, ``METALNEXUS_DUCKDB``, names the DuckDB file being *built*; both the Dagster
resource and dbt's ``profiles.yml`` read it. Readers (``metalnexus query``, reports, BI tools) open the
*published* copy, ``METALNEXUS_PUBLISHED`` (default ``warehouse/metalnexus.duckdb``), read-only.
"""

from __future__ import annotations

import contextlib
import os
import sys
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


@contextlib.contextmanager
def long_lived_objects():
    """Within the block, create objects that live as long as the process (imports, definitions, dbt's parse).

    Python's cyclic garbage collector is paused in the block and every object made so far is frozen
    after it (``gc.freeze``): later full collections no longer walk them. A build's main process spent
    about 1.2 s in full collections, mostly over its imported modules and Dagster's and dbt's objects,
    each collection slower than the last; the worker's Great Expectations import had its own. Frozen
    objects stay frozen: a process that builds many times (the test suite) keeps each build's
    definitions until it exits.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


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


# The Dagster instance settings every entry point writes into DAGSTER_HOME/dagster.yaml: no telemetry upload
# (the env var alone only stops the upload, not the collection), and no "Join the Dagster community"
# new-user dialog, which opens over the asset graph on a fresh instance (Dagster's ``nux`` setting).
DAGSTER_INSTANCE_SETTINGS = {"telemetry": {"enabled": False}, "nux": {"enabled": False}}


def write_dagster_instance_settings(home: Path) -> Path:
    """Make ``home/dagster.yaml`` carry :data:`DAGSTER_INSTANCE_SETTINGS`, keeping any other settings there.

    Returns
    -------
    Path
        The settings file.
    """
    import yaml

    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    current = (yaml.safe_load(settings.read_text()) or {}) if settings.exists() else {}
    merged = {
        **current,
        **{key: {**(current.get(key) or {}), **value} for key, value in DAGSTER_INSTANCE_SETTINGS.items()},
    }
    if merged != current or not settings.exists():
        temporary = settings.with_name(settings.name + ".tmp")
        temporary.write_text(yaml.safe_dump(merged, sort_keys=False))
        temporary.replace(settings)
    return settings


_terminals: list = []


def terminal():
    """Return the stream for progress lines: the terminal's stderr, even while a build redirects the rest.

    A build sends stdout and stderr (dbt's lines, Dagster's and the libraries' logs, their tracebacks) to
    ``build.log``; only progress lines and the final summary reach the terminal.
    """
    return _terminals[-1] if _terminals else sys.stderr


@contextlib.contextmanager
def keep_terminal(stream):
    """Make ``stream`` what :func:`terminal` returns inside the block."""
    _terminals.append(stream)
    try:
        yield stream
    finally:
        _terminals.pop()


# Readers cannot touch the filesystem through SQL: no read_csv of a file, no copy ... to, no attach, no
# extension install; locked, so a `set` in the query cannot undo it.
READ_ONLY_CONFIG = {"enable_external_access": False, "lock_configuration": True}


def connect_published(path: str | os.PathLike):
    """Open a published warehouse for reading only: read-only, and with DuckDB's external access off.

    Every read-only entry point (``metalnexus query``, the report, the mart counts after a build) uses
    this, so SQL typed by a user can read the warehouse's tables and nothing else on the machine.
    """
    import duckdb

    return duckdb.connect(str(path), read_only=True, config=dict(READ_ONLY_CONFIG))
