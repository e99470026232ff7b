-- Unit-value rule: the Hampel construction on the log unit value ln(v / q), which a quantity error moves
-- while a genuine change in trade (v and q together) leaves alone. Flagged quantities are interpolated.
-- Flag |d| >= k robust SD; edge years and series shorter than the window are never flagged.
-- Reference implementation and equations: analysis/trade_cleaning.py (rule "unit_value").
{%- set window_years = var('trade_cleaning_window', 5) | int %}
{%- set half_window = (window_years - 1) // 2 %}
{%- set k = var('trade_cleaning_k_unit_value', 5.0) | float %}
with points as (
    select
        hs6,
        exporter_code,
        importer_code,
        year,
        value_kusd,
        quantity_t,
        x_quantity,
        x_unit_value as x_tested
    from {{ ref('int_trade_series_points') }}
),

moving as (
    select
        *,
        case
            when x_tested is not null then median(x_tested) over (
                partition by hs6, exporter_code, importer_code
                order by year
                range between {{ half_window }} preceding and {{ half_window }} following
            )
        end as centre_value
    from points
),

deviations as (
    select
        *,
        x_tested - centre_value as deviation
    from moving
),

series_stats as (
    select
        *,
        count(x_tested) over series as n_usable,
        min(case when x_tested is not null then year end) over series as first_usable_year,
        max(case when x_tested is not null then year end) over series as last_usable_year,
        -- 1.4826 = 1 / Phi^{-1}(3/4): the MAD of normal data times this is its standard deviation.
        1.4826 * mad(deviation) over series as scale_stat
    from deviations
    window series as (partition by hs6, exporter_code, importer_code)
),

flagged as (
    select
        hs6,
        exporter_code,
        importer_code,
        year,
        value_kusd,
        quantity_t,
        x_quantity,
        x_tested,
        centre_value,
        deviation,
        case when x_tested is not null then scale_stat end as scale_stat,
        case when x_tested is not null then {{ k }} * scale_stat end as threshold,
        n_usable,
        coalesce(
            n_usable >= {{ window_years }}
            and year > first_usable_year
            and year < last_usable_year
            and scale_stat > 0
            and abs(deviation) >= {{ k }} * scale_stat,
            false
        ) as is_outlier
    from series_stats
)

select * from flagged
