-- OWID aggregates (World, continents, income groups) have no ISO code or an OWID_ code: kept, flagged.
-- iso3 holds ISO3 codes only (NULL for OWID_ codes); owid_code keeps OWID's code as written.
with source as (
    select * from {{ source('raw', 'owid_co2') }}
),

renamed as (
    select
        nullif(trim(iso_code), '') as owid_code,
        case when regexp_full_match(trim(iso_code), '[A-Z]{3}') then trim(iso_code) end as iso3,
        trim(country) as country_name,
        year,
        coalesce(iso_code is null or iso_code = '' or iso_code like 'OWID%', false) as is_aggregate,
        co2 as co2_mt,
        total_ghg as ghg_mtco2e,
        methane as methane_mtco2e,
        nitrous_oxide as n2o_mtco2e,
        primary_energy_consumption as primary_energy_twh,
        population as population_n,
        gdp as gdp_intl_usd2011,
        source_file
    from source
)

select * from renamed
