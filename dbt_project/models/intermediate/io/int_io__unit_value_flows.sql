-- The flows a unit value may come from, with a quantity and a value: first the build's release
-- (stg_baci__flows), then, only where that release has none for an item, the other releases in the folder
-- (stg_baci__other_release_flows). basis_rank orders the four bases: Japan's imports (importer var
-- io_importer_code), all flows, each in the build's release and then in another release.
with build_release as (
    select
        year,
        importer_code,
        hs6,
        value_kusd,
        quantity_t,
        'V' || regexp_extract(source_file, '_V([0-9]{6}[a-z]?)', 1) as baci_release,
        false as is_other_release
    from {{ ref('stg_baci__flows') }}
    where quantity_t > 0 and value_kusd > 0
),

other_release as (
    select
        year,
        importer_code,
        hs6,
        value_kusd,
        quantity_t,
        baci_release,
        true as is_other_release
    from {{ ref('stg_baci__other_release_flows') }}
    where quantity_t > 0 and value_kusd > 0
),

flows as (
    select * from build_release
    union all
    select * from other_release
),

-- each flow under each basis it belongs to: Japan's imports also count among all flows
bases as (
    select
        flows.*,
        case when is_other_release then 'other_release_japan_imports' else 'japan_imports' end as unit_value_basis,
        case when is_other_release then 3 else 1 end as basis_rank
    from flows
    where importer_code = {{ var('io_importer_code') }}
    union all
    select
        flows.*,
        case when is_other_release then 'other_release_world_flows' else 'world_flows' end as unit_value_basis,
        case when is_other_release then 4 else 2 end as basis_rank
    from flows
)

select
    hs6,
    cast(year as integer) as year,
    unit_value_basis,
    basis_rank,
    baci_release,
    value_kusd,
    quantity_t
from bases
