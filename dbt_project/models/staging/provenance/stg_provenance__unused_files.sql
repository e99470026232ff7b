-- One row per input-looking file of the data folder that the build did not load, with the reason.
with source as (
    select * from {{ source('raw', 'unused_inputs') }}
),

renamed as (
    select
        source_file,
        regexp_extract(source_file, '[^/]+$') as file_name,
        reason as not_loaded_reason,
        noted_at,
        coalesce(
            nullif(regexp_extract(source_file, '_V([0-9]{6}[a-z]?)', 1), ''),
            nullif(regexp_extract(source_file, '_v2_([0-9]+)', 1), '')
        ) as release
    from source
)

select * from renamed
