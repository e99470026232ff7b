{#- Fails (one row) when the model does not have exactly `value` rows. -#}
{% test row_count_equals(model, value) %}
select n_rows
from (select count(*) as n_rows from {{ model }}) as counted
where n_rows != {{ value }}
{% endtest %}
