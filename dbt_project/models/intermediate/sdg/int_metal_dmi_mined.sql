-- Mined direct material input (tonnes of metal) by country, year and metal. Candidate sources per metal
-- are listed in the seed sdg_mined_dmi_sources with a priority (int_metal_dmi_mined_candidates): UN IRP
-- domestic extraction (gross ore) times an ore grade, BGS mine production (metal content, or oxide times a
-- metal share), or the long mine-production file. For each metal the highest-priority source that has any
-- row in the warehouse is used for every country and year, so a metal's series never mixes sources.
-- Secondary (urban-mine) input has no source and is not here.
with candidates as (
    select * from {{ ref('int_metal_dmi_mined_candidates') }}
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
        sum(candidates.dmi_t) as dmi_t,
        min(candidates.source_dataset) as source_dataset
    from candidates
    inner join chosen
        on candidates.metal_symbol = chosen.metal_symbol and candidates.priority = chosen.priority
    group by candidates.iso3, candidates.year, candidates.metal_symbol
)

select * from final
