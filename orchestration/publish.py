"""Publishing: the build file becomes the warehouse readers open, by atomic rename, only when all passed."""

import datetime as dt
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import dagster as dg

from orchestration.common import progress
from orchestration.resources import InputsResource, WarehouseResource


def publish_file(build: Path, published: Path) -> Path:
    """Copy ``build`` next to ``published`` and rename it into place atomically.

    Readers holding the previous file keep reading it (POSIX rename keeps the old inode alive); new
    readers see the complete new file; a crash leaves at worst a stray temporary file, never a half file.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    temporary = published.with_name(f".{published.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(build, temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, published)
    finally:
        if temporary.exists():
            temporary.unlink()
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return published


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
                "create or replace table marts.build_info as select ? as built_at, ? as source_kind, ? as data_dir",
                [
                    dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    inputs.source_kind,
                    str(Path(inputs.data_dir).name),
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
