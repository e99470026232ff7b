"""The DuckDB memory limit reaches both writers of the warehouse: the Dagster resource and the dbt profile."""

from pathlib import Path

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
