"""The Dagster code location of metalnexus: every asset, check, resource and the build job.

Paths come from environment variables (warehouse/config.py), read when the definitions are built, not at
import of the domain modules; nothing here opens the warehouse at import (the UI's code server imports it).
"""

from __future__ import annotations

import dagster as dg

from orchestration import cross_checks, input_output, scenarios, sdg_panel, trade
from orchestration.common import ge_checks
from orchestration.dbt import ensure_manifest, make_dbt_assets
from orchestration.publish import make_figures_asset, make_publish_asset
from orchestration.resources import InputsResource, WarehouseResource
from warehouse import config

BUILD_JOB = "build_all"


def build_definitions() -> dg.Definitions:
    """Assemble the definitions for the current environment (data folder, warehouse paths)."""
    from expectations.distributions import SUITES as DISTRIBUTION_SUITES
    from expectations.marts import SUITES as MART_SUITES
    from expectations.raw import SUITES as RAW_SUITES

    config.set_offline_env()
    data_dir = str(config.data_dir())
    dbt_defs = make_dbt_assets(ensure_manifest())
    assets = [
        *trade.assets(data_dir),
        *sdg_panel.assets(),
        *input_output.assets(),
        *scenarios.assets(),
        *cross_checks.assets(),
        *dbt_defs,
    ]
    # Great Expectations: one check op per layer and depth in the asset graph, a check per table. A single
    # op for all tables of a layer would wait for producers that themselves wait for its blocking checks
    # (raw.baci_flows is loaded after raw.baci_countries is checked), a cycle; one op per table costs a
    # Dagster step each (about 0.2 s).
    depth = asset_depths(assets)
    layer_checks = []
    for layer, suites in (("raw", RAW_SUITES), ("marts", MART_SUITES), ("distributions", DISTRIBUTION_SUITES)):
        groups: dict[int, dict] = {}
        for table, suite in suites.items():
            groups.setdefault(depth[dg.AssetKey(table.split("."))], {})[table] = suite
        layer_checks += [ge_checks(f"ge_{layer}_{level}", group, layer) for level, group in sorted(groups.items())]
    # Publishing waits for every table the build writes: dbt marts and the Python analysis assets.
    upstream = [key for definition in assets for key in definition.keys]
    assets.append(make_figures_asset(upstream))
    assets.append(make_publish_asset([*upstream, dg.AssetKey(["published", "figures"])], config.published_path()))
    checks = [
        *trade.checks(),
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
        },
        executor=dg.in_process_executor,
    )


def asset_depths(assets: list) -> dict:
    """Return, for every asset key, the length of the longest chain of producing steps that leads to it."""
    producer = {key: definition for definition in assets for key in definition.keys}
    upstream = {}
    for definition in assets:
        deps = {dep for key in definition.keys for dep in definition.asset_deps.get(key, ())}
        upstream[definition] = {producer[dep] for dep in deps if dep in producer and producer[dep] is not definition}
    memo: dict = {}

    def step_depth(definition) -> int:
        if definition not in memo:
            memo[definition] = 1 + max((step_depth(up) for up in upstream[definition]), default=-1)
        return memo[definition]

    return {key: step_depth(producer[key]) for key in producer}


@dg.definitions
def defs() -> dg.Definitions:
    """Entry point for ``dagster dev -m orchestration.definitions``: built lazily, on first load."""
    return build_definitions()
