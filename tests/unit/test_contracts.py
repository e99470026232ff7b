"""Python-written tables are declared once (models/marts/_python_marts.yml); their DDL comes from there, and
a build drops the relations no asset builds any more."""

import duckdb
import pytest

from warehouse.contracts import columns, create_sql, declared_tables


def test_every_python_written_table_is_declared_with_types():
    tables = declared_tables()
    assert {"fct_io_ai_induced_imports", "fct_sdg_panel_estimates", "fct_trade_projections", "build_info"} <= set(
        tables
    )
    assert all("data_type" in column for table in tables.values() for column in table)


def test_the_ddl_has_the_declared_columns_types_and_not_nulls():
    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.execute(create_sql("fct_sdg_permutation_counts"))
        made = con.execute(
            "select column_name, data_type, is_nullable from duckdb_columns() "
            "where table_name = 'fct_sdg_permutation_counts' order by column_index"
        ).fetchall()
        assert [name for name, _, _ in made] == columns("fct_sdg_permutation_counts")
        assert ("permutation", "INTEGER", False) in made and ("seed", "BIGINT", False) in made
        with pytest.raises(duckdb.ConstraintException):
            con.execute("insert into marts.fct_sdg_permutation_counts (permutation) values (1)")
    with pytest.raises(KeyError, match="not declared"):
        create_sql("rpt_nothing")


def test_a_build_drops_relations_no_asset_builds():
    from orchestration.publish import drop_stale_relations

    with duckdb.connect() as con:
        for schema in ("raw", "staging", "marts"):
            con.execute(f"create schema {schema}")
        con.execute("create table marts.kept as select 1 as x")
        con.execute("create table marts.renamed_long_ago as select 1 as x")
        con.execute("create view staging.old_view as select 1 as x")
        con.execute("create table raw.loaded as select 1 as x")  # raw tables belong to the loaders
        dropped = drop_stale_relations(con, {("marts", "kept")})
        assert sorted(dropped) == ["marts.renamed_long_ago", "staging.old_view"]
        left = con.execute("select schema_name || '.' || table_name from duckdb_tables() order by 1").fetchall()
        assert left == [("marts.kept",), ("raw.loaded",)]
