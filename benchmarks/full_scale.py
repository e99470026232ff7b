"""BACI-scale run: ingest a demo world's BACI CSVs and clean every series, against the sort floor.

``python -m benchmarks.full_scale --world DIR [--workdir DIR] [--memory-limit 10GB]`` prints one JSON line:
rows, seconds and CPU seconds for (1) ingest from CSV through the project's loader (the same code as a
build), (2) the floor — DuckDB writing the same rows sorted by series and year, (3) the warehouse cleaning
(the dbt models' SQL, default rule, and the cleaned flows written once), and the peak RSS of the process.
Run it on the ``full`` demo world (``metalnexus demo-data --out DIR --scale full``: 23 years x ~200
countries x 5,022 items, ~197M flows).
The database is a file in the work folder, so DuckDB can spill to disk within the memory limit.
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

    from benchmarks.warehouse_sql import FLOW_COLUMNS, build_cleaning
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

    def clean():
        view = build_cleaning(con, "flows")
        # the cleaned flows are a view in the warehouse, written once by fct_trade_flows: write here the
        # columns it takes from the view (the audit columns are filled on flagged rows, read by the audit mart)
        con.execute(f"create table cleaned as select {FLOW_COLUMNS} from {view}")

    _, clean_s, clean_cpu = _timed(clean)
    flagged = con.execute("select count(*) filter (where is_outlier) from cleaned").fetchone()[0]
    con.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "benchmark": "trade_cleaning_full_scale",
        "rows": int(rows),
        "ingest_seconds": ingest_s,
        "ingest_cpu_seconds": ingest_cpu,
        "sort_floor_seconds": sort_s,
        "cleaning_seconds": clean_s,
        "cleaning_cpu_seconds": clean_cpu,
        "ingest_plus_cleaning_seconds": round(ingest_s + clean_s, 2),
        "cleaning_over_sort": round(clean_s / sort_s, 2) if sort_s else None,
        "flagged": int(flagged),
        "peak_rss_mb": round(peak_mb),
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
