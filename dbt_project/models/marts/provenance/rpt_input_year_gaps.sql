-- Years missing inside the span of each yearly input (first to last year present): one row per raw table
-- and run of consecutive missing years. A BACI year whose file is absent, a WGI year not surveyed.
with source_years as (
    select * from {{ ref('stg_provenance__source_years') }}
),

spans as (
    select
        raw_table,
        min(year) as span_first_year,
        max(year) as span_last_year
    from source_years
    group by raw_table
),

calendar as (
    select
        raw_table,
        span_first_year,
        span_last_year,
        unnest(generate_series(span_first_year, span_last_year)) as year
    from spans
),

missing as (
    select
        calendar.raw_table,
        calendar.span_first_year,
        calendar.span_last_year,
        calendar.year,
        -- consecutive missing years share this key (gaps and islands)
        calendar.year - row_number() over (partition by calendar.raw_table order by calendar.year) as run_key
    from calendar
    left join source_years
        on calendar.raw_table = source_years.raw_table and calendar.year = source_years.year
    where source_years.year is null
),

runs as (
    select
        raw_table,
        cast(min(year) as integer) as first_missing_year,
        cast(max(year) as integer) as last_missing_year,
        count(*) as n_missing_years,
        cast(any_value(span_first_year) as integer) as span_first_year,
        cast(any_value(span_last_year) as integer) as span_last_year
    from missing
    group by raw_table, run_key
)

select * from runs
