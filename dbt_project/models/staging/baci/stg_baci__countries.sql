with source as (
    select * from {{ source('raw', 'baci_countries') }}
),

renamed as (
    select
        country_code as baci_code,
        upper(trim(iso_3digit_alpha)) as iso3,
        upper(trim(iso_2digit_alpha)) as iso2,
        trim(country_name_abbreviation) as country_name,
        trim(country_name_full) as country_name_full,
        source_file
    from source
)

select * from renamed
