"""The Dagster instance a command-line build runs in: in memory, storing only the run's and steps' events.

A tiny build sends about 1,750 events: for every dbt model and test a planned event, an output event and
the materialization or check result itself. Dagster's in-memory instance stores each in an in-memory SQLite
database through SQLAlchemy (1-3 ms an event), and for every output and check result looks up the
upstream assets' latest materializations there (their data versions). The build reads its events from the
run's result, not from the instance, and the instance ends with the process: a build's instance stores the
run's and steps' own events (start, success, failure) and none of the asset events, and answers that it
holds no asset records. ``metalnexus build --record`` uses the persistent instance (``DAGSTER_HOME``) and
keeps everything, for the UI.
"""

from __future__ import annotations

from dagster._core.storage.event_log import InMemoryEventLogStorage

# events a build's instance does not store: what each step announces, its outputs, the asset events
# (materializations, observations, check results) and plain log lines (those are in build.log)
UNSTORED = frozenset(
    {
        "ASSET_MATERIALIZATION_PLANNED",
        "ASSET_CHECK_EVALUATION_PLANNED",
        "STEP_OUTPUT",
        "ASSET_MATERIALIZATION",
        "ASSET_OBSERVATION",
        "ASSET_CHECK_EVALUATION",
    }
)


class BuildEventLog(InMemoryEventLogStorage):
    """Dagster's in-memory event log, less the events in :data:`UNSTORED` and plain log lines."""

    def store_event(self, event) -> None:
        """Store ``event`` unless it is a log line or one of :data:`UNSTORED`."""
        if event.dagster_event is None or event.dagster_event.event_type_value in UNSTORED:
            return
        super().store_event(event)

    def get_asset_records(self, asset_keys=None) -> list:
        """Return no records: no asset event is stored (Dagster asks for every output and check result)."""
        return []

    @property
    def asset_records_have_last_observation(self) -> bool:
        """Say that asset records would carry observations, so Dagster does not query for them one by one."""
        return True


def build_instance():
    """Return an ephemeral Dagster instance (as ``DagsterInstance.ephemeral()``) with :class:`BuildEventLog`."""
    from dagster import DagsterInstance
    from dagster._core.instance.types import InstanceType
    from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
    from dagster._core.run_coordinator import DefaultRunCoordinator
    from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
    from dagster._core.storage.root import TemporaryLocalArtifactStorage
    from dagster._core.storage.runs import InMemoryRunStorage

    return DagsterInstance(
        instance_type=InstanceType.EPHEMERAL,
        local_artifact_storage=TemporaryLocalArtifactStorage(),
        run_storage=InMemoryRunStorage(),
        event_storage=BuildEventLog(),
        compute_log_manager=NoOpComputeLogManager(),
        run_coordinator=DefaultRunCoordinator(),
        run_launcher=SyncInMemoryRunLauncher(),
    )
