-- Every World Bank indicator with an SDG goal and a better direction, with the selection outcome.
with selected as (
    select * from {{ ref('int_sdg_indicators_selected') }}
),

final as (
    select
        indicator_code,
        indicator_name,
        goal,
        sdg_target,
        better,
        reason,
        mapping_source,
        wb_topic,
        in_sdg_series,
        n_countries,
        n_obs,
        passes_coverage,
        duplicate_of,
        duplicate_abs_corr,
        is_selected
    from selected
)

select * from final
