-- The AI sectors' induced imports of an HS item in tonnes (all three sectors summed) per year and pathway,
-- beside Figure 2's projected world trade of the same item (fct_trade_projections) and as a share of it,
-- where both exist. A gdp_share pathway is set beside its own Figure 2 pathway; the growth-multiplier and
-- IAMC pathways beside every Figure 2 pathway.
with demand as (
    select * from {{ ref('int_ai_demand_pathways') }}
),

items as (
    select * from {{ ref('rpt_ai_sector_item_tonnes') }}
    where goods_t_per_myen is not null
),

ai_goods as (
    select
        demand.table_id,
        demand.pathway,
        demand.pathway_kind,
        demand.source_pathway,
        items.hs6,
        cast(demand.year as smallint) as year,
        sum(demand.final_demand_myen * items.goods_t_per_myen) as ai_goods_t
    from demand
    inner join items on demand.table_id = items.table_id and demand.sector_key = items.sector_key
    group by all
),

final as (
    select
        ai_goods.table_id,
        ai_goods.pathway,
        ai_goods.pathway_kind,
        projections.scenario as trade_scenario,
        ai_goods.hs6,
        ai_goods.year,
        ai_goods.ai_goods_t,
        projections.weight_t as world_trade_t,
        ai_goods.ai_goods_t / nullif(projections.weight_t, 0) as share_of_world_trade,
        projections.is_extrapolation
    from ai_goods
    inner join {{ source('analysis_marts', 'fct_trade_projections') }} as projections
        on
            ai_goods.hs6 = projections.hs6
            and ai_goods.year = projections.year
            and (ai_goods.source_pathway is null or ai_goods.pathway_kind = 'iamc'
                or ai_goods.source_pathway = projections.scenario)
)

select * from final
order by table_id, pathway, trade_scenario, hs6, year
