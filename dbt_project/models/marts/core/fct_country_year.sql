-- Country-year controls used by the panel and scenario analyses: GDP, population, primary energy and GHG
-- from OWID, and the mean of the six WGI estimates. Aggregates (World, regions) are left out.
with owid as (
    select * from {{ ref('stg_owid__country_years') }}
    where not is_aggregate
),

wgi as (
    select
        iso3,
        year,
        avg(estimate_score) as wgi_mean_score,
        count(estimate_score) as n_wgi_indicators
    from {{ ref('stg_wgi__governance_estimates') }}
    group by iso3, year
),

final as (
    select
        owid.iso3,
        owid.year,
        owid.gdp_intl_usd2011,
        owid.population_n,
        owid.primary_energy_twh,
        owid.ghg_mtco2e,
        owid.co2_mt,
        wgi.wgi_mean_score,
        coalesce(wgi.n_wgi_indicators, 0) as n_wgi_indicators
    from owid
    left join wgi on owid.iso3 = wgi.iso3 and owid.year = wgi.year
)

select * from final
