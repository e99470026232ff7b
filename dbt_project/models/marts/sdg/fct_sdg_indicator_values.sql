-- Values of the selected SDG indicators over the panel years, for the countries of fct_country_year.
{% set year_start = var('sdg_year_start') %}
{% set year_end = var('sdg_year_end') %}

with indicators as (
    select * from {{ ref('dim_sdg_indicator') }} where is_selected
),

countries as (
    select distinct iso3 from {{ ref('fct_country_year') }}
),

final as (
    select
        resolved.indicator_code,
        indicators.goal,
        indicators.better,
        countries.iso3,
        cast(resolved.year as smallint) as year,
        resolved.value
    from {{ ref('int_sdg_indicator_values_resolved') }} as resolved
    inner join indicators on resolved.indicator_code = indicators.indicator_code
    inner join countries on resolved.country_code = countries.iso3
    where resolved.year between {{ year_start }} and {{ year_end }}
)

select * from final
