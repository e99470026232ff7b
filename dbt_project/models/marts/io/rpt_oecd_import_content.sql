-- Import content of final demand for the AI-related industries, ranked across countries per year.
with content as (
    select * from {{ source('analysis_marts', 'fct_oecd_import_content') }}
),

ranked as (
    select
        country_iso3,
        year,
        industry,
        import_content_usd_per_usd,
        intermediate_import_content_usd_per_usd,
        imported_final_demand_share,
        row_number() over (
            partition by year, industry order by import_content_usd_per_usd desc, country_iso3
        ) as rank_in_year,
        count(*) over (partition by year, industry) as n_countries_in_year,
        country_iso3 = 'JPN' as is_japan
    from content
)

select * from ranked
order by year, industry, rank_in_year
