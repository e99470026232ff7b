"""The HS92 product list and BACI's ``baci/product_codes_HS92_V202301.csv``.

Draws 5,022 plausible HS92 codes over the chapters of ``tables/hs_chapters.csv`` (the codes of
``tables/required_products.csv`` included), and the subset of a scale with unit values and popularity.
Plants the key products (:data:`KEY_HS6`, which carry the trade-ridge truth), marks the ore and metal
products that mining countries export, and quotes inside one description.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from warehouse.demo_world.common import RELEASE, _rng, _table
from warehouse.demo_world.writers import _q, _Writer

KEY_HS6 = ["847191", "847330", "854219", "852990", "853400", "847989", "270900", "854430", "271111", "847120"]
# Required HS92 codes (tables/required_products.csv) with short descriptions of our own, unit value (thousand
# USD per tonne) and whether the exporters are the mining countries of a metal (ores and first-stage metal).
REQUIRED_PRODUCTS: dict[str, tuple[str, float, str | None]] = {
    row["hs6"]: (row["description"], float(row["unit_value"]), row["metal"] or None)
    for row in _table("required_products.csv")
}

_CHAPTER_TABLE = _table("hs_chapters.csv")
HS_CHAPTERS = {int(row["chapter"]): row["name"] for row in _CHAPTER_TABLE}
# relative number of HS6 codes per chapter (our own rough weights; scaled to 5,022 codes); empty weight: 25
CHAPTER_WEIGHT = {int(row["chapter"]): int(row["weight"]) for row in _CHAPTER_TABLE if row["weight"]}
# unit value (thousand USD per tonne) of a typical good of a chapter range
CHAPTER_UV = [(1, 24, 2.5), (25, 27, 0.3), (28, 38, 4.0), (39, 40, 2.8), (41, 49, 3.0), (50, 67, 12.0),
              (68, 70, 1.2), (71, 71, 2000.0), (72, 83, 3.0), (84, 85, 30.0), (86, 89, 12.0), (90, 92, 60.0),
              (93, 97, 10.0)]  # fmt: skip


@dataclasses.dataclass
class Products:
    """The HS92 product list of the scale, sorted by code."""

    code: list[str]
    description: list[str]
    chapter: np.ndarray
    log_uv: np.ndarray
    log_pop: np.ndarray

    @property
    def n(self) -> int:
        """Number of products."""
        return len(self.code)

    @functools.cached_property
    def k_int(self) -> np.ndarray:
        """Codes as integers (as BACI flow files write them)."""
        return np.array([int(c) for c in self.code], dtype=np.int64)


def _chapter_counts(total: int) -> dict[int, int]:
    """Spread ``total`` codes over chapters 01-97 (no 77) by the chapter weights, largest remainder."""
    chapters = sorted(HS_CHAPTERS)
    weight = np.array([CHAPTER_WEIGHT.get(c, 25) for c in chapters], dtype=float)
    exact = weight / weight.sum() * total
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return dict(zip(chapters, counts.tolist(), strict=True))


def _chapter_uv(chapter: int) -> float:
    return next(uv for lo, hi, uv in CHAPTER_UV if lo <= chapter <= hi)


def _all_product_codes(seed: int) -> list[str]:
    """Draw the full list of 5,022 plausible HS92 codes (required codes included)."""
    rng = _rng(seed, "product-codes")
    suffixes = np.array(["10", "11", "12", "19", "20", "21", "22", "29", "30", "31", "39", "40", "41", "49",
                         "50", "60", "70", "80", "90", "91", "92", "99", "00"])  # fmt: skip
    required = set(REQUIRED_PRODUCTS)
    codes: list[str] = []
    for chapter, count in _chapter_counts(5022).items():
        own = sorted(c for c in required if int(c[:2]) == chapter)
        n_headings = int(np.clip(count // 4 + 2, 3, 99))
        headings = np.arange(1, n_headings + 1)
        pool = [f"{chapter:02d}{h:02d}{s}" for h in headings for s in suffixes]
        pool = [c for c in pool if c not in required]
        weights = rng.gamma(0.7, size=len(pool))
        need = max(count - len(own), 0)
        pick = rng.choice(len(pool), size=min(need, len(pool)), replace=False, p=weights / weights.sum())
        codes.extend(own + [pool[i] for i in pick])
    return sorted(codes)


def _products(seed: int, n: int) -> Products:
    """Return the product list of a scale: the required codes plus a random subset of the full list."""
    full = _all_product_codes(seed)
    rng = _rng(seed, "products")
    required = sorted(set(REQUIRED_PRODUCTS))
    others = [c for c in full if c not in REQUIRED_PRODUCTS]
    if n >= len(full):
        chosen = full
    else:
        pick = rng.choice(len(others), size=max(n - len(required), 0), replace=False)
        chosen = sorted(required + [others[i] for i in pick])
    quirky = chosen[len(chosen) // 3]
    descriptions, chapters, uv = [], [], []
    for code in chosen:
        chapter = int(code[:2])
        chapters.append(chapter)
        if code in REQUIRED_PRODUCTS:
            descriptions.append(REQUIRED_PRODUCTS[code][0])
            uv.append(REQUIRED_PRODUCTS[code][1])
            continue
        text = f"{HS_CHAPTERS[chapter]}: heading {code[:4]}, subheading {code[4:]} (demo)"
        if code == quirky:
            text = f'{HS_CHAPTERS[chapter]}: so-called "demo" goods, other than in heading {code[:4]}'
        descriptions.append(text)
        uv.append(_chapter_uv(chapter))
    log_uv = np.log(np.array(uv)) + rng.normal(0, 0.5, len(chosen)) * np.array(
        [c not in REQUIRED_PRODUCTS for c in chosen]
    )
    log_pop = rng.normal(0, 1.0, len(chosen))
    for i, code in enumerate(chosen):
        if code in KEY_HS6:
            log_pop[i] = 2.0 + 0.3 * rng.normal()
    return Products(chosen, descriptions, np.array(chapters), log_uv, log_pop)


def _write_product_codes(writer: _Writer, products: Products) -> None:
    lines = ['"code","description"'] + [
        f"{_q(c)},{_q(d)}" for c, d in zip(products.code, products.description, strict=True)
    ]
    writer.text(f"baci/product_codes_HS92_{RELEASE}.csv", lines, "\r\n")
