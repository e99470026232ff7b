"""dbt's data tests of a build step, compiled by dbt once and run here in one DuckDB connection.

``dbt build`` runs each data test as a node of its own: it renders the test's Jinja, opens a transaction,
runs the query, and fires a dozen structured events, about 25 ms a test in Python, whatever the table's
size; the build's ~360 tests cost more than its ~100 models. Here dbt still defines and compiles every test
(``dbt compile``, the same SQL ``dbt test`` runs), but only when the project, its vars or the build file
change; the compiled SQL is kept in the target folder (``data_tests.json``), and a build runs it the way
dbt's test materialization does — ``fail_calc`` over the failing rows, compared with ``warn_if`` and
``error_if``, the test's severity deciding fail or warn — then reports each result as the event dbt would
have sent, so the asset checks Dagster shows are the same ones, named the same way.

``dbt test`` and ``dbt build`` from the command line are untouched and run the same tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

CACHE_NAME = "data_tests.json"
# config keys of a test that change how its query is wrapped or judged (dbt's test materialization)
JUDGING = ("severity", "fail_calc", "warn_if", "error_if", "limit")


def cache_key(parse_key: tuple) -> str:
    """Return the key compiled tests are kept under: a digest of what dbt's parse and compile depend on."""
    return hashlib.sha256(repr(parse_key).encode()).hexdigest()[:20]


def read_cache(path: Path, key: str, part: str = "tests") -> dict[str, dict] | None:
    """Return the compiled nodes kept at ``path`` under ``key``, or None when absent, stale or unreadable.

    ``part`` names what the file holds: ``tests`` here, ``models`` for :mod:`orchestration.dbt_models`.
    """
    try:
        kept = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return kept[part] if kept.get("key") == key and isinstance(kept.get(part), dict) else None


def write_cache(path: Path, key: str, nodes: Mapping[str, dict], part: str = "tests") -> None:
    """Keep compiled nodes at ``path`` (written aside and renamed: a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps({"key": key, part: dict(nodes)}, indent=0, sort_keys=True))
    partial.replace(path)


def from_compile_results(results: Iterable[Any]) -> dict[str, dict]:
    """Return ``{unique_id: {name, sql, severity, fail_calc, warn_if, error_if, limit}}`` from ``dbt compile``."""
    tests = {}
    for result in results:
        node = result.node
        if not node.unique_id.startswith("test."):
            continue
        config = node.config
        tests[node.unique_id] = {
            "name": node.name,
            "sql": node.compiled_code,
            **{item: getattr(config, item) for item in JUDGING},
        }
    return tests


def wrapped(test: Mapping[str, Any]) -> str:
    """Return the query dbt's test materialization runs for one compiled test: one row of three values."""
    limit = f"\nlimit {int(test['limit'])}" if test.get("limit") is not None else ""
    calc = test.get("fail_calc") or "count(*)"
    return (
        f"select\n    {calc} as failures,\n"
        f"    ({calc}) {test.get('warn_if') or '!= 0'} as should_warn,\n"
        f"    ({calc}) {test.get('error_if') or '!= 0'} as should_error\n"
        f"from (\n{test['sql']}{limit}\n) as dbt_internal_test"
    )


def judge(test: Mapping[str, Any], failures: int | None, should_warn: bool, should_error: bool) -> str:
    """Return dbt's status for a test's outcome: ``fail`` (error severity), ``warn`` or ``pass``."""
    severity = str(test.get("severity") or "error").lower()
    if severity == "error" and should_error:
        return "fail"
    if should_warn:
        return "warn"
    return "pass"


def run_tests(con, tests: Mapping[str, Mapping[str, Any]], invocation_id: str | None = None) -> list[dict]:
    """Run compiled tests on a DuckDB connection; return one dbt ``LogTestResult`` event (as a dict) per test.

    A test whose query fails (a column gone, say) gets status ``error`` and the database's message, as in
    dbt; the other tests still run. Events carry what dagster-dbt reads: the node's id, name, status and
    times, and the number of failing rows.
    """
    invocation_id = invocation_id or str(uuid.uuid4())
    events = []
    for unique_id, test in tests.items():
        started = dt.datetime.now(dt.UTC)
        clock = time.monotonic()
        message = None
        try:
            failures, should_warn, should_error = con.execute(wrapped(test)).fetchone()
            status = judge(test, failures, bool(should_warn), bool(should_error))
        except Exception as exc:  # noqa: BLE001 - any database error is this test's error, as in dbt
            failures, status, message = None, "error", " ".join(str(exc).split())[:500]
        finished = dt.datetime.now(dt.UTC)
        data = {
            "node_info": {
                "unique_id": unique_id,
                "node_name": test["name"],
                "resource_type": "test",
                "node_status": status,
                "node_started_at": started.isoformat(),
                "node_finished_at": finished.isoformat(),
            },
            "status": status,
            "execution_time": time.monotonic() - clock,
            "num_failures": int(failures) if failures is not None else None,
        }
        if message:
            data["message"] = message
        events.append({"info": {"name": "LogTestResult", "invocation_id": invocation_id}, "data": data})
    return events
