-- Each indicator's SDG goal and the direction that is better. Two sources, the seed first:
--   seed    dbt_project/seeds/sdg/sdg_indicator_direction.csv (curated for the real World Bank files);
--   files   the goal from SDGSeries.csv 'Other notes' ("Goal N: <title>") and the direction from the
--           indicator metadata's source note ("... higher is better.") where both are written there
--           (the demo world writes them; the real SDGSeries.csv leaves 'Other notes' empty).
with seed as (
    select
        indicator_code,
        cast(goal as integer) as goal,
        sdg_target,
        better,
        reason,
        wb_indicator_name
    from {{ ref('sdg_indicator_direction') }}
),

from_files as (
    select
        series.indicator_code,
        cast(regexp_extract(series.other_notes, '^\s*Goal\s+(\d+)\s*:', 1) as integer) as goal,
        lower(regexp_extract(meta.source_note, '\b(higher|lower) (?:values )?(?:is|are) better', 1)) as better
    from {{ ref('stg_world_bank__sdg_series') }} as series
    inner join {{ ref('stg_world_bank__indicators') }} as meta
        on series.indicator_code = meta.indicator_code
    where regexp_matches(series.other_notes, '^\s*Goal\s+\d+\s*:')
        and regexp_matches(meta.source_note, '\b(higher|lower) (values )?(is|are) better')
),

unioned as (
    select indicator_code, goal, sdg_target, better, reason, 'seed' as mapping_source, wb_indicator_name
    from seed
    union all
    select
        indicator_code,
        goal,
        null as sdg_target,
        better,
        'Goal and direction as written in SDGSeries.csv and the indicator metadata.' as reason,
        'files' as mapping_source,
        null as wb_indicator_name
    from from_files
    where indicator_code not in (select indicator_code from seed)
),

named as (
    select
        unioned.indicator_code,
        unioned.goal,
        unioned.sdg_target,
        unioned.better,
        unioned.reason,
        unioned.mapping_source,
        coalesce(series.indicator_name, meta.indicator_name, unioned.wb_indicator_name) as indicator_name,
        series.topic as wb_topic,
        series.indicator_code is not null as in_sdg_series
    from unioned
    left join {{ ref('stg_world_bank__sdg_series') }} as series
        on unioned.indicator_code = series.indicator_code
    left join {{ ref('stg_world_bank__indicators') }} as meta
        on unioned.indicator_code = meta.indicator_code
    where unioned.goal between 1 and 17
)

select * from named
