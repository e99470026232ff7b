"""Building blocks shared by the domain modules: raw-table assets and their Great Expectations checks."""

import functools
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import dagster as dg

from orchestration.resources import InputsResource, WarehouseResource
from warehouse.buildfile import crash_point
from warehouse.config import terminal


def progress(context, message: str) -> None:
    """Log a progress line to Dagster and, when the CLI asked for it, to the terminal.

    On the terminal each line starts with the seconds since the build started, so a build's log is also
    its time breakdown.
    """
    if context is not None:
        context.log.info(message)
    if os.environ.get("METALNEXUS_PROGRESS") == "1":
        started = float(os.environ.get("METALNEXUS_BUILD_STARTED", "0") or 0)
        stamp = f"{time.time() - started:5.1f} s  " if started else ""
        print(f"  · {stamp}{message}", file=terminal(), flush=True)


def inventory(data_dir: str):
    """Return the (cached) inventory of input files in ``data_dir``.

    BACI flows come from the release chosen by the declared parameter ``baci_release`` (``--baci-release``;
    default the newest).
    """
    from warehouse.params import params

    return _inventory(data_dir, params().get("baci_release"))


@functools.lru_cache(maxsize=8)
def _inventory(data_dir: str, baci_release: str | None):
    from warehouse.config import extract_dir
    from warehouse.discover import discover

    return discover(data_dir, extract_dir=extract_dir(), baci_release=baci_release)


inventory.cache_clear = _inventory.cache_clear


def table_counts(warehouse: WarehouseResource, tables: Sequence[str]) -> dict[str, int]:
    """Return the row count of each ``schema.table``."""
    with warehouse.connect() as con:
        return {t: int(con.execute(f"select count(*) from {t}").fetchone()[0]) for t in tables}


def raw_multi_asset(
    name: str,
    tables: Sequence[str],
    group: str,
    description: str,
    load: Callable[[object, object], str | None],
    deps: Sequence[dg.AssetKey] = (),
) -> dg.AssetsDefinition:
    """Return an ingestion asset that fills one or more ``raw`` tables.

    Parameters
    ----------
    name
        Op name.
    tables
        Raw table names it fills (asset keys ``["raw", table]``).
    group
        Dagster group (the domain).
    description
        What the asset loads, shown in the UI.
    load
        ``load(loader, inventory) -> None | str``: loads the files; returns a reason string when the
        inputs are absent (the tables are then left empty and the reason recorded).
    deps
        Upstream asset keys.
    """
    specs = [
        dg.AssetSpec(
            key=dg.AssetKey(["raw", table]),
            group_name=group,
            description=description,
            kinds={"duckdb", "python"},
            deps=deps,
        )
        for table in tables
    ]

    @dg.multi_asset(name=name, specs=specs)
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource, inputs: InputsResource):
        from warehouse.loaders import Loader
        from warehouse.year_gaps import table_gap_line

        inv = inventory(inputs.data_dir)
        with warehouse.connect() as con:
            loader = Loader(con, inputs.source_kind, inputs.on_bad_rows)
            missing = load(loader, inv)
            if missing:
                for table in tables:
                    con.execute(f"delete from raw.{table}")
            counts = {t: int(con.execute(f"select count(*) from raw.{t}").fetchone()[0]) for t in tables}
            gaps = [line for t in tables if (line := table_gap_line(con, t))]
            validate_early(con, "raw", [f"raw.{t}" for t in tables])
            files = con.execute(
                "select count(*) from raw.load_log where table_name in (select unnest(?))", [list(tables)]
            ).fetchone()[0]
        status = "missing" if missing else "loaded"
        progress(
            context,
            f"{name}: {', '.join(f'raw.{t} {n:,} rows' for t, n in counts.items())}"
            + (f" — inputs missing: {missing}" if missing else "")
            + (f" — {'; '.join(gaps)}" if gaps else ""),
        )
        for table in tables:
            yield dg.MaterializeResult(
                asset_key=dg.AssetKey(["raw", table]),
                metadata={
                    "dagster/row_count": counts[table],
                    "status": status,
                    "reason": missing or "",
                    "files": int(files),
                    "quarantined_rows": len(loader.quarantined),
                },
            )

    return _asset


def ge_checks(name: str, suites: dict, docs_subdir: str) -> dg.AssetChecksDefinition:
    """Return one asset-check op that runs a layer's Great Expectations suites, one check per table.

    One op per layer, not one per table: each op costs Dagster a step (about 0.15 s) and every suite of
    the layer shares one warehouse connection and one GE context. The frames are read here; a build's
    worker (``orchestration/worker.py``, a second process) validates them and writes their
    Data Docs pages, or this process does when there is no worker. A suite with ``blocking=False`` (the
    distribution checks, known dirt) reports at WARN severity and blocks nothing.

    Parameters
    ----------
    name
        Op name (``ge_raw``, ``ge_marts``, ...).
    suites
        ``{"schema.table": Suite}``; each becomes the check ``ge_<schema>_<table>`` on asset ``[schema, table]``.
    docs_subdir
        Folder (under the build's GE results) where each validation is kept for Data Docs.
    """
    blocking = {key: suite.blocking for key, suite in suites.items()}
    specs = [
        dg.AssetCheckSpec(
            name="ge_" + key.replace(".", "_"),
            asset=dg.AssetKey(key.split(".")),
            blocking=blocking[key],
            description=f"Great Expectations suite {key}" + ("" if blocking[key] else " (distribution, warn)"),
        )
        for key, suite in suites.items()
    ]

    @dg.multi_asset_check(specs=specs, name=name)
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        from orchestration.worker import early_results, run_layer_suites

        docs = ge_docs_dir(docs_subdir)
        # tables the worker was given as soon as they were written (validate_early): their results only
        early = early_results(docs_subdir, suites, docs)
        rest = {key: suite for key, suite in suites.items() if key not in early}
        with warehouse.connect(read_only=False) as con:
            frames = suite_frames(con, rest)
        crash_point("asset_check")  # with a connection open on the build file, as the checks hold it
        results = run_layer_suites(docs_subdir, rest, {key: frame for key, (_, frame) in frames.items()}, docs)
        rows = {key: n_rows for key, (n_rows, _) in frames.items()}
        for key, (n_rows, result) in early.items():
            results[key], rows[key] = result, n_rows
        for key in suites:
            result, n_rows = results[key], rows[key]
            if not result.success:
                progress(context, f"GE {key}: {'FAILED' if blocking[key] else 'warning'} — {result.summary()}")
            yield dg.AssetCheckResult(
                asset_key=dg.AssetKey(key.split(".")),
                check_name="ge_" + key.replace(".", "_"),
                passed=result.success,
                severity=dg.AssetCheckSeverity.ERROR if blocking[key] else dg.AssetCheckSeverity.WARN,
                description=result.summary(),
                metadata={
                    "rows_in_table": n_rows,
                    "rows_validated": result.n_rows,
                    "expectations": result.n_expectations,
                    "failed": len(result.failures),
                },
            )
        progress(context, f"GE {docs_subdir}: {len(suites)} suites")

    return _checks


def ge_docs_dir(layer: str) -> Path:
    """Return the folder where a layer's Great Expectations results are kept for Data Docs."""
    from warehouse.config import WAREHOUSE_DIR

    return Path(os.environ.get("METALNEXUS_GE_RESULTS", WAREHOUSE_DIR / "build" / "ge_results")) / layer


def suite_frames(con, suites: dict) -> dict:
    """Return ``{key: (rows in the table, the frame its suite validates)}`` for each suite's table."""
    frames = {}
    for key, suite in suites.items():
        n_rows = int(con.execute(f"select count(*) from {suite.table}").fetchone()[0])
        frames[key] = (n_rows, con.execute(suite.select_sql(n_rows)).df())
    return frames


def validate_early(con, layer: str, tables) -> None:
    """Give the build's worker the tables a step has just written, to validate while the build goes on.

    ``tables`` are ``schema.table`` names; those with a suite in ``layer`` (``raw`` or ``marts``) are read
    with ``con`` and sent. Without a worker (``dagster dev``, the tests' in-process builds) nothing happens
    and the layer's check step validates them as before.
    """
    import importlib

    from orchestration import worker

    if worker.current() is None:
        return
    suites = importlib.import_module(worker.LAYERS[layer]).SUITES
    mine = {key: suites[key] for key in tables if key in suites}
    worker.validate_early(layer, mine, suite_frames(con, mine), ge_docs_dir(layer))
