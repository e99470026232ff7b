{{ config(meta={'dagster': {'ref': {'name': 'rpt_sdg_deterioration_counts'}}}) }}
-- The panel's totals agree everywhere they appear: the estimates' flags, the all-metals / all-sources /
-- all-goals row of the counts and the observed row (permutation 0) of the permutation counts.
-- Returns the tables that disagree with the estimates.
with from_estimates as (
    select
        count(*) as n_tests,
        count(*) filter (where deteriorates) as n_raw,
        count(*) filter (where deteriorates_bh) as n_bh,
        count(*) filter (where deteriorates_holm) as n_holm
    from {{ source('analysis_marts', 'fct_sdg_panel_estimates') }}
),

others as (
    select
        'rpt_sdg_deterioration_counts' as other_table,
        n_tests,
        n_deteriorating_raw as n_raw,
        n_deteriorating_bh as n_bh,
        n_deteriorating_holm as n_holm
    from {{ ref('rpt_sdg_deterioration_counts') }}
    where level = 'all' and source = 'all' and goal = 0
    union all
    select
        'fct_sdg_permutation_counts' as other_table,
        n_tests,
        n_deteriorating_raw as n_raw,
        n_deteriorating_bh as n_bh,
        n_deteriorating_holm as n_holm
    from {{ source('analysis_marts', 'fct_sdg_permutation_counts') }}
    where is_observed
),

expected as (
    select other_table from (values ('rpt_sdg_deterioration_counts'), ('fct_sdg_permutation_counts')) as t (other_table)
)

select expected.other_table, others.n_tests, others.n_raw, from_estimates.n_raw as estimates_n_raw
from expected
cross join from_estimates
left join others on expected.other_table = others.other_table
where
    from_estimates.n_tests > 0
    and (
        others.other_table is null
        or others.n_tests != from_estimates.n_tests
        or others.n_raw != from_estimates.n_raw
        or others.n_bh != from_estimates.n_bh
        or others.n_holm != from_estimates.n_holm
    )
