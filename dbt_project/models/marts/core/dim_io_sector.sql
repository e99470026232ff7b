-- Sectors of every loaded IO table; set_name says whether a code is a row (product), column (industry),
-- value-added row or final-demand column.
with sectors as (
    select * from {{ ref('stg_io__sectors') }}
),

final as (
    select
        table_id,
        set_name,
        sector_code,
        sector_name,
        sector_name_en
    from sectors
)

select * from final
