"""Publishing: the build file becomes the warehouse readers open, by atomic rename, only when all passed."""

import datetime as dt
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

import dagster as dg

from orchestration.common import progress
from orchestration.resources import InputsResource, WarehouseResource, release
from warehouse.buildfile import publish_file
from warehouse.config import extract_dir
from warehouse.contracts import create_sql
from warehouse.params import params

MANAGED_SCHEMAS = ("seeds", "staging", "intermediate", "marts")


def drop_stale_relations(con, known: set[tuple[str, str]]) -> list[str]:
    """Drop tables and views of the build's own schemas that no asset builds any more; return their names.

    The build file is reused from build to build, so a mart that was renamed or removed would otherwise
    stay in it, and be published, with rows from an older build.
    """
    listed = con.execute(
        "select schema_name, table_name, 'table' from duckdb_tables() where schema_name in (select unnest(?)) "
        "union all select schema_name, view_name, 'view' from duckdb_views() "
        "where schema_name in (select unnest(?)) and not internal",
        [list(MANAGED_SCHEMAS), list(MANAGED_SCHEMAS)],
    ).fetchall()
    dropped = []
    for schema, name, kind in listed:
        if (schema, name) not in known:
            con.execute(f'drop {kind} if exists "{schema}"."{name}"')
            dropped.append(f"{schema}.{name}")
    return dropped


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
        from orchestration import worker

        known = {tuple(key.path) for key in upstream if len(key.path) == 2} | {("marts", "build_info")}
        with warehouse.connect() as con:
            dropped = drop_stale_relations(con, known)
            if dropped:
                progress(context, f"dropped relations no asset builds any more: {', '.join(dropped)}")
            con.execute("create schema if not exists marts")
            con.execute(create_sql("build_info"))
            con.execute(
                "insert into marts.build_info values (?, ?, ?, ?)",
                [
                    dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    inputs.source_kind,
                    str(Path(inputs.data_dir).resolve()),
                    json.dumps(params(), sort_keys=True),
                ],
            )
            con.execute("checkpoint")
            marts = con.execute(
                "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        # every source_file is published relative to the data folder, which build_info records once
        relative_to = {str(Path(inputs.data_dir).resolve()): "", str(extract_dir().resolve()): "extracted/"}
        release()  # the copy attaches the build file from a connection of its own
        started = time.monotonic()
        # every Data Docs page and figure written (by the build's worker, after its answers, while the copy
        # is made) before the copy is renamed into place
        publish_file(Path(warehouse.path), published, relative_to, before_rename=worker.flush)
        copy_seconds = time.monotonic() - started
        from expectations.data_docs import write_site

        results = Path(os.environ.get("METALNEXUS_GE_RESULTS", Path(warehouse.path).parent / "ge_results"))
        docs = write_site(results, published.parent / "data_docs")
        progress(
            context,
            f"published {published} ({published.stat().st_size / 1e6:.1f} MB, compact copy in {copy_seconds:.1f} s, "
            f"the worker's pages written meanwhile; waited for the worker {worker.waited()}); data quality: {docs}",
        )
        return dg.MaterializeResult(
            metadata={
                "path": str(published),
                "marts": len(marts),
                "bytes": published.stat().st_size,
                "data_docs": dg.MetadataValue.path(str(docs)),
            }
        )

    return published_warehouse


def make_figures_asset(upstream: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    """Return the asset that draws every figure (``orchestration/figures.py``) beside the build warehouse."""

    @dg.asset(
        key=["published", "figures"],
        group_name="publish",
        deps=list(upstream),
        kinds={"python"},
        description="Table 1's metal chart, Figure 1 and Figure 2 as PNG beside the build warehouse "
        "(drawn by orchestration/figures.py, as in the report; in the build's worker process when there is one).",
    )
    def figures(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        from orchestration import figures as drawing
        from orchestration.worker import draw_figures, drawn_early

        folder = drawing.folder(Path(warehouse.path))
        folder.mkdir(parents=True, exist_ok=True)
        # Figure 2 is drawn by the worker as soon as the trade scenarios are written (drawn_early)
        keys = [key for key in drawing.MART_KEYS if key not in drawn_early(folder)]
        with warehouse.connect(read_only=True) as con:
            marts = drawing.read_marts(con, keys)
        paths = draw_figures(marts, folder)  # by the build's worker when there is one; PNGs done before publish
        progress(context, f"figures: {', '.join(sorted(paths)) or 'none (empty marts)'} in {folder}")
        return dg.MaterializeResult(
            metadata={name: dg.MetadataValue.path(str(path)) for name, path in paths.items()} | {"n": len(paths)}
        )

    return figures
