-- For each analysis and each input it rests on: real, partial, demo or missing, with what the input covers.
-- Coverage counts come from the raw tables themselves, so they describe what was actually loaded.
with sources as (
    select * from {{ ref('input_sources') }}
),

kinds as (
    select
        raw_table,
        string_agg(distinct source_kind, ',' order by source_kind) as source_kind,
        count(*) as n_files
    from {{ ref('stg_provenance__loaded_files') }}
    group by raw_table
),

coverage as (
    select 'baci_flows' as raw_table, count(*) as n_rows, count(distinct i) as n_countries,
        count(distinct t) as n_years, min(t) as first_year, max(t) as last_year, count(distinct k) as n_items
    from {{ source('raw', 'baci_flows') }}
    union all
    select 'baci_countries', count(*), count(distinct iso_3digit_alpha), 0, null, null, null
    from {{ source('raw', 'baci_countries') }}
    union all
    select 'baci_products', count(*), 0, 0, null, null, count(distinct code)
    from {{ source('raw', 'baci_products') }}
    union all
    select 'metal_content', count(*), 0, 0, null, null, count(distinct hs6)
    from {{ source('raw', 'metal_content') }}
    union all
    select 'wdi_values', count(*), count(distinct country_code), count(distinct year), min(year), max(year),
        count(distinct coalesce(indicator_code, indicator_name))
    from {{ source('raw', 'wdi_values') }}
    union all
    select 'wdi_indicators', count(*), 0, 0, null, null, count(distinct indicator_code)
    from {{ source('raw', 'wdi_indicators') }}
    union all
    select 'sdg_series', count(*), 0, 0, null, null, count(distinct series_code)
    from {{ source('raw', 'sdg_series') }}
    union all
    select 'owid_co2', count(*), count(distinct iso_code), count(distinct year), min(year), max(year), null
    from {{ source('raw', 'owid_co2') }}
    union all
    select 'wgi', count(*), count(distinct code), count(distinct year), min(year), max(year),
        count(distinct indicator)
    from {{ source('raw', 'wgi') }}
    union all
    select 'irp_extraction', count(*), count(distinct alphanumiso), count(distinct year), min(year), max(year),
        count(distinct ccc_code)
    from {{ source('raw', 'irp_extraction') }}
    union all
    select 'irp_ccc', count(*), 0, 0, null, null, count(distinct ccc_code)
    from {{ source('raw', 'irp_ccc') }}
    union all
    select 'bgs_production', count(*), count(distinct country_iso3_code), count(distinct year), min(year),
        max(year), count(distinct commodity_file)
    from {{ source('raw', 'bgs_production') }}
    union all
    select 'oecd_iot_values', count(*), count(distinct country_iso3), count(distinct year), min(year), max(year),
        count(distinct row_code)
    from {{ source('raw', 'oecd_iot_values') }}
    union all
    select 'hs_raw_materials', count(*), 0, 0, null, null, count(distinct hs_code)
    from {{ source('raw', 'hs_raw_materials') }}
    union all
    select 'device_bom_grams', count(*), 0, 0, null, null, count(distinct product)
    from {{ source('raw', 'device_bom_grams') }}
    union all
    select 'ewaste_cn_keys', count(*), 0, count(distinct year), min(year), max(year), count(distinct cn8)
    from {{ source('raw', 'ewaste_cn_keys') }}
    union all
    select 'io_values', count(*), 0, 0, null, null, count(distinct table_id)
    from {{ source('raw', 'io_values') }}
    union all
    select 'io_sectors', count(*), 0, 0, null, null, count(distinct code)
    from {{ source('raw', 'io_sectors') }}
    union all
    select 'wiod_niot_values', count(*), count(distinct country), count(distinct year), min(year), max(year),
        count(distinct row_code)
    from {{ source('raw', 'wiod_niot_values') }}
    union all
    select 'scenario_values', count(*), count(distinct region), count(distinct year), min(year), max(year),
        count(distinct scenario)
    from {{ source('raw', 'scenario_values') }}
    union all
    select 'mine_production', count(*), count(distinct coalesce(cast(country_code as varchar), country)),
        count(distinct year), min(year), max(year), count(distinct commodity)
    from {{ source('raw', 'mine_production') }}
    union all
    select 'comtrade_flows', count(*), count(distinct reporter_code), count(distinct ref_year), min(ref_year),
        max(ref_year), count(distinct cmd_code)
    from {{ source('raw', 'comtrade_flows') }}
),

year_gaps as (
    select
        raw_table,
        cast(sum(n_missing_years) as bigint) as n_missing_years,
        string_agg(
            case
                when first_missing_year = last_missing_year then cast(first_missing_year as varchar)
                else first_missing_year || '-' || last_missing_year
            end,
            ', ' order by first_missing_year
        ) as missing_years
    from {{ ref('rpt_input_year_gaps') }}
    group by raw_table
),

analyses_split as (
    select
        raw_table,
        unnest(string_split(analysis, ';')) as analysis_name
    from sources
),

per_analysis as (
    select
        trim(analyses_split.analysis_name) as analysis,
        sources.raw_table,
        sources.source_name,
        sources.role,
        sources.min_years_full,
        sources.min_countries_full
    from analyses_split
    inner join sources on analyses_split.raw_table = sources.raw_table
),

final as (
    select
        per_analysis.analysis,
        per_analysis.raw_table,
        per_analysis.source_name,
        per_analysis.role,
        coalesce(kinds.source_kind, 'none') as source_kind,
        coalesce(kinds.n_files, 0) as n_files,
        coverage.n_rows,
        coverage.n_countries,
        coverage.n_years,
        cast(coverage.first_year as integer) as first_year,
        cast(coverage.last_year as integer) as last_year,
        coverage.n_items,
        coalesce(year_gaps.n_missing_years, 0) as n_missing_years,
        year_gaps.missing_years,
        case
            when coverage.n_rows = 0 then 'missing'
            when kinds.source_kind like '%demo%' then 'demo'
            when coverage.n_years < per_analysis.min_years_full
                or coverage.n_countries < per_analysis.min_countries_full then 'partial'
            else 'real'
        end as status
    from per_analysis
    inner join coverage on per_analysis.raw_table = coverage.raw_table
    left join kinds on per_analysis.raw_table = kinds.raw_table
    left join year_gaps on per_analysis.raw_table = year_gaps.raw_table
)

select * from final
