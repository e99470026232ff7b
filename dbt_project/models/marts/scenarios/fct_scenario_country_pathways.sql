-- Country pathways of GHG, GDP and population, harmonised to OWID at the base year (var scenario_base_year,
-- default 2015): value(c, y) = OWID value(c, base) x growth(c, base -> y) of the pathway's own series for c.
-- Where the pathway has no series for c (always so for GHG in the real files, which are global), the growth
-- of the pathway's world total is used: for GHG this holds each country's share of the world pathway at its
-- base-year (last observed) share. Panel: countries with OWID GHG, GDP > 0 and population > 0 at the base.
with pathways as (
    select * from {{ ref('int_scenario_pathways') }}
),

series as (
    select * from {{ ref('int_scenario_series_harmonised') }}
),

panel as (
    select
        iso3,
        ghg_mtco2e as ghg_base,
        gdp_intl_usd2011 as gdp_base,
        population_n as population_base
    from {{ ref('fct_country_year') }}
    where
        year = {{ var('scenario_base_year') }}
        and ghg_mtco2e is not null
        and gdp_intl_usd2011 > 0
        and population_n > 0
),

source_series as (
    select
        pathways.pathway,
        'ghg' as measure,
        series.region_code,
        series.year,
        series.value
    from pathways
    inner join series
        on
            series.measure = 'ghg'
            and series.source_model = pathways.ghg_source_model
            and series.source_scenario = pathways.pathway
    union all
    select
        pathways.pathway,
        'gdp' as measure,
        series.region_code,
        series.year,
        series.value
    from pathways
    inner join series
        on
            series.measure = 'gdp'
            and series.source_model = pathways.gdp_source_model
            and series.source_scenario = pathways.gdp_source_scenario
    union all
    select
        pathways.pathway,
        'population' as measure,
        series.region_code,
        series.year,
        series.value
    from pathways
    inner join series
        on
            series.measure = 'population'
            and series.source_model = pathways.population_source_model
            and series.source_scenario = pathways.population_source_scenario
),

with_base as (
    select
        source_series.*,
        base.value as base_value
    from source_series
    inner join source_series as base
        on
            source_series.pathway = base.pathway
            and source_series.measure = base.measure
            and source_series.region_code = base.region_code
            and base.year = {{ var('scenario_base_year') }}
    where base.value > 0
),

region_growth as (
    select
        pathway,
        measure,
        region_code,
        year,
        value / base_value as growth
    from with_base
    where region_code != 'World'
),

-- The World row where the source has one, otherwise the sum of its regions present in both years.
world_growth as (
    select
        pathway,
        measure,
        year,
        coalesce(
            max(case when region_code = 'World' then value / base_value end),
            sum(case when region_code != 'World' then value end)
            / nullif(sum(case when region_code != 'World' then base_value end), 0)
        ) as growth
    from with_base
    group by pathway, measure, year
),

pathway_years as (
    select
        pathway,
        year
    from world_growth
    where
        year between {{ var('scenario_base_year') }} and {{ var('scenario_end_year') }}
        and growth is not null
    group by pathway, year
    having count(distinct measure) = 3
),

country_years as (
    select
        pathway_years.pathway,
        pathway_years.year,
        panel.*
    from pathway_years
    cross join panel
),

final as (
    select
        country_years.pathway,
        country_years.iso3,
        cast(country_years.year as smallint) as year,
        country_years.ghg_base * coalesce(ghg_c.growth, ghg_w.growth) as ghg_mtco2e,
        country_years.gdp_base * coalesce(gdp_c.growth, gdp_w.growth) as gdp_intl_usd2011,
        country_years.population_base * coalesce(pop_c.growth, pop_w.growth) as population_n,
        case
            when ghg_c.growth is not null then 'country pathway growth'
            else 'constant share of world pathway'
        end as ghg_method,
        case when gdp_c.growth is not null then 'country pathway growth' else 'world pathway growth' end
            as gdp_method,
        case when pop_c.growth is not null then 'country pathway growth' else 'world pathway growth' end
            as population_method,
        cast({{ var('scenario_base_year') }} as smallint) as base_year
    from country_years
    left join region_growth as ghg_c
        on
            country_years.pathway = ghg_c.pathway and ghg_c.measure = 'ghg'
            and country_years.iso3 = ghg_c.region_code and country_years.year = ghg_c.year
    left join world_growth as ghg_w
        on country_years.pathway = ghg_w.pathway and ghg_w.measure = 'ghg' and country_years.year = ghg_w.year
    left join region_growth as gdp_c
        on
            country_years.pathway = gdp_c.pathway and gdp_c.measure = 'gdp'
            and country_years.iso3 = gdp_c.region_code and country_years.year = gdp_c.year
    left join world_growth as gdp_w
        on country_years.pathway = gdp_w.pathway and gdp_w.measure = 'gdp' and country_years.year = gdp_w.year
    left join region_growth as pop_c
        on
            country_years.pathway = pop_c.pathway and pop_c.measure = 'population'
            and country_years.iso3 = pop_c.region_code and country_years.year = pop_c.year
    left join world_growth as pop_w
        on
            country_years.pathway = pop_w.pathway and pop_w.measure = 'population'
            and country_years.year = pop_w.year
)

select * from final
