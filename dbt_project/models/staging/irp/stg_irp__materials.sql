with source as (
    select * from {{ source('raw', 'irp_ccc') }}
),

renamed as (
    select
        trim(ccc_code) as ccc_code,
        trim(ccc_name) as ccc_name,
        trim(mfa13) as mfa13_category,
        trim(mfa4) as mfa4_category,
        source_file
    from source
    qualify row_number() over (partition by trim(ccc_code) order by source_file) = 1
)

select * from renamed
