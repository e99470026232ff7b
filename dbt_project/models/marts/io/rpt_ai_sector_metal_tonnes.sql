-- Tonnes of each metal behind a million yen of each AI sector's final demand: goods tonnes of every Table 1
-- item (rpt_ai_sector_item_tonnes) x the item's metal mass share, low / central / high, summed over items; a
-- group kept whole takes its items' tonnes-weighted share (int_io__group_metal_mass_shares).
with items as (
    select * from {{ ref('rpt_ai_sector_item_tonnes') }}
    where goods_t_per_myen is not null
),

item_metals as (
    select
        items.table_id,
        items.sector_key,
        items.hs6,
        shares.metal_symbol,
        shares.share_source,
        items.goods_t_per_myen * shares.share_low as metal_t_low,
        items.goods_t_per_myen * shares.share_central as metal_t_central,
        items.goods_t_per_myen * shares.share_high as metal_t_high,
        items.induced_import_myen_per_myen
    from items
    inner join {{ ref('int_io__hs6_metal_mass_shares') }} as shares on items.hs6 = shares.hs6
    union all
    select
        items.table_id,
        items.sector_key,
        'group ' || items.import_group as hs6,
        shares.metal_symbol,
        shares.share_source,
        items.goods_t_per_myen * shares.share_low as metal_t_low,
        items.goods_t_per_myen * shares.share_central as metal_t_central,
        items.goods_t_per_myen * shares.share_high as metal_t_high,
        items.induced_import_myen_per_myen
    from items
    inner join {{ ref('int_io__group_metal_mass_shares') }} as shares
        on
            items.hs6 is null
            and items.table_id = shares.table_id
            and shares.rule_set = 'product'
            and items.import_group = shares.import_group
),

final as (
    select
        item_metals.table_id,
        item_metals.sector_key,
        item_metals.metal_symbol,
        metals.metal_group,
        sum(item_metals.metal_t_low) as metal_t_per_myen_low,
        sum(item_metals.metal_t_central) as metal_t_per_myen,
        sum(item_metals.metal_t_high) as metal_t_per_myen_high,
        cast(count(*) as integer) as n_items,
        string_agg(item_metals.hs6, ',' order by item_metals.hs6) as items,
        string_agg(distinct item_metals.share_source, ',' order by item_metals.share_source) as share_sources,
        sum(item_metals.induced_import_myen_per_myen) as induced_import_myen_covered
    from item_metals
    left join {{ ref('dim_metal') }} as metals on item_metals.metal_symbol = metals.symbol
    group by all
)

select * from final
order by table_id, sector_key, metal_symbol
