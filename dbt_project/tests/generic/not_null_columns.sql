{#-
    Fails with one row per listed column that holds NULLs: `column_name`, `n_null`.
    One query (one dbt node) checks all of a model's required columns, where a `not_null` test per
    column cost a node each — about 60 ms of dbt overhead per node in every build.
-#}
{% test not_null_columns(model, columns) %}
with null_counts as (
    select
        {%- for column in columns %}
        count(*) filter (where {{ adapter.quote(column) }} is null) as {{ adapter.quote("n_null_" ~ loop.index) }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
),

per_column as (
    {%- for column in columns %}
    select
        '{{ column }}' as column_name,
        {{ adapter.quote("n_null_" ~ loop.index) }} as n_null
    from null_counts
    {{- " union all" if not loop.last }}
    {%- endfor %}
)

select
    column_name,
    n_null
from per_column
where n_null > 0
{% endtest %}
