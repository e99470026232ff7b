-- Which of the 15 content metals each HS92 item contains: the nomenclature flags (seed bdg_product_metal)
-- and the metal_content file (content share > 0; the demo world writes one), combined.
with seed_flags as (
    select hs6, metal as metal_symbol, evidence, basis
    from {{ ref('bdg_product_metal') }}
),

content_flags as (
    select hs6, metal_symbol, max(metal_t_per_t) as metal_t_per_t, any_value(basis) as basis
    from {{ ref('stg_metal_content__contents') }}
    where metal_t_per_t > 0
    group by hs6, metal_symbol
),

content_metals as (
    select symbol from {{ ref('metals') }} where in_content_set
),

combined as (
    select
        coalesce(s.hs6, c.hs6) as hs6,
        coalesce(s.metal_symbol, c.metal_symbol) as metal_symbol,
        case
            when s.hs6 is not null and c.hs6 is not null then 'both'
            when s.hs6 is not null then 'nomenclature_seed'
            else 'metal_content_file'
        end as flag_source,
        s.evidence,
        coalesce(s.basis, c.basis) as basis,
        c.metal_t_per_t
    from seed_flags as s
    full outer join content_flags as c on s.hs6 = c.hs6 and s.metal_symbol = c.metal_symbol
)

select combined.*
from combined
inner join content_metals on combined.metal_symbol = content_metals.symbol
