-- Every trade weight the cleaning changed, with the numbers behind the decision and the parameters used.
-- One row per changed flow (year, exporter_entity_code, importer_entity_code, hs6); every flagged point is
-- replaced by interpolation, so the changed flows are the flagged ones.
with cleaned as (
    select * from {{ ref('int_trade_flows_cleaned') }}
    where is_outlier
),

countries as (
    select baci_code, entity_code, iso3 from {{ ref('dim_country') }}
),

audit as (
    select
        cleaned.year,
        exporter.entity_code as exporter_entity_code,
        importer.entity_code as importer_entity_code,
        cleaned.hs6,
        exporter.iso3 as exporter_iso3,
        importer.iso3 as importer_iso3,
        cleaned.exporter_code,
        cleaned.importer_code,
        cleaned.value_kusd,
        cleaned.quantity_t_reported as quantity_t_before,
        cleaned.quantity_t as quantity_t_after,
        cleaned.x_tested as tested_value,
        cleaned.centre_value,
        cleaned.deviation,
        cleaned.scale_stat,
        cleaned.threshold,
        cleaned.n_usable as n_usable_years,
        cleaned.anchor_year_before,
        cleaned.anchor_year_after,
        cleaned.cleaning_rule,
        cleaned.window_years,
        cleaned.threshold_k,
        cleaned.cleaning_scale
    from cleaned
    left join countries as exporter on cleaned.exporter_code = exporter.baci_code
    left join countries as importer on cleaned.importer_code = importer.baci_code
)

select * from audit
