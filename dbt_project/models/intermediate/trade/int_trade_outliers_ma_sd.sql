{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='hs6, exporter_code, importer_code',
    on_schema_change='sync_all_columns',
    post_hook=[
        "delete from {{ this }} as flagged
        using (
            select try_cast(partition_key as smallint) as year, max(loaded_at) as loaded_at
            from {{ source('raw', 'load_log') }}
            where table_name = 'baci_flows'
            group by 1
        ) as loads
        where flagged.year = loads.year and flagged.source_loaded_at < loads.loaded_at"
    ]
) }}
-- The programme report's rule on every series at once: centred moving average over calendar years,
-- deviation from it, the standard deviation of the deviations over the series (population SD by default,
-- var trade_cleaning_sd_ddof), flag |d| >= k sd.
-- Edge years (first/last usable year of a series) and series with fewer usable years than the window are
-- never flagged. Reference implementation and equations: analysis/trade_cleaning.py (rule "ma_sd").
--
-- Built for speed (measured in benchmarks/README.md): one sort of the flows by series and year. Years are
-- distinct within a series, so the calendar window of +-h years holds at most the h rows on each side:
-- lag/lead over ONE window specification fetch them, and the moving average is plain arithmetic on them.
-- Reaching r = h + a rows each side also gives the deviations of the a neighbours on each side, so once the
-- series statistics are known (the only other window, partition only) the flags of those neighbours and the
-- nearest usable unflagged years (the interpolation anchors) follow without another sort. Rows whose anchor
-- lies further than a rows away (anchors_resolved false, a few per thousand) are searched exactly by
-- int_trade_flows_cleaned.
--
-- Incremental: a BACI year re-loaded after the last run (raw.load_log newer than the source_loaded_at
-- stored here) re-cleans every series with a row in that year, before or after the reload, and nothing
-- else (delete+insert on the series key); the post-hook drops rows that vanished from a re-loaded year.
-- `dbt build --full-refresh` rebuilds everything.
{%- set window_years = var('trade_cleaning_window', 5) | int %}
{%- set half_window = (window_years - 1) // 2 %}
{%- set k = var('trade_cleaning_k_ma_sd', 2.0) | float %}
{%- set ddof = var('trade_cleaning_sd_ddof', 0) | int %}
{%- set anchor_reach = var('trade_cleaning_anchor_reach', 2) | int %}
{%- set reach = half_window + anchor_reach %}
{%- set parameters = 'window=' ~ window_years ~ ';k=' ~ k ~ ';ddof=' ~ ddof ~ ';scale=' ~ var('trade_cleaning_scale', 'log') %}
{%- set no_year = -100000 %}
{%- if window_years < 3 or window_years % 2 == 0 %}
{{ exceptions.raise_compiler_error("trade_cleaning_window must be an odd integer >= 3") }}
{%- endif %}
{%- if ddof not in [0, 1] %}
{{ exceptions.raise_compiler_error("trade_cleaning_sd_ddof must be 0 or 1") }}
{%- endif %}
{%- if anchor_reach < 1 %}
{{ exceptions.raise_compiler_error("trade_cleaning_anchor_reach must be >= 1") }}
{%- endif %}
{#- Column suffix of the row o places away: m2 two rows before, p1 one row after, 0 the row itself. #}
{%- set suffix = {} %}
{%- for o in range(-reach, reach + 1) %}
{%- do suffix.update({o: ('m' ~ (-o)) if o < 0 else (('p' ~ o) if o > 0 else '0')}) %}
{%- endfor %}
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
        value_kusd,
        quantity_t,
        x_quantity,
        x_quantity as x_tested
    from {{ ref('int_trade_series_points') }}
),

{%- if is_incremental() %}

-- Rows cleaned with other parameters (or by an older version of the model): everything is re-cleaned.
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
    select hs6, exporter_code, importer_code from {{ this }}
    where year in (select year from changed_years)
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

neighbours as (
    -- x_tested and the year of the rows around; years beyond the series read as {{ no_year }}, outside
    -- every window. The moving average is arithmetic on these (x * 1 and + 0 are exact).
    select
        *,
        {%- for o in range(1, reach + 1) %}
        lag(year_int, {{ o }}, {{ no_year }}) over series_years as year_m{{ o }},
        lag(x_tested, {{ o }}) over series_years as x_m{{ o }},
        lead(year_int, {{ o }}, {{ no_year }}) over series_years as year_p{{ o }},
        lead(x_tested, {{ o }}) over series_years as x_p{{ o }},
        {%- endfor %}
        year_int as year_0,
        x_tested as x_0
    from (
        select
            *,
            cast(year as integer) as year_int
        from points
    )
    window series_years as (partition by hs6, exporter_code, importer_code order by year)
),

moving as (
    -- Centre of row j (j = -a..a): mean of the usable x within +-h calendar years of year_j, summed in
    -- year order as the reference does; NULL when row j is not usable.
    select
        *,
        {%- for j in range(-anchor_reach, anchor_reach + 1) %}
        (
            {%- for o in range(j - half_window, j + half_window + 1) %}
            coalesce(x_{{ suffix[o] }}, 0)
            * cast(abs(year_{{ suffix[o] }} - year_{{ suffix[j] }}) <= {{ half_window }} as integer)
            {{- ' +' if not loop.last }}
            {%- endfor %}
        ) / nullif(cast(x_{{ suffix[j] }} is not null as integer) * (
            {%- for o in range(j - half_window, j + half_window + 1) %}
            cast(x_{{ suffix[o] }} is not null as integer)
            * cast(abs(year_{{ suffix[o] }} - year_{{ suffix[j] }}) <= {{ half_window }} as integer)
            {{- ' +' if not loop.last }}
            {%- endfor %}
        ), 0) as centre_{{ suffix[j] }},
        {%- endfor %}
    from neighbours
),

deviations as (
    select
        *,
        {%- for j in range(-anchor_reach, anchor_reach + 1) %}
        x_{{ suffix[j] }} - centre_{{ suffix[j] }} as deviation_{{ suffix[j] }}{{ ',' if not loop.last }}
        {%- endfor %}
    from moving
),

with_stats as (
    -- The second and last window: partition only. (An aggregate joined back was 12 % cheaper at 1M rows
    -- but 2.5x dearer at 10M, where DuckDB materialises the wide CTE it reads twice.)
    select
        *,
        count(x_tested) over series as n_usable,
        min(case when x_tested is not null then year end) over series as first_usable_year,
        max(case when x_tested is not null then year end) over series as last_usable_year,
        {{ 'stddev_pop' if ddof == 0 else 'stddev_samp' }}(deviation_0) over series as scale_stat
    from deviations
    window series as (partition by hs6, exporter_code, importer_code)
),

neighbour_flags as (
    -- deviation_j is NULL for unusable rows, so coalesce(..., false) leaves them unflagged.
    select
        *,
        {%- for j in range(-anchor_reach, anchor_reach + 1) %}
        coalesce(
            n_usable >= {{ window_years }}
            and year_{{ suffix[j] }} > first_usable_year
            and year_{{ suffix[j] }} < last_usable_year
            and scale_stat > 0
            and abs(deviation_{{ suffix[j] }}) >= {{ k }} * scale_stat,
            false
        ) as is_outlier_{{ suffix[j] }},
        {%- endfor %}
        {%- for side, sign in [('before', 'm'), ('after', 'p')] %}
        {%- for o in range(1, anchor_reach + 1) %}
        x_{{ sign }}{{ o }} is not null and not is_outlier_{{ sign }}{{ o }} as is_anchor_{{ sign }}{{ o }},
        {%- endfor %}
        {%- endfor %}
    from with_stats
),

flagged as (
    select
        hs6,
        exporter_code,
        importer_code,
        year,
        value_kusd,
        quantity_t,
        x_quantity,
        x_tested,
        centre_0 as centre_value,
        deviation_0 as deviation,
        case when x_tested is not null then scale_stat end as scale_stat,
        case when x_tested is not null then {{ k }} * scale_stat end as threshold,
        n_usable,
        is_outlier_0 as is_outlier,
        {%- for side, sign in [('before', 'm'), ('after', 'p')] %}
        cast(case
            {%- for o in range(1, anchor_reach + 1) %}
            when is_anchor_{{ sign }}{{ o }} then year_{{ sign }}{{ o }}
            {%- endfor %}
        end as smallint) as anchor_year_{{ side }},
        case
            {%- for o in range(1, anchor_reach + 1) %}
            when is_anchor_{{ sign }}{{ o }} then x_{{ sign }}{{ o }}
            {%- endfor %}
        end as anchor_x_{{ side }},
        (
            {%- for o in range(1, anchor_reach + 1) %}
            is_anchor_{{ sign }}{{ o }} or
            {%- endfor %}
            year_{{ sign }}{{ anchor_reach + 1 }} = {{ no_year }}
        ) as is_resolved_{{ side }},
        {%- endfor %}
        '{{ invocation_id }}' as cleaning_run_id,
        '{{ parameters }}' as cleaning_parameters
    from neighbour_flags
),

stamped as (
    select
        flagged.* exclude (is_resolved_before, is_resolved_after),
        flagged.is_resolved_before and flagged.is_resolved_after as anchors_resolved,
        baci_loads.loaded_at as source_loaded_at
    from flagged
    left join baci_loads on flagged.year = baci_loads.year
)

select * from stamped
