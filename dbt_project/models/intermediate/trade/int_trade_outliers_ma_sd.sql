-- The programme report's rule on every series at once: centred moving average over calendar years,
-- deviation from it, the standard deviation of the deviations over the series (population SD by default,
-- var trade_cleaning_sd_ddof), flag |d| >= k sd.
-- Edge years (first/last usable year of a series) and series with fewer usable years than the window are
-- never flagged. Reference implementation and equations: analysis/trade_cleaning.py (rule "ma_sd").
{%- set window_years = var('trade_cleaning_window', 5) | int %}
{%- set half_window = (window_years - 1) // 2 %}
{%- set k = var('trade_cleaning_k_ma_sd', 2.0) | float %}
{%- set ddof = var('trade_cleaning_sd_ddof', 0) | int %}
{%- if window_years < 3 or window_years % 2 == 0 %}
{{ exceptions.raise_compiler_error("trade_cleaning_window must be an odd integer >= 3") }}
{%- endif %}
{%- if ddof not in [0, 1] %}
{{ exceptions.raise_compiler_error("trade_cleaning_sd_ddof must be 0 or 1") }}
{%- endif %}
with points as (
    select
        hs6,
        exporter_code,
        importer_code,
        year,
        value_kusd,
        quantity_t,
        x_quantity,
        x_quantity as x_tested
    from {{ ref('int_trade_series_points') }}
),

moving as (
    select
        *,
        case
            when x_tested is not null then avg(x_tested) over (
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
        {{ 'stddev_pop' if ddof == 0 else 'stddev_samp' }}(deviation) over series as scale_stat
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
