with source as (
    select * from {{ source('raw', 'scenario_values') }}
),

renamed as (
    select
        trim(model) as model,
        trim(scenario) as scenario,
        trim(region) as region,
        trim(variable) as variable,
        trim(unit) as unit,
        year,
        value,
        source_file
    from source
)

select * from renamed
