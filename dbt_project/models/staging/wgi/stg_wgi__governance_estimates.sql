with source as (
    select * from {{ source('raw', 'wgi') }}
),

renamed as (
    select
        -- WGI keeps a few pre-ISO codes: map them so the country joins the other sources
        case upper(trim(code))
            when 'ZAR' then 'COD'
            when 'ROM' then 'ROU'
            when 'TMP' then 'TLS'
            when 'ADO' then 'AND'
            else upper(trim(code))
        end as iso3,
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
