-- Commodity names as the file writes them (Molybdenum, Chromium, REE …); quantities in tonnes of what the
-- file counts (metal content for most, gross chromite for Chromium, oxide for REE).
with source as (
    select * from {{ source('raw', 'mine_production') }}
),

renamed as (
    select
        commodity,
        country as country_name,
        country_code,
        year,
        value as quantity_t,
        source_file
    from source
)

select * from renamed
