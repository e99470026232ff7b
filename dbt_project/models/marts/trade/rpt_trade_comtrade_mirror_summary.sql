-- The distribution of the Comtrade / BACI weight ratio per code (all years), from rpt_trade_comtrade_mirror:
-- how many flows each source has alone, and the ratio's quantiles over the flows both have.
with mirror as (
    select * from {{ ref('rpt_trade_comtrade_mirror') }}
),

final as (
    select
        hs_code,
        any_value(hs_digits) as hs_digits,
        bool_and(baci_covers_code) as baci_covers_code,
        any_value(baci_items) as baci_items,
        min(year) as first_year,
        max(year) as last_year,
        count(*) filter (where presence = 'both') as n_both,
        count(*) filter (where presence = 'comtrade_only') as n_comtrade_only,
        count(*) filter (where presence = 'baci_only') as n_baci_only,
        count(weight_ratio) as n_ratios,
        sum(comtrade_t) filter (where presence = 'both') as comtrade_t_both,
        sum(baci_t) filter (where presence = 'both') as baci_t_both,
        quantile_cont(weight_ratio, 0.1) as p10_ratio,
        quantile_cont(weight_ratio, 0.25) as p25_ratio,
        median(weight_ratio) as median_ratio,
        quantile_cont(weight_ratio, 0.75) as p75_ratio,
        quantile_cont(weight_ratio, 0.9) as p90_ratio,
        avg(case when weight_ratio between 0.8 and 1.25 then 1.0 else 0.0 end) filter (
            where weight_ratio is not null
        ) as share_within_25pct
    from mirror
    group by hs_code
)

select * from final
