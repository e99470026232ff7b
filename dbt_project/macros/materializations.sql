{#-
  The project's table and view materializations: dbt-duckdb's, less the rename dance.

  dbt-duckdb builds a model as a new relation `<name>__dbt_tmp`, renames the old one to a backup, renames
  the new one into place and drops the backup: three to four statements, each a round of dbt's Python
  (Jinja, a connection lookup, half a dozen events). DuckDB's DDL is transactional, so dropping the old
  relation and creating the new one inside the model's one transaction is as atomic: a failure rolls both
  back. Contracts are enforced as before (`create_table_as` checks the columns and builds the table with
  its constraints); hooks and docs run where dbt-duckdb runs them.

  A build runs the same statements from the compiled SQL without dbt's per-node Python
  (orchestration/dbt_models.py, for models without hooks); `dbt run` uses these. The suite builds every model
  both ways and compares the relations (tests/integration/test_build.py::test_models_materialize_as_dbt_does).
-#}

{% materialization table, adapter='duckdb' %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {% call metalnexus_replace_relation(target_relation) -%}
    {{ create_table_as(False, target_relation, compiled_code) }}
  {%- endcall %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{% materialization view, adapter='duckdb' %}
  {%- set target_relation = this.incorporate(type='view') -%}
  {% call metalnexus_replace_relation(target_relation) -%}
    {{ get_create_view_as_sql(target_relation, sql) }}
  {%- endcall %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- Replace the model's relation by `target_relation`, created by the SQL the call block renders (after the
    pre-hooks, as dbt-duckdb renders it: a contract's column check runs then), in one transaction. -#}
{% macro metalnexus_replace_relation(target_relation) %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {%- set create_sql = caller() -%}
  {#- one statement, so the drop is inside the transaction dbt opens for it (a macro call such as
      adapter.drop_relation would run before it, and commit on its own) -#}
  {% call statement('main') -%}
    {%- if existing_relation is not none %}{{ get_drop_sql(existing_relation) }};{% endif %}
    {{ create_sql }}
  {%- endcall %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do persist_docs(target_relation, model) %}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
{% endmacro %}
