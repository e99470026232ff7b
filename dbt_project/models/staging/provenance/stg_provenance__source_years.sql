-- The years present in each yearly input, for the coverage marts to find the years missing inside its span.
-- Left out, because a year missing there is no gap: scenario pathways (5- or 10-year steps by design), the
-- OECD tables (only the years a build asks for) and the CN to e-waste keys (years of code revisions).
{%- set yearly_inputs = [
    ('baci_flows', 't'),
    ('comtrade_flows', 'ref_year'),
    ('wdi_values', 'year'),
    ('owid_co2', 'year'),
    ('wgi', 'year'),
    ('irp_extraction', 'year'),
    ('bgs_production', 'year'),
    ('mine_production', 'year'),
    ('wiod_niot_values', 'year'),
] %}
with source_years as (
    {%- for raw_table, year_column in yearly_inputs %}
    select distinct '{{ raw_table }}' as raw_table, cast({{ year_column }} as integer) as year
    from {{ source('raw', raw_table) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from source_years
where year is not null
