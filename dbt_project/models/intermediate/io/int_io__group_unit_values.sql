-- A unit value (thousand USD per tonne) for each IO import group that Table 1 keeps whole (the build's BACI
-- release has no import of Japan of any of its items: share_basis group_level_no_trade), over the group's
-- candidate items taken together: sum of value over sum of quantity, with the bases and year rule of
-- int_io__hs6_unit_values (Japan's imports, all flows, then the same in another release of the folder).
-- The group's yen are never split by these flows: the unit value only turns its yen into tonnes of goods.
with group_items as (
    select distinct table_id, rule_set, import_group, hs6
    from {{ ref('int_io__japan_hs6_import_shares') }}
    where share_basis = 'group_level_no_trade'
),

candidates as (
    select
        group_items.table_id,
        group_items.rule_set,
        group_items.import_group,
        flows.year,
        flows.unit_value_basis,
        flows.basis_rank,
        any_value(flows.baci_release) as baci_release,
        sum(flows.value_kusd) as value_kusd,
        sum(flows.quantity_t) as quantity_t,
        count(*) as n_flows,
        count(distinct flows.hs6) as n_items_traded
    from group_items
    inner join {{ ref('int_io__unit_value_flows') }} as flows on group_items.hs6 = flows.hs6
    group by all
),

ranked as (
    select
        *,
        row_number() over (
            partition by table_id, rule_set, import_group
            order by basis_rank, abs(year - {{ var('io_table_year') }}), year
        ) as preference
    from candidates
)

select
    table_id,
    rule_set,
    import_group,
    value_kusd / quantity_t as unit_value_kusd_per_t,
    unit_value_basis,
    baci_release as unit_value_release,
    cast(year as integer) as unit_value_year,
    cast(n_flows as integer) as n_flows,
    cast(n_items_traded as integer) as n_items_traded,
    quantity_t as quantity_basis_t
from ranked
where preference = 1
