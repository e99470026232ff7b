-- World regressors of the trade model per pathway and year: GHG, GHG/GDP and GHG/population summed over
-- one panel of countries (those with OWID GHG, GDP and population at the base year). Observed years
-- (pathway 'observed') sum OWID over the panel countries complete in that year; projected years sum the
-- harmonised country pathways, so history and projections are on the same basis.
with panel as (
    select iso3
    from {{ ref('fct_country_year') }}
    where
        year = {{ var('scenario_base_year') }}
        and ghg_mtco2e is not null
        and gdp_intl_usd2011 > 0
        and population_n > 0
),

observed as (
    select
        'observed' as pathway,
        'observed' as pathway_class,
        controls.year,
        false as is_projection,
        sum(controls.ghg_mtco2e) as ghg_mtco2e,
        sum(controls.gdp_intl_usd2011) as gdp_intl_usd2011,
        sum(controls.population_n) as population_n,
        count(*) as n_countries,
        count(*) = (select count(*) from panel) as is_complete_panel,
        'observed (OWID)' as downscaling_method
    from {{ ref('fct_country_year') }} as controls
    inner join panel on controls.iso3 = panel.iso3
    where
        controls.ghg_mtco2e is not null
        and controls.gdp_intl_usd2011 > 0
        and controls.population_n > 0
    group by controls.year
),

projected as (
    select
        country.pathway,
        pathways.pathway_class,
        country.year,
        true as is_projection,
        sum(country.ghg_mtco2e) as ghg_mtco2e,
        sum(country.gdp_intl_usd2011) as gdp_intl_usd2011,
        sum(country.population_n) as population_n,
        count(*) as n_countries,
        true as is_complete_panel,
        -- one sentence naming only the methods used, e.g. "GHG (Kyoto gases): 162 countries at their 2015
        -- share of the world pathway; GDP (SSP2): 10 countries grown with the world pathway and 166 ..."
        'GHG (' || any_value(pathways.ghg_basis) || '): '
        || concat_ws(
            ' and ',
            {{ countries_by_method('country.ghg_method', 'constant share of world pathway',
                'at their base-year share of the world pathway') }},
            {{ countries_by_method('country.ghg_method', 'country pathway growth', 'grown with their own pathway') }}
        )
        || ' (base year ' || any_value(country.base_year) || '); GDP ('
        || any_value(pathways.gdp_source_scenario) || '): '
        || concat_ws(
            ' and ',
            {{ countries_by_method('country.gdp_method', 'world pathway growth', 'grown with the world pathway') }},
            {{ countries_by_method('country.gdp_method', 'country pathway growth', 'grown with their own pathway') }}
        )
        || '; population (' || any_value(pathways.population_source_scenario) || '): '
        || concat_ws(
            ' and ',
            {{ countries_by_method('country.population_method', 'world pathway growth',
                'grown with the world pathway') }},
            {{ countries_by_method('country.population_method', 'country pathway growth',
                'grown with their own pathway') }}
        )
        as downscaling_method
    from {{ ref('fct_scenario_country_pathways') }} as country
    inner join {{ ref('int_scenario_pathways') }} as pathways on country.pathway = pathways.pathway
    group by country.pathway, pathways.pathway_class, country.year
),

unioned as (
    select * from observed
    union all
    select * from projected
),

final as (
    select
        pathway,
        pathway_class,
        cast(year as smallint) as year,
        is_projection,
        ghg_mtco2e,
        gdp_intl_usd2011,
        population_n,
        ghg_mtco2e / (gdp_intl_usd2011 / 1e9) as ghg_per_gdp_mtco2e_per_busd,
        ghg_mtco2e * 1e6 / population_n as ghg_per_capita_tco2e,
        cast(n_countries as integer) as n_countries,
        is_complete_panel,
        downscaling_method
    from unioned
)

select * from final
