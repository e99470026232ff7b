with source as (
    select * from {{ source('raw', 'metal_content') }}
),

renamed as (
    select
        hs6,
        metal as metal_symbol,
        content_share as metal_t_per_t,
        basis,
        source as content_source,
        source_file
    from source
)

select * from renamed
