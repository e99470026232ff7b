"""dbt's table and view models and seeds materialized from their compiled SQL (orchestration/dbt_models.py)."""

import duckdb
import pytest

from orchestration import dbt_models


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.t as select * from (values (1, 'a'), (2, 'b'), (3, null)) v(id, label)")
    yield con
    con.close()


def _model(name, sql, materialized="table", depends_on=(), contract=None):
    return {
        "name": name,
        "database": "memory",
        "schema": "marts",
        "identifier": name,
        "relation": f'"memory"."marts"."{name}"',
        "materialized": materialized,
        "sql": sql,
        "depends_on": [f"model.p.{d}" for d in depends_on],
        "contract": contract,
    }


def _outcome(events):
    return {e["data"]["node_info"]["node_name"]: e["data"]["status"] for e in events}


def test_plan_sends_what_cannot_run_here_to_dbt_with_the_models_it_reads():
    # seed s -> a -> inc (incremental, runs in dbt) -> c ; a -> b ; d alone
    selected = {
        "seed.p.s": {"depends_on": {}},
        "model.p.a": {"depends_on": {"nodes": ["seed.p.s", "source.p.raw.t"]}},
        "model.p.inc": {"depends_on": {"nodes": ["model.p.a"]}},
        "model.p.c": {"depends_on": {"nodes": ["model.p.inc", "model.p.b"]}},
        "model.p.b": {"depends_on": {"nodes": ["model.p.a"]}},
        "model.p.d": {"depends_on": {"nodes": []}},
    }
    compiled = {uid: {} for uid in ("seed.p.s", "model.p.a", "model.p.b", "model.p.c", "model.p.d")}
    in_dbt, order = dbt_models.plan(selected, compiled)
    assert in_dbt == {"model.p.inc", "model.p.a", "seed.p.s"}  # inc, and what it reads (a, and a's seed)
    assert sorted(order) == ["model.p.b", "model.p.c", "model.p.d"]
    assert order.index("model.p.b") < order.index("model.p.c")  # c reads b
    # nothing that needs dbt: everything runs here, parents first
    in_dbt, order = dbt_models.plan({k: v for k, v in selected.items() if k != "model.p.inc"}, compiled)
    assert in_dbt == set() and order.index("seed.p.s") < order.index("model.p.a") < order.index("model.p.b")


def test_tables_and_views_are_built_and_replaced(con):
    models = {
        "model.p.v": _model("v", "select id, label from raw.t where id > 1", materialized="view"),
        "model.p.w": _model("w", 'select count(*) as n from "memory"."marts"."v"', depends_on=["v"]),
    }
    events = dbt_models.run_models(con, models, ["model.p.v", "model.p.w"])
    assert _outcome(events) == {"v": "success", "w": "success"}
    assert con.execute("select n from marts.w").fetchone() == (2,)
    assert con.execute("select table_type from information_schema.tables where table_name = 'v'").fetchone() == (
        "VIEW",
    )
    # a view that becomes a table is replaced (the old relation dropped as what it was)
    models["model.p.v"] = _model("v", "select 7 as id", materialized="table")
    assert _outcome(dbt_models.run_models(con, models, ["model.p.v", "model.p.w"])) == {"v": "success", "w": "success"}
    assert con.execute("select table_type from information_schema.tables where table_name = 'v'").fetchone() == (
        "BASE TABLE",
    )
    assert con.execute("select n from marts.w").fetchone() == (1,)
    event = events[0]
    assert event["info"]["name"] == "LogModelResult" and event["data"]["node_info"]["materialized"] == "view"


def test_a_model_that_fails_keeps_its_relation_and_its_readers_are_skipped(con):
    models = {
        "model.p.a": _model("a", "select id from raw.t"),
        "model.p.b": _model("b", 'select * from "memory"."marts"."a"', depends_on=["a"]),
        "model.p.c": _model("c", "select 1 as one"),
    }
    dbt_models.run_models(con, models, ["model.p.a", "model.p.b", "model.p.c"])
    models["model.p.a"] = _model("a", "select no_such_column from raw.t")
    models["model.p.c"] = _model("c", "select 2 as one")
    events = dbt_models.run_models(con, models, ["model.p.a", "model.p.b", "model.p.c"])
    assert _outcome(events) == {"a": "error", "b": "skipped", "c": "success"}
    assert "no_such_column" in events[0]["data"]["message"]
    assert con.execute("select count(*) from marts.a").fetchone() == (3,)  # the old table, rows and all
    assert con.execute("select one from marts.c").fetchone() == (2,)
    # a node dbt did not build blocks what reads it, here too
    events = dbt_models.run_models(con, models, ["model.p.b", "model.p.c"], blocked={"model.p.a"})
    assert _outcome(events) == {"b": "skipped", "c": "success"}


def test_an_enforced_contract_builds_the_declared_table_or_fails_saying_why(con):
    contract = [["id", "integer", True], ["label", "varchar", False]]
    model = _model("k", "select label, id from raw.t where id < 3", contract=contract)
    assert _outcome(dbt_models.run_models(con, {"model.p.k": model}, ["model.p.k"])) == {"k": "success"}
    columns = con.execute(
        "select column_name, data_type, is_nullable from information_schema.columns where table_name = 'k' "
        "order by ordinal_position"
    ).fetchall()
    assert columns == [("id", "INTEGER", "NO"), ("label", "VARCHAR", "YES")]  # declared order and not null
    # a retyped, a missing and an extra column: each named; the table keeps its rows
    broken = _model("k", "select cast(id as varchar) as id, 1 as extra from raw.t", contract=contract)
    [event] = dbt_models.run_models(con, {"model.p.k": broken}, ["model.p.k"])
    message = event["data"]["message"]
    assert event["data"]["status"] == "error"
    assert "id: VARCHAR in the query, INTEGER in the contract" in message
    assert "label: missing from the query" in message and "extra: not in the contract" in message
    assert con.execute("select count(*) from marts.k").fetchone() == (2,)
    # a NULL in a not-null column fails the insert, as in dbt
    nulls = _model("k", "select cast(null as integer) as id, 'x' as label", contract=contract)
    [event] = dbt_models.run_models(con, {"model.p.k": nulls}, ["model.p.k"])
    assert event["data"]["status"] == "error" and con.execute("select count(*) from marts.k").fetchone() == (2,)


def test_a_seed_is_its_csv_with_the_columns_dbt_infers(con, tmp_path):
    csv = tmp_path / "codes.csv"
    csv.write_text('code,share,flag,name\n0101,0.5,true,a\n0202,1,false,"b, with comma"\n')
    seed = _model("codes", "", materialized="seed") | {
        "schema": "seeds",
        "relation": '"memory"."seeds"."codes"',
        "path": str(csv),
        "delimiter": ",",
        "columns": [["code", "varchar"], ["share", "double"], ["flag", "boolean"], ["name", "varchar"]],
    }
    [event] = dbt_models.run_models(con, {"seed.p.codes": seed}, ["seed.p.codes"])
    assert event["info"]["name"] == "LogSeedResult" and event["data"]["status"] == "success"
    assert con.execute("select * from seeds.codes order by code").fetchall() == [
        ("0101", 0.5, True, "a"),
        ("0202", 1.0, False, "b, with comma"),
    ]


def test_results_are_reported_as_they_come(con):
    seen = []
    models = {"model.p.a": _model("a", "select 1 as x"), "model.p.b": _model("b", "select 2 as x")}
    dbt_models.run_models(con, models, ["model.p.a", "model.p.b"], on_result=seen.append)
    assert [e["data"]["node_info"]["unique_id"] for e in seen] == ["model.p.a", "model.p.b"]


def test_the_parse_and_compiled_sql_are_shared_by_warehouses_in_other_folders_not_by_other_names(monkeypatch):
    from orchestration.dbt import _parse_key

    def key(path):
        monkeypatch.setenv("METALNEXUS_DUCKDB", path)
        return _parse_key([])

    assert key("/a/build/metalnexus.build.duckdb") == key("/b/other/metalnexus.build.duckdb")
    assert key("/a/build/metalnexus.build.duckdb") != key("/a/build/other.build.duckdb")  # another database name
    assert key("/a/x.duckdb") != _parse_key(["--vars", '{"k": 1}'])
