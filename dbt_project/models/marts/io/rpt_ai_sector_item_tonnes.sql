-- Table 1's induced imports per million yen of each AI sector's final demand, item by item, in tonnes of
-- goods: yen -> USD at the unit value's year's exchange rate (var io_jpy_per_usd for the table year, var
-- io_jpy_per_usd_other_years for another year) -> tonnes at the unit value. An item takes its own unit value
-- (int_io__hs6_unit_values); a group the BACI release could not split into items (split_level io_group, hs6
-- null) takes the unit value of its candidate items together (int_io__group_unit_values). Either may come
-- from another BACI release of the folder where the build's release has no flow (unit_value_basis,
-- unit_value_release say which). Rows without a unit value keep their yen as unconverted; none is dropped.
with items as (
    select
        table_id,
        sector_key,
        rule_set,
        split_level,
        import_group,
        hs6,
        description,
        induced_import_yen_per_yen,
        import_valuation
    from {{ ref('int_io__ai_hs_split') }}
    where rule_set = 'product' and induced_import_yen_per_yen > 0
),

other_year_rates as (
    select cast(null as integer) as rate_year, cast(null as double) as jpy_per_usd
    {%- for rate_year, rate in var('io_jpy_per_usd_other_years', {}).items() %}
    union all
    select {{ rate_year }} as rate_year, cast({{ rate }} as double) as jpy_per_usd
    {%- endfor %}
),

item_metals as (
    select
        hs6,
        string_agg(metal_symbol, ',' order by metal_symbol) as metals_with_shares
    from {{ ref('int_io__hs6_metal_mass_shares') }}
    group by hs6
),

group_metals as (
    select
        table_id,
        rule_set,
        import_group,
        string_agg(metal_symbol, ',' order by metal_symbol) as metals_with_shares
    from {{ ref('int_io__group_metal_mass_shares') }}
    group by all
),

unit_values as (
    select
        items.*,
        coalesce(item_values.unit_value_kusd_per_t, group_values.unit_value_kusd_per_t) as unit_value_kusd_per_t,
        coalesce(item_values.unit_value_basis, group_values.unit_value_basis, 'none') as unit_value_basis,
        coalesce(item_values.unit_value_release, group_values.unit_value_release) as unit_value_release,
        coalesce(item_values.unit_value_year, group_values.unit_value_year) as unit_value_year,
        case
            when item_values.hs6 is not null then 'item'
            when group_values.import_group is not null then 'group_items'
        end as unit_value_scope,
        coalesce(item_metals.metals_with_shares, group_metals.metals_with_shares, '') as metals_with_shares
    from items
    left join {{ ref('int_io__hs6_unit_values') }} as item_values on items.hs6 = item_values.hs6
    left join {{ ref('int_io__group_unit_values') }} as group_values
        on
            items.hs6 is null
            and items.table_id = group_values.table_id
            and items.rule_set = group_values.rule_set
            and items.import_group = group_values.import_group
    left join item_metals on items.hs6 = item_metals.hs6
    left join group_metals
        on
            items.hs6 is null
            and items.table_id = group_metals.table_id
            and items.rule_set = group_metals.rule_set
            and items.import_group = group_metals.import_group
),

converted as (
    select
        unit_values.table_id,
        unit_values.sector_key,
        unit_values.split_level,
        unit_values.import_group,
        unit_values.hs6,
        unit_values.description,
        -- yen per yen of demand = million yen per million yen
        unit_values.induced_import_yen_per_yen as induced_import_myen_per_myen,
        unit_values.import_valuation,
        unit_values.unit_value_kusd_per_t,
        unit_values.unit_value_basis,
        unit_values.unit_value_scope,
        unit_values.unit_value_release,
        unit_values.unit_value_year,
        coalesce(other_year_rates.jpy_per_usd, cast({{ var('io_jpy_per_usd') }} as double)) as jpy_per_usd,
        coalesce(other_year_rates.rate_year, {{ var('io_table_year') }}) as jpy_per_usd_year,
        -- million yen -> thousand USD: x 1e6 / rate / 1e3; then / (thousand USD per tonne)
        unit_values.induced_import_yen_per_yen * 1e3
        / coalesce(other_year_rates.jpy_per_usd, {{ var('io_jpy_per_usd') }})
        / unit_values.unit_value_kusd_per_t as goods_t_per_myen,
        unit_values.metals_with_shares
    from unit_values
    left join other_year_rates
        on
            unit_values.unit_value_year = other_year_rates.rate_year
            and unit_values.unit_value_year <> {{ var('io_table_year') }}
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
