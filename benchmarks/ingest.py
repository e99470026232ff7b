"""BACI ingest: the project's loader against DuckDB's bare read, same files, same run; optionally the cleaning.

``python -m benchmarks.ingest [--rows 10000000 [200000000 ...]] [--flows-per-file 10000000] [--repeat 2 [1 ...]]
[--clean] [--memory-limit 10GB] [--workdir DIR]`` writes, for each row count, BACI-layout yearly files
(``"t","i","j","k","v","q"``, HS6 codes without their leading zeros, ``q`` quoted and space-padded, some
``NA``) of at most ``--flows-per-file`` flows each — one file per year, as CEPII ships BACI, the same flow
keys every year with other values — with the country and product lists that cover them, then times, in
alternating order and ``--repeat`` times each, in fresh database files and each in its own subprocess:

- bare: ``create table flows as select * from read_csv([<files>])`` — parse and store, no check at all;
- loader: :meth:`warehouse.loaders.Loader.baci_year` for every year — what a build runs: every row rule,
  codes against the country and product lists, plausible values, duplicates, rows read against the file's
  lines, sha256, the load log.

With ``--clean``, the largest row count's last loader database is then cleaned by dbt as a build cleans it
(:func:`benchmarks.dbt_run.dbt_build`, ``+fct_trade_flows``): ingest + cleaning time and peak memory.
Peak RSS is each subprocess's maximum resident set (``os.wait4``; for the cleaning, dbt's). Both DuckDB
connections get ``--memory-limit``. The generated files and databases are deleted at the end. It prints
one JSON line per row count (best time of each way and their ratio; the issue's target: at most 1.5).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_YEAR = 1995  # yearly files Y1995, Y1996 … as BACI HS92 ships them
N_COUNTRIES, N_PRODUCTS = 220, 5000


def write_year(folder: Path, rows: int, order: str = "baci", year: int = FIRST_YEAR) -> dict[str, Path]:
    """Write one BACI year of ``rows`` distinct flows and the code lists into ``folder``; return the paths.

    ``order``: ``baci`` sorts the flows by exporter, importer and product, as CEPII writes its files;
    ``hash`` leaves them in a scrambled order (the loader then counts distinct keys by hash). The flow keys
    depend only on ``rows``, the values also on ``year``: years of the same size hold the same series.
    """
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    flows = folder / f"BACI_HS92_Y{year}_V202401b.csv"
    countries = folder / "country_codes_V202401b.csv"
    products = folder / "product_codes_HS92_V202401b.csv"
    per_pair = max(1, -(-rows // (N_COUNTRIES * (N_COUNTRIES - 1))))  # products per exporter-importer pair
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.execute(
            f"""
            copy (
                select 4 + 4 * (n % {N_COUNTRIES}) as country_code, 'Country ' || n as country_name,
                    'C' || chr(cast(65 + n % 26 as integer)) as country_iso2,
                    'C' || lpad(cast(n as varchar), 2, '0') as country_iso3
                from range({N_COUNTRIES}) as r(n)
            ) to '{countries}' (header, quote '"')
            """
        )
        con.execute(
            f"""
            copy (
                select lpad(cast(10000 + 37 * n as varchar), 6, '0') as code, 'Product ' || n as description
                from range({N_PRODUCTS}) as r(n)
            ) to '{products}' (header, force_quote *)
            """
        )
        # each flow: an exporter, an importer (never the same) and a product, all distinct; q padded as BACI
        con.execute(
            f"""
            copy (
                with keys as (
                    select n, n // {per_pair} as pair, n % {per_pair} as slot from range({rows}) as r(n)
                )
                select {year} as t,
                    4 + 4 * (pair % {N_COUNTRIES}) as i,
                    4 + 4 * ((pair % {N_COUNTRIES} + 1 + (pair // {N_COUNTRIES}) % ({N_COUNTRIES} - 1))
                        % {N_COUNTRIES}) as j,
                    10000 + 37 * ((slot * 7919 + pair) % {N_PRODUCTS}) as k,
                    round(0.001 + (hash(n, {year}) % 10000000) / 1000.0, 3) as v,
                    case when hash(n, {year}) % 20 = 0 then lpad('NA', 13, ' ')
                        else lpad(printf('%.3f', 0.001 + (hash(n + 1, {year}) % 5000000) / 1000.0), 13, ' ') end as q
                from keys
                {"order by i, j, k" if order == "baci" else ""}
            ) to '{flows}' (header, quote '"', force_quote (q))
            """
        )
    return {"flows": flows, "countries": countries, "products": products}


def write_years(folder: Path, rows: int, per_file: int, order: str = "baci") -> dict:
    """Write ``rows`` flows as ``ceil(rows / per_file)`` yearly files; return the lists and ``{year: file}``."""
    years, left, year = {}, rows, FIRST_YEAR
    while left > 0:
        files = write_year(folder, min(per_file, left), order, year)
        years[year] = files["flows"]
        left -= min(per_file, left)
        year += 1
    return {"countries": files["countries"], "products": files["products"], "years": years}


def _connect(database: str, memory_limit: str):
    import duckdb

    con = duckdb.connect(database)
    con.execute("set enable_progress_bar = false")
    con.execute(f"set memory_limit = '{memory_limit}'")
    return con


def _bare(database: str, files: dict, memory_limit: str) -> dict:
    paths = ", ".join(f"'{p}'" for p in files["years"].values())
    with _connect(database, memory_limit) as con:
        started, cpu = time.perf_counter(), time.process_time()
        con.execute(f"create table flows as select * from read_csv([{paths}])")
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        rows = con.execute("select count(*) from flows").fetchone()[0]
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": rows}


def _loader(database: str, files: dict, memory_limit: str) -> dict:
    from warehouse.loaders import Loader

    with _connect(database, memory_limit) as con:
        loader = Loader(con, "demo")
        loader.baci_countries(Path(files["countries"]))
        loader.baci_products(Path(files["products"]))
        started, cpu = time.perf_counter(), time.process_time()
        rows = sum(loader.baci_year(int(year), [Path(path)]) for year, path in files["years"].items())
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": rows}


def _measure(way: str, database: Path, files: dict, memory_limit: str) -> dict:
    """Run one way in a fresh interpreter; return its timings and peak RSS (MB) from ``os.wait4``.

    The peak is the largest resident set of the subprocess and of the children it waited for (dbt's, for
    the cleaning).
    """
    spec = json.dumps({"countries": str(files["countries"]), "products": str(files["products"]),
                       "years": {str(y): str(p) for y, p in files["years"].items()}})  # fmt: skip
    command = [sys.executable, "-m", "benchmarks.ingest", "--way", way, "--database", str(database),
               "--files", spec, "--memory-limit", memory_limit]  # fmt: skip
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(command, cwd=root, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{way} failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1]) | {"peak_rss_mb": usage.ru_maxrss / 1024}


def _clean(database: str, files: dict, memory_limit: str) -> dict:
    """Clean the loaded flows with dbt as a build does; return the timings and the flagged count."""
    import duckdb

    from benchmarks.dbt_run import dbt_build

    cleaning = dbt_build(Path(database), Path(database).parent, memory_limit=memory_limit)
    with duckdb.connect(database, read_only=True) as con:
        flagged = con.execute("select count(*) filter (where is_outlier) from marts.fct_trade_flows").fetchone()
    return cleaning | {"flagged": int(flagged[0])}


WAYS = {"bare": _bare, "loader": _loader, "clean": _clean}


def run(rows: int, workdir: Path, repeat: int, per_file: int, memory_limit: str, order: str = "baci",
        clean: bool = False) -> dict:  # fmt: skip
    """Write the years, time both ways alternately (and clean the last load); return the measurements."""
    folder = workdir / f"baci_{rows}_{order}"
    started = time.perf_counter()
    files = write_years(folder, rows, per_file, order)
    written_s = time.perf_counter() - started
    results: dict[str, list[dict]] = {"bare": [], "loader": []}
    for n in range(repeat):
        for way in ("bare", "loader") if n % 2 == 0 else ("loader", "bare"):
            database = workdir / f"{way}_{n}.duckdb"
            database.unlink(missing_ok=True)
            results[way].append(_measure(way, database, files, memory_limit))
            if not (clean and way == "loader" and n == repeat - 1):
                database.unlink(missing_ok=True)
    bare, loader = results["bare"], results["loader"]
    record = {
        "benchmark": "baci_ingest",
        "rows": loader[-1]["rows"],
        "bare_rows": bare[-1]["rows"],
        "files": len(files["years"]),
        "order": order,
        "memory_limit": memory_limit,
        "files_gb": round(sum(p.stat().st_size for p in files["years"].values()) / 1e9, 2),
        "write_seconds": round(written_s, 1),
        "bare_read_csv_seconds": [round(r["seconds"], 2) for r in bare],
        "loader_seconds": [round(r["seconds"], 2) for r in loader],
        "bare_cpu_seconds": [round(r["cpu_seconds"], 2) for r in bare],
        "loader_cpu_seconds": [round(r["cpu_seconds"], 2) for r in loader],
        "bare_peak_rss_mb": [round(r["peak_rss_mb"]) for r in bare],
        "loader_peak_rss_mb": [round(r["peak_rss_mb"]) for r in loader],
        "loader_over_bare": round(min(r["seconds"] for r in loader) / min(r["seconds"] for r in bare), 2),
        "loader_over_bare_cpu": round(min(r["cpu_seconds"] for r in loader) / min(r["cpu_seconds"] for r in bare), 2),
    }
    shutil.rmtree(folder)  # the CSVs (8.8 GB at 200M flows) are not needed by the cleaning
    if clean:
        database = workdir / f"loader_{repeat - 1}.duckdb"
        print(json.dumps(record | {"stage": "ingested, cleaning next"}), flush=True)
        cleaning = _measure("clean", database, files, memory_limit)
        record |= {
            "cleaning_seconds": round(cleaning["seconds"], 1),
            "cleaning_cpu_seconds": round(cleaning["cpu_seconds"], 1),
            "cleaning_dbt_elapsed_seconds": cleaning["dbt_elapsed_seconds"],
            "cleaning_models": cleaning["models"],
            "cleaning_peak_rss_mb": round(cleaning["peak_rss_mb"]),
            "flagged": cleaning["flagged"],
            "ingest_plus_cleaning_seconds": round(loader[-1]["seconds"] + cleaning["seconds"], 1),
            "ingest_plus_cleaning_peak_rss_mb": round(max(cleaning["peak_rss_mb"], loader[-1]["peak_rss_mb"])),
        }
        database.unlink(missing_ok=True)
    return record


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print one JSON line per row count (``--way`` is the subprocess entry)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000_000])
    parser.add_argument("--repeat", type=int, nargs="+", default=[2], help="one per row count, or one for all")
    parser.add_argument("--flows-per-file", type=int, default=10_000_000, help="flows per yearly file")
    parser.add_argument("--order", choices=["baci", "hash"], default="baci", help="flow order in the files")
    parser.add_argument("--clean", action="store_true", help="clean the largest load with dbt (ingest + cleaning)")
    parser.add_argument("--memory-limit", default="10GB", help="DuckDB memory_limit of every connection")
    parser.add_argument("--workdir", help="folder for the files and the databases (default: a temporary one)")
    parser.add_argument("--way", choices=sorted(WAYS), help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--files", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.way:
        print(json.dumps(WAYS[args.way](args.database, json.loads(args.files), args.memory_limit)))
        return 0
    repeats = args.repeat * len(args.rows) if len(args.repeat) == 1 else args.repeat
    if len(repeats) != len(args.rows):
        parser.error("give one --repeat, or one per --rows")
    largest = max(args.rows)
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench_ingest_", dir=args.workdir) as scratch:
        for rows, repeat in zip(args.rows, repeats, strict=True):
            record = run(rows, Path(scratch), repeat, args.flows_per_file, args.memory_limit, args.order,
                         clean=args.clean and rows == largest)  # fmt: skip
            print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
