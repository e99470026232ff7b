"""The trade-cleaning dbt models, rendered and run outside dbt, so benchmarks and tests run the identical SQL.

The model files under ``dbt_project/models/intermediate/trade/`` are the single source of the SQL.  This
module renders their Jinja with the few dbt functions they use (``ref``, ``source``, ``var``, ``config``,
``is_incremental``, ``invocation_id``, ``exceptions.raise_compiler_error``) and runs them in the order dbt
does, each materialised as a full (non-incremental) dbt build would (the points model is a view, the others
tables; the incremental models' post-hooks only matter on incremental runs and are not run).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "models" / "intermediate" / "trade"
RULES = ("ma_sd", "hampel", "unit_value")


class _CompilerError(Exception):
    pass


class _Exceptions:
    @staticmethod
    def raise_compiler_error(message: str) -> None:
        raise _CompilerError(message)


LOAD_LOG_COLUMNS = (
    "table_name varchar, partition_key varchar, source_file varchar, sha256 varchar, bytes bigint, "
    "rows bigint, source_kind varchar, loaded_at timestamp"
)


MACROS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "macros"


def render(model: str, refs: Mapping[str, str], variables: Mapping[str, object] | None = None) -> str:
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
    """
    import jinja2

    variables = dict(variables or {})
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
    )


def build_cleaning(
    con,
    flows: str,
    variables: Mapping[str, object] | None = None,
    schema: str = "main",
    rules: tuple[str, ...] | None = None,
) -> str:
    """Run the cleaning models over ``flows`` (columns of ``stg_baci__flows``); return the cleaned table.

    Materialises ``int_trade_series_points`` as a view, the outlier model(s) of ``rules`` (default: the
    active rule only) and ``int_trade_flows_cleaned`` as tables in ``schema``, as ``dbt build`` does.
    """
    variables = dict(variables or {})
    rule = str(variables.get("trade_cleaning_rule", "ma_sd"))
    rules = rules or (rule,)
    refs = {"stg_baci__flows": flows, "raw.load_log": f"{schema}.trade_cleaning_load_log"}
    refs |= {m: f"{schema}.{m}" for m in ["int_trade_series_points", "int_trade_flows_cleaned"]}
    refs |= {f"int_trade_outliers_{r}": f"{schema}.int_trade_outliers_{r}" for r in RULES}
    # No load log outside the warehouse: the models' left join to it then stamps NULL load times.
    con.execute(f"create or replace table {schema}.trade_cleaning_load_log ({LOAD_LOG_COLUMNS})")
    con.execute(
        f"create or replace view {schema}.int_trade_series_points as "
        + render("int_trade_series_points", refs, variables)
    )
    for r in rules:
        con.execute(
            f"create or replace table {schema}.int_trade_outliers_{r} as "
            + render(f"int_trade_outliers_{r}", refs, variables)
        )
    con.execute(
        f"create or replace table {schema}.int_trade_flows_cleaned as "
        + render("int_trade_flows_cleaned", refs, variables)
    )
    return f"{schema}.int_trade_flows_cleaned"
