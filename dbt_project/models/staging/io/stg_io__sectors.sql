with source as (
    select * from {{ source('raw', 'io_sectors') }}
),

renamed as (
    select
        table_id,
        set_name,
        code as sector_code,
        name as sector_name,
        name_en as sector_name_en,
        source_file
    from source
)

select * from renamed
