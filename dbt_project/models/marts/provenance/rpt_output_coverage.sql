-- What each output of the warehouse rests on, and so what it is: real (every input real), partial (an input
-- covers fewer years, countries or items than the analysis needs, or is missing), demo (an input comes from
-- the demo world) or empty (the output has no rows), with why. Inputs per output are listed here; their
-- statuses come from rpt_input_coverage (the raw tables themselves). Figure 2 has one row per key commodity,
-- from fct_trade_model_status.
with input_status as (
    select
        raw_table,
        any_value(status) as status,
        any_value(n_years) as n_years,
        any_value(n_countries) as n_countries,
        any_value(n_items) as n_items
    from {{ ref('rpt_input_coverage') }}
    group by raw_table
),

output_inputs as (
    select * from (
        values
        ('table1', 'rpt_ai_sector_import_dependence', 'io_values'),
        ('table1', 'rpt_ai_sector_import_dependence', 'baci_flows'),
        ('table1', 'rpt_ai_sector_import_dependence', 'baci_products'),
        ('figure1', 'rpt_sdg_deterioration_counts', 'wdi_values'),
        ('figure1', 'rpt_sdg_deterioration_counts', 'irp_extraction'),
        ('figure1', 'rpt_sdg_deterioration_counts', 'bgs_production'),
        ('figure1', 'rpt_sdg_deterioration_counts', 'mine_production'),
        ('figure1', 'rpt_sdg_deterioration_counts', 'baci_flows'),
        ('figure1', 'rpt_sdg_deterioration_counts', 'owid_co2'),
        ('figure1', 'rpt_sdg_deterioration_counts', 'wgi'),
        ('trade_cleaning', 'fct_trade_flows', 'baci_flows'),
        ('comtrade_mirror', 'rpt_trade_comtrade_mirror', 'comtrade_flows'),
        ('comtrade_mirror', 'rpt_trade_comtrade_mirror', 'baci_flows'),
        ('metal_flag_check', 'rpt_product_metal_outside_check', 'hs_raw_materials'),
        ('mined_source_agreement', 'rpt_metal_dmi_mined_source_agreement', 'irp_extraction'),
        ('mined_source_agreement', 'rpt_metal_dmi_mined_source_agreement', 'bgs_production'),
        ('mined_source_agreement', 'rpt_metal_dmi_mined_source_agreement', 'mine_production'),
        ('figure2', 'fct_trade_model_fit', 'baci_flows'),
        ('figure2', 'fct_trade_model_fit', 'owid_co2'),
        ('figure2', 'fct_trade_model_fit', 'scenario_values')
    ) as listed (output_name, mart, raw_table)
),

mart_rows as (
    select 'rpt_ai_sector_import_dependence' as mart, count(*) as n_rows
    from {{ ref('rpt_ai_sector_import_dependence') }}
    union all
    select 'rpt_sdg_deterioration_counts', count(*) from {{ ref('rpt_sdg_deterioration_counts') }}
    union all
    select 'fct_trade_flows', count(*) from {{ ref('fct_trade_flows') }}
    union all
    select 'rpt_trade_comtrade_mirror', count(*) from {{ ref('rpt_trade_comtrade_mirror') }}
    union all
    select 'rpt_product_metal_outside_check', count(*) from {{ ref('rpt_product_metal_outside_check') }}
    union all
    select 'rpt_metal_dmi_mined_source_agreement', count(*) from {{ ref('rpt_metal_dmi_mined_source_agreement') }}
    union all
    select 'fct_trade_model_fit', count(*) from {{ source('analysis_marts', 'fct_trade_model_fit') }}
),

judged as (
    select
        output_inputs.output_name,
        output_inputs.mart,
        any_value(mart_rows.n_rows) as n_rows,
        bool_or(input_status.status = 'demo') as any_demo,
        bool_or(coalesce(input_status.status, 'missing') in ('partial', 'missing')) as any_short,
        string_agg(
            output_inputs.raw_table || ' ' || coalesce(input_status.status, 'missing')
            || coalesce(' (' || input_status.n_years || ' years, ' || input_status.n_countries || ' countries'
                || coalesce(', ' || input_status.n_items || ' items', '') || ')', ''),
            '; ' order by output_inputs.raw_table
        ) filter (where coalesce(input_status.status, 'missing') != 'real') as not_real_inputs
    from output_inputs
    left join input_status on output_inputs.raw_table = input_status.raw_table
    left join mart_rows on output_inputs.mart = mart_rows.mart
    group by output_inputs.output_name, output_inputs.mart
),

-- Table 1 splits imports over HS items by BACI's flows: a release holding only some items (the real
-- raw-material release: 74 of 5,022) leaves most product groups without a split
item_gap as (
    select
        max(n_items) filter (where raw_table = 'baci_flows') as n_flow_items,
        max(n_items) filter (where raw_table = 'baci_products') as n_listed_items
    from input_status
),

outputs as (
    select
        judged.output_name,
        judged.mart,
        judged.n_rows,
        case
            when judged.n_rows = 0 then 'empty'
            when judged.any_demo then 'demo'
            when judged.any_short then 'partial'
            when judged.output_name = 'table1' and item_gap.n_flow_items < item_gap.n_listed_items then 'partial'
            else 'real'
        end as status,
        case
            when judged.n_rows = 0 then 'no rows; inputs not real: ' || coalesce(judged.not_real_inputs, 'none')
            when judged.not_real_inputs is not null then 'inputs not real: ' || judged.not_real_inputs
            when judged.output_name = 'table1' and item_gap.n_flow_items < item_gap.n_listed_items
                then 'BACI flows hold ' || item_gap.n_flow_items || ' of the ' || item_gap.n_listed_items
                || ' HS items: groups without a Japanese import stay at group level (split_level, split_note)'
            else 'every input real'
        end as reason
    from judged
    cross join item_gap
    where judged.output_name != 'figure2'
),

figure2 as (
    select
        'figure2:' || models.hs6 as output_name,
        'fct_trade_model_status' as mart,
        cast(case when models.status = 'fitted' then 1 else 0 end as bigint) as n_rows,
        case
            when models.status != 'fitted' then 'empty'
            when inputs.any_demo then 'demo'
            when inputs.any_short then 'partial'
            else 'real'
        end as status,
        models.reason
        || coalesce('; inputs not real: ' || inputs.not_real_inputs, '') as reason
    from {{ source('analysis_marts', 'fct_trade_model_status') }} as models
    cross join (select * from judged where output_name = 'figure2') as inputs
),

final as (
    select * from outputs
    union all
    select * from figure2
)

select * from final
