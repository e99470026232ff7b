-- The programme's reported numbers (Table 1, Figure 1) beside this build's, with the inputs each rests on.
with reported as (
    select * from {{ ref('programme_reported_numbers') }}
),

table_1 as (
    select
        table_id,
        sector_key,
        hs6,
        rank,
        induced_import_yen_per_yen,
        year_note,
        share_basis
    from {{ ref('rpt_ai_sector_import_dependence') }}
),

sector_sizes as (
    select
        table_id,
        sector_key,
        count(*) as n_items
    from table_1
    group by all
),

figure_1 as (
    select * from {{ ref('rpt_sdg_deterioration_counts') }}
    where goal = 0
),

-- what each analysis rests on: every input with its status, partial ones with what they cover
inputs as (
    select
        analysis,
        string_agg(
            raw_table || ': ' || status
            || case
                when status = 'partial'
                    then ' (' || n_countries || ' countries, ' || first_year || '–' || last_year || ')'
                else ''
            end,
            '; ' order by status != 'real' desc, raw_table
        ) as inputs
    from {{ ref('rpt_input_coverage') }}
    group by analysis
),

table_1_compared as (
    select
        reported.number_id,
        sectors.table_id,
        reported.reported_value,
        table_1.induced_import_yen_per_yen as our_value,
        cast(table_1.rank as integer) as our_rank,
        case
            when sectors.table_id is null then 'no Table 1 in this build'
            when table_1.hs6 is null
                then 'not among the ' || sectors.n_items || ' items our split gives this sector'
            else 'rank ' || table_1.rank || ' of ' || sectors.n_items || '; ' || table_1.share_basis || '; '
                || table_1.year_note
        end as our_note
    from reported
    left join sector_sizes as sectors on reported.sector_key = sectors.sector_key
    left join table_1
        on
            sectors.table_id = table_1.table_id
            and reported.sector_key = table_1.sector_key
            and reported.hs6 = table_1.hs6
    where reported.reported_in = 'Table 1'
),

figure_1_compared as (
    select
        reported.number_id,
        cast(null as varchar) as table_id,
        reported.reported_value,
        case reported.compare_with
            when 'per_series_deteriorating_raw' then figure_1.per_series_deteriorating_raw
            when 'n_deteriorating_raw' then figure_1.n_deteriorating_raw
        end as our_value,
        cast(null as integer) as our_rank,
        case
            when figure_1.level is null then 'no such series in this build (no input for this route)'
            else figure_1.n_series || ' metal series, ' || figure_1.n_tests || ' tests (p < 0.05, raw)'
        end as our_note
    from reported
    left join figure_1
        on
            reported.level = figure_1.level
            and reported.group_name = figure_1.group_name
            and reported.source = figure_1.source
    where reported.reported_in like 'Figure 1%'
),

compared as (
    select * from table_1_compared
    union all
    select * from figure_1_compared
),

final as (
    select
        reported.number_id,
        reported.reported_in,
        compared.table_id,
        reported.sector_key,
        reported.programme_rank,
        reported.hs6,
        reported.level,
        reported.group_name,
        reported.source,
        reported.reported_value,
        compared.our_value,
        compared.our_rank,
        reported.unit,
        reported.compare_with,
        compared.our_note,
        coalesce(inputs.inputs, 'no coverage recorded') as inputs,
        reported.citation
    from reported
    inner join compared on reported.number_id = compared.number_id
    left join inputs on reported.analysis = inputs.analysis
)

select * from final
order by number_id, table_id
