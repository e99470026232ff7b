"""The metal content table ``metal_content/hs_metal_content.csv``: tonnes of metal per tonne of good.

Rows come from ``tables/metal_content.csv``.  The shares as written (:func:`_metal_shares`) are the ones
the imported-DMI truth of the panel uses (manifest ``metal_content`` and ``panel.dmi_definition``).
"""

from __future__ import annotations

from warehouse.demo_world.common import SOURCE_TEXT, _table
from warehouse.demo_world.writers import _q, _Writer

# (hs6, metal, tonnes of metal per tonne of good, basis), from tables/metal_content.csv
METAL_CONTENT: list[tuple[str, str, float, str]] = [
    (row["hs6"], row["metal"], float(row["content_share"]), row["basis"]) for row in _table("metal_content.csv")
]


def _metal_shares() -> dict[str, list[tuple[str, float]]]:
    """``{hs6: [(metal, share as written)]}``."""
    out: dict[str, list[tuple[str, float]]] = {}
    for hs6, metal, share, _ in METAL_CONTENT:
        out.setdefault(hs6, []).append((metal, float(f"{share:.6g}")))
    return out


def _write_metal_content(writer: _Writer) -> None:
    lines = ["hs6,metal,content_share,basis,source"]
    for hs6, metal, share, basis in METAL_CONTENT:
        lines.append(f"{_q(hs6)},{metal},{share:.6g},{_q(basis)},{_q(SOURCE_TEXT)}")
    writer.text("metal_content/hs_metal_content.csv", lines, "\n")
