-- The observed deterioration count against its permutation null, per correction: the null's mean and 95th
-- percentile and the empirical p-value (1 + #{permutations >= observed}) / (1 + permutations).
with counts as (
    select * from {{ source('analysis_marts', 'fct_sdg_permutation_counts') }}
),

long_counts as (
    select permutation, is_observed, 'raw' as correction, n_deteriorating_raw as n_deteriorating from counts
    union all
    select permutation, is_observed, 'bh' as correction, n_deteriorating_bh as n_deteriorating from counts
    union all
    select permutation, is_observed, 'holm' as correction, n_deteriorating_holm as n_deteriorating from counts
),

observed as (
    select correction, n_deteriorating as observed_n_deteriorating
    from long_counts
    where is_observed
),

summary as (
    select
        observed.correction,
        observed.observed_n_deteriorating,
        count(long_counts.permutation) as n_permutations,
        avg(long_counts.n_deteriorating) as null_mean_n_deteriorating,
        quantile_cont(long_counts.n_deteriorating, 0.95) as null_p95_n_deteriorating,
        (1 + count(long_counts.permutation) filter (
            where long_counts.n_deteriorating >= observed.observed_n_deteriorating
        )) / (1 + count(long_counts.permutation)) as empirical_p
    from observed
    left join long_counts on observed.correction = long_counts.correction and not long_counts.is_observed
    group by all
)

select * from summary
order by case correction when 'raw' then 1 when 'bh' then 2 else 3 end
