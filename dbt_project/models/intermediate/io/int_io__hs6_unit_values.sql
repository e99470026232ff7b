-- One unit value (thousand USD per tonne) per HS92 item, to turn Table 1's induced imports (yen) into tonnes
-- of goods. Bases in order (int_io__unit_value_flows): Japan's imports of the item (importer var
-- io_importer_code), the item's flows between all countries loaded, then the same two in another BACI
-- release of the folder where the build's release has no flow of the item; within a basis, the year
-- nearest var('io_table_year'), ties to the earlier year. Flows without a positive quantity are left out.
with candidates as (
    select
        hs6,
        year,
        unit_value_basis,
        basis_rank,
        any_value(baci_release) as baci_release,
        sum(value_kusd) as value_kusd,
        sum(quantity_t) as quantity_t,
        count(*) as n_flows
    from {{ ref('int_io__unit_value_flows') }}
    group by hs6, year, unit_value_basis, basis_rank
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
        baci_release as unit_value_release,
        cast(year as integer) as unit_value_year,
        cast(n_flows as integer) as n_flows,
        quantity_t as quantity_basis_t
    from ranked
    where preference = 1
)

select * from final
