-- World trade per HS6 item and year, reported and cleaned: one row per (hs6, year).
-- Sums skip BACI's NA quantities; n_flows_with_quantity says how many flows the weights rest on.
with flows as (
    select * from {{ ref('fct_trade_flows') }}
),

by_commodity as (
    select
        hs6,
        year,
        count(*) as n_flows,
        count(quantity_t_reported) as n_flows_with_quantity,
        count(*) filter (where is_outlier) as n_flows_interpolated,
        sum(value_kusd) as value_kusd,
        sum(quantity_t_reported) as quantity_t_reported,
        sum(quantity_t) as quantity_t
    from flows
    group by hs6, year
)

select * from by_commodity
