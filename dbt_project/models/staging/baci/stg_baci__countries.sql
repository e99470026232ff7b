-- BACI writes N/A (older lists) or a made-up code with a digit (newer lists: S19, R20, ZA1) for the ISO codes
-- of its 'nes' groupings and the old customs union: NULL here, so iso3 holds three-letter ISO3 codes only.
with source as (
    select * from {{ source('raw', 'baci_countries') }}
),

renamed as (
    select
        country_code as baci_code,
        case
            when regexp_full_match(upper(trim(iso_3digit_alpha)), '[A-Z]{3}') then upper(trim(iso_3digit_alpha))
        end as iso3,
        case
            when regexp_full_match(upper(trim(iso_2digit_alpha)), '[A-Z]{2}') then upper(trim(iso_2digit_alpha))
        end as iso2,
        trim(country_name_abbreviation) as country_name,
        trim(country_name_full) as country_name_full,
        source_file
    from source
)

select * from renamed
