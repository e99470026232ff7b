"""BACI ingest: the project's loader against DuckDB's bare read, same file, same run.

``python -m benchmarks.ingest [--rows 10000000] [--workdir DIR] [--repeat 2]`` writes one BACI-layout year
(``"t","i","j","k","v","q"``, HS6 codes without their leading zeros, ``q`` quoted and space-padded, some
``NA``) of ``--rows`` flows with DuckDB, with the country and product lists that cover it, then times, in
alternating order and ``--repeat`` times each, in fresh database files:

- bare: ``create table flows as select * from read_csv(<file>)`` — parse and store, no check at all;
- loader: :meth:`warehouse.loaders.Loader.baci_year` — what a build runs: every row rule, codes against the
  country and product lists, plausible values, duplicates, rows read against the file's lines, sha256,
  the load log.

It prints one JSON line with the best time of each and their ratio (the issue's target: at most 1.5).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

YEAR = 2015


def write_year(folder: Path, rows: int, order: str = "baci") -> dict[str, Path]:
    """Write a BACI year of ``rows`` distinct flows and its code lists into ``folder``; return the paths.

    ``order``: ``baci`` sorts the flows by exporter, importer and product, as CEPII writes its files;
    ``hash`` leaves them in a scrambled order (the loader then counts distinct keys by hash).
    """
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    flows = folder / f"BACI_HS92_Y{YEAR}_V202401b.csv"
    countries = folder / "country_codes_V202401b.csv"
    products = folder / "product_codes_HS92_V202401b.csv"
    n_countries, n_products = 220, 5000
    per_pair = max(1, -(-rows // (n_countries * (n_countries - 1))))  # products per exporter-importer pair
    with duckdb.connect() as con:
        con.execute(
            f"""
            copy (
                select 4 + 4 * (n % {n_countries}) as country_code, 'Country ' || n as country_name,
                    'C' || chr(cast(65 + n % 26 as integer)) as country_iso2,
                    'C' || lpad(cast(n as varchar), 2, '0') as country_iso3
                from range({n_countries}) as r(n)
            ) to '{countries}' (header, quote '"')
            """
        )
        con.execute(
            f"""
            copy (
                select lpad(cast(10000 + 37 * n as varchar), 6, '0') as code, 'Product ' || n as description
                from range({n_products}) as r(n)
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
                select {YEAR} as t,
                    4 + 4 * (pair % {n_countries}) as i,
                    4 + 4 * ((pair % {n_countries} + 1 + (pair // {n_countries}) % ({n_countries} - 1))
                        % {n_countries}) as j,
                    10000 + 37 * ((slot * 7919 + pair) % {n_products}) as k,
                    round(0.001 + (hash(n) % 10000000) / 1000.0, 3) as v,
                    case when hash(n) % 20 = 0 then lpad('NA', 13, ' ')
                        else lpad(printf('%.3f', 0.001 + (hash(n + 1) % 5000000) / 1000.0), 13, ' ') end as q
                from keys
                {"order by i, j, k" if order == "baci" else ""}
            ) to '{flows}' (header, quote '"', force_quote (q))
            """
        )
    return {"flows": flows, "countries": countries, "products": products}


def _bare(database: Path, flows: Path) -> float:
    import duckdb

    with duckdb.connect(str(database)) as con:
        con.execute("set enable_progress_bar = false")
        started = time.perf_counter()
        con.execute(f"create table flows as select * from read_csv('{flows}')")
        return time.perf_counter() - started


def _loader(database: Path, files: dict[str, Path]) -> tuple[float, int]:
    import duckdb

    from warehouse.loaders import Loader

    with duckdb.connect(str(database)) as con:
        con.execute("set enable_progress_bar = false")
        loader = Loader(con, "demo")
        loader.baci_countries(files["countries"])
        loader.baci_products(files["products"])
        started = time.perf_counter()
        rows = loader.baci_year(YEAR, [files["flows"]])
        return time.perf_counter() - started, rows


def run(rows: int, workdir: Path, repeat: int, order: str = "baci") -> dict:
    """Write the year, time both ways alternately; return the measurements."""
    started = time.perf_counter()
    files = write_year(workdir / f"baci_{order}", rows, order)
    written_s = time.perf_counter() - started
    bare, loader, loaded = [], [], 0
    for n in range(repeat):
        for way in ("bare", "loader") if n % 2 == 0 else ("loader", "bare"):
            database = workdir / f"{way}_{n}.duckdb"
            database.unlink(missing_ok=True)
            if way == "bare":
                bare.append(_bare(database, files["flows"]))
            else:
                seconds, loaded = _loader(database, files)
                loader.append(seconds)
            database.unlink(missing_ok=True)
    return {
        "benchmark": "baci_ingest",
        "rows": loaded,
        "order": order,
        "file_mb": round(files["flows"].stat().st_size / 1e6, 1),
        "write_seconds": round(written_s, 2),
        "bare_read_csv_seconds": [round(s, 2) for s in bare],
        "loader_seconds": [round(s, 2) for s in loader],
        "loader_over_bare": round(min(loader) / min(bare), 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--order", choices=["baci", "hash"], default="baci", help="flow order in the file")
    parser.add_argument("--workdir", help="folder for the file and the databases (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(args.workdir or scratch)
        print(json.dumps(run(args.rows, workdir, args.repeat, args.order)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
