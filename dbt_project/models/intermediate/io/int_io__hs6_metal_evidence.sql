-- Every piece of evidence on whether an HS6 item holds one of the 15 content metals, one row per source.
with content_metals as (
    select symbol from {{ ref('metals') }} where in_content_set
),

nomenclature as (
    select
        hs6,
        metal as metal_symbol,
        'contains' as flag_status,
        'hs_nomenclature' as flag_source,
        evidence,
        basis,
        cast(null as double) as metal_t_per_t
    from {{ ref('bdg_product_metal') }}
),

content_file as (
    select
        hs6,
        metal_symbol,
        'contains' as flag_status,
        'metal_content_file' as flag_source,
        'content_share' as evidence,
        string_agg(basis, '; ' order by basis) as basis,
        max(metal_t_per_t) as metal_t_per_t
    from {{ ref('stg_metal_content__contents') }}
    where metal_t_per_t > 0
    group by hs6, metal_symbol
),

raw_material_list as (
    select
        codes.hs6,
        metals.metal as metal_symbol,
        'contains' as flag_status,
        'raw_material_list' as flag_source,
        min(metals.evidence) as evidence,
        string_agg(
            distinct metals.basis || ' - ' || codes.raw_material || ' ' || codes.hs6,
            '; '
            order by metals.basis || ' - ' || codes.raw_material || ' ' || codes.hs6
        ) as basis,
        cast(null as double) as metal_t_per_t
    from {{ ref('stg_hs_raw_materials__codes') }} as codes
    inner join {{ ref('bdg_raw_material_metals') }} as metals on codes.symbol = metals.symbol
    group by codes.hs6, metals.metal
),

device_models as (
    -- grams of each material class per device model (summed over its components)
    select device, model, model_year, material, sum(material_g) as material_g
    from {{ ref('stg_product_composition__device_boms') }}
    group by all
),

device_metals as (
    select
        devices.device,
        devices.unu_key,
        materials.metal as metal_symbol,
        materials.evidence,
        materials.basis,
        count(distinct device_models.model || '|' || coalesce(device_models.model_year, ''))
            filter (where device_models.material_g > 0) as n_models_with_material
    from device_models
    inner join {{ ref('bdg_device_ewaste_keys') }} as devices on device_models.device = devices.device
    inner join {{ ref('bdg_bom_material_metals') }} as materials
        on device_models.material = materials.material and materials.share_high > 0
    group by all
    having n_models_with_material > 0
),

hs6_keys as (
    select distinct hs92 as hs6, unu_key
    from {{ ref('stg_product_composition__ewaste_cn_keys') }}
),

device_bom as (
    select
        hs6_keys.hs6,
        device_metals.metal_symbol,
        'contains' as flag_status,
        'device_bom' as flag_source,
        string_agg(distinct device_metals.evidence, ',' order by device_metals.evidence) as evidence,
        string_agg(
            distinct device_metals.basis || ' - ' || device_metals.device || ' (UNU key ' || device_metals.unu_key
            || ', ' || device_metals.n_models_with_material || ' models with it)',
            '; '
            order by
                device_metals.basis || ' - ' || device_metals.device || ' (UNU key ' || device_metals.unu_key
                || ', ' || device_metals.n_models_with_material || ' models with it)'
        ) as basis,
        cast(null as double) as metal_t_per_t
    from hs6_keys
    inner join device_metals on hs6_keys.unu_key = device_metals.unu_key
    group by hs6_keys.hs6, device_metals.metal_symbol
),

absent_rules as (
    select
        products.hs6,
        rules.basis,
        row_number() over (partition by products.hs6 order by length(rules.hs_prefix) desc) as rule_rank
    from {{ ref('stg_baci__products') }} as products
    inner join {{ ref('bdg_product_metal_absent') }} as rules on starts_with(products.hs6, rules.hs_prefix)
),

absent as (
    select
        absent_rules.hs6,
        content_metals.symbol as metal_symbol,
        'does_not_contain' as flag_status,
        'hs_nomenclature_absent' as flag_source,
        'nomenclature_rule' as evidence,
        absent_rules.basis,
        cast(null as double) as metal_t_per_t
    from absent_rules
    cross join content_metals
    where absent_rules.rule_rank = 1
),

all_evidence as (
    select * from nomenclature
    union all
    select * from content_file
    union all
    select * from raw_material_list
    union all
    select * from device_bom
    union all
    select * from absent
)

select all_evidence.*
from all_evidence
inner join content_metals on all_evidence.metal_symbol = content_metals.symbol
