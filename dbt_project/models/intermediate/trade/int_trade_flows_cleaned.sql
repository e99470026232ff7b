{%- set rule = var('trade_cleaning_rule', 'ma_sd') %}
{%- set scale = var('trade_cleaning_scale', 'log') %}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='hs6, exporter_code, importer_code',
    on_schema_change='sync_all_columns',
    post_hook=[
        "delete from {{ this }} as cleaned
        using (
            select try_cast(partition_key as smallint) as year, max(loaded_at) as loaded_at
            from {{ source('raw', 'load_log') }}
            where table_name = 'baci_flows'
            group by 1
        ) as loads
        where cleaned.year = loads.year and cleaned.source_loaded_at < loads.loaded_at"
    ]
) }}
-- Cleaned trade weights: one row per flow (year, exporter_code, importer_code, hs6). Flagged quantities
-- (rule from var trade_cleaning_rule, default ma_sd) are replaced by linear interpolation, on the rule's
-- scale (var trade_cleaning_scale, default log: geometric interpolation), between the nearest usable
-- unflagged years of the series before and after. Edge years are never flagged, so both anchors exist.
--
-- The ma_sd model already carries the anchors found among its neighbours (anchors_resolved); only the
-- series with a row whose anchor lies further away are searched here with a window over their rows.
-- The other rules' models carry no anchors: every series is searched.
-- Incremental (as int_trade_outliers_ma_sd): an incremental run takes the series the ma_sd model
-- re-cleaned in this invocation (cleaning_run_id); with another rule it re-cleans the series whose
-- rows changed year (same raw.load_log test). `dbt build --full-refresh` rebuilds everything.
{%- if rule not in ['ma_sd', 'hampel', 'unit_value'] %}
{{ exceptions.raise_compiler_error("trade_cleaning_rule must be ma_sd, hampel or unit_value, not " ~ rule) }}
{%- endif %}
{%- set k_default = {'ma_sd': 2.0, 'hampel': 4.0, 'unit_value': 5.0}[rule] %}
{%- set carries_anchors = rule == 'ma_sd' %}
{%- set parameters = 'rule=' ~ rule ~ ';window=' ~ (var('trade_cleaning_window', 5) | int) ~ ';k=' ~ (var('trade_cleaning_k_' ~ rule, k_default) | float) ~ ';ddof=' ~ (var('trade_cleaning_sd_ddof', 0) | int) ~ ';scale=' ~ scale %}
with baci_loads as (
    select
        try_cast(partition_key as smallint) as year,
        max(loaded_at) as loaded_at
    from {{ source('raw', 'load_log') }}
    where table_name = 'baci_flows'
    group by 1
),

all_flagged as (
    select * from {{ ref('int_trade_outliers_' ~ rule) }}
),

{%- if is_incremental() %}

-- Rows cleaned with other parameters (or by an older version of the model): everything is re-cleaned.
parameters_changed as (
    select count(*) > 0 as is_changed from {{ this }}
    where cleaning_parameters is distinct from '{{ parameters }}'
),
{%- endif %}

{%- if is_incremental() and carries_anchors %}

flagged as (
    select * from all_flagged
    where cleaning_run_id = '{{ invocation_id }}' or (select is_changed from parameters_changed)
),
{%- elif is_incremental() %}

changed_years as (
    select year from baci_loads
    where loaded_at > (select coalesce(max(source_loaded_at), timestamp '1900-01-01') from {{ this }})
),

changed_series as (
    select hs6, exporter_code, importer_code from all_flagged
    where year in (select year from changed_years)
    union
    select hs6, exporter_code, importer_code from {{ this }}
    where year in (select year from changed_years)
),

flagged as (
    select all_flagged.* from all_flagged
    semi join changed_series using (hs6, exporter_code, importer_code)
    where not (select is_changed from parameters_changed)
    union all
    select all_flagged.* from all_flagged
    where (select is_changed from parameters_changed)
),
{%- else %}

flagged as (
    select * from all_flagged
),
{%- endif %}

{%- if carries_anchors %}

unresolved_series as (
    select distinct hs6, exporter_code, importer_code from flagged
    where not coalesce(anchors_resolved, false)
),

resolved as (
    select
        hs6,
        exporter_code,
        importer_code,
        year,
        value_kusd,
        quantity_t,
        x_tested,
        centre_value,
        deviation,
        scale_stat,
        threshold,
        n_usable,
        is_outlier,
        anchor_year_before as previous_year,
        anchor_x_before as previous_x,
        anchor_year_after as next_year,
        anchor_x_after as next_x
    from flagged
    anti join unresolved_series using (hs6, exporter_code, importer_code)
),

to_search as (
    select flagged.* from flagged
    semi join unresolved_series using (hs6, exporter_code, importer_code)
),
{%- else %}

to_search as (
    select * from flagged
),
{%- endif %}

anchors as (
    select
        *,
        case when x_quantity is not null and not is_outlier then year end as anchor_year,
        case when x_quantity is not null and not is_outlier then x_quantity end as anchor_x
    from to_search
),

searched as (
    select
        hs6,
        exporter_code,
        importer_code,
        year,
        value_kusd,
        quantity_t,
        x_tested,
        centre_value,
        deviation,
        scale_stat,
        threshold,
        n_usable,
        is_outlier,
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

neighbours as (
    {%- if carries_anchors %}
    select * from resolved
    union all
    {%- endif %}
    select * from searched
),

cleaned as (
    select
        neighbours.year,
        neighbours.exporter_code,
        neighbours.importer_code,
        neighbours.hs6,
        neighbours.value_kusd,
        case
            when neighbours.is_outlier then
                {%- if scale == 'log' %}
                exp(
                    neighbours.previous_x + (neighbours.next_x - neighbours.previous_x)
                    * (neighbours.year - neighbours.previous_year)
                    / (neighbours.next_year - neighbours.previous_year)
                )
                {%- else %}
                neighbours.previous_x + (neighbours.next_x - neighbours.previous_x)
                * (neighbours.year - neighbours.previous_year)
                / (neighbours.next_year - neighbours.previous_year)
                {%- endif %}
            else neighbours.quantity_t
        end as quantity_t,
        neighbours.quantity_t as quantity_t_reported,
        neighbours.is_outlier,
        neighbours.is_outlier as is_interpolated,
        neighbours.x_tested,
        neighbours.centre_value,
        neighbours.deviation,
        neighbours.scale_stat,
        neighbours.threshold,
        neighbours.n_usable,
        neighbours.previous_year as anchor_year_before,
        neighbours.next_year as anchor_year_after,
        '{{ rule }}' as cleaning_rule,
        cast({{ var('trade_cleaning_window', 5) | int }} as integer) as window_years,
        cast({{ var('trade_cleaning_k_' ~ rule, k_default) | float }} as double) as threshold_k,
        '{{ scale }}' as cleaning_scale,
        '{{ invocation_id }}' as cleaning_run_id,
        '{{ parameters }}' as cleaning_parameters,
        baci_loads.loaded_at as source_loaded_at
    from neighbours
    left join baci_loads on neighbours.year = baci_loads.year
)

select * from cleaned
