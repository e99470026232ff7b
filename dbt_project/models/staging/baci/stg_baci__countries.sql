-- BACI writes N/A for the ISO codes of its 'nes' groupings: NULL here, so iso3 holds ISO3 codes only.
with source as (
    select * from {{ source('raw', 'baci_countries') }}
),

renamed as (
    select
        country_code as baci_code,
        nullif(upper(trim(iso_3digit_alpha)), 'N/A') as iso3,
        nullif(upper(trim(iso_2digit_alpha)), 'N/A') as iso2,
        trim(country_name_abbreviation) as country_name,
        trim(country_name_full) as country_name_full,
        source_file
    from source
)

select * from renamed
