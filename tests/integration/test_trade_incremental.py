"""Incremental re-cleaning: re-loading one BACI year re-cleans exactly the series that year touches.

A copy of the session's tiny build (raw BACI loaded, cleaning models built); then one year's file is changed (one
quantity x1000, one flow of a many-year series removed, one single-year series removed), that year is
re-loaded with the loader and ``dbt build`` runs again (incremental). Checked on the series model
(``int_trade_series_ma_sd``, one row per series): the re-cleaned series (stamped with the new run's
``cleaning_run_id``) are exactly the series with a flow in that year before or after the change, every other
series is untouched, the vanished series is gone, the cleaned flows lost the removed rows, and the result
equals a ``--full-refresh`` rebuild row for row.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from tests.helpers import SERIES, dbt_build
from tests.helpers import query as _query

YEAR = 2005
MODELS = "+int_trade_flows_cleaned stg_baci__countries"  # the staging relationship test needs both
KEY = ["hs6", "exporter_code", "importer_code", "year"]
SERIES_TABLE = "intermediate.int_trade_series_ma_sd"
# flagged_points (a list of structs) compared as text; the values in it are exact (max, not sums, per year)
SERIES_QUERY = f"select * replace (cast(flagged_points as varchar) as flagged_points) from {SERIES_TABLE}"
FLOWS_QUERY = "select * from intermediate.int_trade_flows_cleaned"


def _reload_year(db: Path, data_dir: Path, year: int) -> int:
    from warehouse.discover import discover
    from warehouse.loaders import Loader

    inv = discover(data_dir)
    with duckdb.connect(str(db)) as con:
        return Loader(con, "demo").baci_year(year, inv.baci_years[year])


def _edit_year_file(path: Path, spike: tuple, drop: list[tuple]) -> None:
    """Multiply the quantity of flow ``spike`` (i, j, k) by 1000 and delete the flows in ``drop``."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    kept = []
    for row in body:
        key = (int(row[1]), int(row[2]), int(row[3]))
        if key in drop:
            continue
        if key == spike:
            row[5] = f"{float(row[5]) * 1000:13.3f}"
        kept.append(row)
    assert len(kept) == len(body) - len(drop)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(kept)


def _series(frame: pd.DataFrame) -> set:
    return set(map(tuple, frame[SERIES].drop_duplicates().to_numpy().tolist()))


def _key(i: int, j: int, k: int) -> tuple:
    return (f"{k:06d}", i, j)


def test_reloading_one_year_recleans_only_its_series_and_equals_a_full_rebuild(tiny_copy, tmp_path):
    db, data_dir = tiny_copy["db"], tiny_copy["data_dir"]
    before = _query(db, SERIES_QUERY)
    flows_before = _query(db, FLOWS_QUERY)
    first_run = set(before["cleaning_run_id"])
    assert len(first_run) == 1

    flows = _query(db, "select cast(t as integer) as year, i, j, k, q from raw.baci_flows")
    n_years = flows.groupby(["i", "j", "k"])["year"].transform("size")
    in_year = flows[flows["year"] == YEAR]
    many = in_year[(n_years[in_year.index] >= 8) & (in_year["q"] > 0)]
    spike = tuple(int(v) for v in many.iloc[0][["i", "j", "k"]])
    drop = [tuple(int(v) for v in many.iloc[1][["i", "j", "k"]])]  # its series keeps its other years
    single = in_year[n_years[in_year.index] == 1]
    assert len(single) > 0  # a series seen only in this year: it vanishes altogether
    drop.append(tuple(int(v) for v in single.iloc[0][["i", "j", "k"]]))
    touched = {_key(i, j, k) for i, j, k in in_year[["i", "j", "k"]].astype(int).itertuples(index=False)}
    vanished = {_key(*drop[1])}

    year_file = next((data_dir / "baci").glob(f"BACI_HS92_Y{YEAR}_V*.csv"))
    _edit_year_file(year_file, spike, drop)
    assert _reload_year(db, data_dir, YEAR) == len(in_year) - len(drop)
    dbt_build(db, MODELS)
    after = _query(db, SERIES_QUERY)
    flows_after = _query(db, FLOWS_QUERY)

    second_run = set(after["cleaning_run_id"]) - first_run
    assert len(second_run) == 1
    recleaned = after[after["cleaning_run_id"].isin(second_run)]
    # Exactly the series that touched the year before or after the reload (the vanished one has nothing
    # left to clean), and not the whole table.
    assert _series(recleaned) == touched - vanished
    assert len(recleaned) == len(touched) - 1 > 50
    assert 0 < len(recleaned) < len(after) - 500
    # Every other series is the first run's row, unchanged.
    untouched = after[~after["cleaning_run_id"].isin(second_run)].sort_values(SERIES).reset_index(drop=True)
    old_same = before.merge(untouched[SERIES], on=SERIES).sort_values(SERIES).reset_index(drop=True)
    assert len(old_same) == len(untouched) == len(before) - len(touched)
    pd.testing.assert_frame_equal(untouched, old_same[untouched.columns], check_dtype=False)
    # The vanished series is gone, the other dropped flow's series lost one year, the flows lost both rows.
    assert len(after) == len(before) - 1 and not _series(after) & vanished
    n_flows = after.set_index(SERIES)["n_flows"]
    assert n_flows.loc[_key(*drop[0])] == before.set_index(SERIES)["n_flows"].loc[_key(*drop[0])] - 1
    for i, j, k in drop:
        gone = flows_after[
            (flows_after["exporter_code"] == i)
            & (flows_after["importer_code"] == j)
            & (flows_after["hs6"] == f"{k:06d}")
        ]
        assert YEAR not in set(gone["year"]), (i, j, k)
    assert len(flows_after) == len(flows_before) - len(drop)
    # The x1000 quantity is flagged and interpolated back below the reported value.
    hit = flows_after.set_index(KEY).loc[(f"{spike[2]:06d}", spike[0], spike[1], YEAR)]
    assert hit["is_outlier"] and hit["quantity_t"] < hit["quantity_t_reported"] / 100

    # The incremental result equals a full rebuild of the same raw data.
    full = tmp_path / "full.duckdb"
    shutil.copy(db, full)
    dbt_build(full, MODELS, full_refresh=True)
    # (run ids and load watermarks differ by design: a full rebuild stamps every series with the newest load)
    stamps = ["cleaning_run_id", "source_loaded_at"]
    rebuilt = _query(full, SERIES_QUERY).drop(columns=stamps).sort_values(SERIES).reset_index(drop=True)
    incremental = after.drop(columns=stamps).sort_values(SERIES).reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt, incremental, check_dtype=False)
    rebuilt_flows = _query(full, FLOWS_QUERY).sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt_flows, flows_after.sort_values(KEY).reset_index(drop=True), check_dtype=False)

    # A changed parameter re-cleans every series on the next incremental run.
    dbt_build(db, MODELS, {"trade_cleaning_k_ma_sd": 3}, target_path=tmp_path / "target")
    stricter = _query(db, SERIES_QUERY)
    assert stricter["cleaning_run_id"].nunique() == 1
    assert not set(stricter["cleaning_run_id"]) & set(after["cleaning_run_id"])
    assert (stricter["cleaning_parameters"].str.contains("k=3.0")).all()
    assert 0 < stricter["n_flagged"].sum() < after["n_flagged"].sum()


def test_removing_a_year_recleans_every_series_it_touched(tiny_copy, tmp_path):
    # issue 14: a year whose file vanished was dropped with its load-log rows, so the incremental cleaning
    # never learnt of it and the series around it kept cleanings computed with that year
    from warehouse.loaders import Loader

    db = tiny_copy["db"]
    before = _query(db, SERIES_QUERY)
    flows = _query(db, "select cast(t as integer) as year, i, j, k from raw.baci_flows")
    touched = {_key(i, j, int(k)) for i, j, k in flows[flows["year"] == YEAR][["i", "j", "k"]].itertuples(index=False)}
    years = sorted(set(flows["year"]) - {YEAR})
    with duckdb.connect(str(db)) as con:
        assert Loader(con, "demo").baci_forget_years(years) == [YEAR]
        marks = con.execute(
            "select partition_key, source_kind, rows from raw.load_log where table_name = 'baci_flows' "
            "and partition_key = ?",
            [str(YEAR)],
        ).fetchall()
    assert marks == [(str(YEAR), "removed", 0)]
    dbt_build(db, MODELS)
    after = _query(db, SERIES_QUERY)
    recleaned = after[~after["cleaning_run_id"].isin(set(before["cleaning_run_id"]))]
    # every series with a flow in the removed year is re-cleaned (or gone, when that year was all it had)
    assert touched - _series(after) | _series(recleaned) == touched
    assert not _series(recleaned) - touched
    # and the result equals a full rebuild of what is left
    full = tmp_path / "full.duckdb"
    shutil.copy(db, full)
    dbt_build(full, MODELS, full_refresh=True)
    stamps = ["cleaning_run_id", "source_loaded_at"]
    rebuilt = _query(full, SERIES_QUERY).drop(columns=stamps).sort_values(SERIES).reset_index(drop=True)
    incremental = after.drop(columns=stamps).sort_values(SERIES).reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt, incremental, check_dtype=False)
