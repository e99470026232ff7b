with source as (
    select * from {{ source('raw', 'bgs_production') }}
),

renamed as (
    select
        commodity_file,
        upper(trim(country_iso3_code)) as iso3,
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
