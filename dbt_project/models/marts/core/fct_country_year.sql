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

provenance as (
    select string_agg(distinct source_kind, ',' order by source_kind) as source_kind
    from {{ ref('stg_provenance__loaded_files') }}
    where raw_table in ('owid_co2', 'wgi')
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
        coalesce(wgi.n_wgi_indicators, 0) as n_wgi_indicators,
        provenance.source_kind
    from owid
    left join wgi on owid.iso3 = wgi.iso3 and owid.year = wgi.year
    cross join provenance
)

select * from final
