"""The analysis parameters, read from their one home: the ``vars:`` of ``dbt_project/dbt_project.yml``.

dbt models read them with ``var('name')``; Python assets call :func:`params`. A build's overrides come from
``METALNEXUS_DBT_VARS`` (a JSON object, set by ``metalnexus build --vars``) and reach both: dbt gets them
as ``--vars`` (:func:`dbt_vars_args`), Python through :func:`params`. ``METALNEXUS_SDG_MIN_COUNTRIES``
stays as a documented shortcut for ``sdg_min_countries`` (small demo worlds have fewer than 20 countries).
"""

from __future__ import annotations

import functools
import json
import os

from warehouse.config import DBT_PROJECT_DIR


@functools.lru_cache(maxsize=1)
def declared() -> dict:
    """Return the parameters as declared in ``dbt_project.yml`` (the defaults)."""
    import yaml

    with open(DBT_PROJECT_DIR / "dbt_project.yml") as handle:
        return dict(yaml.safe_load(handle)["vars"])


def overrides() -> dict:
    """Return this build's overrides of declared parameters; an unknown name is an error."""
    text = os.environ.get("METALNEXUS_DBT_VARS", "").strip()
    try:
        given = json.loads(text) if text else {}
    except json.JSONDecodeError as exc:
        raise ValueError(f"METALNEXUS_DBT_VARS is not a JSON object: {exc}") from None
    if not isinstance(given, dict):
        raise ValueError("METALNEXUS_DBT_VARS must be a JSON object of parameter names and values")
    if os.environ.get("METALNEXUS_SDG_MIN_COUNTRIES"):
        given.setdefault("sdg_min_countries", int(os.environ["METALNEXUS_SDG_MIN_COUNTRIES"]))
    unknown = sorted(set(given) - set(declared()))
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)}; the declared ones are in dbt_project.yml vars")
    return given


def set_override(name: str, value) -> None:
    """Add one override to this build's ``METALNEXUS_DBT_VARS``, keeping the others.

    What a dedicated CLI flag such as ``--baci-release`` does; an unknown name is an error.
    """
    if name not in declared():
        raise ValueError(f"unknown parameter {name}; the declared ones are in dbt_project.yml vars")
    text = os.environ.get("METALNEXUS_DBT_VARS", "").strip()
    given = json.loads(text) if text else {}
    os.environ["METALNEXUS_DBT_VARS"] = json.dumps({**given, name: value})


def params() -> dict:
    """Return every parameter: the declared defaults with this build's overrides applied."""
    return {**declared(), **overrides()}


def dbt_vars_args() -> list[str]:
    """Return ``["--vars", JSON]`` for dbt when the build overrides a parameter, else ``[]``."""
    given = overrides()
    return ["--vars", json.dumps(given)] if given else []
