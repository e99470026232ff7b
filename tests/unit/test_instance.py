"""The build's Dagster instance stores the run's and steps' events, not the asset events; the run sees them all."""

import dagster as dg

from orchestration.instance import build_instance


@dg.asset
def numbers() -> int:
    return 3


@dg.asset_check(asset=numbers)
def numbers_positive(numbers: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=numbers > 0)


@dg.asset
def doubled(numbers: int) -> int:
    return 2 * numbers


def test_a_run_sees_every_event_and_the_instance_keeps_only_run_and_step_events():
    instance = build_instance()
    definitions = dg.Definitions(assets=[numbers, doubled], asset_checks=[numbers_positive])
    job = definitions.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=instance)
    assert result.success
    kinds = [event.event_type_value for event in result.all_events]
    assert kinds.count("ASSET_MATERIALIZATION") == 2 and kinds.count("ASSET_CHECK_EVALUATION") == 1
    evaluation = next(e for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION")
    assert evaluation.event_specific_data.passed
    assert result.output_for_node("doubled") == 6
    stored = instance.all_logs(result.run_id)
    stored_kinds = {entry.dagster_event.event_type_value for entry in stored}
    assert {"PIPELINE_START", "STEP_START", "STEP_SUCCESS", "PIPELINE_SUCCESS"} <= stored_kinds
    assert not stored_kinds & {"ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION", "STEP_OUTPUT"}
    assert instance.get_asset_records() == []
    assert instance.get_run_by_id(result.run_id).is_success
