-- HS92 items → IO import group, per IO table and concordance rule set. An item takes the rule of its
-- longest HS prefix (bdg_hs_io_rules); rule set group4 cuts the rule's io_group to 4 digits. The item then
-- joins the longest import group of the table that is a prefix of (or equal to) that io_group.
with rules as (
    select hs_prefix, io_group, basis from {{ ref('bdg_hs_io_rules') }}
),

rule_sets as (
    select 'product' as rule_set, hs_prefix, io_group, basis from rules
    union all
    select
        'group4' as rule_set,
        hs_prefix,
        substr(io_group, 1, 4) as io_group,
        basis || ' [cut to 4-digit group ' || substr(io_group, 1, 4) || ']' as basis
    from rules
),

hs_items as (
    select hs6, description from {{ ref('stg_baci__products') }}
),

item_rules as (
    select
        h.hs6,
        h.description,
        r.rule_set,
        r.hs_prefix,
        r.io_group,
        r.basis,
        row_number() over (partition by h.hs6, r.rule_set order by length(r.hs_prefix) desc) as rule_rank
    from hs_items as h
    inner join rule_sets as r on starts_with(h.hs6, r.hs_prefix)
),

import_groups as (
    select distinct table_id, rule_set, import_group from {{ ref('int_io__products_grouped') }}
),

item_groups as (
    select
        g.table_id,
        i.rule_set,
        i.hs6,
        i.description,
        i.hs_prefix,
        i.io_group,
        g.import_group,
        i.basis,
        row_number() over (
            partition by g.table_id, i.rule_set, i.hs6 order by length(g.import_group) desc
        ) as group_rank
    from item_rules as i
    inner join import_groups as g
        on i.rule_set = g.rule_set and starts_with(i.io_group, g.import_group)
    where i.rule_rank = 1
)

select table_id, rule_set, hs6, description, hs_prefix, io_group, import_group, basis
from item_groups
where group_rank = 1
