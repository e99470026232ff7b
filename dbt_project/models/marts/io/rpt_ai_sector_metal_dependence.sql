-- Induced imports of goods that contain each metal, per AI sector (an item counts for every metal it holds).
-- Imports kept at group level (no HS split in the BACI release used) name no item and count for no metal.
with items_with_metals as (
    select
        split.table_id,
        split.sector_key,
        flagged.metal_symbol,
        split.hs6,
        split.induced_import_yen_per_yen
    from {{ ref('int_io__ai_hs_split') }} as split
    inner join {{ ref('int_io__hs6_metals_flagged') }} as flagged on split.hs6 = flagged.hs6
    where split.rule_set = 'product'
),

by_metal as (
    select
        items_with_metals.table_id,
        items_with_metals.sector_key,
        items_with_metals.metal_symbol,
        metals.metal_group,
        sum(items_with_metals.induced_import_yen_per_yen) as induced_import_yen_per_yen,
        count(distinct items_with_metals.hs6) as n_hs_items,
        -- ties (items of an equally split group, or zero values) go to the lowest hs6, as Table 1 ranks them
        first(
            items_with_metals.hs6 order by items_with_metals.induced_import_yen_per_yen desc, items_with_metals.hs6
        ) as largest_hs6
    from items_with_metals
    inner join {{ ref('metals') }} as metals on items_with_metals.metal_symbol = metals.symbol
    group by all
)

select * from by_metal
order by table_id, sector_key, induced_import_yen_per_yen desc
