-- Every candidate source of mined metal input (tonnes of metal) by country, year and metal, before the
-- rule of int_metal_dmi_mined chooses one per metal: UN IRP extraction x grade, BGS mine production, and
-- the long mine-production file (numeric country codes; a row with a name only takes the code the same
-- name carries elsewhere in the file, as the 2004-2013 chromite rows need). Seed sdg_mined_dmi_sources.
with sources as (
    select * from {{ ref('sdg_mined_dmi_sources') }}
),

from_irp as (
    select
        extractions.iso3,
        extractions.year,
        sources.metal_symbol,
        sources.priority,
        'UN IRP extraction x grade' as source_dataset,
        extractions.extraction_t * sources.t_metal_per_unit as metal_t
    from {{ ref('stg_irp__extractions') }} as extractions
    inner join sources
        on sources.dataset = 'irp' and extractions.ccc_code = sources.ccc_code
    where extractions.extraction_t is not null and extractions.iso3 is not null
),

from_bgs as (
    select
        productions.iso3,
        productions.year,
        sources.metal_symbol,
        sources.priority,
        'BGS mine production' as source_dataset,
        productions.quantity * sources.t_metal_per_unit as metal_t
    from {{ ref('stg_bgs__productions') }} as productions
    inner join sources
        on sources.dataset = 'bgs'
        and productions.commodity = sources.bgs_commodity
        and (sources.bgs_sub_commodity is null or productions.sub_commodity = sources.bgs_sub_commodity)
        -- the factor assumes the unit of the seed row: kilograms or tonnes
        and (
            case
                when sources.input_unit like 'kg%' then productions.units like 'kilogram%'
                else productions.units like 'tonnes%'
            end
        )
    where productions.statistic_type = 'Production'
        and productions.quantity is not null
        and productions.iso3 is not null
),

mine_codes as (
    select
        country_name,
        min(country_code) as country_code
    from {{ ref('stg_mine_production__productions') }}
    where country_code is not null
    group by country_name
),

from_mine_production as (
    select
        countries.iso3,
        productions.year,
        sources.metal_symbol,
        sources.priority,
        'mine production file' as source_dataset,
        productions.quantity_t * sources.t_metal_per_unit as metal_t
    from {{ ref('stg_mine_production__productions') }} as productions
    inner join sources
        on sources.dataset = 'mine_production' and productions.commodity = sources.mine_commodity
    left join mine_codes on productions.country_name = mine_codes.country_name
    inner join {{ ref('stg_baci__countries') }} as countries
        on coalesce(productions.country_code, mine_codes.country_code) = countries.baci_code
    where productions.quantity_t is not null and countries.iso3 is not null
),

candidates as (
    select * from from_irp
    union all
    select * from from_bgs
    union all
    select * from from_mine_production
),

final as (
    select
        iso3,
        year,
        metal_symbol,
        priority,
        source_dataset,
        sum(metal_t) as dmi_t
    from candidates
    group by iso3, year, metal_symbol, priority, source_dataset
)

select * from final
