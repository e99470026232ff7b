with source as (
    select * from {{ source('raw', 'baci_flows') }}
),

renamed as (
    select
        cast(t as smallint) as year,
        i as exporter_code,
        j as importer_code,
        k as hs6,
        v as value_kusd,
        q as quantity_t,
        source_file
    from source
)

select * from renamed
