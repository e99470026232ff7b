-- Each AI sector's induced imports of an IO import group split over the group's HS92 items by Japan's
-- BACI import shares, for both concordance rule sets (product and group4). A group none of whose items
-- Japan imports in the BACI release and year used stays whole: one row at group level (hs6 null) that
-- lists its candidate items and says why, never a split borrowed from another release or an equal split.
-- (A group of a single item is that item whatever the trade: share 1, share_basis single_item_group.)
with induced_by_group as (
    select
        induced.table_id,
        induced.sector_key,
        grouped.rule_set,
        grouped.import_group,
        sum(induced.induced_import_yen_per_yen) as group_induced_yen_per_yen
    from {{ source('analysis_marts', 'fct_io_ai_induced_imports') }} as induced
    inner join {{ ref('int_io__products_grouped') }} as grouped
        on induced.table_id = grouped.table_id and induced.product_code = grouped.product_code
    group by all
),

shares as (
    select * from {{ ref('int_io__japan_hs6_import_shares') }}
),

item_level as (
    select
        induced_by_group.table_id,
        induced_by_group.sector_key,
        induced_by_group.rule_set,
        'hs6_item' as split_level,
        shares.hs6,
        shares.description,
        induced_by_group.import_group,
        induced_by_group.group_induced_yen_per_yen * shares.share_in_group as induced_import_yen_per_yen,
        shares.share_in_group,
        shares.share_basis,
        shares.baci_year,
        shares.baci_release,
        shares.year_note,
        shares.basis as concordance_basis,
        cast(null as varchar) as candidate_hs6,
        cast(null as integer) as n_candidate_items,
        cast(null as varchar) as split_note
    from induced_by_group
    inner join shares
        on
            induced_by_group.table_id = shares.table_id
            and induced_by_group.rule_set = shares.rule_set
            and induced_by_group.import_group = shares.import_group
    where shares.share_basis in ('baci_import_value', 'single_item_group')
),

unsplit_groups as (
    select
        table_id,
        rule_set,
        import_group,
        string_agg(hs6, ',' order by hs6) as candidate_hs6,
        cast(count(*) as integer) as n_candidate_items,
        any_value(baci_year) as baci_year,
        any_value(baci_release) as baci_release,
        any_value(year_note) as year_note,
        string_agg(distinct basis, '; ' order by basis) as concordance_basis
    from shares
    where share_basis = 'group_level_no_trade'
    group by table_id, rule_set, import_group
),

group_level as (
    select
        induced_by_group.table_id,
        induced_by_group.sector_key,
        induced_by_group.rule_set,
        'io_group' as split_level,
        cast(null as varchar) as hs6,
        'IO import group ' || induced_by_group.import_group || ' (not split into HS items)' as description,
        induced_by_group.import_group,
        induced_by_group.group_induced_yen_per_yen as induced_import_yen_per_yen,
        cast(null as double) as share_in_group,
        'group_level_no_trade' as share_basis,
        unsplit_groups.baci_year,
        unsplit_groups.baci_release,
        unsplit_groups.year_note,
        unsplit_groups.concordance_basis,
        unsplit_groups.candidate_hs6,
        unsplit_groups.n_candidate_items,
        'kept at group level: BACI ' || unsplit_groups.baci_release || ' has no import of Japan in '
        || coalesce(cast(unsplit_groups.baci_year as varchar), 'any year') || ' of any of the group''s '
        || unsplit_groups.n_candidate_items || ' HS92 items (listed in candidate_hs6)' as split_note
    from induced_by_group
    inner join unsplit_groups
        on
            induced_by_group.table_id = unsplit_groups.table_id
            and induced_by_group.rule_set = unsplit_groups.rule_set
            and induced_by_group.import_group = unsplit_groups.import_group
),

split as (
    select * from item_level
    union all
    select * from group_level
)

select * from split
