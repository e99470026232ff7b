-- UNU's CN8 -> e-waste key table, with the HS92 item of each CN code. A CN code of 1988-1995 is written in
-- HS92 (its first six digits are the HS92 item). A later one is written in a later edition (HS96, HS2002,
-- HS2007, HS2012): its six digits go to HS92 through the UN conversion table of the oldest edition loaded (nearest the CN years)
-- (raw.hs_conversions, e.g. HS2017 -> HS1992: 847141 -> 847120, 847150 -> 847191), assuming the code kept its
-- number and scope from its year to that edition; a code the table lacks (deleted before it) stays as
-- written, as hs92_basis says.
with source as (
    select * from {{ source('raw', 'ewaste_cn_keys') }}
),

conversions as (
    select from_hs6, hs92
    from {{ source('raw', 'hs_conversions') }}
    qualify row_number() over (partition by from_hs6 order by from_edition) = 1
),

renamed as (
    select
        source.cn8,
        substr(source.cn8, 1, 6) as hs6_of_cn_year,
        source.year as cn_year,
        source.unu_key
    from source
    where source.unu_key is not null
),

converted as (
    select
        renamed.*,
        case
            when renamed.cn_year <= 1995 or conversions.hs92 is null then renamed.hs6_of_cn_year
            else conversions.hs92
        end as hs92,
        case
            when renamed.cn_year <= 1995 then 'cn_year_in_hs92'
            when conversions.hs92 is null then 'not_in_conversion_table_kept_as_written'
            else 'un_conversion_table'
        end as hs92_basis
    from renamed
    left join conversions on renamed.hs6_of_cn_year = conversions.from_hs6
)

select * from converted
