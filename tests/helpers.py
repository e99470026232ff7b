"""Helpers the tests share: reading a warehouse, fingerprinting its marts, running dbt on a copy.

Tests import from here, never from each other. dbt runs against the project's own target folder so that
its partial parsing (saved by ``dbt parse`` when the definitions load) serves every call of the session.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from warehouse.config import DBT_PROJECT_DIR

SERIES = ["hs6", "exporter_code", "importer_code"]

# Any trace of a stack on a terminal: Python's, Dagster's serialized errors, a caret line, a file:line frame.
STACK_TRACE = re.compile(r"Traceback|^\s+File \"|^\s+at |^\s*\^+\s*$|Stack Trace|\.py\", line \d+", re.MULTILINE)
# What a build may print on stderr before its last lines: the start line, progress lines, notices.
PROGRESS = re.compile(r"^(building the warehouse from |generating the demo world |  · |  ! )")


def sha256(path: Path) -> str:
    """Return the sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def query(db: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run one query read-only against a DuckDB file and return a DataFrame."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).df()


def mart_fingerprint(path: Path) -> dict:
    """Row count and an order-independent checksum of every mart table (load timestamps left out)."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' and table_name != 'build_info'"
            ).fetchall()
        ]
        out = {}
        for table in tables:
            # load times differ between builds of the same inputs; everything else must not. DuckDB's parallel
            # float sums differ in the last bits between runs, and the ridge fits amplify that to ~1e-14
            # relative (measured), which 12 digits caught now and then: doubles are compared to 10 digits
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = 'marts' "
                "and table_name = ? and column_name not in ('loaded_at', 'built_at') order by column_index",
                [table],
            ).fetchall()
            listed = ", ".join(
                f'"{c}" := printf(\'%.10g\', "{c}")' if kind in ("DOUBLE", "FLOAT") else f'"{c}" := "{c}"'
                for c, kind in columns
            )
            out[table] = con.execute(
                f'select count(*), coalesce(sum(hash(struct_pack({listed}))), 0) from marts."{table}"'
            ).fetchone()
    return out


def load_baci(db: Path, data_dir: Path, kind: str = "demo") -> int:
    """Load a data folder's BACI country list and yearly flows into ``db``; return the flows loaded."""
    from warehouse.discover import discover
    from warehouse.loaders import Loader

    inv = discover(data_dir)
    with duckdb.connect(str(db)) as con:
        loader = Loader(con, kind)
        loader.baci_countries(inv.baci_countries)
        return sum(loader.baci_year(year, paths) for year, paths in inv.baci_years.items())


def dbt_work_dir() -> Path:
    """The session's folder for :func:`dbt_build`: the fixed warehouse path dbt sees, and its target folder."""
    folder = Path(tempfile.gettempdir()) / f"metalnexus-dbt-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    return folder


def dbt_build(
    db: Path,
    select: str,
    variables: dict | None = None,
    full_refresh: bool = False,
    target_path: Path | None = None,
    verb: str = "build",
    check: bool = True,
) -> None:
    """Run ``dbt VERB --select SELECT`` (``build`` unless told) against ``db`` in this process; fail if dbt did.

    With ``check=False`` a dbt run that ends with failed tests does not fail the caller (which reads
    ``run_results.json`` in the target folder instead).

    ``db`` is a copy the test owns. dbt sees it at one fixed path for the whole session (it is moved
    there for the run and back): the warehouse path is part of the profile dbt hashes, so a new path made
    every call re-parse the whole project (about 6 s) instead of reusing the partial-parse state.

    ``target_path`` gives the run its own target folder (compiled SQL, run results): use it with
    ``variables``, which invalidate the partial parse that the other calls share in ``dbt_work_dir()/target``
    (not the project's target, where the builds keep the parse state of their own warehouse path).
    """
    work = dbt_work_dir() / "warehouse.duckdb"
    target_path = target_path or dbt_work_dir() / "target"
    assert not Path(f"{db}.wal").exists(), f"{db} has an open or unfinished write-ahead log"
    os.replace(db, work)
    try:
        _run_dbt(work, select, variables, full_refresh, target_path, verb, check)
    finally:
        os.replace(work, db)
        if Path(f"{work}.wal").exists():  # a log dbt left unmerged goes with its database
            os.replace(f"{work}.wal", f"{db}.wal")


def _run_dbt(db, select, variables, full_refresh, target_path, verb, check=True) -> None:
    """Run dbt in this process (``dbtRunner``, as a build does): no interpreter start nor dbt import per call.

    A run that fails (dbt's return code 2, or 1 when ``check``) fails the caller with dbt's exception and
    the messages of the nodes that failed.
    """
    from orchestration.dbt import invoke

    args = [verb, "--quiet", "--select", *select.split(), "--target-path", str(target_path)]
    if variables:
        args += ["--vars", json.dumps(variables)]
    if full_refresh:
        args.append("--full-refresh")
    saved = os.environ.get("METALNEXUS_DUCKDB")
    os.environ["METALNEXUS_DUCKDB"] = str(db)  # the profile's path
    try:
        done = invoke(args)
    finally:
        if saved is None:
            os.environ.pop("METALNEXUS_DUCKDB", None)
        else:
            os.environ["METALNEXUS_DUCKDB"] = saved
    failed = [
        f"{result.node.unique_id}: {result.status} {result.message}"
        for result in getattr(done.result, "results", None) or []
        if str(result.status) in ("error", "fail")
    ]
    assert done.success or (not check and done.exception is None), f"dbt {verb}: {done.exception} {failed[:10]}"


README_SQL = re.compile(r"(?:<!-- returns: (?P<promise>[^>]*?) -->\n)?```sql\n(?P<sql>.*?)```", re.DOTALL)


def readme_queries() -> list[dict]:
    """Every ```sql block of the README: ``line``, ``sql`` and its promise (``demo``, ``real``: rows|none; ``columns``).

    The promise is the ``<!-- returns: … -->`` line just before the block.
    """
    found = []
    text = (DBT_PROJECT_DIR.parent / "README.md").read_text()
    for match in README_SQL.finditer(text):
        line = text.count("\n", 0, match.start("sql"))
        promise = dict(item.split("=", 1) for item in (match["promise"] or "").split())
        found.append({"line": line, "sql": match["sql"], "promise": promise})
    return found
