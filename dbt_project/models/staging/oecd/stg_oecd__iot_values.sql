with source as (
    select * from {{ source('raw', 'oecd_iot_values') }}
),

renamed as (
    select
        country_iso3,
        cast(year as integer) as year,
        row_code,
        col_code,
        value_musd
    from source
)

select * from renamed
