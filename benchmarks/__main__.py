"""``python -m benchmarks`` (``make bench``): the default benchmark set, one JSON line per run.

- trade cleaning at 1M rows: the warehouse's ``dbt build`` vs pandas vs the DuckDB sort floor (about 25 s on
  2 cores);
- the SDG panel: 2,112 fixed-effects regressions and the permutation null, batch estimator vs linearmodels.
"""

from __future__ import annotations

import sys

from benchmarks import sdg_panel, trade_cleaning

DEFAULT_ROWS = ["1000000"]


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark with its default sizes; extra arguments go to the trade-cleaning benchmark."""
    args = list(sys.argv[1:] if argv is None else argv)
    code = trade_cleaning.main(args or ["--rows", *DEFAULT_ROWS])
    if not args:
        sdg_panel.main([])  # prints its own JSON line
    return code


if __name__ == "__main__":
    sys.exit(main())
