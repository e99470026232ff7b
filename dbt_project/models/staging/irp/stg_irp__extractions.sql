-- alphanumiso joins ISO3 and the numeric code (e.g. JPN392); both are split out.
with source as (
    select * from {{ source('raw', 'irp_extraction') }}
),

renamed as (
    select
        substr(alphanumiso, 1, 3) as iso3,
        try_cast(substr(alphanumiso, 4) as integer) as m49_code,
        trim(ccc_code) as ccc_code,
        year,
        value as extraction_t,
        unit,
        source_file
    from source
)

select * from renamed
