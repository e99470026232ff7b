"""The README's worked queries keep their word: every ```sql block runs against the demo build (and the real
build when its data is present) and returns what the ``<!-- returns: … -->`` line before it promises: rows, or
none, and the columns named, in that order.
"""

import pytest

from tests.helpers import readme_queries
from warehouse.config import connect_published

QUERIES = readme_queries()


def test_every_sql_block_states_its_promise():
    assert len(QUERIES) >= 7
    for query in QUERIES:
        promise = query["promise"]
        assert set(promise) == {"demo", "real", "columns"}, f"README.md:{query['line']}: no full returns line"
        assert {promise["demo"], promise["real"]} <= {"rows", "none"}, f"README.md:{query['line']}"


def check(query: dict, published, build: str) -> None:
    with connect_published(published) as con:  # as `metalnexus query` runs it: no file access
        result = con.execute(query["sql"])
        columns = [d[0] for d in result.description]
        rows = result.fetchall()
    where = f"README.md:{query['line']} on the {build} build"
    assert columns == query["promise"]["columns"].split(","), where
    if query["promise"][build] == "rows":
        assert rows, f"{where}: no rows"
    else:
        assert rows == [], f"{where}: rows where the caption promises none"


@pytest.mark.parametrize("query", QUERIES, ids=[f"line{q['line']}" for q in QUERIES])
def test_readme_query_on_the_demo_build(query, tiny_build):
    check(query, tiny_build["published"], "demo")


@pytest.mark.parametrize("query", QUERIES, ids=[f"line{q['line']}" for q in QUERIES])
def test_readme_query_on_the_real_build(query, real_build):
    check(query, real_build["published"], "real")
