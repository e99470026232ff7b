with source as (
    select * from {{ source('raw', 'sdg_series') }}
),

renamed as (
    select
        trim(series_code) as indicator_code,
        trim(topic) as topic,
        trim(indicator_name) as indicator_name,
        unit_of_measure,
        other_notes,
        source_file
    from source
    qualify row_number() over (partition by trim(series_code) order by source_file) = 1
)

select * from renamed
