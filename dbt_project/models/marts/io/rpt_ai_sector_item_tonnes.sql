-- Table 1's induced imports per million yen of each AI sector's final demand, item by item, in tonnes of
-- goods: yen -> USD at var('io_jpy_per_usd') -> tonnes at the item's unit value (int_io__hs6_unit_values).
-- Items without a unit value keep their yen as unconverted; none is dropped. A group the BACI release
-- could not split into items (split_level io_group, hs6 null) has no unit value: it stays in yen too.
with items as (
    select
        table_id,
        sector_key,
        split_level,
        import_group,
        hs6,
        description,
        induced_import_yen_per_yen,
        import_valuation
    from {{ ref('int_io__ai_hs_split') }}
    where rule_set = 'product' and induced_import_yen_per_yen > 0
),

metals_by_item as (
    select
        hs6,
        string_agg(metal_symbol, ',' order by metal_symbol) as metals_with_shares
    from {{ ref('int_io__hs6_metal_mass_shares') }}
    group by hs6
),

converted as (
    select
        items.table_id,
        items.sector_key,
        items.split_level,
        items.import_group,
        items.hs6,
        items.description,
        -- yen per yen of demand = million yen per million yen
        items.induced_import_yen_per_yen as induced_import_myen_per_myen,
        items.import_valuation,
        unit_values.unit_value_kusd_per_t,
        coalesce(unit_values.unit_value_basis, 'none') as unit_value_basis,
        unit_values.unit_value_year,
        cast({{ var('io_jpy_per_usd') }} as double) as jpy_per_usd,
        -- million yen -> thousand USD: x 1e6 / rate / 1e3; then / (thousand USD per tonne)
        items.induced_import_yen_per_yen * 1e3 / {{ var('io_jpy_per_usd') }}
        / unit_values.unit_value_kusd_per_t as goods_t_per_myen,
        coalesce(metals_by_item.metals_with_shares, '') as metals_with_shares
    from items
    left join {{ ref('int_io__hs6_unit_values') }} as unit_values on items.hs6 = unit_values.hs6
    left join metals_by_item on items.hs6 = metals_by_item.hs6
),

final as (
    select
        *,
        case
            when goods_t_per_myen is null then 'unconverted'
            when metals_with_shares = '' then 'goods_tonnes_only'
            else 'metal_tonnes'
        end as conversion_status
    from converted
)

select * from final
order by table_id, sector_key, induced_import_myen_per_myen desc, hs6
