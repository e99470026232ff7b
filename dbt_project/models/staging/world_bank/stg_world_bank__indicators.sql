with source as (
    select * from {{ source('raw', 'wdi_indicators') }}
),

renamed as (
    select
        trim(indicator_code) as indicator_code,
        trim(indicator_name) as indicator_name,
        source_note,
        source_organization,
        source_file
    from source
    qualify row_number() over (partition by trim(indicator_code) order by source_file) = 1
)

select * from renamed
