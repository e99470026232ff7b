"""The dbt project as Dagster assets: models and seeds are assets, data tests their asset checks.

Asset keys mirror the warehouse: ``[schema, model]`` for models and seeds, ``["raw", table]`` for sources,
so the raw ingestion assets connect to the staging models that read them.

A step builds its models, seeds and tests from the SQL dbt compiled for them, in one connection
(:mod:`orchestration.dbt_models`, :mod:`orchestration.dbt_tests`); what that does not cover (the
incremental model) runs first in ``dbt build``. dbt runs in this process (``dbt.cli.main.dbtRunner``), not
as a subprocess: one import of dbt and one parse of the project serve the whole build (the parsed
``Manifest`` is handed to each invocation). The subprocesses cost about 5 s per step on a tiny build.
"""

import contextlib
import functools
import os
import pickle
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject, dbt_assets

from orchestration.common import progress
from warehouse.buildfile import crash_point
from warehouse.config import DBT_PROJECT_DIR

# dbt honours DBT_TARGET_PATH; giving each concurrent build its own keeps their manifests apart.
ANALYSIS_SOURCE = "analysis_marts"  # dbt source of the tables the Python analysis assets write
TARGET_DIR = Path(os.environ.get("DBT_TARGET_PATH", DBT_PROJECT_DIR / "target"))
MANIFEST = TARGET_DIR / "manifest.json"
# dbt's parsed project as Python objects, kept by the last parse: a process whose parse key (the project's
# files, profile, vars, dbt's versions) matches loads it in ~0.25 s instead of dbt's partial parse (~1.3 s:
# the msgpack state read back and every file checked). It is this project's own cache file, written here.
KEPT_MANIFEST = TARGET_DIR / "parsed_manifest.pickle"
# dbt's structured events that carry a node's result (what dagster-dbt turns into outputs and checks)
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=TARGET_DIR)

# The parsed project of this process, keyed by what the parse depends on (``_parse_key``): reused by every
# dbt step of a build (and the next build in the same process), never across a change of any of it.
_parsed: dict[tuple, Any] = {}
_invoked: list[str] = []  # the dbt commands this process has run (warm_up is for a process that has run none)


class DbtFailed(RuntimeError):
    """A dbt command ended with failed nodes or an error; the message is one line naming them."""


def _dbt_inputs() -> list[Path]:
    """Return dbt's source files and their folders (a folder's time changes when a file in it is deleted)."""
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "seeds", "macros", "tests"):
        files += [DBT_PROJECT_DIR / folder, *(DBT_PROJECT_DIR / folder).rglob("*")]
    return files


def _newest_input() -> float:
    return max(p.stat().st_mtime for p in _dbt_inputs())


def manifest_is_fresh() -> bool:
    """Return whether ``manifest.json`` exists and is newer than every dbt source file."""
    return MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_input()


def ensure_manifest(force: bool = False) -> Path:
    """Parse the project (in this process) when ``manifest.json`` is missing or older than any dbt source file.

    Dagster's ``prepare_if_dev`` acts only under ``dagster dev``; the CLI, tests and CI call this instead.
    The parsed project is kept for this process's dbt steps, so a first build parses once.
    """
    if force or not manifest_is_fresh():
        from warehouse.params import dbt_vars_args

        parse_project(dbt_vars_args())
    return MANIFEST


def _parse_key(vars_args: list[str]) -> tuple:
    """Return what a parse depends on: the profile, the vars, the files' age, dbt's versions.

    The profile enters as the build file's name and the memory limit: DuckDB names the database after the
    file, and nothing of the project names its folder, so warehouses in other folders (the suite's builds, a
    user's second warehouse) share one parse and its compiled SQL. dbt's own partial parse, keyed on the
    whole profile, would parse again for each folder.
    """
    path = os.environ.get("METALNEXUS_DUCKDB")
    env = (Path(path).name if path else None, os.environ.get("METALNEXUS_MEMORY_LIMIT"))
    return (*env, tuple(vars_args), _newest_input(), *_dbt_versions())


@functools.cache
def _dbt_versions() -> tuple[str, ...]:
    from importlib.metadata import version

    return tuple(version(package) for package in ("dbt-core", "dbt-adapters", "dbt-duckdb"))


def parse_project(vars_args: list[str], write_json: bool = True):
    """Run ``dbt parse`` in this process and return dbt's ``Manifest``; write ``manifest.json`` if asked.

    dbt parses partially from ``partial_parse.msgpack`` in the target folder when the profile and vars
    are those of the last parse (a rebuild of the same warehouse: about 1 s instead of 8).
    """
    json_flag = [] if write_json else ["--no-write-json"]
    result = invoke(["parse", "--target-path", str(TARGET_DIR), *json_flag, *vars_args])
    if isinstance(result.exception, KeyboardInterrupt):  # Ctrl-C or SIGTERM while dbt parsed
        raise result.exception
    if not result.success:
        raise DbtFailed(f"dbt parse failed: {_exception_line(result.exception)}")
    _parsed.clear()
    key = _parse_key(vars_args)
    _parsed[key] = result.result
    _keep_manifest(key, result.result)
    return result.result


def parsed_project(vars_args: list[str]):
    """Return the project as parsed for these vars and this profile, parsing it only if need be.

    In order: this process's parse, the one an earlier process kept in the target folder
    (:data:`KEPT_MANIFEST`), a new parse.
    """
    key = _parse_key(vars_args)
    manifest = _parsed.get(key)
    if manifest is None:
        manifest = _kept_manifest(key)
        if manifest is not None:
            _parsed.clear()
            _parsed[key] = manifest
    # a build whose manifest.json is up to date does not write it again (2.5 MB, about 0.5 s)
    return manifest if manifest is not None else parse_project(vars_args, write_json=not manifest_is_fresh())


def _keep_manifest(key: tuple, manifest) -> None:
    """Keep dbt's parsed ``Manifest`` in the target folder under ``key`` (written aside, then renamed)."""
    partial = KEPT_MANIFEST.with_name(f"{KEPT_MANIFEST.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as out:
            pickle.dump(repr(key), out, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(_manifest_fields(manifest), out, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(KEPT_MANIFEST)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):  # a cache: dbt parses next time
        partial.unlink(missing_ok=True)


def _kept_manifest(key: tuple):
    """Return the ``Manifest`` kept under ``key``, or None (absent, kept under another key, unreadable).

    The key is read first, so a stale file costs one short read, not unpickling the project.
    """
    try:
        with open(KEPT_MANIFEST, "rb") as kept:
            if pickle.load(kept) != repr(key):
                return None
            fields = pickle.load(kept)
        from dbt.contracts.graph.manifest import Manifest

        return Manifest(**fields)
    except Exception:  # noqa: BLE001 - any damage means a parse, never a failed build
        return None


def _manifest_fields(manifest) -> dict:
    """Return the ``Manifest``'s data fields, which rebuild it; its lookups and lock are made again lazily.

    Not ``pickle.dumps(manifest)``: dbt-core 1.11's ``Manifest.__reduce_ex__`` lists its fields by position
    and leaves out ``fixtures``, so every lookup after it comes back in the wrong field.
    """
    import dataclasses

    return {f.name: getattr(manifest, f.name) for f in dataclasses.fields(manifest) if not f.name.startswith("_")}


def _exception_line(exc: BaseException | None) -> str:
    text = " ".join(str(exc).split()) if exc is not None else "no reason given (see build.log)"
    return text[:500]


def _common_args() -> list[str]:
    return [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        # dbt.log in the target folder, not the project; warnings and errors only: dbt's info lines go to
        # build.log, and its debug lines (every statement, ~3 MB a tiny build) cost about 2 s of CPU
        "--log-path",
        str(TARGET_DIR),
        "--log-level-file",
        os.environ.get("DBT_LOG_LEVEL_FILE", "warn"),
    ]


def invoke(args: list[str], manifest=None, callbacks: list | None = None):
    """Run one dbt command in this process and return dbt's ``dbtRunnerResult``.

    SIGINT and SIGTERM raise ``KeyboardInterrupt`` inside dbt while it runs, which is what dbt handles:
    it cancels the running queries, waits for its threads and returns; Dagster's own handler would
    raise an exception dbt does not catch, leaving its threads writing. dbt-duckdb's database handle is
    closed afterwards, so the next connection to the file (any configuration) opens cleanly.
    """
    from dbt.cli.main import dbtRunner

    from orchestration.resources import release
    from warehouse.interrupts import raising_on_signals

    _invoked.append(args[0])
    release()  # dbt-duckdb opens the file with its own configuration: no other connection may be open
    runner = dbtRunner(manifest=manifest, callbacks=callbacks or [])
    try:
        with raising_on_signals():
            return runner.invoke([*args, *_common_args()])
    finally:
        _close_duckdb()


def warm_up() -> bool:
    """Do now what this process's first dbt command costs once, if no dbt command has run yet; return whether done.

    A build calls this while it waits for its worker (:func:`orchestration.worker.while_waiting`), before
    the models step. A process's first dbt command builds the JSON schemas dbt validates the profile and
    the project with and the serialisers of its classes, about 1.3 s of a tiny build's models step that
    any later command skips; loading the kept parse takes 0.2-0.4 s more. Both happen here: the kept parse
    is loaded, and ``dbt ls`` of one model runs on it (it opens no connection to the warehouse). Nothing
    is parsed here: without a kept parse, the models step parses as before.
    """
    from dbt.cli.main import dbtRunner

    from warehouse.config import long_lived_objects
    from warehouse.interrupts import raising_on_signals
    from warehouse.params import dbt_vars_args

    if _invoked:
        return False
    vars_args = dbt_vars_args()
    key = _parse_key(vars_args)
    with long_lived_objects():
        manifest = _parsed.get(key) or _kept_manifest(key)
    if manifest is None:
        return False
    _parsed.clear()
    _parsed[key] = manifest
    first = next(node for node in manifest.nodes.values() if node.resource_type == "model")
    with raising_on_signals():
        result = dbtRunner(manifest=manifest).invoke(
            ["ls", "--select", "fqn:" + ".".join(first.fqn), "--output", "name", *vars_args, *_common_args()]
        )
    if isinstance(result.exception, KeyboardInterrupt):
        raise dg.DagsterExecutionInterruptedError()
    return bool(result.success)


def _close_duckdb() -> None:
    with contextlib.suppress(ImportError):
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager

        with manager._LOCK:
            if manager._ENV is not None:
                manager._ENV.close()
                manager._ENV = None


class WarehouseTranslator(DagsterDbtTranslator):
    """Asset keys ``[schema, name]``; groups by layer (staging, intermediate, marts)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """Return ``[schema, name]`` for models and seeds, ``["raw", table]`` for sources."""
        if dbt_resource_props["resource_type"] == "source":
            # the tables the Python analysis assets write are declared as the source analysis_marts
            schema = "marts" if dbt_resource_props["source_name"] == ANALYSIS_SOURCE else None
            return dg.AssetKey([schema or dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """Return the layer folder (staging, intermediate, marts) or ``seeds``."""
        fqn = dbt_resource_props.get("fqn") or []
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        return fqn[1] if len(fqn) > 2 else "marts"


class _Results:
    """The result events of a step's nodes: dbt's (a dbt event callback, from dbt's threads) and the runner's."""

    def __init__(self, crash_after: int | None):
        self.events: list[dict] = []
        self.failed: list[str] = []
        self.crash_after = crash_after
        self.lock = threading.Lock()

    def __call__(self, msg) -> None:
        if msg.info.name not in RESULT_EVENTS:
            return
        from dbt_common.events.functions import msg_to_dict

        self.add(msg_to_dict(msg))

    def add(self, event: dict) -> None:
        """Keep one result event (as a dict); note a failed node; crash here if a crash test asks."""
        node = event["data"].get("node_info", {})
        status = (node.get("node_status") or event["data"].get("status") or "").lower()
        with self.lock:
            self.events.append(event)
            if status in ("error", "fail"):
                self.failed.append(f"{node.get('resource_type', 'node')} {node.get('node_name')} ({status})")
            n = len(self.events)
        if n == self.crash_after:  # well into writing models
            if threading.current_thread() is threading.main_thread():  # the compiled models' runner
                crash_point("dbt_build")  # a pause ends with the signal's KeyboardInterrupt: the step stops
                return
            # in dbt's thread, a pause ends with the signal, which dbt's main thread also receives and acts on
            with contextlib.suppress(KeyboardInterrupt):
                crash_point("dbt_build")

    def built(self) -> set[str]:
        """Return the unique ids of the nodes built successfully."""
        with self.lock:
            return {
                e["data"]["node_info"]["unique_id"]
                for e in self.events
                if (e["data"]["node_info"].get("node_status") or e["data"].get("status")) == "success"
            }


def _build(context: dg.AssetExecutionContext, step: str) -> Iterator:
    """Build the step's selected models and seeds and run their data tests; yield outputs and check results.

    Table and view models are materialized from their compiled SQL in one connection
    (:mod:`orchestration.dbt_models`); the other nodes (seeds, the incremental model) and the models they
    read run in ``dbt build``, first.
    """
    from orchestration import dbt_models
    from warehouse.params import dbt_vars_args

    progress(context, f"dbt build ({step}): started")
    started = time.monotonic()
    vars_args = dbt_vars_args()
    manifest = parsed_project(vars_args)
    manifest_json, translator = _assets_manifest(context)
    selected = _selected_nodes(context, manifest_json, translator)
    tests, models = compiled_nodes(vars_args, manifest)
    in_dbt, order = dbt_models.plan(selected, models)
    parsed = time.monotonic()
    # the crash and interrupt tests stop the build at the step's second result: inside dbt's own run while
    # it builds the incremental model (or, with nothing for dbt to run, among the compiled models)
    results = _Results(crash_after=2 if step == "models" else None)
    if in_dbt:
        _dbt_build_nodes(step, [manifest_json["nodes"][uid] for uid in sorted(in_dbt)], vars_args, manifest, results)
    ran_dbt = time.monotonic()
    try:
        with _warehouse() as con:
            dbt_models.run_models(con, models, order, blocked=in_dbt - results.built(), on_result=results.add)
            ran = time.monotonic()
            test_events = [] if results.failed else _run_data_tests(con, context, manifest_json, translator, tests)
    except KeyboardInterrupt:
        raise dg.DagsterExecutionInterruptedError() from None
    if results.failed:
        yield from _asset_events(results.events, manifest_json, translator, context)
        more = f" and {len(results.failed) - 5} more" if len(results.failed) > 5 else ""
        raise DbtFailed(f"dbt build ({step}): {len(results.failed)} failed: {'; '.join(results.failed[:5])}{more}")
    tested = time.monotonic()
    yield from _asset_events(results.events + test_events, manifest_json, translator, context)
    failed = [
        f"test {e['data']['node_info']['node_name']} ({e['data']['status']})"
        for e in test_events
        if e["data"]["status"] in ("fail", "error")
    ]
    if failed:
        more = f" and {len(failed) - 5} more" if len(failed) > 5 else ""
        raise DbtFailed(f"dbt build ({step}): {len(failed)} failed: {'; '.join(failed[:5])}{more}")
    progress(
        context,
        f"dbt build ({step}): {len(results.events)} nodes ({len(in_dbt)} in dbt, {len(order)} from compiled SQL) "
        f"and {len(test_events)} data tests in {time.monotonic() - started:.1f} s (parse {parsed - started:.1f} s, "
        f"dbt {ran_dbt - parsed:.1f} s, compiled models {ran - ran_dbt:.1f} s, tests {tested - ran:.1f} s, "
        f"events {time.monotonic() - tested:.1f} s)",
    )


def _selected_nodes(context, manifest_json, translator) -> dict[str, Mapping[str, Any]]:
    """Return ``{unique_id: manifest entry}`` of the models and seeds whose assets the step materializes."""
    wanted = set(context.selected_asset_keys)
    return {
        uid: props
        for uid, props in manifest_json["nodes"].items()
        if props["resource_type"] in ("model", "seed")
        and translator.get_asset_spec(manifest_json, uid, dbt_project).key in wanted
    }


def _dbt_build_nodes(step: str, nodes: list[Mapping[str, Any]], vars_args, manifest, results: _Results) -> None:
    """Run ``dbt build`` on these nodes (their data tests excluded: they run with the others)."""
    args = [
        "build",
        # dbt's unit tests check model logic on fixed inputs, not the data: they run in the test suite
        # (tests/integration/test_build.py), not in every build (~2 s of a small build)
        "--exclude-resource-type",
        "unit_test",
        # the data tests run with the compiled models', in one connection (orchestration/dbt_tests.py)
        "--exclude-resource-type",
        "test",
        # one folder per step, written over by the next build: pruning per-run folders of compiled SQL
        # cost about 1.5 s a build
        "--target-path",
        str(TARGET_DIR / f"step_{step}"),
        # the run's results are in Dagster's events and build.log; writing the compiled manifest and
        # run_results.json cost about 1 s a step
        "--no-write-json",
        *vars_args,
        "--select",
        *("fqn:" + ".".join(node["fqn"]) for node in nodes),
    ]
    outcome = invoke(args, manifest=manifest, callbacks=[results])
    if isinstance(outcome.exception, KeyboardInterrupt):
        raise dg.DagsterExecutionInterruptedError()
    if not outcome.success and not results.failed:  # dbt itself failed (no node did)
        raise DbtFailed(f"dbt build ({step}) failed: {_exception_line(outcome.exception)}")


@contextlib.contextmanager
def _warehouse() -> Iterator:
    """Yield a connection to the build file for the step's compiled models and tests (dbt's handle closed)."""
    import duckdb

    from orchestration.resources import release
    from warehouse.config import build_path, memory_limit
    from warehouse.interrupts import raising_on_signals

    release()
    con = duckdb.connect(str(build_path()))
    try:
        con.execute("set memory_limit = ?", [memory_limit()])
        with raising_on_signals():
            yield con
    finally:
        con.close()


def _asset_events(events: list[dict], manifest_json, translator, context) -> Iterator:
    """Turn dbt's result events into Dagster outputs and asset check results (dagster-dbt's own conversion)."""
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

    for event in events:
        message = DbtCoreCliEventMessage(raw_event=event, event_history_metadata={})
        for dagster_event in message.to_default_asset_events(
            manifest=manifest_json, dagster_dbt_translator=translator, context=context, project=dbt_project
        ):
            if isinstance(dagster_event, dg.AssetCheckResult) and not dagster_event.passed:
                # the line the build prints for a failed check says what dbt found
                data = event["data"]
                found = f", {data['num_failures']} failing rows" if data.get("num_failures") else ""
                found += f": {data['message']}" if data.get("message") else ""
                dagster_event = dagster_event._replace(description=f"dbt test {data.get('status')}{found}")
            yield dagster_event


def compiled_nodes(vars_args: list[str], manifest=None) -> tuple[dict[str, dict], dict[str, dict]]:
    """Return the project's data tests and its table and view models as dbt compiles them.

    dbt compiles them only when the kept copies are stale: they are kept in the target folder under a key
    of what the compiled SQL depends on (the project's files, the vars, dbt's versions, the build file's
    name, which is the database name in the SQL, but not its folder: :func:`_parse_key`); ``metalnexus
    prepare`` compiles them, so a first build after ``make install`` does not. No model compiled here reads
    the warehouse while compiling (the incremental one, which does, runs in dbt).
    """
    from orchestration import dbt_models, dbt_tests

    key = dbt_tests.cache_key(_parse_key(vars_args))
    models_key = dbt_tests.cache_key((*_parse_key(vars_args), "models", dbt_models.CACHE_FORMAT))
    tests_path, models_path = TARGET_DIR / dbt_tests.CACHE_NAME, TARGET_DIR / dbt_models.CACHE_NAME
    tests = dbt_tests.read_cache(tests_path, key)
    models = dbt_tests.read_cache(models_path, models_key, part="models")
    if tests is not None and models is not None:
        return tests, models
    manifest = manifest if manifest is not None else parsed_project(vars_args)
    result = invoke(
        [
            "compile",
            "--select",
            "test_type:data",
            "config.materialized:table",
            "config.materialized:view",
            "--no-populate-cache",
            "--no-write-json",
            "--target-path",
            str(TARGET_DIR / "step_compile"),
            *vars_args,
        ],
        manifest=manifest,
    )
    if isinstance(result.exception, KeyboardInterrupt):
        raise result.exception
    if not result.success:
        raise DbtFailed(f"dbt compile of the models and data tests failed: {_exception_line(result.exception)}")
    tests = dbt_tests.from_compile_results(result.result.results)
    models = dbt_models.from_compile_results(result.result.results) | dbt_models.seeds_from_manifest(manifest)
    dbt_tests.write_cache(tests_path, key, tests)
    dbt_tests.write_cache(models_path, models_key, models, part="models")
    return tests, models


def _run_data_tests(con, context, manifest_json, translator, tests: Mapping[str, dict]) -> list[dict]:
    """Run the data tests whose asset checks this step owns; return dbt-shaped result events."""
    from dagster_dbt.asset_utils import get_asset_check_key_for_test, get_checks_on_sources_upstream_of_selected_assets

    from orchestration import dbt_tests

    # the checks dagster-dbt would report for this step: those of the selected assets and of their sources
    expected = {
        *context.selected_asset_check_keys,
        *get_checks_on_sources_upstream_of_selected_assets(context.assets_def, context.selected_asset_keys),
    }
    owned = {
        unique_id: test
        for unique_id, test in tests.items()
        if unique_id in manifest_json["nodes"]  # compiled from the same files as the definitions' manifest
        and get_asset_check_key_for_test(manifest_json, translator, unique_id, project=dbt_project) in expected
    }
    return dbt_tests.run_tests(con, owned)


def _assets_manifest(context) -> tuple[Mapping[str, Any], DagsterDbtTranslator]:
    """Return the manifest (as JSON) and translator the step's ``@dbt_assets`` were defined with."""
    from dagster_dbt.asset_utils import get_manifest_and_translator_from_dbt_assets

    manifest_json, translator, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    return manifest_json, translator


def make_dbt_assets(manifest: Path) -> list[dg.AssetsDefinition]:
    """Return the two ``@dbt_assets`` steps: the models before the Python analyses, and those after.

    Models that read what the Python analysis assets write (the source ``analysis_marts``: Table 1's and
    the SDG panel's ``rpt_`` marts) cannot run in the same ``dbt build`` as the models those analyses
    read, so they form a second step, downstream of the analyses.
    """
    after_analysis = f"source:{ANALYSIS_SOURCE}+"
    translator = WarehouseTranslator()

    @dbt_assets(
        manifest=manifest,
        dagster_dbt_translator=translator,
        project=dbt_project,
        exclude=after_analysis,
        name="metalnexus_dbt",
    )
    def metalnexus_dbt(context: dg.AssetExecutionContext):
        yield from _build(context, "models")

    @dbt_assets(
        manifest=manifest,
        dagster_dbt_translator=translator,
        project=dbt_project,
        select=after_analysis,
        name="metalnexus_dbt_reports",
    )
    def metalnexus_dbt_reports(context: dg.AssetExecutionContext):
        yield from _build(context, "reports")

    return [metalnexus_dbt, metalnexus_dbt_reports]
