"""Valuation of induced imports: total (as MIC's import columns add up) vs CIF, on the shared builds."""

import duckdb
import pytest

CIF_SHARE_SQL = """
with import_columns as (
    select table_id, row_code,
        sum(value_byen) as total_byen,
        sum(value_byen) filter (where col_code not in ('imta', 'imtx')) as cif_byen
    from staging.stg_io__cells where col_code like 'im%' group by all
)
select f.table_id, f.sector_key, f.product_code, f.cif_share_of_imports,
    f.induced_import_yen_per_yen, f.induced_import_cif_yen_per_yen,
    case when i.total_byen <> 0 then i.cif_byen / i.total_byen else 1 end as cif_share_sql
from marts.fct_io_ai_induced_imports f
left join import_columns i on f.table_id = i.table_id and f.product_code = i.row_code
"""


def _frame(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).df()


@pytest.mark.parametrize("build", ["tiny_build", "real_build"])
def test_cif_share_matches_the_import_columns(build, request):
    db = request.getfixturevalue(build)["published"]
    frame = _frame(db, CIF_SHARE_SQL)
    assert len(frame) > 0
    assert frame["cif_share_of_imports"].to_numpy() == pytest.approx(frame["cif_share_sql"].to_numpy(), rel=1e-9)
    cif = frame["induced_import_yen_per_yen"] * frame["cif_share_of_imports"]
    assert frame["induced_import_cif_yen_per_yen"].to_numpy() == pytest.approx(cif.to_numpy(), rel=1e-12)
    # duties and taxes are paid on some imports: CIF is below total somewhere, never above
    assert (frame["cif_share_of_imports"] < 1).any() and (frame["cif_share_of_imports"] <= 1).all()


def test_table_1_says_its_valuation(tiny_build):
    table_1 = _frame(
        tiny_build["published"], "select distinct import_valuation from marts.rpt_ai_sector_import_dependence"
    )
    assert table_1["import_valuation"].tolist() == ["total"]  # the declared default


def test_real_pcs_own_imports_are_8_percent_above_cif(real_build):
    frame = _frame(real_build["published"], CIF_SHARE_SQL)
    pcs = frame[(frame["table_id"] == "japan_2015_basic_std") & (frame["product_code"] == "3421011")]
    # impo 1,015.306 + impd 0.270 + imtx 81.224 (no customs duty) over impo + impd (10^9 yen)
    ratio = 1 / pcs["cif_share_of_imports"].iloc[0]
    assert ratio == pytest.approx(1096.8 / 1015.576, rel=1e-9)
