with source as (
    select * from {{ source('raw', 'io_values') }}
),

renamed as (
    select
        table_id,
        row_code,
        col_code,
        value as value_byen,
        source_file
    from source
)

select * from renamed
