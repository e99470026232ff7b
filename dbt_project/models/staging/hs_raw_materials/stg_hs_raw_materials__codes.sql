-- One row per raw material and HS6 code: the main code and each ';'-separated additional code.
with source as (
    select * from {{ source('raw', 'hs_raw_materials') }}
),

codes as (
    select raw_material, supply_chain_stage, symbol, hs_code as hs6, false as is_additional_code, description
    from source
    where hs_code is not null
    union all
    select
        raw_material,
        supply_chain_stage,
        symbol,
        trim(unnest(string_split(hs_code_additional, ';'))) as hs6,
        true as is_additional_code,
        description
    from source
    where hs_code_additional is not null
),

renamed as (
    select distinct raw_material, supply_chain_stage, symbol, hs6, is_additional_code, description
    from codes
    where hs6 <> ''
)

select * from renamed
