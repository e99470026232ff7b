with source as (
    select * from {{ source('raw', 'device_bom_grams') }}
),

renamed as (
    select
        product as device,
        model,
        model_year,
        component,
        material,
        grams as material_g,
        source_file
    from source
    where material <> 'Total mass (g)'
)

select * from renamed
