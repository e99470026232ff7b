-- The selection rule of the programme (methods item 2): keep an indicator when at least
-- sdg_min_countries countries have at least sdg_min_years years of data in sdg_year_start..sdg_year_end,
-- then drop near-duplicates: within a goal, when two kept indicators correlate at |r| > sdg_duplicate_corr
-- (pooled over the country-years both have, at least sdg_duplicate_min_pairs of them), the one with less
-- coverage (fewer countries, then fewer observations, then the later code) is dropped. Every indicator
-- better covered than a dropped one is compared with it, dropped or not (no chaining).
-- Countries are OWID's (its aggregates and the World Bank's, such as WLD, are not counted).
{% set year_start = var('sdg_year_start') %}
{% set year_end = var('sdg_year_end') %}
{% set min_years = var('sdg_min_years') %}
{% set min_countries = var('sdg_min_countries') %}
{% set duplicate_corr = var('sdg_duplicate_corr') %}
{% set duplicate_min_pairs = var('sdg_duplicate_min_pairs') %}

with mapped as (
    select * from {{ ref('int_sdg_indicators_mapped') }}
),

countries as (
    select distinct iso3 from {{ ref('stg_owid__country_years') }}
    where not is_aggregate and iso3 is not null
),

values_in_window as (
    select
        resolved.indicator_code,
        countries.iso3,
        resolved.year,
        resolved.value
    from {{ ref('int_sdg_indicator_values_resolved') }} as resolved
    inner join mapped on resolved.indicator_code = mapped.indicator_code
    inner join countries on resolved.country_code = countries.iso3
    where resolved.year between {{ year_start }} and {{ year_end }}
),

years_per_country as (
    select
        indicator_code,
        iso3,
        count(*) as n_years
    from values_in_window
    group by indicator_code, iso3
),

coverage as (
    select
        indicator_code,
        count(*) filter (where n_years >= {{ min_years }}) as n_countries,
        cast(sum(n_years) as bigint) as n_obs
    from years_per_country
    group by indicator_code
),

eligible as (
    select
        mapped.*,
        coalesce(coverage.n_countries, 0) as n_countries,
        coalesce(coverage.n_obs, 0) as n_obs,
        coalesce(coverage.n_countries, 0) >= {{ min_countries }} as passes_coverage
    from mapped
    left join coverage on mapped.indicator_code = coverage.indicator_code
),

ranked as (
    select
        indicator_code,
        goal,
        row_number() over (
            partition by goal order by n_countries desc, n_obs desc, indicator_code
        ) as coverage_rank
    from eligible
    where passes_coverage
),

pair_correlations as (
    select
        a.indicator_code as code_a,
        b.indicator_code as code_b,
        corr(a.value, b.value) as corr_ab,
        count(*) as n_pairs
    from values_in_window as a
    inner join values_in_window as b
        on a.iso3 = b.iso3 and a.year = b.year and a.indicator_code < b.indicator_code
    inner join ranked as ra on a.indicator_code = ra.indicator_code
    inner join ranked as rb on b.indicator_code = rb.indicator_code and ra.goal = rb.goal
    group by a.indicator_code, b.indicator_code
    having count(*) >= {{ duplicate_min_pairs }}
),

oriented as (
    -- each close pair once per direction: the better-covered indicator is the keeper
    select
        case when ra.coverage_rank > rb.coverage_rank then code_a else code_b end as dropped_code,
        case when ra.coverage_rank > rb.coverage_rank then code_b else code_a end as kept_code,
        least(ra.coverage_rank, rb.coverage_rank) as kept_rank,
        abs(corr_ab) as abs_corr
    from pair_correlations
    inner join ranked as ra on pair_correlations.code_a = ra.indicator_code
    inner join ranked as rb on pair_correlations.code_b = rb.indicator_code
    where abs(corr_ab) > {{ duplicate_corr }}
),

duplicates as (
    select
        dropped_code,
        kept_code,
        abs_corr
    from oriented
    qualify row_number() over (partition by dropped_code order by kept_rank) = 1
),

final as (
    select
        eligible.indicator_code,
        eligible.indicator_name,
        eligible.goal,
        eligible.sdg_target,
        eligible.better,
        eligible.reason,
        eligible.mapping_source,
        eligible.wb_topic,
        eligible.in_sdg_series,
        eligible.n_countries,
        eligible.n_obs,
        eligible.passes_coverage,
        duplicates.kept_code as duplicate_of,
        duplicates.abs_corr as duplicate_abs_corr,
        eligible.passes_coverage and duplicates.dropped_code is null as is_selected
    from eligible
    left join duplicates on eligible.indicator_code = duplicates.dropped_code
)

select * from final
