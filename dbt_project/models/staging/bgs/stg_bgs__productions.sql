-- iso3 holds ISO3 codes only: BGS's code is kept as written in bgs_country_code (1A0 for Kosovo has no ISO3).
with source as (
    select * from {{ source('raw', 'bgs_production') }}
),

renamed as (
    select
        commodity_file,
        upper(trim(country_iso3_code)) as bgs_country_code,
        case
            when regexp_full_match(upper(trim(country_iso3_code)), '[A-Z]{3}') then upper(trim(country_iso3_code))
        end as iso3,
        trim(country_trans) as country_name,
        trim(bgs_commodity_trans) as commodity,
        trim(bgs_sub_commodity_trans) as sub_commodity,
        trim(erml_commodity) as erml_commodity,
        trim(bgs_statistic_type_trans) as statistic_type,
        year,
        quantity,
        trim(units) as units,
        source_file
    from source
)

select * from renamed
