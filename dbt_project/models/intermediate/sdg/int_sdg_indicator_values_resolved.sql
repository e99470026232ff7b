-- World Bank indicator values with every indicator under its official code, averaged over the files
-- that carry the same country, indicator and year. Long files name indicators only ('NAME:<name>' in
-- staging when the topic metadata lacks the name); their code is taken from the SDG series list, else
-- from the direction seed, by case-insensitive exact name. country_code is the World Bank's economy code:
-- ISO3 for countries, its own codes for aggregates (WLD, EUU...); the marts keep countries only.
with values_staged as (
    select * from {{ ref('stg_world_bank__indicator_values') }}
),

names_known as (
    select
        lower(trim(indicator_name)) as name_key,
        min(indicator_code) as indicator_code
    from (
        select indicator_name, indicator_code from {{ ref('stg_world_bank__sdg_series') }}
        union all
        select wb_indicator_name, indicator_code from {{ ref('sdg_indicator_direction') }}
    ) as listed
    group by lower(trim(indicator_name))
),

resolved as (
    select
        coalesce(
            case when values_staged.indicator_code like 'NAME:%' then names_known.indicator_code end,
            values_staged.indicator_code
        ) as indicator_code,
        values_staged.indicator_name,
        values_staged.country_code,
        values_staged.year,
        values_staged.value,
        values_staged.source_file
    from values_staged
    left join names_known
        on lower(trim(values_staged.indicator_name)) = names_known.name_key
),

final as (
    select
        indicator_code,
        min(indicator_name) as indicator_name,
        country_code,
        year,
        avg(value) as value,
        count(*) as n_files
    from resolved
    group by indicator_code, country_code, year
)

select * from final
