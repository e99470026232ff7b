"""The dbt project as Dagster assets: ``dbt build`` runs models, seeds and tests; tests show as asset checks.

Asset keys mirror the warehouse: ``[schema, model]`` for models and seeds, ``["raw", table]`` for sources,
so the raw ingestion assets connect to the staging models that read them.
"""

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.common import progress
from warehouse.buildfile import crash_point
from warehouse.config import DBT_PROJECT_DIR

# dbt honours DBT_TARGET_PATH; giving each concurrent build its own keeps their manifests apart.
ANALYSIS_SOURCE = "analysis_marts"  # dbt source of the tables the Python analysis assets write
TARGET_DIR = Path(os.environ.get("DBT_TARGET_PATH", DBT_PROJECT_DIR / "target"))
MANIFEST = TARGET_DIR / "manifest.json"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=TARGET_DIR)


def _dbt_inputs() -> list[Path]:
    files = [DBT_PROJECT_DIR / "dbt_project.yml"]
    for folder in ("models", "seeds", "macros", "tests"):
        files += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return files


def ensure_manifest(force: bool = False) -> Path:
    """Run ``dbt parse`` when the manifest is missing or older than any dbt source file (about 10 s).

    Dagster's ``prepare_if_dev`` acts only under ``dagster dev``; the CLI, tests and CI call this instead.
    """
    newest = max(p.stat().st_mtime for p in _dbt_inputs())
    if force or not MANIFEST.exists() or MANIFEST.stat().st_mtime < newest:
        dbt = Path(sys.executable).with_name("dbt")
        command = [
            str(dbt) if dbt.exists() else "dbt",
            "parse",
            "--quiet",
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ]
        done = subprocess.run(command, cwd=DBT_PROJECT_DIR, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError("dbt parse failed:\n" + (done.stdout + done.stderr)[-4000:])
    return MANIFEST


def prune_run_folders(keep: int = 3) -> None:
    """Delete all but the newest ``keep`` per-run folders dagster-dbt leaves under ``target/``."""
    target = TARGET_DIR
    runs = sorted(
        (p for p in target.glob("*") if p.is_dir() and len(p.name) >= 8 and p.name not in {"compiled", "run"}),
        key=lambda p: p.stat().st_mtime,
    )
    for folder in runs[:-keep] if keep else runs:
        shutil.rmtree(folder, ignore_errors=True)


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


def make_dbt_assets(manifest: Path) -> list[dg.AssetsDefinition]:
    """Return the two ``@dbt_assets`` steps: the models before the Python analyses, and those after.

    Models that read what the Python analysis assets write (the source ``analysis_marts``: Table 1's and
    the SDG panel's ``rpt_`` marts) cannot run in the same ``dbt build`` as the models those analyses
    read, so they form a second step, downstream of the analyses.
    """

    def build(context: dg.AssetExecutionContext, dbt: DbtCliResource, step: str):
        from warehouse.params import dbt_vars_args

        progress(context, f"dbt build ({step}): started")

        # dbt's unit tests check model logic on fixed inputs, not the data: they run in the test suite
        # (tests/integration/test_build.py), not in every build (~2 s of a small build).
        invocation = dbt.cli(["build", "--exclude-resource-type", "unit_test", *dbt_vars_args()], context=context)
        for n, event in enumerate(invocation.stream()):
            if n == 40 and step == "models":  # dbt is well into writing models
                crash_point("dbt_build")
            yield event
        keep_partial_parse(invocation.target_path)
        prune_run_folders()
        progress(context, f"dbt build ({step}): done")

    after_analysis = f"source:{ANALYSIS_SOURCE}+"
    translator = WarehouseTranslator()

    @dbt_assets(
        manifest=manifest,
        dagster_dbt_translator=translator,
        project=dbt_project,
        exclude=after_analysis,
        name="metalnexus_dbt",
    )
    def metalnexus_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        yield from build(context, dbt, "models")

    @dbt_assets(
        manifest=manifest,
        dagster_dbt_translator=translator,
        project=dbt_project,
        select=after_analysis,
        name="metalnexus_dbt_reports",
    )
    def metalnexus_dbt_reports(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        yield from build(context, dbt, "reports")

    return [metalnexus_dbt, metalnexus_dbt_reports]


def keep_partial_parse(run_target: Path) -> None:
    """Make this run's parse state the one the next run starts from.

    dagster-dbt gives every run its own target folder, seeded with ``target/partial_parse.msgpack``; dbt
    discards that state when the profile differs (its path is the build file's), so without this every
    build re-parsed the whole project (about 6 s). A rebuild of the same warehouse now parses partially.
    """
    state = Path(run_target) / "partial_parse.msgpack"
    if state.exists():
        temporary = TARGET_DIR / f".partial_parse.msgpack.{os.getpid()}"
        shutil.copyfile(state, temporary)
        os.replace(temporary, TARGET_DIR / "partial_parse.msgpack")


class LocalDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, told dbt's version from the installed package instead of ``dbt --version``.

    dbt runs from this environment (``dbt_resource`` below), so the package metadata is its version; the
    ``dbt --version`` subprocess it replaces cost about 3 s per build.
    """

    @functools.cached_property
    def _cli_version(self):
        from importlib.metadata import version as installed

        from packaging.version import parse

        return parse(installed("dbt-core"))


def dbt_resource() -> DbtCliResource:
    """Return the dbt CLI resource (profiles.yml reads METALNEXUS_DUCKDB)."""
    dbt = Path(sys.executable).with_name("dbt")
    return LocalDbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(dbt) if dbt.exists() else "dbt",
    )
