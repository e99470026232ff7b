"""The DuckDB memory limit reaches both writers of the warehouse: the Dagster resource and the dbt profile."""

from pathlib import Path

import pytest
import yaml

from orchestration.resources import WarehouseResource

PROFILE = Path(__file__).resolve().parents[2] / "dbt_project" / "profiles.yml"


def test_warehouse_connections_take_the_memory_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("METALNEXUS_MEMORY_LIMIT", "3GB")
    with WarehouseResource(path=str(tmp_path / "w.duckdb")).connect() as con:
        limited = con.execute("select current_setting('memory_limit')").fetchone()[0]
    monkeypatch.delenv("METALNEXUS_MEMORY_LIMIT")
    with WarehouseResource(path=str(tmp_path / "w.duckdb")).connect() as con:
        default = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert limited == "2.7 GiB"  # 3 GB in DuckDB's binary units
    assert default != limited and default.endswith("GiB")


def test_dbt_profile_reads_the_same_variable():
    settings = yaml.safe_load(PROFILE.read_text())["metalnexus"]["outputs"]["dev"]["settings"]
    assert settings["memory_limit"] == "{{ env_var('METALNEXUS_MEMORY_LIMIT', '80%') }}"


def test_the_pure_functions_defaults_are_the_declared_parameters():
    # Every parameter is declared once, in dbt_project.yml vars, and the assets pass it to analysis/.
    # The analysis functions keep defaults so that they can be called alone (tests, notebooks); a default
    # that drifted from the declaration would make a notebook disagree with the warehouse.
    from analysis import sdg_panel, trade_cleaning, trade_scenarios
    from warehouse.params import declared

    p = declared()
    assert trade_cleaning.DEFAULT_RULE == p["trade_cleaning_rule"]
    assert trade_cleaning.DEFAULT_WINDOW == p["trade_cleaning_window"]
    assert trade_cleaning.DEFAULT_SCALE == p["trade_cleaning_scale"]
    assert trade_cleaning.DEFAULT_DDOF == p["trade_cleaning_sd_ddof"]
    assert trade_cleaning.DEFAULT_K == {rule: p[f"trade_cleaning_k_{rule}"] for rule in trade_cleaning.DEFAULT_K}
    assert sdg_panel.DEFAULT_ALPHA == p["sdg_alpha"]
    assert sdg_panel.DEFAULT_MIN_VARYING == p["sdg_min_varying_countries"]
    grid = trade_scenarios.penalty_grid(
        p["scenario_ridge_log10_alpha_min"], p["scenario_ridge_log10_alpha_max"], p["scenario_ridge_n_alphas"]
    )
    assert trade_scenarios.DEFAULT_ALPHAS == grid
    assert trade_scenarios.DEFAULT_MIN_TRAIN == p["scenario_cv_min_train"]
    assert trade_scenarios.DEFAULT_HORIZON == p["scenario_cv_horizon"]
    assert trade_scenarios.DEFAULT_N_BOOT == p["scenario_bootstrap_draws"]
    assert trade_scenarios.DEFAULT_LEVEL == p["scenario_band_level"]


def test_build_overrides_reach_dbt_and_unknown_names_are_refused(monkeypatch):
    from warehouse.params import dbt_vars_args, params

    monkeypatch.delenv("METALNEXUS_SDG_MIN_COUNTRIES", raising=False)
    monkeypatch.setenv("METALNEXUS_DBT_VARS", '{"trade_cleaning_k_ma_sd": 3}')
    assert params()["trade_cleaning_k_ma_sd"] == 3 and params()["trade_cleaning_window"] == 5
    assert dbt_vars_args() == ["--vars", '{"trade_cleaning_k_ma_sd": 3}']
    monkeypatch.setenv("METALNEXUS_DBT_VARS", '{"trade_cleaning_k": 3}')
    with pytest.raises(ValueError, match="unknown parameter"):
        params()


def test_dagster_instance_settings_switch_off_telemetry_and_the_new_user_dialog(tmp_path):
    from warehouse.config import write_dagster_instance_settings

    # a fresh instance gets both settings; an existing one keeps its own keys and gains the missing ones
    fresh = write_dagster_instance_settings(tmp_path / "fresh")
    assert yaml.safe_load(fresh.read_text()) == {"telemetry": {"enabled": False}, "nux": {"enabled": False}}
    home = tmp_path / "kept"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\nrun_monitoring:\n  enabled: true\n")
    kept = yaml.safe_load(write_dagster_instance_settings(home).read_text())
    assert kept == {"telemetry": {"enabled": False}, "run_monitoring": {"enabled": True}, "nux": {"enabled": False}}
    # Dagster itself reads the key: the instance built from this folder does not show the dialog
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(home)) as instance:
        assert instance.nux_enabled is False


def test_the_assets_share_one_connection_until_it_is_released(tmp_path):
    """Blocks reuse one connection (no open and checkpoint per block); release() frees the file for another
    configuration, as dbt-duckdb's and publish's own connections need."""
    import duckdb

    from orchestration import resources

    path = str(tmp_path / "w.duckdb")
    warehouse = WarehouseResource(path=path)
    with warehouse.connect() as con:
        con.execute("create table t as select 1 as x")
    first = resources._open["connection"]
    with warehouse.connect(read_only=True) as con:
        assert con.execute("select x from t").fetchall() == [(1,)]
    assert resources._open["connection"] is first
    with pytest.raises(duckdb.ConnectionException):  # a different configuration while it is open
        duckdb.connect(path, read_only=True)
    resources.release()
    assert resources._open["connection"] is None
    with duckdb.connect(path, read_only=True) as con:
        assert con.execute("select x from t").fetchall() == [(1,)]


def test_long_lived_objects_are_made_without_collections_and_frozen_after():
    import gc

    from warehouse.config import long_lived_objects

    class Node:  # a reference cycle: only the cyclic collector frees it
        def __init__(self):
            self.me = self

    frozen = gc.get_freeze_count()
    collections = sum(stat["collections"] for stat in gc.get_stats())
    try:
        with long_lived_objects():
            assert not gc.isenabled()
            kept = [Node() for _ in range(50_000)]  # enough allocations to start collections if enabled
        assert gc.isenabled() and sum(stat["collections"] for stat in gc.get_stats()) == collections
        assert gc.get_freeze_count() >= frozen + len(kept)  # a later full collection walks none of them
        gc.disable()
        with long_lived_objects():
            pass
        assert not gc.isenabled()  # a collector that was off stays off
    finally:
        gc.enable()
        gc.unfreeze()
