-- How much of the HS92 list the metal flags decide, per metal and over all metals.
with flags as (
    select * from {{ ref('fct_hs6_metal_flags') }}
),

coverage as (
    select
        coalesce(metal_symbol, 'all') as metal_symbol,
        count(*) as n_item_metal_pairs,
        count(*) filter (where flag_status = 'contains') as n_contains,
        count(*) filter (where flag_status = 'does_not_contain') as n_does_not_contain,
        count(*) filter (where flag_status = 'unknown') as n_unknown,
        count(*) filter (where flag_status = 'unknown') / count(*) as share_unknown,
        count(distinct hs6) filter (where flag_status = 'contains') as n_items_containing
    from flags
    group by grouping sets ((metal_symbol), ())
)

select * from coverage
order by metal_symbol = 'all', metal_symbol
