"""dbt's table and view models of a build step, compiled by dbt once and materialized here in one connection.

``dbt build`` spends about 30 ms of Python on every model whatever its size (rendering the model and the
materialization's Jinja, a transaction, a dozen structured events, writing the compiled and run SQL): on
a tiny build about 4 s for 92 models whose SQL takes 1.1 s in DuckDB. Here dbt still defines and compiles
every model (``dbt compile``, kept with the data tests' compiled SQL, see :mod:`orchestration.dbt_tests`),
and a build wraps each compiled query in the statements the project's own materializations
(``dbt_project/macros/materializations.sql``) run: the old relation dropped and the new one created in one
transaction, so a model that fails keeps its previous relation; an enforced contract's columns checked first
and the table created with its declared columns and constraints. Each result is reported as the event dbt
would have sent, so Dagster's assets are the same.

Only what these materializations cover runs here: a table or view model without hooks, grants or
persisted docs. Seeds, incremental
models and models with hooks run in ``dbt build`` itself, with the models they read (see :func:`plan`).
``dbt run`` and ``dbt build`` from the command line are untouched; ``test_models_materialize_as_dbt_does``
builds every model both ways and compares the relations.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

CACHE_NAME = "compiled_models.json"
# the form models are kept in: part of their cache key, so a change here compiles them again
CACHE_FORMAT = 2
MATERIALIZATIONS = frozenset({"table", "view"})


def from_compile_results(results: Iterable[Any]) -> dict[str, dict]:
    """Return ``{unique_id: model}`` for the compiled models this module can materialize.

    A model is its relation's parts, materialization, compiled SQL, parents and, when its contract is
    enforced, its declared columns (name, data type, not null) in order. Models with hooks or another
    materialization are left out: they run in dbt.
    """
    models = {}
    for result in results:
        node = result.node
        if node.resource_type != "model":
            continue
        config = node.config
        # hooks, grants and comments persisted to the database are for dbt's materialization to run
        extras = bool(config.pre_hook or config.post_hook or config.grants or config.persist_docs)
        if not runs_here(config.materialized, extras):
            continue
        contract = None
        if node.config.contract.enforced:
            contract = [
                [column.name, column.data_type, any(c.type == "not_null" for c in column.constraints)]
                for column in node.columns.values()
            ]
        models[node.unique_id] = {
            "name": node.name,
            "database": node.database,
            "schema": node.schema,
            "identifier": node.alias,
            "relation": node.relation_name,
            "materialized": node.config.materialized,
            "sql": node.compiled_code,
            "depends_on": list(node.depends_on.nodes),
            "contract": contract,
        }
    return models


def seeds_from_manifest(manifest) -> dict[str, dict]:
    """Return ``{unique_id: seed}`` for the project's seeds: their CSV file and the columns dbt would create.

    The columns are named and typed as dbt's seed materialization does: the file read by dbt's own CSV
    reader (agate), each column's type inferred by the adapter unless the seed's ``column_types`` sets it.
    They depend only on the seed files, which are part of the key the compiled models are kept under.
    """
    from dbt.adapters.duckdb import DuckDBAdapter
    from dbt_common.clients import agate_helper

    seeds = {}
    for uid, node in manifest.nodes.items():
        if node.resource_type != "seed":
            continue
        path = Path(node.root_path) / node.original_file_path
        config = node.config
        if getattr(config, "quote_columns", None) is False or config.get("fast", True) is False:
            continue  # not what dbt-duckdb's fast seed does: dbt loads it
        table = agate_helper.from_csv(str(path), text_columns=config.column_types, delimiter=config.delimiter)
        overrides = config.column_types or {}
        columns = [
            [name, overrides.get(name) or DuckDBAdapter.convert_type(table, index)]
            for index, name in enumerate(table.column_names)
        ]
        seeds[uid] = {
            "name": node.name,
            "database": node.database,
            "schema": node.schema,
            "identifier": node.alias,
            "relation": node.relation_name,
            "materialized": "seed",
            "path": str(path.resolve()),
            "delimiter": config.delimiter,
            "columns": columns,
            "depends_on": [],
            "contract": None,
        }
    return seeds


def runs_here(materialized: str, extras: bool) -> bool:
    """Return whether a model of this materialization, with or without ``extras``, can be materialized here.

    ``extras`` are hooks, grants or documentation persisted to the database: dbt's materialization runs those.
    """
    return materialized in MATERIALIZATIONS and not extras


def plan(selected: Mapping[str, Mapping[str, Any]], compiled: Mapping[str, dict]) -> tuple[set[str], list[str]]:
    """Split a step's selected nodes into those ``dbt build`` runs and those materialized here, in order.

    ``selected`` maps each selected model or seed to its manifest entry (``depends_on.nodes``). dbt runs
    what this module cannot (not in ``compiled``) and every selected node upstream of those, so that it
    runs first; the rest come back in an order where each node follows its selected parents.
    """
    parents = {
        uid: [parent for parent in props.get("depends_on", {}).get("nodes", []) if parent in selected]
        for uid, props in selected.items()
    }
    in_dbt: set[str] = set()
    stack = [uid for uid in selected if uid not in compiled]
    while stack:
        uid = stack.pop()
        if uid not in in_dbt:
            in_dbt.add(uid)
            stack.extend(parents[uid])
    order: list[str] = []
    placed = set(in_dbt)

    def place(uid: str) -> None:
        if uid in placed:
            return
        placed.add(uid)
        for parent in parents[uid]:
            place(parent)
        order.append(uid)

    for uid in sorted(selected):
        place(uid)
    return in_dbt, order


def normalised_type(con, data_type: str) -> str:
    """Return DuckDB's own name of a type as written in a contract (``integer`` → ``INTEGER``)."""
    return con.execute(f"select typeof(cast(null as {data_type}))").fetchone()[0]


def contract_mismatches(con, model: Mapping[str, Any]) -> list[str]:
    """Return how the model's query differs from its contract: missing, extra and retyped columns.

    As dbt's contract check, run on the query without building anything: the declared columns must be
    exactly the query's, each of the declared type (types compared as DuckDB names them).
    """
    described = con.execute(f"describe select * from (\n{model['sql']}\n) as model_subq").fetchall()
    actual = {name: data_type for name, data_type, *_ in described}
    declared = {name: normalised_type(con, data_type) for name, data_type, _ in model["contract"]}
    problems = [f"{name}: missing from the query" for name in declared if name not in actual]
    problems += [f"{name}: not in the contract" for name in actual if name not in declared]
    problems += [
        f"{name}: {actual[name]} in the query, {declared[name]} in the contract"
        for name in declared
        if name in actual and actual[name] != declared[name]
    ]
    return problems


def statements(model: Mapping[str, Any], existing: str | None) -> list[str]:
    """Return what the project's materialization runs for ``model``, in one transaction.

    ``existing`` is the type of the relation the model replaces (``table``, ``view``) or None.
    """
    relation = model["relation"]
    run = [f"drop {existing} if exists {relation} cascade"] if existing else []
    if model["materialized"] == "seed":
        definitions = ", ".join(f'"{name}" {data_type}' for name, data_type in model["columns"])
        path, delimiter = model["path"].replace("'", "''"), model["delimiter"].replace("'", "''")
        return [
            *run,
            f"create table {relation} ({definitions})",
            f"copy {relation} from '{path}' (format csv, header true, delimiter '{delimiter}')",
        ]
    if model["materialized"] == "view":
        return [*run, f"create view {relation} as (\n{model['sql']}\n)"]
    if not model["contract"]:
        return [*run, f"create table {relation} as (\n{model['sql']}\n)"]
    columns = ", ".join(name for name, _, _ in model["contract"])
    definitions = ",\n    ".join(
        f"{name} {data_type}{' not null' if not_null else ''}" for name, data_type, not_null in model["contract"]
    )
    return [
        *run,
        f"create table {relation} (\n    {definitions}\n)",
        f"insert into {relation} ({columns}) (\n    select {columns}\n    from (\n{model['sql']}\n"
        "    ) as model_subq\n)",
    ]


def existing_relations(con) -> dict[tuple[str, str, str], str]:
    """Return ``{(database, schema, identifier): 'table' | 'view'}`` for every relation in the connection."""
    rows = con.execute(
        "select table_catalog, table_schema, table_name, table_type from information_schema.tables"
    ).fetchall()
    return {(db, schema, name): "view" if kind == "VIEW" else "table" for db, schema, name, kind in rows}


def run_models(
    con,
    models: Mapping[str, Mapping[str, Any]],
    order: list[str],
    blocked: Iterable[str] = (),
    invocation_id: str | None = None,
    on_result: Callable[[dict], None] | None = None,
) -> list[dict]:
    """Materialize the models in ``order``; return one dbt ``LogModelResult`` event (as a dict) per model.

    A model whose statements fail is rolled back (its previous relation stays) and reported ``error`` with
    the database's message; the models that read it, directly or not, and those downstream of a node in
    ``blocked`` (one dbt did not build), are ``skipped``, as dbt skips them; the others still run.
    """
    invocation_id = invocation_id or str(uuid.uuid4())
    relations = existing_relations(con)
    unbuilt = set(blocked)
    for schema in sorted({(m["database"], m["schema"]) for uid, m in models.items() if uid in order}):
        con.execute(f'create schema if not exists "{schema[0]}"."{schema[1]}"')
    events = []
    for uid in order:
        model = models[uid]
        started = dt.datetime.now(dt.UTC)
        clock = time.monotonic()
        message = None
        if any(parent in unbuilt for parent in model["depends_on"]):
            status = "skipped"
        else:
            key = (model["database"], model["schema"], model["identifier"])
            status, message = _materialize(con, model, relations.get(key))
            if status == "success":
                relations[key] = "view" if model["materialized"] == "view" else "table"
        if status != "success":
            unbuilt.add(uid)
        finished = dt.datetime.now(dt.UTC)
        data = {
            "node_info": {
                "unique_id": uid,
                "node_name": model["name"],
                "resource_type": "seed" if model["materialized"] == "seed" else "model",
                "materialized": model["materialized"],
                "node_status": status,
                "node_started_at": started.isoformat(),
                "node_finished_at": finished.isoformat(),
            },
            "status": status,
            "execution_time": time.monotonic() - clock,
        }
        if message:
            data["message"] = message
        name = "LogSeedResult" if model["materialized"] == "seed" else "LogModelResult"
        event = {"info": {"name": name, "invocation_id": invocation_id}, "data": data}
        events.append(event)
        if on_result is not None:
            on_result(event)
    return events


def _materialize(con, model: Mapping[str, Any], existing: str | None) -> tuple[str, str | None]:
    """Run one model's statements in a transaction; return ``(status, message)``; roll back on failure."""
    con.execute("begin transaction")
    try:
        if model["contract"]:
            problems = contract_mismatches(con, model)
            if problems:
                con.rollback()
                return "error", f"the model's enforced contract does not hold: {'; '.join(problems)}"
        for statement in statements(model, existing):
            con.execute(statement)
        con.commit()
        return "success", None
    except Exception as exc:  # noqa: BLE001 - a database error is this model's error, as in dbt
        con.rollback()
        return "error", " ".join(str(exc).split())[:500]
    except BaseException:  # an interrupt: nothing of the model is kept
        with contextlib.suppress(Exception):
            con.rollback()
        raise
