{#- In a group by: "<n> countries <phrase>" ("1 country <phrase>") when rows of the group have
    method_column = method, else null: a method sentence then names only the methods actually used. -#}
{% macro countries_by_method(method_column, method, phrase) -%}
    {%- set n = "count(*) filter (where " ~ method_column ~ " = '" ~ method ~ "')" -%}
    case
        when {{ n }} > 0
            then {{ n }} || case when {{ n }} = 1 then ' country' else ' countries' end || ' {{ phrase }}'
    end
{%- endmacro %}
