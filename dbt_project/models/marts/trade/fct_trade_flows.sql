-- BACI flows with cleaned trade weights and harmonised country keys: one row per
-- (year, exporter_entity_code, importer_entity_code, hs6). The keys are dim_country.entity_code, not the raw
-- ISO3: BACI reuses an ISO3 for historical entities (280 and 276 are both DEU), which would break the grain.
-- exporter_iso3 / importer_iso3 carry the plain ISO3 (dim_country.iso3; NULL for 'nes' groupings).
with cleaned as (
    select * from {{ ref('int_trade_flows_cleaned') }}
),

countries as (
    select baci_code, entity_code, iso3 from {{ ref('dim_country') }}
),

harmonised as (
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
        cleaned.quantity_t,
        cleaned.quantity_t_reported,
        cleaned.is_outlier
    from cleaned
    left join countries as exporter on cleaned.exporter_code = exporter.baci_code
    left join countries as importer on cleaned.importer_code = importer.baci_code
)

select * from harmonised
