with source as (
    select * from {{ source('raw', 'wiod_niot_values') }}
),

renamed as (
    select
        country as country_iso3,
        cast(year as integer) as year,
        row_code,
        origin,
        col_code,
        value_musd,
        source_file
    from source
)

select * from renamed
