-- Long files carry indicator names only; their codes come from the metadata by exact name.
with source as (
    select * from {{ source('raw', 'wdi_values') }}
),

metadata as (
    select
        indicator_name,
        min(indicator_code) as indicator_code
    from {{ source('raw', 'wdi_indicators') }}
    group by indicator_name
),

renamed as (
    select
        upper(trim(source.country_code)) as country_code,
        trim(source.country_name) as country_name,
        coalesce(source.indicator_code, metadata.indicator_code, 'NAME:' || source.indicator_name)
            as indicator_code,
        trim(source.indicator_name) as indicator_name,
        source.year,
        source.value,
        source.source_file
    from source
    left join metadata on source.indicator_code is null and source.indicator_name = metadata.indicator_name
)

select * from renamed
