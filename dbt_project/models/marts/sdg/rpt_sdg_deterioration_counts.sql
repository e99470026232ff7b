-- Figure 1's counts: deteriorating and improving indicators by metal (or metal group, or all metals), by
-- source (mined, imported, or all) and by goal (0 = all goals), from the panel's estimates.
with estimates as (
    select
        *,
        coalesce(metal_group, 'unknown') as metal_group_known,
        metal || '|' || source as input_series
    from {{ source('analysis_marts', 'fct_sdg_panel_estimates') }}
),

counted as (
    select
        metal,
        metal_group_known,
        source,
        goal,
        grouping(metal) as metal_rolled_up,
        grouping(metal_group_known) as group_rolled_up,
        grouping(source) as source_rolled_up,
        grouping(goal) as goal_rolled_up,
        count(*) as n_tests,
        count(distinct input_series) as n_series,
        count(*) filter (where deteriorates) as n_deteriorating_raw,
        count(*) filter (where deteriorates_bh) as n_deteriorating_bh,
        count(*) filter (where deteriorates_holm) as n_deteriorating_holm,
        count(*) filter (where improves) as n_improving_raw,
        count(*) filter (where improves_bh) as n_improving_bh,
        count(*) filter (where improves_holm) as n_improving_holm
    from estimates
    group by grouping sets (
        (metal, source, goal), (metal, source), (metal, goal), (metal),
        (metal_group_known, source, goal), (metal_group_known, source), (metal_group_known, goal),
        (metal_group_known),
        (source, goal), (source), (goal), ()
    )
),

labelled as (
    select
        case
            when metal_rolled_up = 0 then 'metal'
            when group_rolled_up = 0 then 'metal_group'
            else 'all'
        end as level,
        case
            when metal_rolled_up = 0 then metal
            when group_rolled_up = 0 then metal_group_known
            else 'all'
        end as group_name,
        case when source_rolled_up = 0 then source else 'all' end as source,
        cast(case when goal_rolled_up = 0 then goal else 0 end as integer) as goal,
        n_tests,
        n_series,
        n_deteriorating_raw,
        n_deteriorating_bh,
        n_deteriorating_holm,
        n_improving_raw,
        n_improving_bh,
        n_improving_holm,
        n_deteriorating_raw / n_series as per_series_deteriorating_raw,
        n_deteriorating_bh / n_series as per_series_deteriorating_bh,
        n_deteriorating_holm / n_series as per_series_deteriorating_holm,
        n_improving_raw / n_series as per_series_improving_raw,
        n_improving_bh / n_series as per_series_improving_bh,
        n_improving_holm / n_series as per_series_improving_holm
    from counted
)

select * from labelled
order by level, group_name, source, goal
