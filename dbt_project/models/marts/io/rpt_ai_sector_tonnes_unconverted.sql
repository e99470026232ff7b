-- What of each AI sector's induced imports per million yen of final demand reached tonnes of metal, tonnes of
-- goods only, or stayed in yen (no unit value): the three parts add up to the sector's Table 1 total.
with items as (
    select * from {{ ref('rpt_ai_sector_item_tonnes') }}
),

final as (
    select
        table_id,
        sector_key,
        any_value(import_valuation) as import_valuation,
        sum(induced_import_myen_per_myen) as induced_import_myen_per_myen,
        coalesce(sum(induced_import_myen_per_myen) filter (where conversion_status = 'metal_tonnes'), 0)
            as metal_tonnes_myen_per_myen,
        coalesce(sum(induced_import_myen_per_myen) filter (where conversion_status = 'goods_tonnes_only'), 0)
            as goods_tonnes_only_myen_per_myen,
        coalesce(sum(induced_import_myen_per_myen) filter (where conversion_status = 'unconverted'), 0)
            as unconverted_myen_per_myen,
        coalesce(sum(goods_t_per_myen), 0) as goods_t_per_myen,
        cast(count(*) as integer) as n_items,
        cast(count(*) filter (where conversion_status = 'unconverted') as integer) as n_items_unconverted,
        cast(count(*) filter (where unit_value_basis = 'japan_imports') as integer) as n_items_japan_unit_value,
        cast(count(*) filter (where unit_value_basis = 'world_flows') as integer) as n_items_world_unit_value,
        cast(count(*) filter (where unit_value_basis like 'other_release%') as integer)
            as n_items_other_release_unit_value,
        coalesce(sum(induced_import_myen_per_myen) filter (where unit_value_basis like 'other_release%'), 0)
            as other_release_unit_value_myen_per_myen
    from items
    group by table_id, sector_key
)

select * from final
order by table_id, sector_key
