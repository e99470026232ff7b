"""The Dagster code location of metalnexus: every asset, check, resource and the build job.

Paths come from environment variables (warehouse/config.py), read when the definitions are built, not at
import of the domain modules; nothing here opens the warehouse at import (the UI's code server imports it).
"""

from __future__ import annotations

import dagster as dg

from orchestration import input_output, scenarios, sdg_panel, trade
from orchestration.common import ge_checks
from orchestration.dbt import dbt_resource, ensure_manifest, make_dbt_assets
from orchestration.publish import make_publish_asset
from orchestration.resources import InputsResource, WarehouseResource
from warehouse import config

BUILD_JOB = "build_all"


def build_definitions() -> dg.Definitions:
    """Assemble the definitions for the current environment (data folder, warehouse paths)."""
    from expectations.marts import SUITES as MART_SUITES
    from expectations.raw import SUITES as RAW_SUITES
    from expectations.staging import SUITES as STAGING_SUITES

    config.set_offline_env()
    data_dir = str(config.data_dir())
    dbt_defs = make_dbt_assets(ensure_manifest())
    assets = [
        *trade.assets(data_dir),
        *sdg_panel.assets(),
        *input_output.assets(),
        *scenarios.assets(),
        dbt_defs,
    ]
    # Great Expectations: one check op per layer and producing step, a check per table. One op for all
    # tables of a layer would wait for every producer and block the steps downstream of the first ones.
    producer = {key: definition.node_def.name for definition in assets for key in definition.keys}
    layer_checks = []
    for layer, suites in (("raw", RAW_SUITES), ("staging", STAGING_SUITES), ("marts", MART_SUITES)):
        groups: dict[str, dict] = {}
        for table, suite in suites.items():
            groups.setdefault(producer[dg.AssetKey(table.split("."))], {})[table] = suite
        layer_checks += [ge_checks(f"ge_{layer}__{op}", group, layer) for op, group in groups.items()]
    # Publishing waits for every table the build writes: dbt marts and the Python analysis assets.
    upstream = [key for definition in assets for key in definition.keys]
    assets.append(make_publish_asset(upstream, config.published_path()))
    checks = [
        *trade.checks(),
        *sdg_panel.checks(),
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
