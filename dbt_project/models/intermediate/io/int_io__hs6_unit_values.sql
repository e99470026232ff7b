-- One unit value (thousand USD per tonne) per HS92 item, to turn Table 1's induced imports (yen) into tonnes
-- of goods. Japan's imports of the item (importer var io_importer_code) are preferred; else the item's
-- flows between all countries loaded (any release); in each, the year nearest var('io_table_year'),
-- ties to the earlier year. Flows without a positive quantity are left out of both sums.
with flows as (
    select
        year,
        importer_code,
        hs6,
        value_kusd,
        quantity_t
    from {{ ref('stg_baci__flows') }}
    where quantity_t > 0 and value_kusd > 0
),

japan as (
    select
        hs6,
        year,
        'japan_imports' as unit_value_basis,
        1 as basis_rank,
        sum(value_kusd) as value_kusd,
        sum(quantity_t) as quantity_t,
        count(*) as n_flows
    from flows
    where importer_code = {{ var('io_importer_code') }}
    group by hs6, year
),

world as (
    select
        hs6,
        year,
        'world_flows' as unit_value_basis,
        2 as basis_rank,
        sum(value_kusd) as value_kusd,
        sum(quantity_t) as quantity_t,
        count(*) as n_flows
    from flows
    group by hs6, year
),

candidates as (
    select * from japan
    union all
    select * from world
),

ranked as (
    select
        *,
        row_number() over (
            partition by hs6
            order by basis_rank, abs(year - {{ var('io_table_year') }}), year
        ) as preference
    from candidates
),

final as (
    select
        hs6,
        value_kusd / quantity_t as unit_value_kusd_per_t,
        unit_value_basis,
        cast(year as integer) as unit_value_year,
        cast(n_flows as integer) as n_flows,
        quantity_t as quantity_basis_t
    from ranked
    where preference = 1
)

select * from final
