-- How much the active cleaning rule (var trade_cleaning_rule) changes, per HS chapter and overall: points
-- with a reported weight, points flagged and replaced, and the end points of ma_sd series that reach the
-- threshold (flagged only with var trade_cleaning_end_points = one_sided; counted either way).
with flows as (
    select
        substr(hs6, 1, 2) as hs_chapter,
        concat_ws('|', hs6, exporter_entity_code, importer_entity_code) as series_key,
        quantity_t_reported,
        is_outlier
    from {{ ref('fct_trade_flows') }}
),

end_points as (
    select
        substr(hs6, 1, 2) as hs_chapter,
        sum(n_end_points_over_threshold) as n_end_points_over_threshold
    from {{ ref('int_trade_series_ma_sd') }}
    group by grouping sets ((substr(hs6, 1, 2)), ())
),

counted as (
    select
        coalesce(hs_chapter, 'all') as hs_chapter,
        count(*) as n_flows,
        count(quantity_t_reported) as n_points_reported,
        count(*) filter (where is_outlier) as n_points_flagged,
        count(distinct series_key) as n_series,
        count(distinct series_key) filter (where is_outlier) as n_series_flagged
    from flows
    group by grouping sets ((hs_chapter), ())
),

final as (
    select
        counted.hs_chapter,
        '{{ var("trade_cleaning_rule") }}' as cleaning_rule,
        counted.n_flows,
        counted.n_points_reported,
        counted.n_points_flagged,
        counted.n_points_flagged / nullif(counted.n_points_reported, 0) as share_points_flagged,
        counted.n_series,
        counted.n_series_flagged,
        cast(coalesce(end_points.n_end_points_over_threshold, 0) as bigint) as n_end_points_over_threshold,
        '{{ var("trade_cleaning_end_points") }}' as end_points_rule
    from counted
    left join end_points on counted.hs_chapter = coalesce(end_points.hs_chapter, 'all')
)

select * from final
