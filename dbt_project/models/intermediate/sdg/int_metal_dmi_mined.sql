-- Mined direct material input (tonnes of metal) by country, year and metal. Candidate sources per metal
-- are listed in the seed sdg_mined_dmi_sources with a priority: UN IRP domestic extraction (gross ore)
-- times an ore grade, or BGS mine production (metal content, or oxide times a metal share). For each metal
-- the highest-priority source that has any row in the warehouse is used for every country and year, so a
-- metal's series never mixes sources. Secondary (urban-mine) input has no source and is not here.
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

candidates as (
    select * from from_irp
    union all
    select * from from_bgs
),

chosen as (
    select
        metal_symbol,
        min(priority) as priority
    from candidates
    group by metal_symbol
),

final as (
    select
        candidates.iso3,
        candidates.year,
        candidates.metal_symbol,
        'mined' as route,
        sum(candidates.metal_t) as dmi_t,
        min(candidates.source_dataset) as source_dataset
    from candidates
    inner join chosen
        on candidates.metal_symbol = chosen.metal_symbol and candidates.priority = chosen.priority
    group by candidates.iso3, candidates.year, candidates.metal_symbol
)

select * from final
