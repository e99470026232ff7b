-- The largest corrections of the active cleaning rule: flagged points ranked by how far the cleaned weight
-- is from the reported one, |ln(cleaned / reported)|, the top var trade_cleaning_report_top_n.
with flagged as (
    select
        flows.year,
        flows.hs6,
        flows.exporter_entity_code,
        flows.importer_entity_code,
        flows.value_kusd,
        flows.quantity_t_reported,
        flows.quantity_t,
        abs(ln(flows.quantity_t / flows.quantity_t_reported)) as abs_log_change
    from {{ ref('fct_trade_flows') }} as flows
    where flows.is_outlier and flows.quantity_t > 0 and flows.quantity_t_reported > 0
),

ranked as (
    select
        *,
        row_number() over (
            order by abs_log_change desc, hs6, exporter_entity_code, importer_entity_code, year
        ) as correction_rank
    from flagged
    qualify correction_rank <= {{ var('trade_cleaning_report_top_n') | int }}
),

final as (
    select
        ranked.correction_rank,
        ranked.year,
        ranked.hs6,
        products.description as hs_description,
        ranked.exporter_entity_code,
        ranked.importer_entity_code,
        ranked.quantity_t_reported,
        ranked.quantity_t,
        ranked.quantity_t_reported / ranked.quantity_t as reported_over_cleaned,
        ranked.value_kusd
    from ranked
    left join {{ ref('dim_product') }} as products on ranked.hs6 = products.hs6
)

select * from final
