-- Cleaned trade weights: one row per flow (year, exporter_code, importer_code, hs6). Flagged quantities
-- (rule from var trade_cleaning_rule, default ma_sd) are replaced by linear interpolation, on the rule's
-- scale (var trade_cleaning_scale, default log: geometric interpolation), between the nearest usable
-- unflagged years of the series before and after. Edge years are never flagged, so both anchors exist.
{%- set rule = var('trade_cleaning_rule', 'ma_sd') %}
{%- set scale = var('trade_cleaning_scale', 'log') %}
{%- if rule not in ['ma_sd', 'hampel', 'unit_value'] %}
{{ exceptions.raise_compiler_error("trade_cleaning_rule must be ma_sd, hampel or unit_value, not " ~ rule) }}
{%- endif %}
{%- set k_default = {'ma_sd': 2.0, 'hampel': 4.0, 'unit_value': 5.0}[rule] %}
with flagged as (
    select * from {{ ref('int_trade_outliers_' ~ rule) }}
),

anchors as (
    select
        *,
        case when x_quantity is not null and not is_outlier then year end as anchor_year,
        case when x_quantity is not null and not is_outlier then x_quantity end as anchor_x
    from flagged
),

neighbours as (
    select
        *,
        last_value(anchor_year ignore nulls) over before_year as previous_year,
        last_value(anchor_x ignore nulls) over before_year as previous_x,
        first_value(anchor_year ignore nulls) over after_year as next_year,
        first_value(anchor_x ignore nulls) over after_year as next_x
    from anchors
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

cleaned as (
    select
        year,
        exporter_code,
        importer_code,
        hs6,
        value_kusd,
        case
            when is_outlier then
                {%- if scale == 'log' %}
                exp(previous_x + (next_x - previous_x) * (year - previous_year) / (next_year - previous_year))
                {%- else %}
                previous_x + (next_x - previous_x) * (year - previous_year) / (next_year - previous_year)
                {%- endif %}
            else quantity_t
        end as quantity_t,
        quantity_t as quantity_t_reported,
        is_outlier,
        is_outlier as is_interpolated,
        x_tested,
        centre_value,
        deviation,
        scale_stat,
        threshold,
        n_usable,
        previous_year as anchor_year_before,
        next_year as anchor_year_after,
        '{{ rule }}' as cleaning_rule,
        cast({{ var('trade_cleaning_window', 5) | int }} as integer) as window_years,
        cast({{ var('trade_cleaning_k_' ~ rule, k_default) | float }} as double) as threshold_k,
        '{{ scale }}' as cleaning_scale
    from neighbours
)

select * from cleaned
