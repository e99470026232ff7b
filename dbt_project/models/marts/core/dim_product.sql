-- HS92 six-digit items as BACI lists them, with chapter and heading; hs6 is 6-character text everywhere.
with products as (
    select * from {{ ref('stg_baci__products') }}
),

with_metals as (
    select
        hs6,
        count(*) as n_metals,
        string_agg(metal_symbol, ',' order by metal_symbol) as metals
    from {{ ref('stg_metal_content__contents') }}
    group by hs6
),

final as (
    select
        products.hs6,
        products.description,
        products.hs_chapter,
        products.hs_heading,
        coalesce(with_metals.n_metals, 0) as n_metals_contained,
        with_metals.metals as metals_contained,
        products.source_file
    from products
    left join with_metals on products.hs6 = with_metals.hs6
)

select * from final
