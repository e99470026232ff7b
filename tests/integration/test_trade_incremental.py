"""Incremental re-cleaning: re-loading one BACI year re-cleans exactly the series that year touches.

Tiny demo world → raw BACI → dbt build of the cleaning models; then one year's file is changed (one
quantity x1000, one flow of a many-year series removed, one single-year series removed), that year is
re-loaded with the loader and ``dbt build`` runs again (incremental). Checked: the re-cleaned series
(rows stamped with the new run's ``cleaning_run_id``) are exactly the series with a row in that year
before or after the change, every other row is untouched, the removed rows are gone, and the result
equals a ``--full-refresh`` rebuild row for row.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from tests.integration.test_trade_layer import SERIES, _dbt_build, _load_baci, _query

YEAR = 2005
MODELS = "+int_trade_flows_cleaned stg_baci__countries"  # the staging relationship test needs both
KEY = ["hs6", "exporter_code", "importer_code", "year"]
TABLES = ["intermediate.int_trade_outliers_ma_sd", "intermediate.int_trade_flows_cleaned"]


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


def test_reloading_one_year_recleans_only_its_series_and_equals_a_full_rebuild(tmp_path):
    from warehouse.demo_world import generate

    generate(tmp_path / "demo", scale="tiny", seed=0)
    db = tmp_path / "wh.duckdb"
    _load_baci(db, tmp_path / "demo")
    _dbt_build(db, tmp_path, MODELS)
    before = {t: _query(db, f"select * from {t}") for t in TABLES}
    first_run = set(before[TABLES[1]]["cleaning_run_id"])
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

    year_file = next((tmp_path / "demo" / "baci").glob(f"BACI_HS92_Y{YEAR}_V*.csv"))
    _edit_year_file(year_file, spike, drop)
    assert _reload_year(db, tmp_path / "demo", YEAR) == len(in_year) - len(drop)
    _dbt_build(db, tmp_path, MODELS)
    after = {t: _query(db, f"select * from {t}") for t in TABLES}

    for table in TABLES:
        new, old = after[table], before[table]
        second_run = set(new["cleaning_run_id"]) - first_run
        assert len(second_run) == 1, table
        recleaned = new[new["cleaning_run_id"].isin(second_run)]
        # Exactly the series that touched the year before or after the reload (the vanished one has no rows
        # left to stamp): as many as the year's series, all their years, and nothing else.
        assert _series(recleaned) == touched - vanished, table
        assert len(_series(recleaned)) == len(touched) - 1 > 50
        assert len(recleaned) == len(new.merge(recleaned[SERIES].drop_duplicates(), on=SERIES))
        # Not the whole table (most tiny-world series span the year, so the fraction is large here).
        assert 0 < len(recleaned) < len(new) - 5000
        # Every other row is the first run's row, unchanged.
        untouched = new[~new["cleaning_run_id"].isin(second_run)].sort_values(KEY).reset_index(drop=True)
        old_same = old.merge(untouched[KEY], on=KEY).sort_values(KEY).reset_index(drop=True)
        assert (
            len(old_same)
            == len(untouched)
            == len(old) - len(old.merge(pd.DataFrame(list(touched), columns=SERIES), on=SERIES))
        )
        pd.testing.assert_frame_equal(untouched, old_same[untouched.columns], check_dtype=False)
        # The removed flows are gone.
        for i, j, k in drop:
            gone = new[(new["exporter_code"] == i) & (new["importer_code"] == j) & (new["hs6"] == f"{k:06d}")]
            assert YEAR not in set(gone["year"]), (table, i, j, k)
        assert len(new) == len(old) - len(drop)
    # The x1000 quantity is flagged and interpolated back below the reported value.
    cleaned = after[TABLES[1]].set_index(KEY)
    hit = cleaned.loc[(f"{spike[2]:06d}", spike[0], spike[1], YEAR)]
    assert hit["is_outlier"] and hit["quantity_t"] < hit["quantity_t_reported"] / 100

    # The incremental result equals a full rebuild of the same raw data.
    full = tmp_path / "full.duckdb"
    shutil.copy(db, full)
    _dbt_build(full, tmp_path / "full_work", MODELS + " --full-refresh")
    for table in TABLES:
        rebuilt = _query(full, f"select * from {table}").drop(columns="cleaning_run_id")
        incremental = after[table].drop(columns="cleaning_run_id")
        rebuilt = rebuilt.sort_values(KEY).reset_index(drop=True)
        incremental = incremental.sort_values(KEY).reset_index(drop=True)
        assert len(rebuilt) == len(incremental)
        for column in rebuilt.columns:
            a, b = rebuilt[column], incremental[column]
            if a.dtype.kind == "f":
                # Same SQL on the same series; only the parallel order of the series aggregate may differ.
                np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-12, equal_nan=True)
            else:
                assert (a.isna() == b.isna()).all() and (a[a.notna()] == b[b.notna()]).all(), (table, column)

    # A changed parameter re-cleans every series on the next incremental run.
    _dbt_build(db, tmp_path, MODELS, {"trade_cleaning_k_ma_sd": 3})
    for table in TABLES:
        stricter = _query(db, f"select * from {table}")
        assert stricter["cleaning_run_id"].nunique() == 1
        assert not set(stricter["cleaning_run_id"]) & set(after[table]["cleaning_run_id"])
        assert (stricter["cleaning_parameters"].str.contains("k=3.0")).all()
        assert 0 < stricter["is_outlier"].sum() < after[table]["is_outlier"].sum()
