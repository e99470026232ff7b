-- Scenario series in common measures: world or ISO3 region, GHG in Mt CO2e, GDP and population as written
-- (only their growth is used downstream, so their units need not agree across sources).
-- GHG is the reported 'Emissions|Kyoto Gases' where a source gives it, otherwise it is composed from
-- CO2, CH4 and N2O (plus SF6 when given) with GWP100 factors (vars gwp_ch4, gwp_n2o, gwp_sf6; AR5 defaults).
with pathway_values as (
    select * from {{ ref('stg_scenarios__pathway_values') }}
),

-- UN M49 codes (Wittgenstein files) whose BACI code differs from M49, or which BACI does not list.
m49_exceptions as (
    select * from (
        values
        (158, 'TWN'), (250, 'FRA'), (254, 'GUF'), (312, 'GLP'), (356, 'IND'), (474, 'MTQ'), (578, 'NOR'),
        (630, 'PRI'), (638, 'REU'), (732, 'ESH'), (756, 'CHE'), (840, 'USA'), (850, 'VIR')
    ) as exceptions (m49_code, iso3)
),

-- Elsewhere BACI's numeric code is the M49 code.
baci_m49 as (
    select
        baci_code as m49_code,
        any_value(iso3) as iso3
    from {{ ref('stg_baci__countries') }}
    where regexp_full_match(iso3, '[A-Z]{3}')
    group by baci_code
),

regions as (
    select
        pathway_values.*,
        case
            when lower(pathway_values.region) = 'world' then 'World'
            when pathway_values.region like 'M49:%' then coalesce(m49_exceptions.iso3, baci_m49.iso3)
            when regexp_full_match(pathway_values.region, '[A-Z]{3}') then pathway_values.region
        end as region_code
    from pathway_values
    left join m49_exceptions
        on
            pathway_values.region like 'M49:%'
            and m49_exceptions.m49_code = try_cast(substr(pathway_values.region, 5) as integer)
    left join baci_m49
        on
            pathway_values.region like 'M49:%'
            and baci_m49.m49_code = try_cast(substr(pathway_values.region, 5) as integer)
),

-- Mass prefix of the unit: Gt, Mt or kt (of CO2e or of the gas) to Mt.
scaled as (
    select
        model,
        scenario,
        region_code,
        variable,
        unit,
        year,
        value,
        case
            when lower(unit) like 'gt%' then 1000.0
            when lower(unit) like 'mt%' then 1.0
            when lower(unit) like 'kt%' then 0.001
        end as to_mt
    from regions
    where region_code is not null
),

reported_ghg as (
    select
        model,
        scenario,
        region_code,
        year,
        value * to_mt as value,
        'Mt CO2e/yr' as unit,
        'reported Kyoto gases' as ghg_basis
    from scaled
    where variable = 'Emissions|Kyoto Gases' and to_mt is not null
),

gases as (
    select
        model,
        scenario,
        region_code,
        year,
        max(case when variable = 'Emissions|CO2' then value * to_mt end) as co2_mt,
        max(case when variable = 'Emissions|CH4' then value * to_mt end) as ch4_mt,
        max(case when variable = 'Emissions|N2O' then value * to_mt end) as n2o_mt,
        max(case when variable = 'Emissions|SF6' then value * to_mt end) as sf6_mt
    from scaled
    where variable in ('Emissions|CO2', 'Emissions|CH4', 'Emissions|N2O', 'Emissions|SF6') and to_mt is not null
    group by model, scenario, region_code, year
),

composed_ghg as (
    select
        gases.model,
        gases.scenario,
        gases.region_code,
        gases.year,
        gases.co2_mt
        + gases.ch4_mt * {{ var('gwp_ch4') }}
        + gases.n2o_mt * {{ var('gwp_n2o') }}
        + coalesce(gases.sf6_mt, 0) * {{ var('gwp_sf6') }} as value,
        'Mt CO2e/yr' as unit,
        'CO2 + CH4 + N2O' || case when gases.sf6_mt is not null then ' + SF6' else '' end
        || ' with GWP100 (CH4 {{ var("gwp_ch4") }}, N2O {{ var("gwp_n2o") }})' as ghg_basis
    from gases
    left join reported_ghg
        on
            gases.model = reported_ghg.model
            and gases.scenario = reported_ghg.scenario
            and gases.region_code = reported_ghg.region_code
            and gases.year = reported_ghg.year
    where
        reported_ghg.value is null
        and gases.co2_mt is not null and gases.ch4_mt is not null and gases.n2o_mt is not null
),

socioeconomic as (
    select
        model,
        scenario,
        region_code,
        year,
        case when variable = 'GDP|PPP' then 'gdp' else 'population' end as measure,
        value,
        unit
    from scaled
    where variable in ('GDP|PPP', 'Population')
),

unioned as (
    select model, scenario, region_code, year, 'ghg' as measure, value, unit, ghg_basis from reported_ghg
    union all
    select model, scenario, region_code, year, 'ghg' as measure, value, unit, ghg_basis from composed_ghg
    union all
    select model, scenario, region_code, year, measure, value, unit, null as ghg_basis from socioeconomic
),

final as (
    select
        model as source_model,
        scenario as source_scenario,
        nullif(regexp_extract(scenario, 'SSP([1-5])', 1), '') as ssp_family,
        region_code,
        measure,
        cast(year as smallint) as year,
        value,
        unit,
        ghg_basis
    from unioned
    where value is not null
)

select * from final
