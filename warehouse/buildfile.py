"""The build file's life cycle: recover from a killed build, and clean what a killed publish left."""

from __future__ import annotations

import datetime as dt
import os
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
