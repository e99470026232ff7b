"""BACI-scale run: ingest a demo world's BACI CSVs and clean every series, against the sort floor.

``python -m benchmarks.full_scale --world DIR [--workdir DIR] [--memory-limit 10GB]`` prints one JSON line:
rows, seconds and CPU seconds for (1) ingest from CSV through the project's loader (the same code as a
build), (2) the floor — DuckDB writing the same rows sorted by series and year, (3) the warehouse cleaning:
dbt itself, ``dbt build --select +fct_trade_flows`` (models only, default rule, the cleaned flows written
once by the mart; :mod:`benchmarks.dbt_run`) on the loaded file, with dbt's own elapsed time and each
model's time from ``run_results.json`` beside the wall time of the dbt process; and the peak RSS of this
process (ingest, sort) and of dbt. Run it on the ``full`` demo world (``metalnexus demo-data --out DIR
--scale full``: 23 years x ~200 countries x 5,022 items, ~197M flows).
The database is a file in the work folder, so DuckDB can spill to disk within the memory limit (dbt's
connection reads it from ``METALNEXUS_MEMORY_LIMIT``, as in a build).
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path


def _timed(function):
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, round(time.perf_counter() - started, 2), round(time.process_time() - cpu, 2)


def run(world: Path, workdir: Path, memory_limit: str) -> dict:
    """Ingest, sort and clean; return the measurements."""
    import duckdb

    from benchmarks.dbt_run import dbt_build
    from warehouse.discover import discover
    from warehouse.loaders import Loader

    inventory = discover(world)
    database = workdir / "full_scale.duckdb"
    database.unlink(missing_ok=True)
    con = duckdb.connect(str(database))
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute(f"set temp_directory = '{workdir / 'spill'}'")
    con.execute("set preserve_insertion_order = false")
    loader = Loader(con, "demo")
    loader.baci_countries(inventory.baci_countries)

    def ingest():
        return sum(loader.baci_year(year, paths) for year, paths in inventory.baci_years.items())

    rows, ingest_s, ingest_cpu = _timed(ingest)
    con.execute(
        "create or replace view flows as select cast(t as smallint) as year, i as exporter_code, "
        "j as importer_code, k as hs6, v as value_kusd, q as quantity_t, source_file from raw.baci_flows"
    )
    _, sort_s, sort_cpu = _timed(
        lambda: con.execute(
            "create or replace table sorted as select * from flows order by hs6, exporter_code, importer_code, year"
        )
    )
    con.execute("drop table sorted")
    con.execute("drop view flows")
    con.close()  # one writer per file: dbt opens it next

    cleaning = dbt_build(database, workdir, memory_limit=memory_limit)
    clean_s, clean_cpu = round(cleaning["seconds"], 2), round(cleaning["cpu_seconds"], 2)
    with duckdb.connect(str(database), read_only=True) as con:
        flagged = con.execute("select count(*) filter (where is_outlier) from marts.fct_trade_flows").fetchone()[0]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dbt_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "benchmark": "trade_cleaning_full_scale",
        "rows": int(rows),
        "ingest_seconds": ingest_s,
        "ingest_cpu_seconds": ingest_cpu,
        "sort_floor_seconds": sort_s,
        "cleaning_seconds": clean_s,
        "cleaning_cpu_seconds": clean_cpu,
        "cleaning_dbt_elapsed_seconds": cleaning["dbt_elapsed_seconds"],
        "cleaning_models_seconds": cleaning["models_seconds"],
        "cleaning_models": cleaning["models"],
        "ingest_plus_cleaning_seconds": round(ingest_s + clean_s, 2),
        "cleaning_over_sort": round(clean_s / sort_s, 2) if sort_s else None,
        "cleaning_models_over_sort": round(cleaning["models_seconds"] / sort_s, 2) if sort_s else None,
        "flagged": int(flagged),
        "peak_rss_mb": round(peak_mb),
        "dbt_peak_rss_mb": round(dbt_peak_mb),
        "memory_limit": memory_limit,
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", required=True, help="a demo world folder (scale full for BACI size)")
    parser.add_argument("--workdir", help="folder for the database and spill files (default: a temporary one)")
    parser.add_argument("--memory-limit", default="10GB", help="DuckDB memory_limit (Python adds ~0.5 GB)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(args.workdir or scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        print(json.dumps(run(Path(args.world), workdir, args.memory_limit)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
