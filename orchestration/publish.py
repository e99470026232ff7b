"""Publishing: the build file becomes the warehouse readers open, by atomic rename, only when all passed."""

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path

import dagster as dg

from orchestration.common import progress
from orchestration.resources import InputsResource, WarehouseResource
from warehouse.buildfile import publish_file
from warehouse.params import params


def make_publish_asset(upstream: Sequence[dg.AssetKey], published: Path) -> dg.AssetsDefinition:
    """Return the asset that publishes the warehouse once every mart (and blocking check) succeeded."""

    @dg.asset(
        key=["published", "warehouse"],
        group_name="publish",
        deps=list(upstream),
        kinds={"duckdb"},
        description="Publishes the finished build as warehouse/metalnexus.duckdb (atomic rename).",
    )
    def published_warehouse(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, inputs: InputsResource
    ) -> dg.MaterializeResult:
        with warehouse.connect() as con:
            con.execute("create schema if not exists marts")
            con.execute(
                "create or replace table marts.build_info as select ? as built_at, ? as source_kind, ? as data_dir, "
                "cast(? as json) as parameters",
                [
                    dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    inputs.source_kind,
                    str(Path(inputs.data_dir).name),
                    json.dumps(params(), sort_keys=True),
                ],
            )
            con.execute("checkpoint")
            marts = con.execute(
                "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        publish_file(Path(warehouse.path), published)
        from expectations.data_docs import write_site

        results = Path(os.environ.get("METALNEXUS_GE_RESULTS", Path(warehouse.path).parent / "ge_results"))
        docs = write_site(results, published.parent / "data_docs")
        progress(context, f"published {published}; data quality: {docs}")
        return dg.MaterializeResult(
            metadata={
                "path": str(published),
                "marts": len(marts),
                "bytes": published.stat().st_size,
                "data_docs": dg.MetadataValue.path(str(docs)),
            }
        )

    return published_warehouse
