-- Direct material input of metals by country, year, metal and route, in tonnes of metal. Routes: mined
-- (IRP ore x grade or BGS metal content), imported_ores / imported_materials / imported_products (BACI x
-- metal content). The secondary (urban-mine) route of the programme has no input data: no rows
-- (see the seed sdg_dmi_routes, has_source = false).
with mined as (
    select * from {{ ref('int_metal_dmi_mined') }}
),

imported as (
    select * from {{ ref('int_metal_dmi_imported') }}
),

unioned as (
    select iso3, year, metal_symbol, route, dmi_t, source_dataset from mined
    union all
    select iso3, year, metal_symbol, route, dmi_t, source_dataset from imported
),

final as (
    select
        unioned.iso3,
        cast(unioned.year as smallint) as year,
        unioned.metal_symbol,
        metals.metal_group,
        coalesce(metals.in_panel, false) as is_panel_metal,
        unioned.route,
        routes.route_group,
        unioned.dmi_t,
        unioned.source_dataset
    from unioned
    inner join {{ ref('sdg_dmi_routes') }} as routes on unioned.route = routes.route
    left join {{ ref('dim_metal') }} as metals on unioned.metal_symbol = metals.symbol
)

select * from final
