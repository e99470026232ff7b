-- The pathways projected: every scenario with a World GHG series, paired with a GDP and a population
-- pathway. The pairing prefers the same scenario name, then the same SSP family, then SSP2 (the real
-- folder holds only the Wittgenstein SSP2 population), then any; ties go to the source covering most
-- regions. Pathways without any GDP or population source are left out.
with series as (
    select * from {{ ref('int_scenario_series_harmonised') }}
),

ghg_sources as (
    select
        source_model,
        source_scenario,
        any_value(ssp_family) as ssp_family,
        any_value(ghg_basis) as ghg_basis
    from series
    where measure = 'ghg' and region_code = 'World'
    group by source_model, source_scenario
),

socio_sources as (
    select
        measure,
        source_model,
        source_scenario,
        any_value(ssp_family) as ssp_family,
        count(distinct region_code) as n_regions
    from series
    where measure in ('gdp', 'population')
    group by measure, source_model, source_scenario
),

candidates as (
    select
        ghg_sources.source_model as ghg_model,
        ghg_sources.source_scenario as pathway,
        socio_sources.measure,
        socio_sources.source_model,
        socio_sources.source_scenario,
        case
            when socio_sources.source_scenario = ghg_sources.source_scenario then 'same scenario'
            when socio_sources.ssp_family = ghg_sources.ssp_family then 'same SSP family'
            when socio_sources.ssp_family = '2' then 'SSP2 fallback'
            else 'any available'
        end as pairing,
        row_number() over (
            partition by ghg_sources.source_model, ghg_sources.source_scenario, socio_sources.measure
            order by
                case
                    when socio_sources.source_scenario = ghg_sources.source_scenario then 1
                    when socio_sources.ssp_family = ghg_sources.ssp_family then 2
                    when socio_sources.ssp_family = '2' then 3
                    else 4
                end,
                socio_sources.n_regions desc,
                socio_sources.source_model,
                socio_sources.source_scenario
        ) as preference
    from ghg_sources
    cross join socio_sources
),

chosen as (
    select * from candidates where preference = 1
),

final as (
    select
        ghg_sources.source_scenario as pathway,
        ghg_sources.source_model as ghg_source_model,
        ghg_sources.ssp_family,
        ghg_sources.ghg_basis,
        case
            when regexp_matches(ghg_sources.source_scenario, '1\.9|119|1\.5C') then '1.5C'
            when regexp_matches(ghg_sources.source_scenario, '2\.6|126|2C') then '2C'
            when regexp_matches(lower(ghg_sources.source_scenario), 'baseline|4\.5|245|reference') then 'reference'
            when regexp_matches(ghg_sources.source_scenario, '6\.0|460|7\.0|370|8\.5|585') then 'high'
            else 'other'
        end as pathway_class,
        gdp.source_model as gdp_source_model,
        gdp.source_scenario as gdp_source_scenario,
        gdp.pairing as gdp_pairing,
        pop.source_model as population_source_model,
        pop.source_scenario as population_source_scenario,
        pop.pairing as population_pairing
    from ghg_sources
    inner join chosen as gdp
        on
            ghg_sources.source_model = gdp.ghg_model
            and ghg_sources.source_scenario = gdp.pathway
            and gdp.measure = 'gdp'
    inner join chosen as pop
        on
            ghg_sources.source_model = pop.ghg_model
            and ghg_sources.source_scenario = pop.pathway
            and pop.measure = 'population'
)

select * from final
