-- Exporter-reported UN Comtrade flows beside BACI's reconciled flows, per Comtrade code, year, exporter and
-- importer, where codes and years overlap: a Comtrade HS4 code is compared with the sum of BACI's HS6 items
-- under it, an HS6 code with the same HS6 item. Country codes are matched as numbers (both use M49-style
-- codes: 842 USA, 699 India). BACI's HS92 and Comtrade's HS2012-2022 codes are compared as equal codes.
with comtrade as (
    select
        year,
        hs_code,
        hs_digits,
        reporter_code as exporter_code,
        partner_code as importer_code,
        sum(net_weight_t) as comtrade_t,
        sum(value_kusd) as comtrade_kusd
    from {{ ref('stg_comtrade__flows') }}
    where flow_code = 'X'
        and partner_code != 0
        and coalesce(customs_code, 'C00') = 'C00'
        and coalesce(mot_code, 0) = 0
        and coalesce(partner2_code, 0) = 0
        and hs_digits in (4, 6)
    group by all
),

codes as (
    select distinct
        hs_code,
        hs_digits
    from comtrade
),

baci_years as (
    select distinct year from {{ ref('stg_baci__flows') }}
),

-- BACI items under each Comtrade code, and whether the BACI series holds every HS92 subheading of it
code_items as (
    select
        codes.hs_code,
        products.hs6,
        products.hs6 in (select flows.hs6 from {{ ref('stg_baci__flows') }} as flows) as in_baci
    from codes
    inner join {{ ref('stg_baci__products') }} as products
        on starts_with(products.hs6, codes.hs_code)
),

code_coverage as (
    select
        hs_code,
        count(*) as n_hs92_items,
        count(*) filter (where in_baci) as n_items_in_baci,
        string_agg(hs6, ' ' order by hs6) filter (where in_baci) as baci_items
    from code_items
    group by hs_code
),

baci as (
    select
        flows.year,
        codes.hs_code,
        flows.exporter_code,
        flows.importer_code,
        sum(flows.quantity_t) as baci_t,
        sum(flows.value_kusd) as baci_kusd
    from {{ ref('stg_baci__flows') }} as flows
    inner join codes on starts_with(flows.hs6, codes.hs_code)
    where flows.year in (select comtrade.year from comtrade)
    group by all
),

paired as (
    select
        coalesce(comtrade.year, baci.year) as year,
        coalesce(comtrade.hs_code, baci.hs_code) as hs_code,
        coalesce(comtrade.exporter_code, baci.exporter_code) as exporter_code,
        coalesce(comtrade.importer_code, baci.importer_code) as importer_code,
        comtrade.comtrade_t,
        baci.baci_t,
        comtrade.comtrade_kusd,
        baci.baci_kusd,
        comtrade.year is not null as in_comtrade,
        baci.year is not null as in_baci
    from comtrade
    full outer join baci
        on comtrade.year = baci.year
        and comtrade.hs_code = baci.hs_code
        and comtrade.exporter_code = baci.exporter_code
        and comtrade.importer_code = baci.importer_code
),

final as (
    select
        cast(paired.year as smallint) as year,
        paired.hs_code,
        length(paired.hs_code) as hs_digits,
        paired.exporter_code,
        paired.importer_code,
        paired.comtrade_t,
        paired.baci_t,
        paired.comtrade_kusd,
        paired.baci_kusd,
        case
            when paired.comtrade_t > 0 and paired.baci_t > 0 then paired.comtrade_t / paired.baci_t
        end as weight_ratio,
        case
            when paired.in_comtrade and paired.in_baci then 'both'
            when paired.in_comtrade then 'comtrade_only'
            else 'baci_only'
        end as presence,
        coalesce(code_coverage.n_items_in_baci = code_coverage.n_hs92_items, false) as baci_covers_code,
        code_coverage.baci_items
    from paired
    left join code_coverage on paired.hs_code = code_coverage.hs_code
    where paired.year in (select baci_years.year from baci_years)
        and coalesce(code_coverage.n_items_in_baci, 0) > 0
)

select * from final
