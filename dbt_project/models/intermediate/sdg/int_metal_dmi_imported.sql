-- Imported direct material input (tonnes of metal) by importing country, year, metal and route:
-- BACI quantities (tonnes; NA left out) times the metal content of each HS item (tonnes of metal per
-- tonne: the data folder's metal_content file, else the cited seed sdg_raw_material_metal_content). Route by the longest matching HS prefix of the seed sdg_import_routes (chapter 26 ores;
-- 28, 72-81 and heading 7110 materials); every other item is a product.
with flows as (
    select
        year,
        importer_code,
        hs6,
        quantity_t
    from {{ ref('stg_baci__flows') }}
    where quantity_t is not null
),

file_contents as (
    select
        hs6,
        metal_symbol,
        avg(metal_t_per_t) as metal_t_per_t,
        'BACI quantity x metal content (metal_content file)' as source_dataset
    from {{ ref('stg_metal_content__contents') }}
    group by hs6, metal_symbol
),

-- the cited raw-material contents of the seed serve a data folder without a metal_content file; a
-- folder's own file replaces the seed entirely, so one build never mixes two content tables
seed_contents as (
    select
        hs6,
        metal_symbol,
        metal_t_per_t,
        'BACI quantity x metal content (seed sdg_raw_material_metal_content)' as source_dataset
    from {{ ref('sdg_raw_material_metal_content') }}
    where not exists (select 1 from file_contents)
),

contents as (
    select * from file_contents
    union all
    select * from seed_contents
),

product_routes as (
    select
        items.hs6,
        coalesce(arg_max(routes.route, length(cast(routes.hs_prefix as varchar))), 'imported_products') as route
    from (select distinct hs6 from contents) as items
    left join {{ ref('sdg_import_routes') }} as routes
        on starts_with(items.hs6, cast(routes.hs_prefix as varchar))
    group by items.hs6
),

importers as (
    select
        baci_code,
        iso3
    from {{ ref('stg_baci__countries') }}
),

final as (
    select
        importers.iso3,
        flows.year,
        contents.metal_symbol,
        product_routes.route,
        sum(flows.quantity_t * contents.metal_t_per_t) as dmi_t,
        min(contents.source_dataset) as source_dataset
    from flows
    inner join contents on flows.hs6 = contents.hs6
    inner join product_routes on flows.hs6 = product_routes.hs6
    inner join importers on flows.importer_code = importers.baci_code
    where importers.iso3 is not null
    group by importers.iso3, flows.year, contents.metal_symbol, product_routes.route
)

select * from final
