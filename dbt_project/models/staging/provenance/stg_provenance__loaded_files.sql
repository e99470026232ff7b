-- One row per file loaded into a raw table, with the release parsed from official file names
-- (BACI and its code lists: _V<release>; World Bank bulk files: _v2_<number>; OWID: _<date>). A BACI year
-- whose file is gone leaves a row of kind 'removed' in the load log (for the incremental cleaning): no file.
with source as (
    select * from {{ source('raw', 'load_log') }}
    where source_kind <> 'removed'
),

renamed as (
    select
        table_name as raw_table,
        partition_key,
        source_file,
        regexp_extract(source_file, '[^/]+$') as file_name,
        sha256,
        bytes as file_bytes,
        rows as n_rows,
        source_kind,
        loaded_at,
        coalesce(
            nullif(regexp_extract(source_file, '_V([0-9]{6}[a-z]?)', 1), ''),
            nullif(regexp_extract(source_file, '_v2_([0-9]+)', 1), ''),
            nullif(regexp_extract(source_file, '([0-9]{4}-[0-9]{2}-[0-9]{2})', 1), ''),
            nullif(regexp_extract(source_file, '_([0-9]{8})\.', 1), '')
        ) as release
    from source
)

select * from renamed
