-- Exporter-reported (flow X) and importer-reported (flow M) records; the partner 0 (World) rows and the
-- customs/transport breakdowns are kept as the file gives them; marts choose.
with source as (
    select * from {{ source('raw', 'comtrade_flows') }}
),

renamed as (
    select
        ref_year as year,
        reporter_code,
        partner_code,
        flow_code,
        classification_code as hs_revision,
        cmd_code as hs_code,
        length(cmd_code) as hs_digits,
        customs_code,
        mot_code,
        partner2_code,
        net_wgt_kg / 1000.0 as net_weight_t,
        primary_value_usd / 1000.0 as value_kusd,
        source_file
    from source
)

select * from renamed
