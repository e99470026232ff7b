"""The tables the Python analysis assets write, as declared once in ``models/marts/_python_marts.yml``.

That YAML (the dbt source ``analysis_marts``) names each table's columns with their type, meaning and
nullability (a ``not_null`` constraint). The assets create their tables from it (:func:`create_sql`), dbt
documents and tests them from it, and the models downstream read them as sources: one declaration.
"""

from __future__ import annotations

import functools

from warehouse.config import DBT_PROJECT_DIR

DECLARATION = DBT_PROJECT_DIR / "models" / "marts" / "_python_marts.yml"


@functools.lru_cache(maxsize=1)
def declared_tables() -> dict[str, list[dict]]:
    """Return ``{table: [column, ...]}`` from the declaration, each column a dict of the YAML."""
    import yaml

    with open(DECLARATION) as handle:
        sources = yaml.safe_load(handle)["sources"]
    return {table["name"]: table["columns"] for source in sources for table in source["tables"]}


def columns(table: str) -> list[str]:
    """Return the declared column names of ``table`` in order."""
    return [column["name"] for column in declared_tables()[table]]


def create_sql(table: str, schema: str = "marts") -> str:
    """Return ``create or replace table`` for ``table`` with its declared types and not-null columns."""
    if table not in declared_tables():
        raise KeyError(f"{table} is not declared in {DECLARATION.name}")
    parts = []
    for column in declared_tables()[table]:
        if "data_type" not in column:
            raise ValueError(f"{DECLARATION.name}: column {table}.{column['name']} has no data_type")
        not_null = any(c.get("type") == "not_null" for c in column.get("constraints") or [])
        parts.append(f'"{column["name"]}" {column["data_type"]}' + (" not null" if not_null else ""))
    return f"create or replace table {schema}.{table} ({', '.join(parts)})"
