"""The README's worked queries keep their word: every ```sql block runs against the demo build (and the real
build when its data is present) and returns what the ``<!-- returns: … -->`` line before it promises: rows, or
none, and the columns named, in that order.
"""

import re

import duckdb
import pytest

from warehouse.config import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
BLOCK = re.compile(r"(?:<!-- returns: (?P<promise>[^>]*?) -->\n)?```sql\n(?P<sql>.*?)```", re.DOTALL)


def readme_queries() -> list[dict]:
    """Every ```sql block of the README with its promise (``demo``, ``real``: rows|none; ``columns``)."""
    found = []
    text = README.read_text()
    for match in BLOCK.finditer(text):
        line = text.count("\n", 0, match.start("sql"))
        promise = dict(item.split("=", 1) for item in (match["promise"] or "").split())
        found.append({"line": line, "sql": match["sql"], "promise": promise})
    return found


QUERIES = readme_queries()


def test_every_sql_block_states_its_promise():
    assert len(QUERIES) >= 7
    for query in QUERIES:
        promise = query["promise"]
        assert set(promise) == {"demo", "real", "columns"}, f"README.md:{query['line']}: no full returns line"
        assert {promise["demo"], promise["real"]} <= {"rows", "none"}, f"README.md:{query['line']}"


def check(query: dict, published, build: str) -> None:
    with duckdb.connect(str(published), read_only=True) as con:
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
