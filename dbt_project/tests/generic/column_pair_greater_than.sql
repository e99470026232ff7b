{#- Fails for rows where column_a is not greater than column_b (or equal, with or_equal). Rows where both
    are null pass; a row with one null fails, as Great Expectations's column-pair expectation. -#}
{% test column_pair_greater_than(model, column_a, column_b, or_equal=false) %}
select {{ column_a }} as value_a, {{ column_b }} as value_b
from {{ model }}
where not ({{ column_a }} is null and {{ column_b }} is null)
  and not coalesce({{ column_a }} {{ '>=' if or_equal else '>' }} {{ column_b }}, false)
{% endtest %}
