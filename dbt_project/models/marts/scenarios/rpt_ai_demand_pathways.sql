-- AI sectors' final demand per year and pathway to 2050 and what it induces: imports (million yen, the
-- linear model scales Table 1's per-unit result), the part of them left unconverted to tonnes, and tonnes
-- of goods.
with demand as (
    select * from {{ ref('int_ai_demand_pathways') }}
),

per_unit as (
    select * from {{ ref('rpt_ai_sector_tonnes_unconverted') }}
),

final as (
    select
        demand.table_id,
        demand.pathway,
        demand.pathway_kind,
        demand.source_pathway,
        demand.sector_key,
        cast(demand.year as smallint) as year,
        demand.demand_index,
        demand.final_demand_myen,
        demand.final_demand_myen * per_unit.induced_import_myen_per_myen as induced_import_myen,
        demand.final_demand_myen * per_unit.unconverted_myen_per_myen as unconverted_import_myen,
        demand.final_demand_myen * per_unit.goods_t_per_myen as goods_t
    from demand
    inner join per_unit on demand.table_id = per_unit.table_id and demand.sector_key = per_unit.sector_key
)

select * from final
order by table_id, pathway, sector_key, year
