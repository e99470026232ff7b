with source as (
    select * from {{ source('raw', 'ewaste_cn_keys') }}
),

renamed as (
    select
        cn8,
        substr(cn8, 1, 6) as hs6_of_cn_year,
        year as cn_year,
        unu_key
    from source
    where unu_key is not null
)

select * from renamed
