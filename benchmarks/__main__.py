"""``python -m benchmarks``: the default benchmark set (trade cleaning at 1M rows, about 20 s on 2 cores)."""

from __future__ import annotations

import sys

from benchmarks import trade_cleaning

DEFAULT_ROWS = ["1000000"]


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark with its default sizes; extra arguments go to the trade-cleaning benchmark."""
    args = list(sys.argv[1:] if argv is None else argv)
    return trade_cleaning.main(args or ["--rows", *DEFAULT_ROWS])


if __name__ == "__main__":
    sys.exit(main())
