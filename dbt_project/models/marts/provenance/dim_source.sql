-- Every file behind the warehouse: which source, which release, its checksum and how many rows it gave;
-- and every input-looking file of the data folder the build did not load, with the reason.
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
        loaded.loaded_at,
        true as is_loaded,
        cast(null as varchar) as not_loaded_reason
    from loaded
    left join sources on loaded.raw_table = sources.raw_table
),

not_loaded as (
    select
        md5('(not loaded)|' || unused.source_file) as source_id,
        cast(null as varchar) as raw_table,
        '(not loaded)' as source_name,
        cast(null as varchar) as publisher,
        unused.release,
        unused.file_name,
        unused.source_file,
        cast(null as varchar) as sha256,
        cast(null as bigint) as file_bytes,
        cast(0 as bigint) as n_rows,
        cast(null as varchar) as source_kind,
        cast(null as varchar) as partition_key,
        unused.noted_at as loaded_at,
        false as is_loaded,
        unused.not_loaded_reason
    from {{ ref('stg_provenance__unused_files') }} as unused
),

all_files as (
    select * from final
    union all
    select * from not_loaded
)

select * from all_files
