"""The Dagster code location of metalnexus: every asset, check, resource and the build job.

Paths come from environment variables (warehouse/config.py), read when the definitions are built, not at
import of the domain modules; nothing here opens the warehouse at import (the UI's code server imports it).
"""

from __future__ import annotations

import dagster as dg

from orchestration import input_output, scenarios, sdg_panel, trade
from orchestration.common import ge_check
from orchestration.dbt import dbt_resource, ensure_manifest, make_dbt_assets
from orchestration.publish import make_publish_asset
from orchestration.resources import InputsResource, WarehouseResource
from warehouse import config

BUILD_JOB = "build_all"


def build_definitions() -> dg.Definitions:
    """Assemble the definitions for the current environment (data folder, warehouse paths)."""
    from expectations.marts import SUITES as MART_SUITES
    from expectations.staging import SUITES as STAGING_SUITES

    config.set_offline_env()
    data_dir = str(config.data_dir())
    dbt_defs = make_dbt_assets(ensure_manifest())
    layer_checks = [
        ge_check(name, dg.AssetKey(name.split(".")), STAGING_SUITES, True, "staging") for name in STAGING_SUITES
    ] + [ge_check(name, dg.AssetKey(name.split(".")), MART_SUITES, True, "marts") for name in MART_SUITES]
    assets = [
        *trade.assets(data_dir),
        *sdg_panel.assets(),
        *input_output.assets(),
        *scenarios.assets(),
        dbt_defs,
    ]
    # Publishing waits for every table the build writes: dbt marts and the Python analysis assets.
    upstream = [key for definition in assets for key in definition.keys]
    assets.append(make_publish_asset(upstream, config.published_path()))
    checks = [
        *trade.checks(),
        *sdg_panel.checks(),
        *input_output.checks(),
        *scenarios.checks(),
        *layer_checks,
    ]
    return dg.Definitions(
        assets=assets,
        asset_checks=checks,
        jobs=[dg.define_asset_job(BUILD_JOB, selection=dg.AssetSelection.all())],
        resources={
            "warehouse": WarehouseResource(path=str(config.build_path())),
            "inputs": InputsResource(
                data_dir=data_dir, source_kind=config.source_kind(), on_bad_rows=config.on_bad_rows()
            ),
            "dbt": dbt_resource(),
        },
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    """Entry point for ``dagster dev -m orchestration.definitions``: built lazily, on first load."""
    return build_definitions()
