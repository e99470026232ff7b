-- Our Figure 1 beside the programme's: per-metal averages of deteriorating indicators by source and by metal
-- group, the metal with the widest impact, and platinum's two routes, at raw p, after BH and after Holm;
-- the permutation null's mean where it applies (all tests, per metal series); and the inputs each measure
-- rests on (the metal input series and their sources over the panel years).
with counts as (
    select * from {{ ref('rpt_sdg_deterioration_counts') }}
    where goal = 0
),

estimates as (
    select * from {{ source('analysis_marts', 'fct_sdg_panel_estimates') }}
),

null_summary as (
    select * from {{ ref('rpt_sdg_permutation_summary') }}
),

averages as (
    select
        case
            when level = 'all' and source = 'mined' then 'mined_per_metal'
            when level = 'all' and source = 'imported' then 'imported_per_metal'
            when level = 'metal_group' and source = 'all' and group_name = 'base' then 'base_per_metal'
            when level = 'metal_group' and source = 'all' and group_name = 'critical' then 'critical_per_metal'
            when level = 'metal' and source = 'mined' and group_name = 'Pt' then 'pt_mined'
            when level = 'metal' and source = 'imported' and group_name = 'Pt' then 'pt_imported'
        end as measure,
        case when level = 'metal' then n_deteriorating_raw else per_series_deteriorating_raw end as ours_raw,
        case when level = 'metal' then n_deteriorating_bh else per_series_deteriorating_bh end as ours_bh,
        case when level = 'metal' then n_deteriorating_holm else per_series_deteriorating_holm end as ours_holm,
        n_series
    from counts
),

per_metal as (
    select
        group_name as metal,
        n_deteriorating_raw,
        n_deteriorating_bh,
        n_deteriorating_holm
    from counts
    where level = 'metal' and source = 'all'
),

widest as (
    select
        'widest_metal' as measure,
        arg_max(metal, n_deteriorating_raw order by metal desc) as ours_raw_label,
        arg_max(metal, n_deteriorating_bh order by metal desc) as ours_bh_label,
        arg_max(metal, n_deteriorating_holm order by metal desc) as ours_holm_label
    from per_metal
),

pt_overlap as (
    select
        'pt_overlap' as measure,
        count(*) filter (where mined.deteriorates and imported.deteriorates) as ours_raw,
        count(*) filter (where mined.deteriorates_bh and imported.deteriorates_bh) as ours_bh,
        count(*) filter (where mined.deteriorates_holm and imported.deteriorates_holm) as ours_holm
    from estimates as mined
    inner join estimates as imported
        on mined.indicator_code = imported.indicator_code
        and mined.metal = imported.metal
    where mined.metal = 'Pt' and mined.source = 'mined' and imported.source = 'imported'
),

-- the null counts all tests together: its mean per metal series is comparable with the per-metal averages
null_per_series as (
    select
        max(null_summary.null_mean_n_deteriorating) filter (where null_summary.correction = 'raw')
        / nullif(max(all_counts.n_series), 0) as null_raw,
        max(null_summary.null_mean_n_deteriorating) filter (where null_summary.correction = 'bh')
        / nullif(max(all_counts.n_series), 0) as null_bh,
        max(null_summary.null_mean_n_deteriorating) filter (where null_summary.correction = 'holm')
        / nullif(max(all_counts.n_series), 0) as null_holm
    from null_summary
    cross join (select n_series from counts where level = 'all' and source = 'all') as all_counts
),

inputs as (
    select
        route_group,
        string_agg(
            metal_symbol || ' ' || source_dataset || ' (' || n_countries || ' countries)', '; '
            order by metal_symbol, source_dataset
        ) as rests_on
    from (
        select
            route_group,
            metal_symbol,
            source_dataset,
            count(distinct iso3) as n_countries
        from {{ ref('fct_metal_dmi') }}
        where is_panel_metal
            and year between {{ var('sdg_year_start') }} and {{ var('sdg_year_end') }}
        group by route_group, metal_symbol, source_dataset
    )
    group by route_group
),

ours as (
    select
        measure,
        cast(ours_raw as double) as ours_raw,
        cast(ours_bh as double) as ours_bh,
        cast(ours_holm as double) as ours_holm,
        cast(null as varchar) as ours_raw_label,
        cast(null as varchar) as ours_bh_label,
        cast(null as varchar) as ours_holm_label
    from averages
    where measure is not null
    union all
    select
        measure,
        null,
        null,
        null,
        ours_raw_label,
        ours_bh_label,
        ours_holm_label
    from widest
    union all
    select
        measure,
        ours_raw,
        ours_bh,
        ours_holm,
        null,
        null,
        null
    from pt_overlap
),

final as (
    select
        programme.measure,
        programme.programme_value,
        programme.programme_label,
        ours.ours_raw,
        ours.ours_bh,
        ours.ours_holm,
        ours.ours_raw_label,
        ours.ours_bh_label,
        ours.ours_holm_label,
        case when programme.measure like '%per_metal' then null_per_series.null_raw end as null_mean_raw,
        case when programme.measure like '%per_metal' then null_per_series.null_bh end as null_mean_bh,
        case when programme.measure like '%per_metal' then null_per_series.null_holm end as null_mean_holm,
        case
            when programme.measure in ('mined_per_metal', 'pt_mined') then 'mined: ' || mined_inputs.rests_on
            when programme.measure in ('imported_per_metal', 'pt_imported')
                then 'imported: ' || imported_inputs.rests_on
            else 'mined: ' || coalesce(mined_inputs.rests_on, 'none') || ' | imported: '
                || coalesce(imported_inputs.rests_on, 'none')
        end as inputs,
        programme.programme_says
    from {{ ref('sdg_programme_figure1') }} as programme
    left join ours on programme.measure = ours.measure
    cross join null_per_series
    left join inputs as mined_inputs on mined_inputs.route_group = 'mined'
    left join inputs as imported_inputs on imported_inputs.route_group = 'imported'
)

select * from final
