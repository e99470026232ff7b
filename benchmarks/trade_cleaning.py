"""Benchmark of the trade-weight cleaning: the warehouse (dbt) vs pandas vs the DuckDB sort floor.

``python -m benchmarks.trade_cleaning --rows 1000000`` prints one JSON line per row count with the time and
peak memory (RSS) of each contender, run in its own subprocess on the same synthetic flows:

(a) ``sql``    dbt itself (:mod:`benchmarks.dbt_run`): ``dbt build --select +fct_trade_flows`` (models only)
               on a DuckDB file holding the flows as ``raw.baci_flows``, default vars: the staging view,
               the points view, ``int_trade_series_ma_sd``, the cleaned-flows view and the cleaned flows
               written once, by ``fct_trade_flows`` (the default rule's path only, not the comparison rules);
(b) ``pandas`` a straightforward pandas implementation of the same rule (groupby + rolling + interpolate);
(c) ``sort``   the floor: DuckDB writing the same rows sorted by series and year.

For (a) ``sql_seconds`` is the wall time of the dbt process (start-up and a full parse of the project
included), ``sql_dbt_elapsed_seconds`` dbt's own elapsed time and ``sql_models_seconds`` the models'
execution times summed (both from dbt's ``run_results.json``; ``sql_models`` has each model's; with two
threads independent models overlap, so the sum may exceed the elapsed time), ``sql_startup_seconds`` the
difference between the wall time and dbt's elapsed time (interpreter start-up, parse, connection).  It reports
``sql_over_sort`` = (a)/(c) and ``pandas_over_sql`` = (b)/(a) on wall times, the same ratios on the models'
time (``sql_models_over_sort``, ``pandas_over_sql_models``), and checks that (a) and (b) give the same flags
and cleaned quantities (``identical``; relative tolerance 1e-9).  Timings exclude reading the input file
(for (a): writing it into the DuckDB file) and come as wall seconds and CPU seconds (``*_cpu_seconds``, the
process time of the subprocess, or of the dbt process for (a), over the timed part, less sensitive to other
jobs on a shared machine); peak RSS is the subprocess's maximum resident set (``os.wait4``; for (a) the
largest of it and the dbt process it waits for), input included.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEYS = ["hs6", "exporter_code", "importer_code"]
YEARS = (1995, 2017)
N_YEARS = YEARS[1] - YEARS[0] + 1


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Write ``rows`` synthetic flows (BACI staging columns) to a parquet file, deterministically.

    Series have random first/last years and gaps (about 0.55 of the 23 years present), lognormal weights
    with a trend and noise sd 0.3 (log), 3 % NA, 0.2 % zeros, and about 1 spike (×10..30 or ÷10..30) per
    500 points.  Uniforms come from ``hash`` so the data do not depend on thread scheduling.
    """
    import duckdb

    n_series = int(rows / (0.55 * N_YEARS) * 1.1) + 10
    u = "((hash(s, year, {salt}, {seed}) % 1000003) + 0.5) / 1000003.0"

    def uniform(salt: int) -> str:
        return u.format(salt=salt, seed=seed)

    with duckdb.connect() as con:
        con.execute(f"""
            copy (
                with series as (
                    select
                        range as s,
                        lpad(cast(range % 5022 as varchar), 6, '0') as hs6,
                        cast(range // 5022 % 240 as integer) + 1 as exporter_code,
                        cast(range // (5022 * 240) as integer) + 1 as importer_code,
                        {YEARS[0]}
                            + cast(floor((hash(range, 1, {seed}) % 1000) / 1000.0 * 12) as integer) as y0,
                        {YEARS[1]}
                            - cast(floor((hash(range, 2, {seed}) % 1000) / 1000.0 * 8) as integer) as y1,
                        ((hash(range, 3, {seed}) % 1000) / 1000.0) * 8 + 1 as level,
                        ((hash(range, 4, {seed}) % 1000) / 1000.0 - 0.5) * 0.1 as growth
                    from range({n_series})
                ),
                grid as (
                    select series.*, y.range as year
                    from series, range({YEARS[0]}, {YEARS[1] + 1}) as y
                    where y.range between y0 and y1
                ),
                drawn as (
                    select
                        *,
                        {uniform(5)} as u_present,
                        sqrt(-2 * ln({uniform(6)})) * cos(2 * pi() * {uniform(7)}) as z,
                        {uniform(8)} as u_mask,
                        {uniform(9)} as u_spike,
                        {uniform(10)} as u_factor
                    from grid
                ),
                flows as (
                    select
                        cast(year as smallint) as year,
                        exporter_code,
                        importer_code,
                        hs6,
                        round(exp(level + growth * (year - 2006) + 0.3 * z) * 2.5, 3) as value_kusd,
                        case
                            when u_mask < 0.03 then null
                            when u_mask > 0.998 then 0.0
                            else round(
                                exp(level + growth * (year - 2006) + 0.3 * z)
                                * case
                                    when u_spike < 0.001 then 10 + 20 * u_factor
                                    when u_spike < 0.002 then 1 / (10 + 20 * u_factor)
                                    else 1
                                end,
                                3
                            )
                        end as quantity_t
                    from drawn
                    where u_present < 0.8 or year in (y0, y1)
                )
                select * from flows
                order by hash(hs6, exporter_code, importer_code, year, {seed})
                limit {int(rows)}
            ) to '{path}' (format parquet)
        """)


# ------------------------------------------------------------------------------------------ contenders
def run_sql(input_path: str, output_path: str) -> dict:
    """Run (a), ``dbt build`` of the cleaning models over all series at once; return its timings (load excluded)."""
    import duckdb

    from benchmarks.dbt_run import dbt_build, write_raw_flows

    workdir = Path(output_path).with_suffix(".dbt")
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "warehouse.duckdb"
    write_raw_flows(
        database,
        f"select year, exporter_code, importer_code, hs6, value_kusd, quantity_t from read_parquet('{input_path}')",
    )
    timing = dbt_build(database, workdir)
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute(
            "copy (select year, exporter_code, importer_code, hs6, quantity_t, is_outlier from marts.fct_trade_flows) "
            f"to '{output_path}' (format parquet)"
        )
    return timing


def run_sort(input_path: str, output_path: str) -> dict:
    """Run (c), the floor: the same rows written sorted by series and year; return wall and CPU seconds."""
    import duckdb

    with duckdb.connect() as con:
        con.execute(f"create table flows as select * from read_parquet('{input_path}')")
        started, cpu = time.perf_counter(), time.process_time()
        con.execute("create table sorted as select * from flows order by hs6, exporter_code, importer_code, year")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu}


def clean_pandas(flows, window: int = 5, k: float = 2.0):
    """Clean as contender (b): the ma_sd rule as a researcher would write it in pandas.

    Log scale, population SD, window 5, k = 2 (the defaults).

    Pivot each series onto the full calendar grid, ``groupby(...).rolling(window, center=True,
    min_periods=1).mean()`` for the moving average, group SD of the deviations, flags, and
    ``interpolate`` between the unflagged points.  Returns the rows of ``flows`` with ``quantity_t``
    cleaned and ``is_outlier``.
    """
    import numpy as np

    df = flows.set_index([*KEYS, "year"]).sort_index()
    q = df["quantity_t"]
    x = np.log(q.where(q > 0))
    # Full calendar grid per series: absent years become NaN, so the rolling window counts calendar years.
    grid = x.unstack("year").reindex(columns=range(YEARS[0], YEARS[1] + 1)).stack(future_stack=True)
    grid.name = "x"
    series = grid.groupby(level=KEYS, sort=False)
    centre = series.rolling(window, center=True, min_periods=1).mean().droplevel([0, 1, 2])
    centre = centre.where(grid.notna())
    deviation = grid - centre
    frame = deviation.to_frame("deviation").assign(x=grid)
    frame["year"] = frame.index.get_level_values("year")
    frame["usable_year"] = frame["year"].where(frame["x"].notna())
    by_series = frame.groupby(level=KEYS, sort=False)
    sd = by_series["deviation"].transform("std", ddof=0)
    n_usable = by_series["x"].transform("count")
    first = by_series["usable_year"].transform("min")
    last = by_series["usable_year"].transform("max")
    flagged = (
        (n_usable >= window)
        & (frame["year"] > first)
        & (frame["year"] < last)
        & (sd > 0)
        & (frame["deviation"].abs() >= k * sd)
    )
    # Every flagged point has unflagged usable points on both sides within its own series, so a linear
    # interpolation over the grid positions (one per calendar year) never crosses series at those points.
    anchors = frame["x"].where(~flagged)
    filled = anchors.interpolate(method="linear", limit_area="inside")
    cleaned = np.exp(filled.where(flagged))
    out = df[["quantity_t"]].copy()
    out["is_outlier"] = flagged.reindex(out.index).to_numpy()
    out["quantity_t"] = np.where(out["is_outlier"], cleaned.reindex(out.index).to_numpy(), out["quantity_t"])
    return out.reset_index()


def run_pandas(input_path: str, output_path: str) -> dict:
    """Run (b), pandas; return wall and CPU seconds (reading the parquet file excluded)."""
    import pandas as pd

    flows = pd.read_parquet(input_path)
    started, cpu = time.perf_counter(), time.process_time()
    out = clean_pandas(flows)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    out.to_parquet(output_path)
    return {"seconds": seconds, "cpu_seconds": cpu}


CONTENDERS = {"sql": run_sql, "pandas": run_pandas, "sort": run_sort}


# --------------------------------------------------------------------------------------------- driver
def _measure(contender: str, input_path: Path, output_path: Path) -> dict:
    """Run one contender in a fresh interpreter; return its timings and peak RSS (MB)."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.trade_cleaning",
        "--contender",
        contender,
        "--input",
        str(input_path),
        "--output",
        str(output_path),
    ]
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{contender} failed:\n{stderr[-3000:]}")
    timing = json.loads(stdout.strip().splitlines()[-1])
    # ru_maxrss of wait4: the largest of the subprocess and the children it waited for (dbt, for sql)
    return timing | {"peak_rss_mb": usage.ru_maxrss / 1024}


def _compare(a: Path, b: Path) -> dict:
    import duckdb

    with duckdb.connect() as con:
        row = con.execute(f"""
            select
                count(*) as n,
                count(*) filter (where a.is_outlier is distinct from b.is_outlier) as flag_mismatches,
                count(*) filter (where (a.quantity_t is null) <> (b.quantity_t is null)) as null_mismatches,
                coalesce(max(abs(a.quantity_t - b.quantity_t) / greatest(abs(a.quantity_t), 1e-300)), 0)
                    as max_rel_diff,
                count(*) filter (where a.is_outlier) as n_flagged
            from read_parquet('{a}') as a
            full join read_parquet('{b}') as b using (year, exporter_code, importer_code, hs6)
        """).fetchone()
    n, flags, nulls, diff, flagged = row
    return {
        "compared_rows": n,
        "flag_mismatches": flags,
        "null_mismatches": nulls,
        "max_rel_diff": diff,
        "n_flagged": flagged,
        "identical": flags == 0 and nulls == 0 and diff <= 1e-9,
    }


def bench(rows: int, contenders: list[str], workdir: Path) -> dict:
    """Generate ``rows`` flows, run each contender, return the result record."""
    data = workdir / f"flows_{rows}.parquet"
    started = time.perf_counter()
    generate(data, rows)
    record: dict = {
        "benchmark": "trade_cleaning",
        "rows": rows,
        "cpu_count": os.cpu_count(),
        "generate_seconds": round(time.perf_counter() - started, 2),
    }
    for contender in contenders:
        result = _measure(contender, data, workdir / f"out_{contender}_{rows}.parquet")
        record[f"{contender}_seconds"] = round(result["seconds"], 3)
        record[f"{contender}_cpu_seconds"] = round(result["cpu_seconds"], 3)
        record[f"{contender}_peak_rss_mb"] = round(result["peak_rss_mb"], 1)
        if contender == "sql":
            record["sql_dbt_elapsed_seconds"] = result["dbt_elapsed_seconds"]
            record["sql_startup_seconds"] = round(result["seconds"] - result["dbt_elapsed_seconds"], 3)
            record["sql_models_seconds"] = result["models_seconds"]
            record["sql_models"] = result["models"]
    if "sql" in contenders and "sort" in contenders:
        record["sql_over_sort"] = round(record["sql_seconds"] / record["sort_seconds"], 2)
        record["sql_models_over_sort"] = round(record["sql_models_seconds"] / record["sort_seconds"], 2)
        record["sql_over_sort_cpu"] = round(record["sql_cpu_seconds"] / record["sort_cpu_seconds"], 2)
    if "sql" in contenders and "pandas" in contenders:
        record["pandas_over_sql"] = round(record["pandas_seconds"] / record["sql_seconds"], 2)
        record["pandas_over_sql_models"] = round(record["pandas_seconds"] / record["sql_models_seconds"], 2)
        record["pandas_over_sql_cpu"] = round(record["pandas_cpu_seconds"] / record["sql_cpu_seconds"], 2)
        record |= _compare(workdir / f"out_sql_{rows}.parquet", workdir / f"out_pandas_{rows}.parquet")
    return record


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--rows N [N ...]`` runs the benchmark; ``--contender`` is the subprocess entry."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.trade_cleaning", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--contenders", default="sql,pandas,sort", help="comma-separated subset of sql,pandas,sort")
    parser.add_argument("--workdir", help="folder for the input and outputs (default: a temporary folder)")
    parser.add_argument("--contender", choices=sorted(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.contender:
        print(json.dumps(CONTENDERS[args.contender](args.input, args.output)))
        return 0
    contenders = [c for c in args.contenders.split(",") if c]
    with tempfile.TemporaryDirectory(prefix="bench_trade_", dir=args.workdir) as tmp:
        for rows in args.rows:
            print(json.dumps(bench(rows, contenders, Path(tmp))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
