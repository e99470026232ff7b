"""The Dagster instance a command-line build runs in: in memory, keeping only the events anything reads.

A tiny build sends about 1,750 events: for every dbt model and test a planned event, an output event and
the materialization or check result itself. Dagster's in-memory instance stores each in an in-memory SQLite
database through SQLAlchemy (about 1 ms an event). The build reads its events from the run's result, not
from the instance, and the instance ends with the process; what Dagster itself reads back during the run is
the materializations and check results (to link a check to the materialization it checked). The planned and
output events are therefore not stored. ``metalnexus build --record`` uses the persistent instance
(``DAGSTER_HOME``) and keeps everything, for the UI.
"""

from __future__ import annotations

from dagster._core.storage.event_log import InMemoryEventLogStorage

# events a build's instance does not store: announcements of what a step will do, and each output's
# bookkeeping (the materialization or check result that follows is stored)
UNSTORED = frozenset({"ASSET_MATERIALIZATION_PLANNED", "ASSET_CHECK_EVALUATION_PLANNED", "STEP_OUTPUT"})


class BuildEventLog(InMemoryEventLogStorage):
    """Dagster's in-memory event log, less the events in :data:`UNSTORED`."""

    def store_event(self, event) -> None:
        """Store ``event`` unless it is one of :data:`UNSTORED`."""
        if event.dagster_event is not None and event.dagster_event.event_type_value in UNSTORED:
            return
        super().store_event(event)


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
