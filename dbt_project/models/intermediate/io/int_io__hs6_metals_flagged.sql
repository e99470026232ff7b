-- The content metals each HS92 item contains: every "contains" evidence (int_io__hs6_metal_evidence)
-- of an item and metal folded into one row.
with contains_evidence as (
    select * from {{ ref('int_io__hs6_metal_evidence') }}
    where flag_status = 'contains'
),

flagged as (
    select
        hs6,
        metal_symbol,
        string_agg(flag_source, ',' order by flag_source) as flag_source,
        string_agg(distinct evidence, ',' order by evidence) as evidence,
        string_agg(basis, ' | ' order by flag_source) as basis,
        max(metal_t_per_t) as metal_t_per_t
    from contains_evidence
    group by hs6, metal_symbol
)

select * from flagged
