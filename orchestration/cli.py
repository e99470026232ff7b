"""The ``metalnexus`` command: build, demo-data, query, serve, docs.

Bad input ends a command with one line naming file, line and column and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

from warehouse import config
from warehouse.errors import InputError

EXIT_BAD_INPUT = 2
EXIT_BUILD_FAILED = 1


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _prepare_env(warehouse: str | None, data_dir: Path, source: str, on_bad_rows: str = "fail") -> tuple[Path, Path]:
    """Point every component (Dagster resources, dbt profile) at the same files through env vars."""
    config.set_offline_env()
    config.tune_allocator()
    published = Path(warehouse).resolve() if warehouse else config.published_path().resolve()
    build = published.parent / "build" / (published.stem + ".build.duckdb")
    os.environ["METALNEXUS_PUBLISHED"] = str(published)
    os.environ["METALNEXUS_DUCKDB"] = str(build)
    os.environ["METALNEXUS_DATA_DIR"] = str(data_dir)
    os.environ["METALNEXUS_SOURCE"] = source
    os.environ["METALNEXUS_ON_BAD_ROWS"] = on_bad_rows
    os.environ["METALNEXUS_GE_RESULTS"] = str(published.parent / "build" / "ge_results")
    os.environ.setdefault("DAGSTER_HOME", str(config.PROJECT_ROOT / ".dagster_home"))
    home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists():
        settings.write_text("telemetry:\n  enabled: false\n")
    return build, published


def _innermost(error) -> str:
    """Return the message of the deepest cause of a Dagster SerializableErrorInfo, first line only."""
    while error is not None and getattr(error, "cause", None) is not None:
        error = error.cause
    if error is None:
        return "unknown error"
    message = (error.message or "").strip()
    for prefix in ("warehouse.errors.InputError: ", "InputError: "):
        if message.startswith(prefix):
            return message[len(prefix) :].splitlines()[0]
    return message.splitlines()[0] if message else error.cls_name or "error"


def cmd_demo_data(args: argparse.Namespace) -> int:
    """Write the demo world in the official formats."""
    from warehouse.demo_world import generate

    started = time.monotonic()
    manifest = generate(args.out, scale=args.scale, seed=args.seed, progress=lambda m: _say(f"  · {m}"))
    _say(
        f"demo world ({args.scale}, seed {args.seed}) written to {Path(args.out).resolve()} "
        f"in {time.monotonic() - started:.1f} s; planted truths in {manifest}"
    )
    return 0


def _ensure_demo(data_dir: Path, scale: str, seed: int) -> None:
    marker = data_dir / "manifest.json"
    if marker.exists():
        import json

        recorded = json.loads(marker.read_text()).get("scales", {})
        if recorded.get("name", scale) == scale and recorded.get("seed", seed) == seed:
            return
    from warehouse.demo_world import generate

    _say(f"generating the demo world ({scale}, seed {seed}) in {data_dir}")
    generate(data_dir, scale=scale, seed=seed, progress=lambda m: _say(f"  · {m}"))


def run_build(
    data_dir: Path, source: str, warehouse: str | None = None, on_bad_rows: str = "fail", record: bool = False
) -> dict:
    """Materialize every asset and publish; return a summary dict (raises InputError for bad input).

    The run's events go to an in-memory Dagster instance unless ``record`` is set: the persistent
    instance (``DAGSTER_HOME``, what the UI shows) writes each of the run's ~1,500 events to SQLite,
    which cost about a third of a small build's time.
    """
    build, published = _prepare_env(warehouse, data_dir, source, on_bad_rows)
    os.environ["METALNEXUS_PROGRESS"] = "1"
    os.environ["METALNEXUS_BUILD_STARTED"] = str(time.time())
    import dagster as dg

    from orchestration.common import inventory
    from orchestration.definitions import BUILD_JOB, build_definitions
    from warehouse.buildfile import ensure_openable, remove_stale_temporaries

    if ensure_openable(build) == "set-aside":
        _say(f"  ! {build} could not be opened (an interrupted build?); set aside, building afresh")
    remove_stale_temporaries(published)
    import shutil

    shutil.rmtree(os.environ["METALNEXUS_GE_RESULTS"], ignore_errors=True)  # results of this build only
    inventory.cache_clear()
    inv = inventory(str(data_dir))
    if source == "real":
        for item in inv.missing():
            _say(f"  ! not in {data_dir}: {item}")
    defs = build_definitions()
    job = defs.resolve_job_def(BUILD_JOB)
    tags = {}
    years = [str(y) for y in inv.baci_years]
    if years:
        tags = {
            "dagster/asset_partition_range_start": years[0],
            "dagster/asset_partition_range_end": years[-1],
        }
    instance = dg.DagsterInstance.get() if record else dg.DagsterInstance.ephemeral()
    log_path = build.parent / "build.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dbt's own log lines go to stdout; keep them (and Dagster's) in a log file, progress on stderr.
    with open(log_path, "w") as log, contextlib.redirect_stdout(log):
        result = job.execute_in_process(
            instance=instance,
            tags=tags,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
    failures = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            failures.append(f"{event.step_key}: {_innermost(event.step_failure_data.error)}")
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if not data.passed:
                failures.append(f"check {data.check_name} on {'.'.join(data.asset_key.path)}: {data.description}")
    return {
        "success": result.success and not failures,
        "failures": failures,
        "build": build,
        "published": published,
        "log": log_path,
    }


def _mart_counts(published: Path) -> list[tuple[str, int]]:
    import duckdb

    with duckdb.connect(str(published), read_only=True) as con:
        tables = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by table_name"
        ).fetchall()
        return [(t, int(con.execute(f'select count(*) from marts."{t}"').fetchone()[0])) for (t,) in tables]


def cmd_build(args: argparse.Namespace) -> int:
    """Build the warehouse from demo or real files and publish it."""
    started = time.monotonic()
    if args.source == "demo":
        data_dir = Path(args.data_dir or config.DEFAULT_DEMO_DIR).resolve()
        _ensure_demo(data_dir, args.scale, args.seed)
    else:
        if not args.data_dir:
            _say("metalnexus build --source real needs --data-dir DIR (the folder laid out like ../shared/data)")
            return EXIT_BAD_INPUT
        data_dir = Path(args.data_dir).resolve()
        if not data_dir.is_dir():
            _say(f"{data_dir}: data folder not found")
            return EXIT_BAD_INPUT
    if args.vars:
        os.environ["METALNEXUS_DBT_VARS"] = args.vars
    try:
        from warehouse.params import overrides

        overrides()
    except ValueError as exc:
        _say(f"--vars: {exc}")
        return EXIT_BAD_INPUT
    _say(f"building the warehouse from {args.source} files in {data_dir}")
    summary = run_build(data_dir, args.source, args.warehouse, args.on_bad_rows, record=args.record)
    if not summary["success"]:
        _say(f"build failed; the published warehouse was left as it was (full log: {summary['log']}):")
        for line in summary["failures"]:
            _say(f"  ✗ {line}")
        return (
            EXIT_BAD_INPUT
            if any("InputError" in f or ".csv" in f or ".xlsx" in f for f in summary["failures"])
            else EXIT_BUILD_FAILED
        )
    published = summary["published"]
    print(
        f"\nwarehouse published: {published}  ({published.stat().st_size / 1e6:.1f} MB, "
        f"{time.monotonic() - started:.0f} s)"
    )
    print("marts (rows):")
    for table, rows in _mart_counts(published):
        print(f"  marts.{table:<40} {rows:>12,}")
    print("\nnext:")
    print('  .venv/bin/metalnexus query "select * from marts.dim_metal limit 5"')
    print("  make serve    # Dagster UI on http://127.0.0.1:3000")
    print("  make docs     # dbt docs of every model")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    """Run one SQL statement read-only against the published warehouse."""
    import duckdb

    published = Path(args.warehouse).resolve() if args.warehouse else config.published_path()
    if not published.exists():
        _say(f"{published}: no published warehouse yet; run `make run` first")
        return EXIT_BAD_INPUT
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            frame = con.execute(args.sql).df()
    except duckdb.Error as exc:
        _say(f"query failed: {str(exc).splitlines()[0]}")
        return EXIT_BAD_INPUT
    import pandas as pd

    with pd.option_context("display.max_rows", args.max_rows, "display.max_columns", 50, "display.width", 200):
        if args.csv:
            frame.to_csv(sys.stdout, index=False)
        else:
            print(frame.to_string(index=False, max_rows=args.max_rows))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the Dagster UI bound to 127.0.0.1."""
    import subprocess

    from orchestration.dbt import ensure_manifest

    data_dir = Path(args.data_dir or config.DEFAULT_DEMO_DIR).resolve()
    _prepare_env(args.warehouse, data_dir, args.source)
    ensure_manifest()
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster), "dev", "-m", "orchestration.definitions", "-h", args.host, "-p", str(args.port)]
    _say(f"Dagster UI on http://{args.host}:{args.port} (Ctrl-C to stop)")
    return subprocess.call(command, cwd=config.PROJECT_ROOT)


def cmd_docs(args: argparse.Namespace) -> int:
    """Generate the dbt docs site (target/index.html) against the build warehouse."""
    import subprocess

    data_dir = Path(args.data_dir or config.DEFAULT_DEMO_DIR).resolve()
    build, _ = _prepare_env(args.warehouse, data_dir, "demo")
    if not build.exists():
        _say(f"{build}: no build warehouse yet; run `make run` first")
        return EXIT_BAD_INPUT
    dbt = Path(sys.executable).with_name("dbt")
    code = subprocess.call(
        [str(dbt), "docs", "generate", "--profiles-dir", str(config.DBT_PROJECT_DIR)],
        cwd=config.DBT_PROJECT_DIR,
    )
    if code == 0:
        _say(
            f"dbt docs: {config.DBT_PROJECT_DIR / 'target' / 'index.html'} (serve with: .venv/bin/dbt docs serve "
            "--profiles-dir dbt_project --project-dir dbt_project --host 127.0.0.1)"
        )
    return code


def cmd_report(args: argparse.Namespace) -> int:
    """Write the HTML report (figures as PNG/SVG, tables as CSV) from the published warehouse."""
    from orchestration.report import build_report

    published = Path(args.warehouse).resolve() if args.warehouse else config.published_path()
    if not published.exists():
        _say(f"{published}: no published warehouse yet; run `make run` first")
        return EXIT_BAD_INPUT
    report = build_report(published, Path(args.out).resolve())
    print(f"report: {report}")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    """Download an official release into the data folder (resumable, verified)."""
    from warehouse.fetch import RELEASES, fetch

    release = RELEASES[args.source]
    url = args.url or release.url
    _say(f"fetching {release.note}\n  from {url}")
    path = fetch(url, args.out, release.folder, sha256=args.sha256, progress=lambda m: _say(f"  · {m}"))
    _say(f"saved {path}; build with: metalnexus build --source real --data-dir {Path(args.out).resolve()}")
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    top = argparse.ArgumentParser(prog="metalnexus", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="materialize every asset and publish the warehouse")
    build.add_argument("--source", choices=["demo", "real"], default="demo")
    build.add_argument("--data-dir", help="input folder (default for demo: warehouse/demo, generated if absent)")
    build.add_argument("--warehouse", help="published DuckDB file (default warehouse/metalnexus.duckdb)")
    build.add_argument("--scale", default="small", choices=["tiny", "small", "medium", "full"], help="demo scale")
    build.add_argument("--seed", type=int, default=0, help="demo seed")
    build.add_argument("--on-bad-rows", choices=["fail", "quarantine"], default="fail")
    build.add_argument(
        "--record",
        action="store_true",
        help="keep the run's events in the Dagster instance (DAGSTER_HOME) so `make serve` shows them (slower)",
    )
    build.add_argument(
        "--vars",
        help="JSON object overriding declared parameters (dbt_project.yml vars), for dbt and Python alike",
    )
    build.set_defaults(func=cmd_build)

    demo = sub.add_parser("demo-data", help="write the demo world in the official file formats")
    demo.add_argument("--out", required=True)
    demo.add_argument("--scale", default="small", choices=["tiny", "small", "medium", "full"])
    demo.add_argument("--seed", type=int, default=0)
    demo.set_defaults(func=cmd_demo_data)

    query = sub.add_parser("query", help="run SQL read-only against the published warehouse")
    query.add_argument("sql")
    query.add_argument("--warehouse")
    query.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    query.add_argument("--max-rows", type=int, default=200)
    query.set_defaults(func=cmd_query)

    serve = sub.add_parser("serve", help="Dagster UI on 127.0.0.1")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--source", choices=["demo", "real"], default="demo")
    serve.add_argument("--data-dir")
    serve.add_argument("--warehouse")
    serve.set_defaults(func=cmd_serve)

    report = sub.add_parser("report", help="write the HTML report from the published warehouse")
    report.add_argument("--out", default=str(config.WAREHOUSE_DIR / "report"))
    report.add_argument("--warehouse")
    report.set_defaults(func=cmd_report)

    fetch = sub.add_parser("fetch", help="download an official release (resumable, sha256-verified)")
    fetch.add_argument("source", choices=["baci", "wdi", "sdg", "owid", "wgi"])
    fetch.add_argument("--out", required=True, help="data folder (files go into its source sub-folder)")
    fetch.add_argument("--url", help="another release of the same source")
    fetch.add_argument("--sha256", help="expected checksum (hex)")
    fetch.set_defaults(func=cmd_fetch)

    docs = sub.add_parser("docs", help="generate the dbt docs site")
    docs.add_argument("--data-dir")
    docs.add_argument("--warehouse")
    docs.set_defaults(func=cmd_docs)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``metalnexus`` command."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        _say(exc.one_line())
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into head and friends
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        _say("interrupted; the published warehouse was left as it was")
        return 130


if __name__ == "__main__":
    sys.exit(main())
