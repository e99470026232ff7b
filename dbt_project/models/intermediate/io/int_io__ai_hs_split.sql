-- Each AI sector's induced imports of an IO import group split over the group's HS92 items by Japan's
-- BACI import shares, for both concordance rule sets (product and group4), in the valuation of
-- var('io_import_valuation') (total or cif).
with induced_by_group as (
    select
        induced.table_id,
        induced.sector_key,
        grouped.rule_set,
        grouped.import_group,
        sum(induced.{{ io_import_valuation_column() }}) as group_induced_yen_per_yen
    from {{ source('analysis_marts', 'fct_io_ai_induced_imports') }} as induced
    inner join {{ ref('int_io__products_grouped') }} as grouped
        on induced.table_id = grouped.table_id and induced.product_code = grouped.product_code
    group by all
),

split as (
    select
        induced_by_group.table_id,
        induced_by_group.sector_key,
        induced_by_group.rule_set,
        shares.hs6,
        shares.description,
        induced_by_group.import_group,
        induced_by_group.group_induced_yen_per_yen * shares.share_in_group as induced_import_yen_per_yen,
        shares.share_in_group,
        shares.share_basis,
        shares.baci_year,
        shares.year_note,
        shares.basis as concordance_basis,
        '{{ var("io_import_valuation") }}' as import_valuation
    from induced_by_group
    inner join {{ ref('int_io__japan_hs6_import_shares') }} as shares
        on
            induced_by_group.table_id = shares.table_id
            and induced_by_group.rule_set = shares.rule_set
            and induced_by_group.import_group = shares.import_group
)

select * from split
