-- The regressors of the SDG panel: metal input by country, year, panel metal and source (mined; imported =
-- ores + materials + products) over the panel years, for every country of fct_country_year. Where the
-- source covers the year (mined: the metal's series has rows that year; imported: BACI has flows that year
-- and the metal has content shares) a country without a row gets 0 t; years a source does not cover get
-- no row.
{% set year_start = var('sdg_year_start') %}
{% set year_end = var('sdg_year_end') %}

with countries as (
    select distinct iso3 from {{ ref('fct_country_year') }}
    where year between {{ year_start }} and {{ year_end }}
),

panel_metals as (
    select symbol as metal_symbol, metal_group from {{ ref('dim_metal') }} where in_panel
),

dmi as (
    select * from {{ ref('fct_metal_dmi') }}
    where year between {{ year_start }} and {{ year_end }} and is_panel_metal
),

mined_covered as (
    select distinct metal_symbol, year, 'mined' as source_group
    from dmi
    where route_group = 'mined'
),

imported_covered as (
    select distinct contents.metal_symbol, flows.year, 'imported' as source_group
    from (select distinct year from {{ ref('stg_baci__flows') }}) as flows
    -- the metals the content table in use gives (a folder's metal_content file, else the cited seed)
    cross join (select distinct metal_symbol from {{ ref('int_metal_dmi_imported') }}) as contents
    where flows.year between {{ year_start }} and {{ year_end }}
),

covered as (
    select * from mined_covered
    union all
    select * from imported_covered
),

summed as (
    select
        iso3,
        year,
        metal_symbol,
        route_group as source_group,
        sum(dmi_t) as dmi_t
    from dmi
    group by iso3, year, metal_symbol, route_group
),

final as (
    select
        countries.iso3,
        cast(covered.year as smallint) as year,
        covered.metal_symbol,
        panel_metals.metal_group,
        covered.source_group,
        coalesce(summed.dmi_t, 0) as dmi_t,
        summed.dmi_t is null as is_zero_filled
    from covered
    inner join panel_metals on covered.metal_symbol = panel_metals.metal_symbol
    cross join countries
    left join summed
        on countries.iso3 = summed.iso3
        and covered.year = summed.year
        and covered.metal_symbol = summed.metal_symbol
        and covered.source_group = summed.source_group
)

select * from final
