-- Each IO product row is put in the import group of each concordance rule set: the longest rule io_group
-- that is a prefix of its code; a product coarser than the rule groups (the demo world's 6-digit codes)
-- is a group of its own when some rule group refines it.
with rules as (
    select hs_prefix, io_group from {{ ref('bdg_hs_io_rules') }}
),

rule_groups as (
    select distinct 'product' as rule_set, io_group from rules
    union
    select distinct 'group4' as rule_set, substr(io_group, 1, 4) as io_group from rules
),

io_products as (
    select table_id, sector_code as product_code
    from {{ ref('stg_io__sectors') }}
    where set_name = 'row'
),

prefix_matches as (
    select
        p.table_id,
        p.product_code,
        g.rule_set,
        g.io_group,
        row_number() over (
            partition by p.table_id, p.product_code, g.rule_set order by length(g.io_group) desc
        ) as match_rank
    from io_products as p
    inner join rule_groups as g on starts_with(p.product_code, g.io_group)
),

refined_matches as (
    select distinct
        p.table_id,
        p.product_code,
        g.rule_set,
        p.product_code as io_group
    from io_products as p
    inner join rule_groups as g on starts_with(g.io_group, p.product_code) and g.io_group <> p.product_code
    where not exists (
        select 1 from prefix_matches as m
        where m.table_id = p.table_id and m.product_code = p.product_code and m.rule_set = g.rule_set
    )
),

grouped as (
    select table_id, product_code, rule_set, io_group as import_group, 'prefix' as match_kind
    from prefix_matches
    where match_rank = 1
    union all
    select table_id, product_code, rule_set, io_group as import_group, 'refined' as match_kind
    from refined_matches
)

select * from grouped
