{{ config(materialized='view') }}
-- The points the outlier rules test: one row per flow, with the quantity on the rule's scale.
-- A series is (hs6, exporter_code, importer_code) followed over the years.
-- x_quantity: ln(q) on the log scale (NULL for NA and zero q: log 0 is undefined), q on the level scale
-- (NULL only for NA). x_unit_value: ln(v / q), NULL unless both are positive.
{%- set scale = var('trade_cleaning_scale') %}
{%- if scale not in ['log', 'level'] %}
{{ exceptions.raise_compiler_error("trade_cleaning_scale must be 'log' or 'level', not " ~ scale) }}
{%- endif %}
with flows as (
    select * from {{ ref('stg_baci__flows') }}
),

points as (
    select
        hs6,
        exporter_code,
        importer_code,
        year,
        value_kusd,
        quantity_t,
        {%- if scale == 'log' %}
        case when quantity_t > 0 then ln(quantity_t) end as x_quantity,
        {%- else %}
        case when quantity_t >= 0 then quantity_t end as x_quantity,
        {%- endif %}
        case when quantity_t > 0 and value_kusd > 0 then ln(value_kusd / quantity_t) end as x_unit_value
    from flows
)

select * from points
