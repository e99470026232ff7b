-- Table 1: the imported HS92 items a million yen of final demand of each AI sector needs, ranked. An IO
-- import group the BACI release used has no Japanese import of stays one row at group level (hs6 null),
-- with its candidate items and a note (split_note); its metals are unknown (metals_contained null).
with totals as (
    select
        table_id,
        sector_key,
        sum(induced_import_yen_per_yen) as total_induced_yen_per_yen
    from {{ source('analysis_marts', 'fct_io_ai_induced_imports') }}
    group by all
),

metals_by_item as (
    select
        hs6,
        string_agg(metal_symbol, ',' order by metal_symbol) as metals_contained
    from {{ ref('int_io__hs6_metals_flagged') }}
    group by hs6
),

ranked as (
    select
        *,
        row_number() over (
            partition by table_id, sector_key order by induced_import_yen_per_yen desc, hs6, import_group
        ) as item_rank
    from {{ ref('int_io__ai_hs_split') }}
    where rule_set = 'product'
),

table_1 as (
    select
        ranked.table_id,
        ranked.sector_key,
        sectors.name_en as sector_name_en,
        sectors.industry_code,
        cast(ranked.item_rank as integer) as rank,
        ranked.split_level,
        ranked.hs6,
        ranked.description,
        ranked.import_group,
        ranked.induced_import_yen_per_yen,
        ranked.induced_import_yen_per_yen / totals.total_induced_yen_per_yen as share_of_induced_imports,
        case
            when ranked.split_level = 'hs6_item' then coalesce(metals_by_item.metals_contained, '')
        end as metals_contained,
        ranked.share_in_group,
        ranked.share_basis,
        cast(ranked.baci_year as integer) as baci_year,
        ranked.baci_release,
        ranked.year_note,
        ranked.concordance_basis,
        ranked.candidate_hs6,
        ranked.n_candidate_items,
        ranked.split_note
    from ranked
    inner join totals on ranked.table_id = totals.table_id and ranked.sector_key = totals.sector_key
    inner join {{ ref('io_ai_sectors') }} as sectors on ranked.sector_key = sectors.sector_key
    left join metals_by_item on ranked.hs6 = metals_by_item.hs6
    where ranked.induced_import_yen_per_yen > 0
)

select * from table_1
order by table_id, sector_key, rank
