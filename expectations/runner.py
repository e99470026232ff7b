"""Run a Great Expectations 1.x suite on a DataFrame and summarise the result for an asset check.

GE's SQL datasource does not work on DuckDB (see STACK-NOTES), so tables are read with DuckDB and
validated through GE's pandas datasource in an ephemeral context; suites are defined in code
(``expectations/suites.py``). Large tables are validated on a deterministic sample whose size the
check reports. GE covers the raw tables, the marts written by Python and distribution checks on dbt-built
tables; row invariants of dbt-built tables are dbt data tests, which see every row.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd


@dataclasses.dataclass
class Failure:
    """One expectation that failed: what it expected, on which column, and sample offending values."""

    expectation: str
    column: str | None
    kwargs: dict
    unexpected_count: int | None
    unexpected_sample: list

    def one_line(self) -> str:
        """Return the failure in one line."""
        where = f" on column {self.column!r}" if self.column else ""
        count = f" ({self.unexpected_count} rows)" if self.unexpected_count is not None else ""
        sample = f"; e.g. {self.unexpected_sample[:5]}" if self.unexpected_sample else ""
        return f"{self.expectation}{where} failed{count}{sample}"


@dataclasses.dataclass
class SuiteResult:
    """Outcome of one suite on one table."""

    suite: str
    success: bool
    n_rows: int
    n_expectations: int
    failures: list[Failure]
    raw: dict

    def summary(self) -> str:
        """Return one line per failure, or 'passed'."""
        if self.success:
            return f"{self.suite}: {self.n_expectations} expectations passed on {self.n_rows} rows"
        return "; ".join(f.one_line() for f in self.failures)


@functools.lru_cache(maxsize=1)
def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    context.data_sources.add_pandas("metalnexus_frames")
    return context


def run_suite(
    name: str,
    frame: pd.DataFrame,
    expectations: Sequence[Callable[[object], object]],
    docs_dir: Path | None = None,
) -> SuiteResult:
    """Validate ``frame`` against a suite built from ``expectations``.

    Parameters
    ----------
    name
        Suite name, ``<layer>.<table>``.
    frame
        The rows to validate.
    expectations
        Callables that take the ``great_expectations.expectations`` module and return one expectation.
    docs_dir
        When given, the validation result is written there as JSON and as a Data Docs HTML page
        (one pair per suite), for the build's data-quality record.

    Returns
    -------
    SuiteResult
    """
    summary, result = validate(name, frame, expectations)
    if docs_dir is not None:
        write_result(docs_dir, summary)
        write_page(docs_dir, name, result)
    return summary


def validate(
    name: str, frame: pd.DataFrame, expectations: Sequence[Callable[[object], object]]
) -> tuple[SuiteResult, object]:
    """Validate ``frame``; return its summary and GE's own validation result (what :func:`write_page` renders)."""
    import great_expectations as gx

    context = _context()
    source = context.data_sources.get("metalnexus_frames")
    asset_name = f"frame_{name}"
    try:
        asset = source.get_asset(asset_name)
    except LookupError:
        asset = source.add_dataframe_asset(name=asset_name)
    batch_definition = next(iter(asset.batch_definitions), None) or asset.add_batch_definition_whole_dataframe("whole")
    suite = gx.ExpectationSuite(name=name, expectations=[build(gx.expectations) for build in expectations])
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 10})
    failures = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        kwargs = {k: v for k, v in dict(config.kwargs).items() if k not in {"batch_id"}}
        outcome = item.result or {}
        failures.append(
            Failure(
                expectation=config.type,
                column=kwargs.get("column"),
                kwargs=kwargs,
                unexpected_count=outcome.get("unexpected_count"),
                unexpected_sample=list(outcome.get("partial_unexpected_list") or []),
            )
        )
    summary = SuiteResult(
        suite=name,
        success=bool(result.success),
        n_rows=len(frame),
        n_expectations=len(result.results),
        failures=failures,
        raw=result.to_json_dict(),
    )
    return summary, result


def write_result(docs_dir: Path, summary: SuiteResult) -> Path:
    """Write a suite's validation result as ``<docs_dir>/<suite>.json`` (what the Data Docs index lists)."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    path = docs_dir / f"{summary.suite}.json"
    path.write_text(json.dumps(summary.raw, indent=1, default=str))
    return path


def write_page(docs_dir: Path, name: str, result) -> Path:
    """Write a suite's Data Docs page, ``<docs_dir>/<suite>.html``, from GE's validation result."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    path = docs_dir / f"{name}.html"
    path.write_text(render_page(result))
    return path


def _plain(value):
    """Return numpy scalars as Python numbers, recursively: GE's renderer rejects ``numpy.float64``."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    return value.item() if hasattr(value, "item") and getattr(value, "ndim", None) == 0 else value


@functools.lru_cache(maxsize=1)
def _page_view():
    """Return the one page view every page is rendered with.

    Each ``DefaultJinjaPageView`` makes its own Jinja environment, whose template cache then dies with it:
    a view per page compiled GE's templates again for every page (about 70 ms a page; 5 ms with one view).
    The view keeps no state between renders but that cache.
    """
    from great_expectations.render.view import DefaultJinjaPageView

    return DefaultJinjaPageView()


def render_page(result) -> str:
    """Render one validation result as a Great Expectations Data Docs page (HTML).

    Observed values that pandas computed (a column mean, say) are numpy scalars, which GE's own renderer
    refuses (``num_to_str received an invalid value``); they are made plain Python numbers first.
    """
    from great_expectations.render.renderer import ValidationResultsPageRenderer

    for item in result.results:
        if item.result:
            item.result = _plain(dict(item.result))
    return _page_view().render(ValidationResultsPageRenderer().render(result))
