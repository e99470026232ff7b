"""The build file's life cycle: recovery, atomic publish, clean-up after a killed publish, crash points.

A killed build is recovered from on the next open; publishing copies and renames; a killed publish leaves a
temporary that the next build removes; the crash tests kill builds at the named crash points.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from warehouse import interrupts


class BuildBusy(Exception):
    """Another process holds the build (its lock file, or the build file itself)."""

    def __init__(self, path: Path, pid: int | None):
        self.path, self.pid = Path(path), pid
        holder = f"process {pid}" if pid else "another process"
        super().__init__(f"{path} is in use by {holder} (another build?); nothing was changed — wait for it or stop it")


def _lock_holder(message: str) -> int | None:
    import re

    found = re.search(r"PID (\d+)", message)
    return int(found.group(1)) if found else None


class BuildLock:
    """An exclusive lock on a build: ``<build file>.lock``, held from before the first write to the end.

    ``flock`` is released by the kernel when its holder dies, however it dies, so a killed build never
    leaves a stale lock; the file keeps the holder's pid for the message a second build prints.
    """

    def __init__(self, build: Path):
        self.path = Path(f"{build}.lock")
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            raise BuildBusy(self.path, int(text) if text.isdigit() else None) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.close(self._fd)  # the file stays (removing it would race a waiting builder); the lock goes
            self._fd = None


def ensure_openable(build: Path) -> str:
    """Make sure the build file can be opened; set an unreadable one aside and start afresh.

    A build killed mid-write leaves DuckDB's file and WAL, which DuckDB replays on the next open; should
    that fail, the file is renamed ``<name>.broken-<UTC time>`` (kept for inspection, never published)
    and the next build starts from an empty file — every load is idempotent, so nothing is lost. A file
    another process holds open (DuckDB's lock) is healthy: :class:`BuildBusy` is raised and nothing moves.

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
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():  # healthy, and open in another process: never the build's to set aside
            raise BuildBusy(build, _lock_holder(str(exc))) from None
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        for suffix in ("", ".wal"):
            part = Path(str(build) + suffix)
            if part.exists():
                part.rename(Path(f"{build}{suffix}.broken-{stamp}"))
        return "set-aside"


def publish_file(
    build: Path,
    published: Path,
    relative_to: dict[str, str] | None = None,
    before_rename: Callable[[], None] | None = None,
) -> Path:
    """Write a compact copy of ``build`` next to ``published`` and rename it into place atomically.

    The copy is a fresh database (:func:`compact_copy`): the build file, reused from build to build,
    keeps the free blocks of every table dbt replaced, the published file none. Readers holding the
    previous file keep reading it (POSIX rename keeps the old inode alive); new readers see the complete
    new file; a crash leaves at worst a stray temporary file, never a half file. ``before_rename`` runs
    once the copy is on disk (the build waits there for its worker's pages and figures, written meanwhile):
    if it raises, nothing is published.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    temporary = published.with_name(f".{published.name}.tmp-{os.getpid()}")
    try:
        compact_copy(build, temporary, relative_to or {})
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        if before_rename is not None:
            before_rename()
        crash_point("publish_rename")
        interrupts.check()  # the last moment an interrupt can still leave the published file as it was
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


def compact_copy(source: Path, target: Path, relative_to: dict[str, str]) -> None:
    """Copy every schema, table and view of ``source`` into a new database ``target``, table by table.

    A fresh file holds no free blocks (a byte copy of the reused build file grew with every rebuild).
    Columns named ``source_file`` are written relative to where they point: ``relative_to`` maps a folder
    (the data folder, the build's extraction folder) to the prefix that replaces it (``""``, ``extracted/``),
    so the published file names no path of this machine but the data folder in ``marts.build_info``.
    """
    import duckdb

    target.unlink(missing_ok=True)
    with duckdb.connect() as con:
        con.execute("attach ? as build (read_only)", [str(source)])
        database = "build"
        con.execute("attach ? as fresh", [str(target)])
        # one transaction: a commit per table (119 in a tiny build) cost about 0.2 s of 0.75
        con.execute("begin")
        con.execute(f'copy from database "{database}" to fresh (schema)')
        tables = con.execute(
            "select schema_name, table_name, list(column_name order by column_index) from duckdb_columns() "
            "where database_name = ? and (schema_name, table_name) in "
            "(select (schema_name, table_name) from duckdb_tables() where database_name = ?) "
            "group by all order by all",
            [database, database],
        ).fetchall()
        for schema, table, columns in tables:
            listed = ", ".join(
                _relative_sql(name, relative_to) if name == "source_file" else f'"{name}"' for name in columns
            )
            con.execute(
                f'insert into fresh."{schema}"."{table}" select {listed} from "{database}"."{schema}"."{table}"'
            )
        con.execute("commit")
        con.execute("detach fresh")
        con.execute("detach build")


def _relative_sql(column: str, relative_to: dict[str, str]) -> str:
    expression = f'"{column}"'
    for folder, prefix in relative_to.items():
        head = str(folder).rstrip("/") + "/"
        quoted_head, quoted_prefix = head.replace("'", "''"), prefix.replace("'", "''")
        expression = (
            f"case when starts_with({expression}, '{quoted_head}') "
            f"then '{quoted_prefix}' || substr({expression}, {len(head) + 1}) else {expression} end"
        )
    return expression


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
    """Kill the build at a named point (``METALNEXUS_CRASH_AT``), or pause it there (``METALNEXUS_PAUSE_AT``).

    Tests only. A pause waits for SIGINT or SIGTERM, so the interrupt tests signal a build at a known point.

    The crash tests kill a build where it matters instead of at random times: inside a BACI year's load
    transaction, while dbt writes, during the checks, and between publish's copy and its rename. When the
    build leads its own process group (as the CLI started by a test does), the whole group is killed;
    otherwise only this process (dbt runs inside it, in threads).
    """
    if name not in CRASH_POINTS:
        raise ValueError(f"unknown crash point {name!r}")
    if os.environ.get("METALNEXUS_PAUSE_AT") == name:
        _pause(name)
    if os.environ.get("METALNEXUS_CRASH_AT") != name:
        return
    import signal

    if os.getpgrp() == os.getpid():
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def _pause(name: str) -> None:
    """Say where the build waits, then wait for SIGINT or SIGTERM (which Dagster may raise right here)."""
    import time

    from warehouse.config import terminal

    print(f"  · paused at {name} (pid {os.getpid()})", file=terminal(), flush=True)
    while interrupts.received() is None:
        time.sleep(0.05)
    interrupts.check()
