"""The BI recipe of the README: SQLAlchemy + duckdb-engine (what Superset and similar tools use), read-only.

A tool creating a dataset lists schemas, tables and columns through SQLAlchemy's inspector, then queries; a
read-only connection must refuse writes. duckdb-engine 0.17.0 fails to list columns under SQLAlchemy 2.1.x
(pg_catalog.pg_collation, absent in DuckDB 2.0), hence the SQLAlchemy pin in requirements.in.
"""

import pytest


def test_sqlalchemy_read_only_lists_queries_and_refuses_writes(tiny_build):
    import sqlalchemy as sa

    url = f"duckdb:///{tiny_build['published']}?access_mode=read_only"  # the README's URL
    engine = sa.create_engine(url)
    try:
        inspector = sa.inspect(engine)
        # duckdb-engine names schemas <database>.<schema>; the marts are there with their tables
        schemas = inspector.get_schema_names()
        marts = next(s for s in schemas if s.endswith(".marts"))
        tables = inspector.get_table_names(schema=marts)
        assert {"dim_country", "rpt_ai_sector_import_dependence", "rpt_input_coverage"} <= set(tables)
        columns = {c["name"]: c for c in inspector.get_columns("rpt_ai_sector_import_dependence", schema=marts)}
        assert {"sector_key", "rank", "hs6", "induced_import_yen_per_yen", "metals_contained"} <= set(columns)
        assert isinstance(columns["induced_import_yen_per_yen"]["type"], sa.Float)
        with engine.connect() as con:
            n_countries = con.execute(sa.text("select count(*) from marts.dim_country")).scalar_one()
            assert n_countries == 12  # the tiny demo world's countries
            for write in ("create table marts.scratch as select 1 as x", "delete from marts.dim_country"):
                with pytest.raises(sa.exc.DBAPIError, match="read-only mode"):
                    con.execute(sa.text(write))
                con.rollback()  # the refused statement aborted the transaction
    finally:
        engine.dispose()
    # the write was refused, not half-done
    from tests.helpers import query

    assert query(tiny_build["published"], "select count(*) as n from marts.dim_country")["n"].iloc[0] == 12
