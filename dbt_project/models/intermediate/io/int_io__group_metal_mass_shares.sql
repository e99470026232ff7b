-- Tonnes of each metal per tonne of an IO import group kept whole in Table 1: the group's candidate items'
-- mass shares (int_io__hs6_metal_mass_shares) weighted by the tonnes each item has under the basis and year
-- that gave the group its unit value (int_io__group_unit_values). An item without a share for the metal adds
-- tonnes but no metal (unknown counts as none here: a lower bound, as for single items).
with group_items as (
    select distinct table_id, rule_set, import_group, hs6
    from {{ ref('int_io__japan_hs6_import_shares') }}
    where share_basis = 'group_level_no_trade'
),

item_tonnes as (
    select
        group_items.table_id,
        group_items.rule_set,
        group_items.import_group,
        group_items.hs6,
        sum(flows.quantity_t) as quantity_t
    from group_items
    inner join {{ ref('int_io__group_unit_values') }} as unit_values
        on
            group_items.table_id = unit_values.table_id
            and group_items.rule_set = unit_values.rule_set
            and group_items.import_group = unit_values.import_group
    inner join {{ ref('int_io__unit_value_flows') }} as flows
        on
            group_items.hs6 = flows.hs6
            and unit_values.unit_value_basis = flows.unit_value_basis
            and unit_values.unit_value_year = flows.year
    group by all
),

group_tonnes as (
    select table_id, rule_set, import_group, sum(quantity_t) as quantity_t
    from item_tonnes
    group by all
),

final as (
    select
        item_tonnes.table_id,
        item_tonnes.rule_set,
        item_tonnes.import_group,
        shares.metal_symbol,
        sum(item_tonnes.quantity_t * shares.share_low) / group_tonnes.quantity_t as share_low,
        sum(item_tonnes.quantity_t * shares.share_central) / group_tonnes.quantity_t as share_central,
        sum(item_tonnes.quantity_t * shares.share_high) / group_tonnes.quantity_t as share_high,
        'group_items' as share_source,
        'tonnes-weighted over the group''s items: '
        || string_agg(
            item_tonnes.hs6 || ' (' || shares.share_source || ', '
            || round(100 * item_tonnes.quantity_t / group_tonnes.quantity_t, 1) || ' % of tonnes)',
            ', ' order by item_tonnes.hs6
        ) as basis,
        cast(count(*) as integer) as n_items
    from item_tonnes
    inner join group_tonnes
        on
            item_tonnes.table_id = group_tonnes.table_id
            and item_tonnes.rule_set = group_tonnes.rule_set
            and item_tonnes.import_group = group_tonnes.import_group
    inner join {{ ref('int_io__hs6_metal_mass_shares') }} as shares on item_tonnes.hs6 = shares.hs6
    group by
        item_tonnes.table_id, item_tonnes.rule_set, item_tonnes.import_group, shares.metal_symbol,
        group_tonnes.quantity_t
)

select * from final
