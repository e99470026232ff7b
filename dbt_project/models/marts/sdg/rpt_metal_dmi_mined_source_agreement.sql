-- Where two sources give mined input of the same metal, how far they agree: each candidate that the rule
-- of int_metal_dmi_mined did not choose, against the chosen one, over the panel years. Totals and
-- country-year ratios are taken over the country-years both sources have.
with candidates as (
    select * from {{ ref('int_metal_dmi_mined_candidates') }}
    where year between {{ var('sdg_year_start') }} and {{ var('sdg_year_end') }}
),

chosen_priority as (
    select
        metal_symbol,
        min(priority) as priority
    from {{ ref('int_metal_dmi_mined_candidates') }}
    group by metal_symbol
),

chosen as (
    select candidates.*
    from candidates
    inner join chosen_priority
        on candidates.metal_symbol = chosen_priority.metal_symbol
        and candidates.priority = chosen_priority.priority
),

others as (
    select candidates.*
    from candidates
    inner join chosen_priority
        on candidates.metal_symbol = chosen_priority.metal_symbol
        and candidates.priority > chosen_priority.priority
),

paired as (
    select
        chosen.metal_symbol,
        others.priority as other_priority,
        chosen.dmi_t as chosen_t,
        others.dmi_t as other_t,
        chosen.source_dataset as chosen_source,
        others.source_dataset as other_source
    from chosen
    inner join others
        on chosen.metal_symbol = others.metal_symbol
        and chosen.iso3 = others.iso3
        and chosen.year = others.year
),

counted as (
    select
        others.metal_symbol,
        others.priority as other_priority,
        any_value(others.source_dataset) as other_source,
        count(*) as n_other_country_years
    from others
    group by others.metal_symbol, others.priority
),

chosen_counts as (
    select
        metal_symbol,
        any_value(source_dataset) as chosen_source,
        count(*) as n_chosen_country_years
    from chosen
    group by metal_symbol
),

agreement as (
    select
        metal_symbol,
        other_priority,
        count(*) as n_both_country_years,
        sum(chosen_t) as chosen_total_t,
        sum(other_t) as other_total_t,
        median(other_t / nullif(chosen_t, 0)) as median_ratio,
        quantile_cont(other_t / nullif(chosen_t, 0), 0.1) as p10_ratio,
        quantile_cont(other_t / nullif(chosen_t, 0), 0.9) as p90_ratio
    from paired
    group by metal_symbol, other_priority
),

final as (
    select
        counted.metal_symbol,
        chosen_counts.chosen_source,
        counted.other_source,
        counted.other_priority,
        coalesce(chosen_counts.n_chosen_country_years, 0) as n_chosen_country_years,
        counted.n_other_country_years,
        coalesce(agreement.n_both_country_years, 0) as n_both_country_years,
        agreement.chosen_total_t,
        agreement.other_total_t,
        agreement.other_total_t / nullif(agreement.chosen_total_t, 0) as total_ratio,
        agreement.median_ratio,
        agreement.p10_ratio,
        agreement.p90_ratio
    from counted
    left join chosen_counts on counted.metal_symbol = chosen_counts.metal_symbol
    left join agreement
        on counted.metal_symbol = agreement.metal_symbol and counted.other_priority = agreement.other_priority
)

select * from final
