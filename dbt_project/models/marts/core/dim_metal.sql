with metals as (
    select * from {{ ref('metals') }}
),

final as (
    select
        symbol,
        metal_name,
        metal_group,
        in_panel,
        in_content_set,
        atomic_number
    from metals
)

select * from final
