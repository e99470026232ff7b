-- Countries as BACI lists them: BACI's own numeric codes, historical entities kept (Fmr USSR, Fmr Sudan…;
-- newer lists name them with their last year instead: "USSR (...1990)", "Sudan (...2011)").
-- BACI reuses an ISO3 code for a historical entity (280 Fmr Fed. Rep. of Germany and 276 Germany are both DEU),
-- so iso3 is not a key; entity_code is: the ISO3 for the current entity, ISO3.code for historical twins,
-- and X<code> for BACI's "nes" groupings that have no ISO3 (N/A or a code with a digit in the file).
with countries as (
    select * from {{ ref('stg_baci__countries') }}
),

flagged as (
    select
        baci_code,
        iso3,
        iso2,
        country_name,
        country_name_full,
        (
            country_name like 'Fmr %'
            or regexp_matches(country_name, '\(\.\.\.[0-9]{4}\)$')
            or country_name_full like 'Former %'
            or coalesce(iso3, '') in ('SUN', 'YUG', 'CSK', 'SCG', 'DDR', 'ANT')  -- iso3 is NULL for nes groups
            or country_name in ('Belgium-Luxembourg', 'So. African Customs Union')
        ) and country_name_full not like '%Yugoslav Republic of Macedonia%' as is_historical,
        iso3 is null as is_nes_group,
        source_file
    from countries
),

keyed as (
    select
        *,
        case
            when iso3 is null then 'X' || lpad(cast(baci_code as varchar), 3, '0')
            when count(*) over (partition by iso3) > 1 and is_historical
                then iso3 || '.' || cast(baci_code as varchar)
            else iso3
        end as entity_code
    from flagged
)

select * from keyed
