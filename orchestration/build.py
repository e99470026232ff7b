"""Running a build in this process: the environment every component reads, the Dagster job, the summary.

``metalnexus build`` (:mod:`orchestration.cli`) forks the build's worker, then calls :func:`run_build`; the
tests call it directly (no worker: Great Expectations and the figures then run in this process).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from warehouse import config


def say(message: str, stream=None) -> None:
    """Print one line for the user (standard error unless ``stream`` is given), at once."""
    print(message, file=stream or sys.stderr, flush=True)


def prepare_env(warehouse: str | None, data_dir: Path, source: str, on_bad_rows: str = "fail") -> tuple[Path, Path]:
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
    config.write_dagster_instance_settings(Path(os.environ["DAGSTER_HOME"]))
    return build, published


def _innermost(error) -> tuple[str, bool]:
    """Return the first line of the deepest cause of a Dagster SerializableErrorInfo, and whether it is bad input.

    Bad input is an :class:`InputError`, whose line already names file, line and column.
    """
    while error is not None and getattr(error, "cause", None) is not None:
        error = error.cause
    if error is None:
        return "unknown error", False
    message = (error.message or "").strip()
    for prefix in ("warehouse.errors.InputError: ", "InputError: "):
        if message.startswith(prefix):
            return message[len(prefix) :].splitlines()[0], True
    first = message.splitlines()[0] if message else error.cls_name or "error"
    if "no space left on device" in first.lower():
        return f"no space left on {config.build_path().parent} ({first})", False
    return first, error.cls_name == "InputError"


def run_build(
    data_dir: Path, source: str, warehouse: str | None = None, on_bad_rows: str = "fail", record: bool = False
) -> dict:
    """Materialize every asset and publish; return a summary dict (raises InputError for bad input).

    One builder at a time: the build's lock file (``<build file>.lock``) is taken before anything is
    touched and held to the end; a second build raises :class:`~warehouse.buildfile.BuildBusy` naming
    the holder. SIGINT and SIGTERM stop the build before it publishes (``summary["interrupted"]``).

    The run's events go to an in-memory Dagster instance unless ``record`` is set: the persistent
    instance (``DAGSTER_HOME``, what the UI shows) writes each of the run's ~1,500 events to SQLite,
    which cost about a third of a small build's time.
    """
    build, published = prepare_env(warehouse, data_dir, source, on_bad_rows)
    from warehouse import interrupts
    from warehouse.buildfile import BuildLock

    interrupts.watch()
    with BuildLock(build):
        return _run_locked(build, published, data_dir, source, record)


def _run_locked(build: Path, published: Path, data_dir: Path, source: str, record: bool) -> dict:
    os.environ["METALNEXUS_PROGRESS"] = "1"
    os.environ["METALNEXUS_BUILD_STARTED"] = str(time.time())
    log_path = build.parent / "build.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # Everything but the progress lines (dbt's log lines on stdout, Dagster's and the libraries' logs and
    # tracebacks on stderr) goes to build.log; the terminal gets progress, then one line per failure.
    with (
        open(log_path, "w") as log,
        config.keep_terminal(sys.stderr),
        contextlib.redirect_stdout(log),
        contextlib.redirect_stderr(log),
    ):
        summary = _execute(build, published, data_dir, source, record, log)
    return summary | {"build": build, "published": published, "log": log_path}


def _prepare_job(build: Path, published: Path, data_dir: Path, source: str, record: bool) -> tuple:
    """Check the build file and the data folder, load the definitions; return the build job, instance and tags."""
    import dagster as dg

    from orchestration import worker
    from orchestration.common import inventory
    from orchestration.dbt import warm_up
    from orchestration.definitions import BUILD_JOB, build_definitions
    from orchestration.instance import build_instance
    from warehouse.buildfile import ensure_openable, remove_stale_temporaries

    if ensure_openable(build) == "set-aside":
        say(f"  ! {build} could not be opened (an interrupted build?); set aside, building afresh", config.terminal())
    remove_stale_temporaries(published)
    import shutil

    shutil.rmtree(os.environ["METALNEXUS_GE_RESULTS"], ignore_errors=True)  # results of this build only
    inventory.cache_clear()
    inv = inventory(str(data_dir))
    if source == "real":
        for item in inv.missing():
            say(f"  ! not in {data_dir}: {item}", config.terminal())
    inv.require_some_input()  # an empty or mistyped folder is refused before anything runs
    for line in inv.unused_lines() + inv.year_gaps():
        say(f"  ! not loaded: {line}", config.terminal())
    defs = build_definitions()
    job = defs.resolve_job_def(BUILD_JOB)
    tags = {}
    years = [str(y) for y in inv.baci_years]
    if years:
        tags = {
            "dagster/asset_partition_range_start": years[0],
            "dagster/asset_partition_range_end": years[-1],
        }
    instance = dg.DagsterInstance.get() if record else build_instance()
    # dbt's first-command costs, paid while the build waits for its worker's first answers (the raw checks)
    worker.while_waiting(warm_up)
    return job, instance, tags


def _execute(build: Path, published: Path, data_dir: Path, source: str, record: bool, log) -> dict:
    # the imports, the definitions and the instance live as long as the build: no collection walks them
    with config.long_lived_objects():
        job, instance, tags = _prepare_job(build, published, data_dir, source, record)
    return _run_job(job, instance, tags, log)


def _run_job(job, instance, tags: dict, log) -> dict:
    """Execute the build job in this process; return the build's summary (see :func:`run_build`)."""
    import dagster as dg

    from orchestration.resources import release
    from warehouse import interrupts

    interrupts.check()
    try:
        result = job.execute_in_process(
            instance=instance,
            tags=tags,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
        events = result.all_events
    except (KeyboardInterrupt, dg.DagsterExecutionInterruptedError):
        events = []
    finally:
        release()  # the assets' warehouse connection, kept open between steps
    failures, published_now, bad_input, checks = [], False, False, {}
    for event in events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.step_failure_data.error
            message, is_input = _innermost(error)
            failures.append(message if is_input else f"{event.step_key}: {message}")
            bad_input = bad_input or is_input
            print(f"\n--- {event.step_key} failed ---\n{error.to_string() if error else ''}", file=log)
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            checks[data.check_name] = data.passed
            if not data.passed:
                failures.append(f"check {data.check_name} on {'.'.join(data.asset_key.path)}: {data.description}")
        elif event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key.path == ["published", "warehouse"]:
            published_now = True
    signum = interrupts.received()
    return {
        "success": signum is None and bool(events) and result.success and not failures,
        "failures": failures,
        "bad_input": bad_input,
        "interrupted": signum,
        "published_now": published_now,
        "checks": checks,
    }
