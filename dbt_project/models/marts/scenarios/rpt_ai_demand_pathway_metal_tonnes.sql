-- Tonnes of each metal behind the AI sectors' final demand per year and pathway to 2050: the pathway's demand
-- (million yen) x the sector's metal tonnes per million yen (rpt_ai_sector_metal_tonnes), with its band.
with demand as (
    select * from {{ ref('int_ai_demand_pathways') }}
),

per_unit as (
    select * from {{ ref('rpt_ai_sector_metal_tonnes') }}
),

final as (
    select
        demand.table_id,
        demand.pathway,
        demand.pathway_kind,
        demand.sector_key,
        per_unit.metal_symbol,
        per_unit.metal_group,
        cast(demand.year as smallint) as year,
        demand.final_demand_myen,
        demand.final_demand_myen * per_unit.metal_t_per_myen_low as metal_t_low,
        demand.final_demand_myen * per_unit.metal_t_per_myen as metal_t,
        demand.final_demand_myen * per_unit.metal_t_per_myen_high as metal_t_high
    from demand
    inner join per_unit on demand.table_id = per_unit.table_id and demand.sector_key = per_unit.sector_key
)

select * from final
order by table_id, pathway, sector_key, metal_symbol, year
