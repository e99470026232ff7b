-- One row per raw material and HS6 code: the main code and each ';'-separated additional code, with the
-- list's written reference for the raw material. Entries written 'Not Available' carry no code and are
-- left out.
with source as (
    select * from {{ source('raw', 'hs_raw_materials') }}
),

refs as (
    select
        raw_material,
        any_value(reference) as reference,
        any_value(comment) as comment
    from {{ source('raw', 'hs_raw_material_refs') }}
    group by raw_material
),

codes as (
    select
        raw_material,
        supply_chain_stage,
        symbol,
        description,
        trim(hs_code) as hs_code,
        true as is_main_code
    from source
    where hs_code is not null
    union all
    select
        raw_material,
        supply_chain_stage,
        symbol,
        description,
        trim(unnest(string_split(hs_code_additional, ';'))) as hs_code,
        false as is_main_code
    from source
    where hs_code_additional is not null
),

renamed as (
    select distinct
        codes.raw_material,
        codes.supply_chain_stage,
        codes.symbol,
        lpad(codes.hs_code, 6, '0') as hs6,
        codes.is_main_code,
        codes.description,
        refs.reference,
        refs.comment as reference_comment
    from codes
    left join refs on codes.raw_material = refs.raw_material
    where regexp_full_match(codes.hs_code, '[0-9]{5,6}')
)

select * from renamed
