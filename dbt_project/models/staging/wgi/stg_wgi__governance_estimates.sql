with source as (
    select * from {{ source('raw', 'wgi') }}
),

renamed as (
    select
        upper(trim(code)) as iso3,
        trim(country) as country_name,
        year,
        trim(indicator) as wgi_indicator,
        estimate as estimate_score,
        std_err as std_error_score,
        num_src as n_sources,
        rank as percentile_rank,
        source_file
    from source
)

select * from renamed
