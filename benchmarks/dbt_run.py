"""Run the project's dbt models for a benchmark: ``dbt build`` in a subprocess on a DuckDB file, timed.

The benchmarks time the warehouse's cleaning as a build runs it: dbt itself, with the project's models,
profile (``dbt_project/profiles.yml``: 2 threads, ``memory_limit`` from ``METALNEXUS_MEMORY_LIMIT``) and
default vars, against a file that holds the flows as ``raw.baci_flows`` (the source ``stg_baci__flows``
reads). The run gets its own target and log folders, so it neither reads nor disturbs the project's partial
parse: each run parses the project in full, and that start-up is part of the wall time. dbt's own timing
from ``run_results.json`` (its elapsed time, and each model's execution time) shows the SQL apart from it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from warehouse.config import DBT_PROJECT_DIR, OFFLINE_ENV
from warehouse.loaders import ensure_raw_schema

# The cleaned flows as the warehouse writes them: the default rule's models up to marts.fct_trade_flows
# (the cleaned-flows model is a view, written once by that mart). The comparison rules' models feed only
# rpt_trade_cleaning_rule_comparison and are not selected; data tests and unit tests are left out of the
# timed run (they check the result, they are not the cleaning).
CLEANING_SELECT = "+fct_trade_flows"
EXCLUDED_RESOURCES = ("test", "unit_test")


def write_raw_flows(database: Path, flows_sql: str) -> int:
    """Create ``database`` with the project's raw tables and ``flows_sql`` (staging columns) as raw.baci_flows.

    ``flows_sql`` yields ``year, exporter_code, importer_code, hs6, value_kusd, quantity_t``. Every BACI code
    it uses gets a row in raw.baci_countries (a made-up three-letter ISO3), so dim_country and the mart's
    joins see a country list as in a build; raw.load_log stays empty (no load times to stamp). Returns the
    number of flows.
    """
    database.unlink(missing_ok=True)
    with duckdb.connect(str(database)) as con:
        ensure_raw_schema(con)
        con.execute(f"""
            insert into raw.baci_flows
            select year, exporter_code, importer_code, hs6, value_kusd, quantity_t, 'benchmark' as source_file
            from ({flows_sql})
        """)
        con.execute("""
            insert into raw.baci_countries
            with codes as (
                select distinct i as code from raw.baci_flows union select distinct j from raw.baci_flows
            )
            select
                code,
                'Country ' || code,
                'Country ' || code,
                null,
                chr(65 + cast(code // 676 % 26 as integer)) || chr(65 + cast(code // 26 % 26 as integer))
                || chr(65 + cast(code % 26 as integer)),
                'benchmark'
            from codes
        """)
        return con.execute("select count(*) from raw.baci_flows").fetchone()[0]


def dbt_build(database: Path, workdir: Path, select: str = CLEANING_SELECT, memory_limit: str | None = None) -> dict:
    """Run ``dbt build --select SELECT`` (models only) on ``database``; return its timings.

    Returns ``seconds`` (wall time of the dbt process, start-up and parse included), ``cpu_seconds`` (its
    user + system time), ``dbt_elapsed_seconds`` (dbt's own elapsed time from ``run_results.json``),
    ``models_seconds`` (the models' execution times summed) and ``models`` (each model's execution time).
    """
    target, logs = workdir / "dbt_target", workdir / "dbt_logs"
    env = dict(os.environ, **OFFLINE_ENV, METALNEXUS_DUCKDB=str(database))
    env.pop("DBT_TARGET_PATH", None)
    if memory_limit:
        env["METALNEXUS_MEMORY_LIMIT"] = memory_limit
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt) if dbt.exists() else "dbt",
        "build",
        "--quiet",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(logs),
        "--select",
        *select.split(),
    ]
    for kind in EXCLUDED_RESOURCES:
        command += ["--exclude-resource-type", kind]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError("dbt build failed:\n" + (done.stdout + done.stderr)[-4000:])
    results = json.loads((target / "run_results.json").read_text())
    models = {
        r["unique_id"].rsplit(".", 1)[-1]: round(r["execution_time"], 3)
        for r in results["results"]
        if r["unique_id"].startswith("model.")
    }
    return {
        "seconds": seconds,
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "dbt_elapsed_seconds": round(results["elapsed_time"], 3),
        "models_seconds": round(sum(models.values()), 3),
        "models": models,
    }
