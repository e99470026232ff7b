"""dbt's data tests run from their compiled SQL (orchestration/dbt_tests.py), judged as dbt judges them."""

import duckdb
import pytest

from orchestration import dbt_tests


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create table t as select * from (values (1, 'a'), (2, 'b'), (2, null), (3, 'c')) v(id, label)")
    yield con
    con.close()


def _test(sql, **config):
    return {"name": "t_test", "sql": sql, "severity": "ERROR", "fail_calc": "count(*)", "warn_if": "!= 0",
            "error_if": "!= 0", "limit": None} | config  # fmt: skip


DUPLICATE_IDS = "select id from t group by id having count(*) > 1"
NULL_LABELS = "select * from t where label is null"


def test_failing_rows_are_counted_and_judged_as_dbt_does(con):
    events = dbt_tests.run_tests(
        con,
        {
            "test.p.unique_id": _test(DUPLICATE_IDS),  # one duplicated id (2)
            "test.p.not_null_label": _test(NULL_LABELS),  # one NULL label
            "test.p.ids_positive": _test("select * from t where id <= 0"),  # none
            "test.p.warn_only": _test(NULL_LABELS, severity="warn"),
            "test.p.error_above_one": _test(NULL_LABELS, error_if="> 1"),  # 1 failing row: warns, does not fail
            "test.p.limited": _test("select * from t", limit=2, warn_if="> 5", error_if="> 5"),  # 2 rows seen
        },
    )
    outcome = {e["data"]["node_info"]["unique_id"]: (e["data"]["status"], e["data"]["num_failures"]) for e in events}
    assert outcome == {
        "test.p.unique_id": ("fail", 1),
        "test.p.not_null_label": ("fail", 1),
        "test.p.ids_positive": ("pass", 0),
        "test.p.warn_only": ("warn", 1),
        "test.p.error_above_one": ("warn", 1),
        "test.p.limited": ("pass", 2),
    }


def test_a_custom_fail_calc_is_what_is_compared(con):
    # dbt's fail_calc: here the sum of the ids of the duplicated rows (2 + 2 = 4)
    test = _test("select * from t where id = 2", fail_calc="sum(id)", error_if="> 3", warn_if="> 3")
    [event] = dbt_tests.run_tests(con, {"test.p.sum": test})
    assert (event["data"]["status"], event["data"]["num_failures"]) == ("fail", 4)


def test_a_broken_test_is_an_error_and_the_others_still_run(con):
    events = dbt_tests.run_tests(
        con, {"test.p.broken": _test("select no_such_column from t"), "test.p.ok": _test(DUPLICATE_IDS)}
    )
    broken, ok = events
    assert broken["data"]["status"] == "error" and broken["data"]["num_failures"] is None
    assert "no_such_column" in broken["data"]["message"]
    assert ok["data"]["status"] == "fail"


def test_events_carry_what_dagster_dbt_reads(con):
    [event] = dbt_tests.run_tests(con, {"test.p.unique_id": _test(DUPLICATE_IDS)}, invocation_id="inv-1")
    assert event["info"] == {"name": "LogTestResult", "invocation_id": "inv-1"}
    node = event["data"]["node_info"]
    assert node["resource_type"] == "test" and node["node_name"] == "t_test" and node["node_status"] == "fail"
    assert node["node_started_at"] <= node["node_finished_at"]


def test_compiled_tests_are_kept_under_their_key(tmp_path):
    path = tmp_path / "target" / dbt_tests.CACHE_NAME
    tests = {"test.p.a": _test(DUPLICATE_IDS)}
    key = dbt_tests.cache_key(("/build/x.build.duckdb", "80%", ("--vars", "{}"), 1.0))
    assert dbt_tests.read_cache(path, key) is None  # nothing kept yet
    dbt_tests.write_cache(path, key, tests)
    assert dbt_tests.read_cache(path, key) == tests
    other = dbt_tests.cache_key(("/build/y.build.duckdb", "80%", ("--vars", "{}"), 1.0))  # another database name
    assert other != key and dbt_tests.read_cache(path, other) is None
    path.write_text("{not json")
    assert dbt_tests.read_cache(path, key) is None
    assert [p.name for p in path.parent.iterdir()] == [dbt_tests.CACHE_NAME]  # no partial file left


def test_wrapped_query_is_one_row_of_three_values(con):
    assert con.execute(dbt_tests.wrapped(_test(NULL_LABELS))).fetchall() == [(1, True, True)]
