-- Final demand for each AI sector per year, var('io_table_year') to var('scenario_end_year'), under three
-- kinds of pathway, each an index on the IO table's own final demand for the sector (domestic final use and
-- exports: the table's final-demand columns less the import columns, whose codes start 'im'):
--   gdp_share:<pathway>  a constant share of the importer's GDP in each Figure 2 pathway
--                        (fct_scenario_country_pathways, GDP relative to var('scenario_base_year'))
--   growth_multiplier    (1 + var('ai_demand_growth_rate')) ^ (year - io_table_year)
--   iamc:<model>|<scenario>  a user's IAMC rows with variable 'AI Demand|<sector_key>' (any unit, any region:
--                        the importer's rows, else World), relative to the table year
-- The sector's main product: the largest part of its product mix (its own row in a square table; in MIC's
-- rectangular basic table the industry's principal product, e.g. 342101 -> 3421011).
with sectors as (
    select
        induced.table_id,
        induced.sector_key,
        arg_max(induced.product_code, induced.final_demand_share) as product_code
    from {{ source('analysis_marts', 'fct_io_ai_induced_imports') }} as induced
    where induced.final_demand_share > 0
    group by induced.table_id, induced.sector_key
),

fd_codes as (
    select table_id, sector_code
    from {{ ref('stg_io__sectors') }}
    where set_name = 'fd' and not starts_with(sector_code, 'im')
),

base_demand as (
    select
        sectors.table_id,
        sectors.sector_key,
        -- the table is in billion yen (value_byen)
        sum(cells.value_byen) * 1e3 as base_final_demand_myen
    from sectors
    inner join {{ ref('stg_io__cells') }} as cells
        on sectors.table_id = cells.table_id and sectors.product_code = cells.row_code
    inner join fd_codes on cells.table_id = fd_codes.table_id and cells.col_code = fd_codes.sector_code
    group by sectors.table_id, sectors.sector_key
),

importer as (
    select any_value(iso3) as iso3
    from {{ ref('stg_baci__countries') }}
    where baci_code = {{ var('io_importer_code') }}
),

years as (
    select cast(year as integer) as year
    from range({{ var('io_table_year') }}, {{ var('scenario_end_year') }} + 1) as years (year)
),

growth_multiplier as (
    select
        'growth_multiplier' as pathway,
        'growth_multiplier' as pathway_kind,
        cast(null as varchar) as source_pathway,
        base_demand.sector_key,
        years.year,
        power(1 + {{ var('ai_demand_growth_rate') }}, years.year - {{ var('io_table_year') }}) as demand_index
    from (select distinct sector_key from base_demand) as base_demand
    cross join years
),

gdp as (
    select
        country.pathway,
        cast(country.year as integer) as year,
        country.gdp_intl_usd2011
    from {{ ref('fct_scenario_country_pathways') }} as country
    inner join importer on country.iso3 = importer.iso3
),

gdp_share as (
    select
        'gdp_share:' || gdp.pathway as pathway,
        'gdp_share' as pathway_kind,
        gdp.pathway as source_pathway,
        sectors.sector_key,
        gdp.year,
        gdp.gdp_intl_usd2011 / base.gdp_intl_usd2011 as demand_index
    from gdp
    inner join gdp as base on gdp.pathway = base.pathway and base.year = {{ var('scenario_base_year') }}
    cross join (select distinct sector_key from base_demand) as sectors
    where gdp.year between {{ var('io_table_year') }} and {{ var('scenario_end_year') }} and base.gdp_intl_usd2011 > 0
),

user_rows as (
    select
        values_.model,
        values_.scenario,
        lower(trim(substr(values_.variable, length('AI Demand|') + 1))) as sector_key,
        cast(values_.year as integer) as year,
        values_.value,
        row_number() over (
            partition by values_.model, values_.scenario, values_.variable, values_.year
            order by case when values_.region = importer.iso3 then 1 when lower(values_.region) = 'world' then 2 end
        ) as region_preference
    from {{ ref('stg_scenarios__pathway_values') }} as values_
    cross join importer
    where
        values_.variable like 'AI Demand|%'
        and (values_.region = importer.iso3 or lower(values_.region) = 'world')
        and values_.value is not null
),

user_iamc as (
    select
        'iamc:' || user_rows.model || '|' || user_rows.scenario as pathway,
        'iamc' as pathway_kind,
        user_rows.scenario as source_pathway,
        user_rows.sector_key,
        user_rows.year,
        user_rows.value / base.value as demand_index
    from user_rows
    inner join user_rows as base
        on
            user_rows.model = base.model
            and user_rows.scenario = base.scenario
            and user_rows.sector_key = base.sector_key
            and base.year = {{ var('io_table_year') }}
            and base.region_preference = 1
    where
        user_rows.region_preference = 1
        and base.value > 0
        and user_rows.year between {{ var('io_table_year') }} and {{ var('scenario_end_year') }}
),

pathways as (
    select * from growth_multiplier
    union all
    select * from gdp_share
    union all
    select * from user_iamc
),

final as (
    select
        base_demand.table_id,
        pathways.pathway,
        pathways.pathway_kind,
        pathways.source_pathway,
        pathways.sector_key,
        pathways.year,
        pathways.demand_index,
        base_demand.base_final_demand_myen,
        base_demand.base_final_demand_myen * pathways.demand_index as final_demand_myen
    from pathways
    inner join base_demand on pathways.sector_key = base_demand.sector_key
)

select * from final
