-- The years present in each yearly input, for the coverage marts to find the years missing inside its span.
-- Left out, because a year missing there is no gap: scenario pathways (5- or 10-year steps by design), the
-- OECD tables (only the years a build asks for) and the CN to e-waste keys (years of code revisions).
with baci as (
    select distinct 'baci_flows' as raw_table, cast(t as integer) as year
    from {{ source('raw', 'baci_flows') }}
),

comtrade as (
    select distinct 'comtrade_flows' as raw_table, cast(ref_year as integer) as year
    from {{ source('raw', 'comtrade_flows') }}
),

wdi as (
    select distinct 'wdi_values' as raw_table, cast(year as integer) as year
    from {{ source('raw', 'wdi_values') }}
),

owid as (
    select distinct 'owid_co2' as raw_table, cast(year as integer) as year
    from {{ source('raw', 'owid_co2') }}
),

wgi as (
    select distinct 'wgi' as raw_table, cast(year as integer) as year
    from {{ source('raw', 'wgi') }}
),

irp as (
    select distinct 'irp_extraction' as raw_table, cast(year as integer) as year
    from {{ source('raw', 'irp_extraction') }}
),

bgs as (
    select distinct 'bgs_production' as raw_table, cast(year as integer) as year
    from {{ source('raw', 'bgs_production') }}
),

mine as (
    select distinct 'mine_production' as raw_table, cast(year as integer) as year
    from {{ source('raw', 'mine_production') }}
),

wiod as (
    select distinct 'wiod_niot_values' as raw_table, cast(year as integer) as year
    from {{ source('raw', 'wiod_niot_values') }}
),

source_years as (
    select * from baci
    union all
    select * from comtrade
    union all
    select * from wdi
    union all
    select * from owid
    union all
    select * from wgi
    union all
    select * from irp
    union all
    select * from bgs
    union all
    select * from mine
    union all
    select * from wiod
)

select * from source_years
where year is not null
