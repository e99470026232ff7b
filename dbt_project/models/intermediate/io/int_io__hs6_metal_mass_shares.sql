-- Tonnes of each metal per tonne of an HS92 item, central value with a low/high band, from three sources:
-- the metal content table (one share per item and metal: low = central = high); the HS legal notes for
-- items that are a metal as such (seed bdg_hs_metal_purity: low = the least content allowed, central =
-- high = pure metal); the device bills of materials reached through the e-waste keys (the item's devices'
-- models: each model's grams of every material class x the class's metal content, seed
-- bdg_bom_material_metals, over the model's grams; a plain metal class is the metal, steel counted as iron
-- (carbon steel is ~98 % Fe; stainless less: the band does not cover that), circuit boards and Li-ion
-- batteries hold the cited component compositions with their low / central / high; over the models,
-- low = min of the models' lows, central = mean, high = max of the highs).
-- Where several sources cover an item and metal, the content table wins (it is written per code), then
-- the legal note, then the bills of materials.
with content_file as (
    select
        hs6,
        metal_symbol,
        max(metal_t_per_t) as share_low,
        max(metal_t_per_t) as share_central,
        max(metal_t_per_t) as share_high,
        'metal_content_file' as share_source,
        string_agg(basis, '; ' order by basis) as basis,
        cast(1 as integer) as n_models,
        1 as source_rank
    from {{ ref('stg_metal_content__contents') }}
    where metal_t_per_t > 0
    group by hs6, metal_symbol
),

-- items that are the metal itself: the least content the HS legal note allows, up to pure metal (central)
hs_legal_note as (
    select
        hs6,
        metal as metal_symbol,
        share_low,
        share_high as share_central,
        share_high,
        'hs_legal_note' as share_source,
        basis,
        cast(1 as integer) as n_models,
        2 as source_rank
    from {{ ref('bdg_hs_metal_purity') }}
),

model_materials as (
    select
        device,
        model,
        coalesce(model_year, '') as model_year,
        material,
        sum(material_g) as material_g
    from {{ ref('stg_product_composition__device_boms') }}
    group by all
),

model_mass as (
    select
        device,
        model,
        model_year,
        sum(material_g) as total_g
    from model_materials
    group by all
    having sum(material_g) > 0
),

-- every model x every metal the seed's classes carry: a model without a class holds 0 g of it
model_metal_shares as (
    select
        model_mass.device,
        model_mass.model,
        model_mass.model_year,
        materials.metal as metal_symbol,
        sum(coalesce(model_materials.material_g, 0) * materials.share_low) / any_value(model_mass.total_g)
            as share_low,
        sum(coalesce(model_materials.material_g, 0) * materials.share_central) / any_value(model_mass.total_g)
            as share_central,
        sum(coalesce(model_materials.material_g, 0) * materials.share_high) / any_value(model_mass.total_g)
            as share_high,
        string_agg(distinct materials.material, ', ' order by materials.material)
            filter (where model_materials.material_g > 0) as classes_used
    from model_mass
    cross join {{ ref('bdg_bom_material_metals') }} as materials
    left join model_materials
        on
            model_mass.device = model_materials.device
            and model_mass.model = model_materials.model
            and model_mass.model_year = model_materials.model_year
            and materials.material = model_materials.material
    group by model_mass.device, model_mass.model, model_mass.model_year, materials.metal
),

hs6_devices as (
    select distinct
        keys.hs92 as hs6,
        devices.device
    from {{ ref('stg_product_composition__ewaste_cn_keys') }} as keys
    inner join {{ ref('bdg_device_ewaste_keys') }} as devices on keys.unu_key = devices.unu_key
),

device_bom as (
    select
        hs6_devices.hs6,
        model_metal_shares.metal_symbol,
        min(model_metal_shares.share_low) as share_low,
        avg(model_metal_shares.share_central) as share_central,
        max(model_metal_shares.share_high) as share_high,
        'device_bom' as share_source,
        'Babbitt et al. 2020 bills of materials: '
        || string_agg(distinct hs6_devices.device, ', ' order by hs6_devices.device)
        || ' (min / mean / max mass share over models; classes: '
        || coalesce(string_agg(distinct model_metal_shares.classes_used, ', ' order by model_metal_shares.classes_used), 'none in these models')
        || '; contents: seed bdg_bom_material_metals)' as basis,
        cast(count(*) as integer) as n_models,
        3 as source_rank
    from hs6_devices
    inner join model_metal_shares on hs6_devices.device = model_metal_shares.device
    group by hs6_devices.hs6, model_metal_shares.metal_symbol
    -- no model of the item's devices holds a class carrying the metal: no evidence, not a zero share
    having max(model_metal_shares.share_high) > 0
),

unioned as (
    select * from content_file
    union all
    select * from hs_legal_note
    union all
    select * from device_bom
),

ranked as (
    select
        *,
        row_number() over (partition by hs6, metal_symbol order by source_rank) as preference
    from unioned
)

select
    hs6,
    metal_symbol,
    share_low,
    share_central,
    share_high,
    share_source,
    basis,
    n_models
from ranked
where preference = 1
