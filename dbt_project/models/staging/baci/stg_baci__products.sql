with source as (
    select * from {{ source('raw', 'baci_products') }}
),

renamed as (
    select
        code as hs6,
        trim(description) as description,
        substr(code, 1, 2) as hs_chapter,
        substr(code, 1, 4) as hs_heading,
        source_file
    from source
)

select * from renamed
