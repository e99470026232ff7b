-- How many points each outlier rule flags, all three computed on the same flows so the comparison is
-- always there whichever rule cleans the marts (var trade_cleaning_rule). One row per rule.
{%- set active = var('trade_cleaning_rule') %}
{%- set k = {
    'ma_sd': var('trade_cleaning_k_ma_sd') | float,
    'hampel': var('trade_cleaning_k_hampel') | float,
    'unit_value': var('trade_cleaning_k_unit_value') | float,
} %}
with
{%- for rule in ['ma_sd', 'hampel', 'unit_value'] %}
{{ rule }}_series as (
    {%- if rule == 'ma_sd' %}
    select
        n_flows,
        n_usable as n_points_tested,
        n_flagged as n_points_flagged
    from {{ ref('int_trade_series_ma_sd') }}
    {%- else %}
    select
        count(*) as n_flows,
        count(x_tested) as n_points_tested,
        count(*) filter (where is_outlier) as n_points_flagged
    from {{ ref('int_trade_outliers_' ~ rule) }}
    group by hs6, exporter_code, importer_code
    {%- endif %}
),

{{ rule }}_counts as (
    select
        '{{ rule }}' as cleaning_rule,
        cast(sum(n_flows) as bigint) as n_flows,
        cast(sum(n_points_tested) as bigint) as n_points_tested,
        cast(sum(n_points_flagged) as bigint) as n_points_flagged,
        count(*) as n_series,
        count(*) filter (where n_points_flagged > 0) as n_series_flagged
    from {{ rule }}_series
),
{%- endfor %}

all_rules as (
    select * from ma_sd_counts
    union all
    select * from hampel_counts
    union all
    select * from unit_value_counts
),

compared as (
    select
        cleaning_rule,
        case cleaning_rule
            {%- for rule, value in k.items() %}
            when '{{ rule }}' then cast({{ value }} as double)
            {%- endfor %}
        end as threshold_k,
        cast({{ var('trade_cleaning_window') | int }} as integer) as window_years,
        '{{ var('trade_cleaning_scale') }}' as cleaning_scale,
        cleaning_rule = '{{ active }}' as is_active_rule,
        n_flows,
        n_points_tested,
        n_points_flagged,
        n_points_flagged / nullif(n_points_tested, 0) as share_points_flagged,
        n_series,
        n_series_flagged
    from all_rules
)

select * from compared
