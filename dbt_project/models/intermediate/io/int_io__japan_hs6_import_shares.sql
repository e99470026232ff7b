-- Japan's imports of each HS92 item (BACI, importer var io_importer_code, default 392) in the BACI year
-- nearest to the IO table year (var io_table_year, default 2015; ties go to the earlier year), and each
-- item's share of its import group. The flows are of one BACI release (a build never mixes releases). A
-- group none of whose items Japan imports in that year and release gets no shares (share_in_group null,
-- share_basis group_level_no_trade): its imports stay at group level in int_io__ai_hs_split. The one
-- exception needs no trade data: a group of a single item is that item (share 1, single_item_group).
with flows as (
    select year, hs6, value_kusd, source_file
    from {{ ref('stg_baci__flows') }}
    where importer_code = {{ var('io_importer_code') }}
),

releases as (
    select
        coalesce(
            string_agg(
                distinct 'V' || regexp_extract(source_file, '_V([0-9]{6}[a-z]?)', 1),
                ','
                order by 'V' || regexp_extract(source_file, '_V([0-9]{6}[a-z]?)', 1)
            ),
            'none loaded'
        ) as baci_release
    from {{ ref('stg_baci__flows') }}
),

years as (
    select distinct year from flows
),

chosen_year as (
    select year as baci_year
    from years
    order by abs(year - {{ var('io_table_year') }}), year
    limit 1
),

item_imports as (
    select f.hs6, sum(f.value_kusd) as import_value_kusd
    from flows as f
    inner join chosen_year as c on f.year = c.baci_year
    group by f.hs6
),

items as (
    select
        g.table_id,
        g.rule_set,
        g.import_group,
        g.hs6,
        g.description,
        g.basis,
        coalesce(i.import_value_kusd, 0) as import_value_kusd
    from {{ ref('int_io__hs6_import_groups') }} as g
    left join item_imports as i on g.hs6 = i.hs6
),

group_totals as (
    select
        table_id,
        rule_set,
        import_group,
        sum(import_value_kusd) as group_import_value_kusd,
        count(*) as n_items
    from items
    group by table_id, rule_set, import_group
),

shares as (
    select
        i.table_id,
        i.rule_set,
        i.import_group,
        i.hs6,
        i.description,
        i.basis,
        i.import_value_kusd,
        t.group_import_value_kusd,
        t.n_items as n_items_in_group,
        case
            when t.group_import_value_kusd > 0 then i.import_value_kusd / t.group_import_value_kusd
            when t.n_items = 1 then 1.0
        end as share_in_group,
        case
            when t.group_import_value_kusd > 0 then 'baci_import_value'
            when t.n_items = 1 then 'single_item_group'
            else 'group_level_no_trade'
        end as share_basis,
        (select baci_year from chosen_year) as baci_year,
        (select baci_release from releases) as baci_release,
        case
            when (select baci_year from chosen_year) is null then 'no BACI imports of Japan loaded'
            when (select baci_year from chosen_year) = {{ var('io_table_year') }} then 'table year'
            else 'BACI has no ' || {{ var('io_table_year') }} || ' imports of Japan; nearest year '
                || (select baci_year from chosen_year) || ' used'
        end as year_note
    from items as i
    inner join group_totals as t
        on i.table_id = t.table_id and i.rule_set = t.rule_set and i.import_group = t.import_group
)

select * from shares
