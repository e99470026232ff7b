{%- set rule = var('trade_cleaning_rule') %}
{%- set scale = var('trade_cleaning_scale') %}
{{ config(materialized='view') }}
-- Cleaned trade weights: one row per flow (year, exporter_code, importer_code, hs6). Flagged quantities
-- (rule from var trade_cleaning_rule, default ma_sd) are replaced by linear interpolation, on the rule's
-- scale (var trade_cleaning_scale, default log: geometric interpolation), between the nearest usable
-- unflagged years of the series before and after (with ma_sd and var trade_cleaning_end_points = one_sided
-- a flagged end point takes its one anchor's value). The trade value stays as reported (var
-- trade_cleaning_value_rule = keep, the programme's rule, so the unit value moves) or follows the weight
-- (keep_unit_value: v x q_cleaned / q_reported); value_kusd_reported keeps the reported one.
--
-- A view: the flows are written once, by the marts that read it (fct_trade_flows). With ma_sd the flagged
-- years and their anchors come from int_trade_series_ma_sd (incremental, one row per series) and are joined
-- to the flows by a hash join whose build side is the flagged points alone; the statistics behind a flag
-- (centre_value ... anchor years) are filled on flagged rows, the series' own statistics are in
-- int_trade_series_ma_sd. The other rules' models hold every flow, and their anchors are searched here with
-- a window over the series.
{%- if var('trade_cleaning_value_rule') not in ['keep', 'keep_unit_value'] %}
{{ exceptions.raise_compiler_error("trade_cleaning_value_rule must be keep or keep_unit_value") }}
{%- endif %}
{%- if rule not in ['ma_sd', 'hampel', 'unit_value'] %}
{{ exceptions.raise_compiler_error("trade_cleaning_rule must be ma_sd, hampel or unit_value, not " ~ rule) }}
{%- endif %}
with
{%- if rule == 'ma_sd' %}
points as (
    select * from {{ ref('int_trade_series_points') }}
),

flagged_series as (
    select
        hs6,
        exporter_code,
        importer_code,
        n_usable,
        scale_stat,
        threshold,
        unnest(flagged_points) as point
    from {{ ref('int_trade_series_ma_sd') }}
    where n_flagged > 0
),

flagged as (
    select
        hs6,
        exporter_code,
        importer_code,
        point.year as year,
        point.x_tested as x_tested,
        point.centre_value as centre_value,
        point.deviation as deviation,
        scale_stat,
        threshold,
        n_usable,
        point.anchor_year_before as previous_year,
        point.anchor_year_after as next_year,
        point.x_interpolated as x_interpolated
    from flagged_series
),

with_flags as (
    select
        points.hs6,
        points.exporter_code,
        points.importer_code,
        points.year,
        points.value_kusd,
        points.quantity_t,
        flagged.year is not null as is_outlier,
        flagged.x_tested,
        flagged.centre_value,
        flagged.deviation,
        flagged.scale_stat,
        flagged.threshold,
        flagged.n_usable,
        flagged.previous_year,
        flagged.next_year,
        flagged.x_interpolated
    from points
    left join flagged
        on points.hs6 = flagged.hs6
        and points.exporter_code = flagged.exporter_code
        and points.importer_code = flagged.importer_code
        and points.year = flagged.year
),
{%- else %}
flagged as (
    select
        *,
        case when x_quantity is not null and not is_outlier then year end as anchor_year,
        case when x_quantity is not null and not is_outlier then x_quantity end as anchor_x
    from {{ ref('int_trade_outliers_' ~ rule) }}
),

searched as (
    -- The statistics behind a flag are kept on flagged rows only, as with ma_sd.
    select
        hs6,
        exporter_code,
        importer_code,
        year,
        value_kusd,
        quantity_t,
        is_outlier,
        case when is_outlier then x_tested end as x_tested,
        case when is_outlier then centre_value end as centre_value,
        case when is_outlier then deviation end as deviation,
        case when is_outlier then scale_stat end as scale_stat,
        case when is_outlier then threshold end as threshold,
        case when is_outlier then n_usable end as n_usable,
        case when is_outlier then last_value(anchor_year ignore nulls) over before_year end as previous_year,
        case when is_outlier then last_value(anchor_x ignore nulls) over before_year end as previous_x,
        case when is_outlier then first_value(anchor_year ignore nulls) over after_year end as next_year,
        case when is_outlier then first_value(anchor_x ignore nulls) over after_year end as next_x
    from flagged
    window
        before_year as (
            partition by hs6, exporter_code, importer_code
            order by year rows between unbounded preceding and 1 preceding
        ),
        after_year as (
            partition by hs6, exporter_code, importer_code
            order by year rows between 1 following and unbounded following
        )
),

with_flags as (
    select
        * exclude (previous_x, next_x),
        previous_x + (next_x - previous_x) * (year - previous_year) / (next_year - previous_year) as x_interpolated
    from searched
),
{%- endif %}

with_cleaned_quantity as (
    select
        *,
        case
            {%- if scale == 'log' %}
            when is_outlier then exp(x_interpolated)
            {%- else %}
            when is_outlier then x_interpolated
            {%- endif %}
            else quantity_t
        end as quantity_t_cleaned
    from with_flags
),

cleaned as (
    select
        year,
        exporter_code,
        importer_code,
        hs6,
        {%- if var('trade_cleaning_value_rule') == 'keep_unit_value' %}
        -- var trade_cleaning_value_rule = keep_unit_value: the value follows the corrected weight
        case
            when is_outlier and quantity_t > 0 and quantity_t_cleaned > 0
                then value_kusd * quantity_t_cleaned / quantity_t
            else value_kusd
        end as value_kusd,
        {%- else %}
        value_kusd,
        {%- endif %}
        quantity_t_cleaned as quantity_t,
        quantity_t as quantity_t_reported,
        value_kusd as value_kusd_reported,
        is_outlier,
        x_tested,
        centre_value,
        deviation,
        scale_stat,
        threshold,
        n_usable,
        cast(previous_year as smallint) as anchor_year_before,
        cast(next_year as smallint) as anchor_year_after,
        '{{ rule }}' as cleaning_rule,
        cast({{ var('trade_cleaning_window') | int }} as integer) as window_years,
        cast({{ var('trade_cleaning_k_' ~ rule) | float }} as double) as threshold_k,
        '{{ scale }}' as cleaning_scale
    from with_cleaned_quantity
)

select * from cleaned
