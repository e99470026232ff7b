"""Mart-layer suites: the marts the Python analysis assets write hold their keys, units and value ranges.

Scope ("Great Expectations where it adds"): GE gates the raw layer (``expectations/raw.py``), the tables
written by Python (declared as the dbt source ``analysis_marts`` in ``dbt_project/models/marts/_python_marts.yml``,
so dbt never tests them) and distribution checks (``expectations/distributions.py``, warn level). Tables that
dbt builds (staging views, intermediate and mart models) are checked by the data tests in their model YAML
only, so no rule is checked at two layers.

Each analysis domain adds its suites in ``expectations/marts_<domain>.py`` (a ``SUITES`` dict), merged below
so there is one mart-layer suite set; every suite here is blocking.
"""

from __future__ import annotations

from expectations.suites import Suite

SUITES: dict[str, Suite] = {}


def _merge_domain_suites() -> None:
    import importlib
    import pkgutil

    import expectations

    for module in pkgutil.iter_modules(expectations.__path__):
        if module.name.startswith("marts_"):
            SUITES.update(importlib.import_module(f"expectations.{module.name}").SUITES)


_merge_domain_suites()
