-- Every file behind the warehouse: which source, which release, its checksum and how many rows it gave.
with loaded as (
    select * from {{ ref('stg_provenance__loaded_files') }}
),

sources as (
    select * from {{ ref('input_sources') }}
),

final as (
    select
        md5(loaded.raw_table || '|' || loaded.source_file) as source_id,
        loaded.raw_table,
        coalesce(sources.source_name, loaded.raw_table) as source_name,
        sources.publisher,
        loaded.release,
        loaded.file_name,
        loaded.source_file,
        loaded.sha256,
        loaded.file_bytes,
        loaded.n_rows,
        loaded.source_kind,
        loaded.partition_key,
        loaded.loaded_at
    from loaded
    left join sources on loaded.raw_table = sources.raw_table
)

select * from final
