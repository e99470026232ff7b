"""The build file's life cycle: recovery, atomic publish, clean-up after a killed publish, crash points.

A killed build is recovered from on the next open; publishing copies and renames; a killed publish leaves a
temporary that the next build removes; the crash tests kill builds at the named crash points.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path


def ensure_openable(build: Path) -> str:
    """Make sure the build file can be opened; set an unreadable one aside and start afresh.

    A build killed mid-write leaves DuckDB's file and WAL, which DuckDB replays on the next open; should
    that fail, the file is renamed ``<name>.broken-<UTC time>`` (kept for inspection, never published)
    and the next build starts from an empty file — every load is idempotent, so nothing is lost.

    Returns
    -------
    str
        ``ok``, ``new`` or ``set-aside``.
    """
    import duckdb

    if not build.exists():
        return "new"
    try:
        with duckdb.connect(str(build)) as con:
            con.execute("select count(*) from duckdb_tables()").fetchone()
        return "ok"
    except duckdb.Error:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        for suffix in ("", ".wal"):
            part = Path(str(build) + suffix)
            if part.exists():
                part.rename(Path(f"{build}{suffix}.broken-{stamp}"))
        return "set-aside"


def publish_file(build: Path, published: Path) -> Path:
    """Copy ``build`` next to ``published`` and rename it into place atomically.

    Readers holding the previous file keep reading it (POSIX rename keeps the old inode alive); new
    readers see the complete new file; a crash leaves at worst a stray temporary file, never a half file.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    temporary = published.with_name(f".{published.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(build, temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        crash_point("publish_rename")
        os.replace(temporary, published)
    finally:
        if temporary.exists():
            temporary.unlink()
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return published


def remove_stale_temporaries(published: Path) -> list[Path]:
    """Delete temporary copies a killed publish left beside the published file (their writer is gone)."""
    removed = []
    for temporary in published.parent.glob(f".{published.name}.tmp-*"):
        pid = temporary.name.rsplit("-", 1)[-1]
        alive = pid.isdigit() and _alive(int(pid))
        if not alive:
            temporary.unlink(missing_ok=True)
            removed.append(temporary)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


CRASH_POINTS = ("baci_year_load", "dbt_build", "asset_check", "publish_rename")


def crash_point(name: str) -> None:
    """Kill this build with SIGKILL when ``METALNEXUS_CRASH_AT`` names this point (crash tests only).

    The crash tests kill a build where it matters instead of at random times: inside a BACI year's load
    transaction, while dbt writes, during the checks, and between publish's copy and its rename. When the
    build leads its own process group (as the CLI started by a test does), the whole group is killed, dbt
    included; otherwise only this process.
    """
    if name not in CRASH_POINTS:
        raise ValueError(f"unknown crash point {name!r}")
    if os.environ.get("METALNEXUS_CRASH_AT") != name:
        return
    import signal

    if os.getpgrp() == os.getpid():
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
