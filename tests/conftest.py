"""Shared fixtures: offline settings, the real-data folder, and the two builds of a test session.

A session builds the warehouse twice at most: once from the tiny demo world (``tiny_build``) and once from
the real extracts (``real_build``). Tests read those; a test that must change a warehouse or a data folder
works on a copy (``tiny_copy``), never on the shared ones.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from warehouse import config

REAL_DATA = (config.PROJECT_ROOT.parent / "shared" / "data").resolve()


def pytest_sessionstart(session):
    config.set_offline_env()
    config.tune_allocator()


def pytest_collection_finish(session):
    # The modules the tests import (Dagster, dbt, Great Expectations, pandas) live as long as the session:
    # frozen, no full collection walks them again.
    import gc

    gc.freeze()


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The real public extracts beside the checkout; tests skip (saying why) when absent."""
    if not (REAL_DATA / "README.md").exists():
        pytest.skip(f"real data not found at {REAL_DATA} (CI always has ../shared/data)")
    return REAL_DATA


@pytest.fixture(scope="session")
def dagster_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("dagster_home")
    config.write_dagster_instance_settings(home)  # no telemetry, no new-user dialog over the UI
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@pytest.fixture(scope="session")
def tiny_world(tmp_path_factory) -> Path:
    """A tiny demo world (seed 7) in the official formats."""
    from warehouse.demo_world import generate

    out = tmp_path_factory.mktemp("demo_tiny")
    generate(out, scale="tiny", seed=7)
    return out


@pytest.fixture(scope="session")
def tiny_build(tiny_world, dagster_home, tmp_path_factory) -> dict:
    """The whole warehouse built and published once from the tiny demo world.

    Returns a dict with ``data_dir``, ``published``, ``build``, ``manifest`` (the planted truths) and
    ``summary`` (what the build reported).
    """
    from orchestration.build import run_build

    # The tiny world has 12 countries; the programme's indicator rule wants data for >= 20, which would
    # leave the SDG marts empty. The documented override lowers it for this world only.
    os.environ["METALNEXUS_SDG_MIN_COUNTRIES"] = "8"
    target = tmp_path_factory.mktemp("wh")
    summary = run_build(tiny_world, "demo", str(target / "metalnexus.duckdb"))
    assert summary["success"], summary["failures"]
    return {
        "data_dir": tiny_world,
        "published": summary["published"],
        "build": summary["build"],
        "manifest": json.loads((tiny_world / "manifest.json").read_text()),
        "summary": summary,
    }


@pytest.fixture(scope="session")
def real_build(real_data_dir, dagster_home, tmp_path_factory) -> dict:
    """The whole warehouse built and published once from the real extracts (skipped when they are absent)."""
    from orchestration.build import run_build

    target = tmp_path_factory.mktemp("real_wh")
    summary = run_build(real_data_dir, "real", str(target / "metalnexus.duckdb"))
    assert summary["success"], summary["failures"]
    return summary


@pytest.fixture
def tiny_copy(tiny_build, tmp_path) -> dict:
    """A private copy of the tiny build's warehouse file (for tests that write to it) and of its BACI folder."""
    db = tmp_path / "wh.duckdb"
    shutil.copyfile(tiny_build["published"], db)
    data = tmp_path / "data"
    shutil.copytree(tiny_build["data_dir"], data)
    return {"db": db, "data_dir": data, "manifest": tiny_build["manifest"]}


def pytest_sessionfinish(session, exitstatus):
    """Remove the folder where tests.helpers.dbt_build runs dbt (its fixed warehouse path and target)."""
    from tests.helpers import dbt_work_dir

    shutil.rmtree(dbt_work_dir(), ignore_errors=True)
