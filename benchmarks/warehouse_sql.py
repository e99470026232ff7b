"""The trade-cleaning dbt models, rendered and run outside dbt, so benchmarks and tests run the identical SQL.

The model files under ``dbt_project/models/intermediate/trade/`` are the single source of the SQL.  This
module renders their Jinja with the few dbt functions they use (``ref``, ``source``, ``var``, ``config``,
``is_incremental``, ``invocation_id``, ``execute``, ``run_query``, ``exceptions.raise_compiler_error``) and
runs them in the order dbt does, each materialised as a full (non-incremental) dbt build would (the points
and cleaned-flows models are views, the series and outlier models tables; the incremental models'
post-hooks only matter on incremental runs and are not run).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from warehouse.params import declared

MODELS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "models" / "intermediate" / "trade"
RULES = ("ma_sd", "hampel", "unit_value")
# The columns marts.fct_trade_flows takes from int_trade_flows_cleaned: what the warehouse writes per flow.
FLOW_COLUMNS = "year, exporter_code, importer_code, hs6, value_kusd, quantity_t, quantity_t_reported, is_outlier"


class _CompilerError(Exception):
    pass


class _QueryResult:
    """What a model reads of dbt's ``run_query`` result: ``rows``."""

    def __init__(self, rows):
        self.rows = rows


class _Exceptions:
    @staticmethod
    def raise_compiler_error(message: str) -> None:
        raise _CompilerError(message)


LOAD_LOG_COLUMNS = (
    "table_name varchar, partition_key varchar, source_file varchar, sha256 varchar, bytes bigint, "
    "rows bigint, source_kind varchar, loaded_at timestamp"
)


MACROS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "macros"


def render(model: str, refs: Mapping[str, str], variables: Mapping[str, object] | None = None, con=None) -> str:
    """Return the SQL of ``model`` with ``ref(name)`` replaced by ``refs[name]`` and vars set.

    ``source('raw', name)`` is looked up in ``refs`` as ``raw.<name>``; ``invocation_id`` is a fixed label.

    Parameters
    ----------
    model
        Model name (file stem under the trade intermediate folder).
    refs
        Relation name to use for each ``ref``'d model.
    variables
        dbt vars; models fall back to their documented defaults for missing ones.
    con
        DuckDB connection ``run_query`` uses (models that read the data at compile time need it).
    """
    import jinja2

    variables = {**declared(), **(variables or {})}
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.do"])
    # the project's macros are defined ahead of the model, as dbt makes them available to it
    macros = "".join(p.read_text() for p in sorted(MACROS_DIR.glob("*.sql")))
    template = env.from_string(macros + (MODELS_DIR / f"{model}.sql").read_text())
    return template.render(
        ref=lambda name: refs[name],
        source=lambda source_name, name: refs[f"{source_name}.{name}"],
        invocation_id="benchmark",
        var=lambda name, default=None: variables.get(name, default),
        config=lambda **_: "",
        exceptions=_Exceptions,
        is_incremental=lambda: False,
        execute=con is not None,
        run_query=lambda sql: _QueryResult(con.execute(sql).fetchall()),
    )


def build_cleaning(
    con,
    flows: str,
    variables: Mapping[str, object] | None = None,
    schema: str = "main",
    rules: tuple[str, ...] | None = None,
) -> str:
    """Run the cleaning models over ``flows`` (columns of ``stg_baci__flows``); return the cleaned relation.

    Creates ``int_trade_series_points`` and ``int_trade_flows_cleaned`` as views and the model(s) of
    ``rules`` (default: the active rule only; ``int_trade_series_ma_sd`` for ``ma_sd``,
    ``int_trade_outliers_<rule>`` for the others) as tables in ``schema``, as ``dbt build`` does.  The
    cleaned flows are a view: materialise them to time the whole cleaning.
    """
    variables = {**declared(), **(variables or {})}
    rule = str(variables["trade_cleaning_rule"])
    rules = rules or (rule,)
    refs = {"stg_baci__flows": flows, "raw.load_log": f"{schema}.trade_cleaning_load_log"}
    refs |= {m: f"{schema}.{m}" for m in ["int_trade_series_points", "int_trade_flows_cleaned"]}
    refs |= {_rule_model(r): f"{schema}.{_rule_model(r)}" for r in RULES}
    # No load log outside the warehouse: the models then stamp NULL load times.
    con.execute(f"create or replace table {schema}.trade_cleaning_load_log ({LOAD_LOG_COLUMNS})")
    con.execute(
        f"create or replace view {schema}.int_trade_series_points as "
        + render("int_trade_series_points", refs, variables, con)
    )
    for r in rules:
        model = _rule_model(r)
        con.execute(f"create or replace table {schema}.{model} as " + render(model, refs, variables, con))
    con.execute(
        f"create or replace view {schema}.int_trade_flows_cleaned as "
        + render("int_trade_flows_cleaned", refs, variables, con)
    )
    return f"{schema}.int_trade_flows_cleaned"


def _rule_model(rule: str) -> str:
    return "int_trade_series_ma_sd" if rule == "ma_sd" else f"int_trade_outliers_{rule}"
