{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='hs6, exporter_code, importer_code',
    on_schema_change='sync_all_columns',
    post_hook=[
        "delete from {{ this }} as series
        where exists (
            select 1
            from (
                select try_cast(partition_key as smallint) as year, max(loaded_at) as loaded_at
                from {{ source('raw', 'load_log') }}
                where table_name = 'baci_flows'
                group by 1
            ) as loads
            where case when loads.year between 1988 and 2050 then (series.flow_year_bits >> (loads.year - 1988)) & 1 end = 1
                and loads.loaded_at > series.source_loaded_at
        )"
    ]
) }}
-- The programme report's rule on every series at once: centred moving average over calendar years,
-- deviation from it, the standard deviation of the deviations over the series (population SD by default,
-- var trade_cleaning_sd_ddof; over every point, or without a first pass's outliers with var
-- trade_cleaning_sd_outliers = exclude), flag |d| >= k sd, and the nearest usable unflagged years on each
-- side of a flagged year (the interpolation anchors). Edge years (first/last usable year of a series) are
-- not flagged unless var trade_cleaning_end_points = one_sided (n_end_points_over_threshold counts those
-- over the threshold either way); series with fewer usable years than the window are never flagged. Reference implementation and equations:
-- analysis/trade_cleaning.py (rule "ma_sd"). Grain: one row per series (hs6, exporter_code, importer_code).
--
-- Built for speed (measured in benchmarks/README.md): no sort and no window. One hash aggregation lays each
-- series out on the calendar grid (x_<year>, one column per year of the data, NULL where the year has no
-- usable point); the moving averages, deviations, SD, flags and anchors are then arithmetic across the
-- columns of one row. Only the flagged years leave the row, as the list flagged_points, which
-- int_trade_flows_cleaned joins back to the flows.
--
-- Incremental: a BACI year re-loaded after the last run (raw.load_log newer than the source_loaded_at
-- stored here) re-cleans every series with a flow in that year, before (flow_year_bits) or after the reload,
-- and nothing else (delete+insert on the series key); the post-hook drops series whose flows all vanished
-- from a re-loaded year. `dbt build --full-refresh` rebuilds everything.
{%- set window_years = var('trade_cleaning_window') | int %}
{%- set half_window = (window_years - 1) // 2 %}
{%- set k = var('trade_cleaning_k_ma_sd') | float %}
{%- set ddof = var('trade_cleaning_sd_ddof') | int %}
{%- set end_points = var('trade_cleaning_end_points') %}
{%- set sd_outliers = var('trade_cleaning_sd_outliers') %}
{%- set parameters = 'window=' ~ window_years ~ ';k=' ~ k ~ ';ddof=' ~ ddof ~ ';scale=' ~ var('trade_cleaning_scale')
    ~ ';end_points=' ~ end_points ~ ';sd_outliers=' ~ sd_outliers %}
{%- if end_points not in ['skip', 'one_sided'] %}
{{ exceptions.raise_compiler_error("trade_cleaning_end_points must be skip or one_sided, not " ~ end_points) }}
{%- endif %}
{%- if sd_outliers not in ['include', 'exclude'] %}
{{ exceptions.raise_compiler_error("trade_cleaning_sd_outliers must be include or exclude, not " ~ sd_outliers) }}
{%- endif %}
{%- if window_years < 3 or window_years % 2 == 0 %}
{{ exceptions.raise_compiler_error("trade_cleaning_window must be an odd integer >= 3") }}
{%- endif %}
{%- if ddof not in [0, 1] %}
{{ exceptions.raise_compiler_error("trade_cleaning_sd_ddof must be 0 or 1") }}
{%- endif %}
{#- The calendar grid: the years of the flows, read at run time, or var trade_cleaning_years ([first, last])
    when set (unit tests set it: their inputs are fixtures the database cannot be asked about). #}
{%- set fixed_years = var('trade_cleaning_years') %}
{%- if fixed_years is not none %}
{%- set span = [fixed_years[0] | int, fixed_years[1] | int] %}
{%- elif execute %}
{%- set found = run_query('select min(year), max(year) from ' ~ ref('int_trade_series_points')) %}
{%- set span = [2000, 2000] if found.rows[0][0] is none else [found.rows[0][0] | int, found.rows[0][1] | int] %}
{%- else %}
{%- set span = [2000, 2000] %}
{%- endif %}
{%- if span[0] < 1988 or span[1] > 2050 %}
{{ exceptions.raise_compiler_error("trade cleaning needs years within 1988-2050 (the span of flow_year_bits), got " ~ span) }}
{%- endif %}
{%- set years = range(span[0], span[1] + 1) | list %}
with baci_loads as (
    select
        try_cast(partition_key as smallint) as year,
        max(loaded_at) as loaded_at
    from {{ source('raw', 'load_log') }}
    where table_name = 'baci_flows'
    group by 1
),

all_points as (
    select
        hs6,
        exporter_code,
        importer_code,
        year,
        x_quantity as x_tested
    from {{ ref('int_trade_series_points') }}
),

{%- if is_incremental() %}

-- Series cleaned with other parameters (or by an older version of the model): everything is re-cleaned.
parameters_changed as (
    select count(*) > 0 as is_changed from {{ this }}
    where cleaning_parameters is distinct from '{{ parameters }}'
),

changed_years as (
    select year from baci_loads
    where loaded_at > (select coalesce(max(source_loaded_at), timestamp '1900-01-01') from {{ this }})
),

changed_series as (
    select hs6, exporter_code, importer_code from all_points
    where year in (select year from changed_years)
    union
    select series.hs6, series.exporter_code, series.importer_code
    from {{ this }} as series
    inner join changed_years
        on case when changed_years.year between 1988 and 2050
            then (series.flow_year_bits >> (changed_years.year - 1988)) & 1 end = 1
),

points as (
    select all_points.* from all_points
    semi join changed_series using (hs6, exporter_code, importer_code)
    where not (select is_changed from parameters_changed)
    union all
    select all_points.* from all_points
    where (select is_changed from parameters_changed)
),
{%- else %}

points as (
    select * from all_points
),
{%- endif %}

series_grid as (
    -- flow_<year>: the flow of that calendar year (years are distinct within a series) on the rule's scale,
    -- -infinity when the flow has no usable quantity (NA, or zero on the log scale), NULL when there is no
    -- flow. One aggregate per year and nothing else: each aggregate costs a pass over the flows.
    select
        hs6,
        exporter_code,
        importer_code,
        {%- for y in years %}
        max(coalesce(x_tested, '-infinity'::double)) filter (where year = {{ y }}) as flow_{{ y }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from points
    group by hs6, exporter_code, importer_code
),

usable as (
    -- x_<year>: the usable point (NULL when none); is_usable_<year> (1/0) and z_<year> (x, or 0 where
    -- not usable): the terms of the window sums.
    select
        *,
        {%- for y in years %}
        nullif(flow_{{ y }}, '-infinity'::double) as x_{{ y }},
        case when flow_{{ y }} > '-infinity'::double then 1 else 0 end as is_usable_{{ y }},
        case when flow_{{ y }} > '-infinity'::double then flow_{{ y }} else 0 end as z_{{ y }},
        {%- endfor %}
        {%- for y in years %}
        cast(flow_{{ y }} is not null as integer){{ ' +' if not loop.last }}
        {%- endfor %} as n_flows,
        {%- for y in years %}
        case when flow_{{ y }} is not null then {{ 2 ** (y - 1988) }} else 0 end{{ ' +' if not loop.last }}
        {%- endfor %} as flow_year_bits
    from series_grid
),

centres as (
    -- centre_<year>: mean of the usable x within +-h calendar years, NULL when the year is not usable.
    select
        *,
        {%- for y in years %}
        {%- set around = years | select('>=', y - half_window) | select('<=', y + half_window) | list %}
        (
            {%- for w in around %}
            z_{{ w }}{{ ' +' if not loop.last }}
            {%- endfor %}
        ) / nullif(is_usable_{{ y }} * (
            {%- for w in around %}
            is_usable_{{ w }}{{ ' +' if not loop.last }}
            {%- endfor %}
        ), 0) as centre_{{ y }},
        {%- endfor %}
        {%- for y in years %}
        is_usable_{{ y }}{{ ' +' if not loop.last }}
        {%- endfor %} as n_usable,
        least(
            {%- for y in years %}
            case when x_{{ y }} is not null then {{ y }} end{{ ',' if not loop.last }}
            {%- endfor %}
        ) as first_usable_year,
        greatest(
            {%- for y in years %}
            case when x_{{ y }} is not null then {{ y }} end{{ ',' if not loop.last }}
            {%- endfor %}
        ) as last_usable_year
    from usable
),

deviations as (
    select
        *,
        {%- for y in years %}
        x_{{ y }} - centre_{{ y }} as deviation_{{ y }}{{ ',' if not loop.last }}
        {%- endfor %}
    from centres
),

mean_deviation as (
    select
        *,
        (
            {%- for y in years %}
            coalesce(deviation_{{ y }}, 0){{ ' +' if not loop.last }}
            {%- endfor %}
        ) / nullif(n_usable, 0) as deviation_mean
    from deviations
),

spread as (
    -- The SD of the deviations over the series, two-pass as the reference computes it.
    select
        *,
        sqrt((
            {%- for y in years %}
            coalesce((deviation_{{ y }} - deviation_mean) * (deviation_{{ y }} - deviation_mean), 0)
            {{- ' +' if not loop.last }}
            {%- endfor %}
        ) / nullif(n_usable - {{ ddof }}, 0)) as scale_stat_all
    from mean_deviation
),
{#- which years may be flagged: var trade_cleaning_end_points = skip (the programme's rule) leaves the
    first and last usable years of a series alone; one_sided lets them be flagged too #}

{%- if sd_outliers == 'exclude' %}

first_pass as (
    -- var trade_cleaning_sd_outliers = exclude: the flags of a first pass with the SD over every point ...
    select
        *,
        {%- for y in years %}
        coalesce(
            n_usable >= {{ window_years }}
            and {{ (y ~ ' > first_usable_year and ' ~ y ~ ' < last_usable_year') if end_points == 'skip' else 'true' }}
            and scale_stat_all > 0
            and abs(deviation_{{ y }}) >= {{ k }} * scale_stat_all,
            false
        ) as is_first_outlier_{{ y }},
        {%- endfor %}
        n_usable - (
            {%- for y in years %}
            cast(coalesce(n_usable >= {{ window_years }}
                and {{ (y ~ ' > first_usable_year and ' ~ y ~ ' < last_usable_year') if end_points == 'skip' else 'true' }}
                and scale_stat_all > 0
                and abs(deviation_{{ y }}) >= {{ k }} * scale_stat_all, false) as integer)
            {{- ' +' if not loop.last }}
            {%- endfor %}
        ) as n_kept
    from spread
),

kept_mean as (
    select
        *,
        (
            {%- for y in years %}
            case when is_first_outlier_{{ y }} then 0 else coalesce(deviation_{{ y }}, 0) end
            {{- ' +' if not loop.last }}
            {%- endfor %}
        ) / nullif(n_kept, 0) as kept_deviation_mean
    from first_pass
),

scaled as (
    -- ... and the SD again over the deviations that first pass did not flag (same ddof).
    select
        *,
        sqrt((
            {%- for y in years %}
            case when is_first_outlier_{{ y }} then 0 else
                coalesce((deviation_{{ y }} - kept_deviation_mean) * (deviation_{{ y }} - kept_deviation_mean), 0)
            end{{ ' +' if not loop.last }}
            {%- endfor %}
        ) / nullif(n_kept - {{ ddof }}, 0)) as scale_stat
    from kept_mean
),
{%- else %}

scaled as (
    select
        *,
        scale_stat_all as scale_stat
    from spread
),
{%- endif %}

flags as (
    -- deviation_<year> is NULL for unusable years, so coalesce(..., false) leaves them unflagged.
    -- n_end_over counts the end points at or over the threshold whether or not they may be flagged.
    select
        *,
        {%- for y in years %}
        coalesce(
            n_usable >= {{ window_years }}
            and {{ (y ~ ' > first_usable_year and ' ~ y ~ ' < last_usable_year') if end_points == 'skip' else 'true' }}
            and scale_stat > 0
            and abs(deviation_{{ y }}) >= {{ k }} * scale_stat,
            false
        ) as is_outlier_{{ y }},
        {%- endfor %}
        {%- for y in years %}
        cast(is_outlier_{{ y }} as integer){{ ' +' if not loop.last }}
        {%- endfor %} as n_flagged,
        {%- for y in years %}
        cast(coalesce(
            n_usable >= {{ window_years }}
            and ({{ y }} = first_usable_year or {{ y }} = last_usable_year)
            and scale_stat > 0
            and abs(deviation_{{ y }}) >= {{ k }} * scale_stat,
            false
        ) as integer){{ ' +' if not loop.last }}
        {%- endfor %} as n_end_over
    from scaled
),

{#- The interpolation anchors: the nearest usable unflagged year before each year (and its x) is the year
    just before if that one is an anchor, else the anchor before that one; after, the mirror image. One
    step per year, so one CTE per step: in a single select DuckDB would expand the recursion into a chain
    of CASEs as long as the series, for every year. -#}
{%- for i in range(years | length) %}
{%- set before = years[i] %}
{%- set after = years[(years | length) - 1 - i] %}

anchors_{{ i }} as (
    select
        *,
        {%- if i == 0 %}
        cast(null as integer) as anchor_year_before_{{ before }},
        cast(null as double) as anchor_x_before_{{ before }},
        cast(null as integer) as anchor_year_after_{{ after }},
        cast(null as double) as anchor_x_after_{{ after }}
        {%- else %}
        case
            when x_{{ before - 1 }} is not null and not is_outlier_{{ before - 1 }} then {{ before - 1 }}
            else anchor_year_before_{{ before - 1 }}
        end as anchor_year_before_{{ before }},
        case
            when x_{{ before - 1 }} is not null and not is_outlier_{{ before - 1 }} then x_{{ before - 1 }}
            else anchor_x_before_{{ before - 1 }}
        end as anchor_x_before_{{ before }},
        case
            when x_{{ after + 1 }} is not null and not is_outlier_{{ after + 1 }} then {{ after + 1 }}
            else anchor_year_after_{{ after + 1 }}
        end as anchor_year_after_{{ after }},
        case
            when x_{{ after + 1 }} is not null and not is_outlier_{{ after + 1 }} then x_{{ after + 1 }}
            else anchor_x_after_{{ after + 1 }}
        end as anchor_x_after_{{ after }}
        {%- endif %}
    from {{ 'flags' if i == 0 else 'anchors_' ~ (i - 1) }}
),
{%- endfor %}

flagged_series as (
    -- Only series with a flag build the list (CASE evaluates it for them alone). x_interpolated: the
    -- linear interpolation between the anchors, on the rule's scale; with end_points = skip both anchors
    -- exist, with one_sided a flagged end point has one and takes its value (flat extrapolation).
    select
        *,
        case when n_flagged > 0 then list_filter([
            {%- for y in years %}
            case when is_outlier_{{ y }} then {
                'year': cast({{ y }} as smallint),
                'x_tested': x_{{ y }},
                'centre_value': centre_{{ y }},
                'deviation': deviation_{{ y }},
                'anchor_year_before': cast(anchor_year_before_{{ y }} as smallint),
                'anchor_year_after': cast(anchor_year_after_{{ y }} as smallint),
                'x_interpolated': case
                    when anchor_year_before_{{ y }} is null then anchor_x_after_{{ y }}
                    when anchor_year_after_{{ y }} is null then anchor_x_before_{{ y }}
                    else anchor_x_before_{{ y }} + (anchor_x_after_{{ y }} - anchor_x_before_{{ y }})
                        * ({{ y }} - anchor_year_before_{{ y }})
                        / (anchor_year_after_{{ y }} - anchor_year_before_{{ y }})
                end
            } end{{ ',' if not loop.last }}
            {%- endfor %}
        ], lambda point: point is not null) end as flagged_points
    from anchors_{{ (years | length) - 1 }}
),

stamped as (
    select
        hs6,
        exporter_code,
        importer_code,
        cast(n_flows as bigint) as n_flows,
        cast(flow_year_bits as bigint) as flow_year_bits,
        cast(n_usable as bigint) as n_usable,
        cast(first_usable_year as smallint) as first_usable_year,
        cast(last_usable_year as smallint) as last_usable_year,
        scale_stat,
        {{ k }} * scale_stat as threshold,
        cast(n_flagged as bigint) as n_flagged,
        cast(n_end_over as bigint) as n_end_points_over_threshold,
        flagged_points,
        '{{ invocation_id }}' as cleaning_run_id,
        '{{ parameters }}' as cleaning_parameters,
        (select max(loaded_at) from baci_loads) as source_loaded_at
    from flagged_series
)

select * from stamped
