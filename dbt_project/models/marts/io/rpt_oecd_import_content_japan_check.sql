-- Japan's import content of final demand: the OECD table's industry (non-competitive model) beside the MIC
-- table's AI sector it contains (competitive model), in the same year.
with mic as (
    select
        induced.table_id,
        induced.sector_key,
        sum(induced.induced_import_yen_per_yen) as mic_import_content_total_yen_per_yen,
        sum(induced.induced_import_cif_yen_per_yen) as mic_import_content_cif_yen_per_yen
    from {{ source('analysis_marts', 'fct_io_ai_induced_imports') }} as induced
    group by all
),

oecd_japan as (
    select * from {{ source('analysis_marts', 'fct_oecd_import_content') }}
    where country_iso3 = 'JPN' and year = {{ var('io_table_year') }}
),

check_rows as (
    select
        mic.table_id,
        mic.sector_key,
        sectors.name_en as sector_name_en,
        sectors.wiod_sector as oecd_industry,
        cast({{ var('io_table_year') }} as integer) as year,
        mic.mic_import_content_total_yen_per_yen,
        mic.mic_import_content_cif_yen_per_yen,
        oecd_japan.import_content_usd_per_usd as oecd_import_content_usd_per_usd,
        oecd_japan.imported_final_demand_share as oecd_imported_final_demand_share,
        oecd_japan.import_content_usd_per_usd - mic.mic_import_content_cif_yen_per_yen as oecd_minus_mic_cif
    from mic
    inner join {{ ref('io_ai_sectors') }} as sectors on mic.sector_key = sectors.sector_key
    left join oecd_japan on sectors.wiod_sector = oecd_japan.industry
)

select * from check_rows
order by table_id, sector_key
