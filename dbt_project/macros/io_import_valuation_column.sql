{#- The column of fct_io_ai_induced_imports that holds induced imports in the valuation var('io_import_valuation')
    asks for: total (CIF + customs duties + commodity taxes on imports, as MIC's import columns add up) or cif. -#}
{% macro io_import_valuation_column() -%}
    {%- set valuation = var('io_import_valuation') -%}
    {%- if valuation == 'total' -%}
        induced_import_yen_per_yen
    {%- elif valuation == 'cif' -%}
        induced_import_cif_yen_per_yen
    {%- else -%}
        {{ exceptions.raise_compiler_error("var io_import_valuation must be 'total' or 'cif', not '" ~ valuation ~ "'") }}
    {%- endif -%}
{%- endmacro %}
