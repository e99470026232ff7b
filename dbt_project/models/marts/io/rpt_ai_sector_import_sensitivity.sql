-- How stable is the top of Table 1? The top-n items under the main vs the second concordance, and the
-- top-n WIOD sectors under the competitive vs the non-competitive model, rank by rank. Induced imports are
-- per unit of final demand in each context's own money: yen per yen for the IO tables, USD per USD for WIOD.
{% set top_n = var('io_top_n') | int %}
with items as (
    select
        table_id as context,
        sector_key,
        'concordance_product_vs_group4' as comparison,
        case rule_set when 'product' then 'baseline' else 'variant' end as side,
        coalesce(hs6, 'group ' || import_group) as item,  -- a group kept whole (no HS split) is one item
        induced_import_yen_per_yen as induced_import_per_unit_demand
    from {{ ref('int_io__ai_hs_split') }}
    union all
    select
        context,
        sector_key,
        'competitive_vs_noncompetitive' as comparison,
        case model when 'competitive' then 'baseline' else 'variant' end as side,
        wiod_sector as item,
        induced_import_usd_per_usd as induced_import_per_unit_demand
    from {{ source('analysis_marts', 'fct_io_wiod_model_comparison') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by context, sector_key, comparison, side order by induced_import_per_unit_demand desc, item
        ) as item_rank
    from items
),

top_items as (
    select * from ranked where item_rank <= {{ top_n }}
),

paired as (
    select
        baseline.context,
        baseline.sector_key,
        baseline.comparison,
        cast(baseline.item_rank as integer) as rank,
        baseline.item as baseline_item,
        baseline.induced_import_per_unit_demand as baseline_induced_import_per_unit_demand,
        variant.item as variant_item,
        variant.induced_import_per_unit_demand as variant_induced_import_per_unit_demand
    from top_items as baseline
    inner join top_items as variant
        on
            baseline.context = variant.context
            and baseline.sector_key = variant.sector_key
            and baseline.comparison = variant.comparison
            and baseline.item_rank = variant.item_rank
    where baseline.side = 'baseline' and variant.side = 'variant'
),

overlap as (
    select
        baseline.context,
        baseline.sector_key,
        baseline.comparison,
        count(*) as top_overlap_n
    from top_items as baseline
    inner join top_items as variant
        on
            baseline.item = variant.item
            and baseline.context = variant.context
            and baseline.sector_key = variant.sector_key
            and baseline.comparison = variant.comparison
    where baseline.side = 'baseline' and variant.side = 'variant'
    group by all
),

variant_items as (
    select distinct context, sector_key, comparison, item
    from top_items
    where side = 'variant'
),

compared as (
    select
        paired.*,
        variant_items.item is not null as baseline_item_in_variant_top,
        coalesce(overlap.top_overlap_n, 0) as top_overlap_n
    from paired
    left join variant_items
        on
            paired.context = variant_items.context
            and paired.sector_key = variant_items.sector_key
            and paired.comparison = variant_items.comparison
            and paired.baseline_item = variant_items.item
    left join overlap
        on
            paired.context = overlap.context
            and paired.sector_key = overlap.sector_key
            and paired.comparison = overlap.comparison
)

select * from compared
order by context, sector_key, comparison, rank
