-- BACI flows of the releases other than the build's, renamed like stg_baci__flows, with their release. Read
-- only for unit values (int_io__unit_value_flows); never joined to the flows of the build's release.
with source as (
    select * from {{ source('raw', 'baci_other_release_flows') }}
),

renamed as (
    select
        cast(t as smallint) as year,
        i as exporter_code,
        j as importer_code,
        k as hs6,
        v as value_kusd,
        q as quantity_t,
        'V' || regexp_extract(source_file, '_V([0-9]{6}[a-z]?)', 1) as baci_release,
        source_file
    from source
)

select * from renamed
