-- Every HS92 item x every content metal: contains, does_not_contain or unknown, with the sources behind it.
with items as (
    select hs6, description from {{ ref('stg_baci__products') }}
),

content_metals as (
    select symbol as metal_symbol from {{ ref('metals') }} where in_content_set
),

evidence_by_item as (
    select
        hs6,
        metal_symbol,
        bool_or(flag_status = 'contains') as any_contains,
        bool_or(flag_status = 'does_not_contain') as any_does_not_contain,
        string_agg(flag_source, ',' order by flag_source) as flag_sources,
        string_agg(basis, ' | ' order by flag_source, basis) as basis,
        count(*) as n_sources
    from {{ ref('int_io__hs6_metal_evidence') }}
    group by hs6, metal_symbol
),

flags as (
    select
        items.hs6,
        items.description,
        content_metals.metal_symbol,
        case
            -- a source that finds the metal outranks a rule that rules it out (unknown is never "no")
            when evidence_by_item.any_contains then 'contains'
            when evidence_by_item.any_does_not_contain then 'does_not_contain'
            else 'unknown'
        end as flag_status,
        coalesce(evidence_by_item.flag_sources, 'none') as flag_sources,
        cast(coalesce(evidence_by_item.n_sources, 0) as integer) as n_sources,
        evidence_by_item.basis
    from items
    cross join content_metals
    left join evidence_by_item
        on items.hs6 = evidence_by_item.hs6 and content_metals.metal_symbol = evidence_by_item.metal_symbol
)

select * from flags
order by hs6, metal_symbol
