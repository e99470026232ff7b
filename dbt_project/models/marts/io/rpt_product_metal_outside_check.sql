-- An outside check of the HS -> metal flags (seed bdg_product_metal, from the HS nomenclature text) against
-- the raw-material HS list in hs_raw_materials/ (EU SCRREEN factsheets, USGS), on the HS codes that list
-- names: each (code, content metal) that either source flags, whether both agree, and both reasons.
with outside_codes as (
    select * from {{ ref('stg_hs_raw_materials__codes') }}
),

outside_flags as (
    select
        outside_codes.hs6,
        metals.metal as metal_symbol,
        string_agg(distinct outside_codes.raw_material, '; ' order by outside_codes.raw_material) as raw_material,
        bool_or(outside_codes.is_main_code) as is_main_code,
        any_value(metals.basis) as mapping_reason,
        any_value(outside_codes.reference) as outside_reference,
        any_value(outside_codes.reference_comment) as outside_comment
    from outside_codes
    inner join {{ ref('bdg_raw_material_metals') }} as metals
        on outside_codes.raw_material = metals.raw_material
    group by outside_codes.hs6, metals.metal
),

-- what the outside list says about a code whatever its metal, for the reason beside a bdg-only flag
outside_listed as (
    select
        hs6,
        string_agg(distinct raw_material, '; ' order by raw_material) as raw_materials_listed,
        any_value(reference) as outside_reference,
        any_value(reference_comment) as outside_comment
    from outside_codes
    group by hs6
),

bdg_flags as (
    select
        flags.hs6,
        flags.metal as metal_symbol,
        flags.evidence as bdg_evidence,
        flags.basis as bdg_basis
    from {{ ref('bdg_product_metal') }} as flags
    where flags.hs6 in (select outside_listed.hs6 from outside_listed)
),

joined as (
    select
        coalesce(outside_flags.hs6, bdg_flags.hs6) as hs6,
        coalesce(outside_flags.metal_symbol, bdg_flags.metal_symbol) as metal_symbol,
        outside_flags.hs6 is not null as in_outside_list,
        bdg_flags.hs6 is not null as in_bdg_product_metal,
        bdg_flags.bdg_evidence,
        bdg_flags.bdg_basis,
        outside_flags.raw_material as outside_raw_material,
        outside_flags.mapping_reason
    from outside_flags
    full outer join bdg_flags
        on outside_flags.hs6 = bdg_flags.hs6 and outside_flags.metal_symbol = bdg_flags.metal_symbol
),

final as (
    select
        joined.hs6,
        joined.metal_symbol,
        case
            when joined.in_outside_list and joined.in_bdg_product_metal then 'agree'
            when joined.in_bdg_product_metal then 'bdg_only'
            else 'outside_only'
        end as agreement,
        joined.in_bdg_product_metal,
        joined.in_outside_list,
        outside_listed.raw_materials_listed as outside_raw_materials,
        case
            when joined.in_bdg_product_metal
                then joined.bdg_evidence || ': ' || joined.bdg_basis
            else 'bdg_product_metal flags no ' || joined.metal_symbol || ' on ' || joined.hs6
                || ' (its HS text does not name the metal)'
        end as bdg_reason,
        case
            when joined.in_outside_list
                then 'listed as ' || joined.outside_raw_material || ' (' || joined.mapping_reason || ')'
            else 'the outside list names ' || outside_listed.raw_materials_listed || ' for ' || joined.hs6
                || ', not ' || joined.metal_symbol
        end as outside_reason,
        outside_listed.outside_reference,
        outside_listed.outside_comment
    from joined
    left join outside_listed on joined.hs6 = outside_listed.hs6
)

select * from final
