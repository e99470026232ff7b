"""BACI trade flows: the trade model and the 23 files ``baci/BACI_HS92_Y<year>_V202301.csv``.

Series (exporter, importer, product) start, end and gap at random, with lognormal levels, growth, the world
trade cycle and unit values; NA and zero quantities are drawn at the scale's shares.  The special products
(key products and products with a metal content) are drawn up front so the trade-ridge and DMI truths can be
planted on them; the others are drawn exporter by exporter and streamed, all year files open at once and
formatted with Arrow compute kernels, so memory stays bounded at every scale.  Plants the quantity
outliers (manifest ``baci.outliers``); the manifest ``baci`` section also records the flow counts and rules.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.demo_world.common import BACI_YEARS, RELEASE, _rng
from warehouse.demo_world.countries import Countries
from warehouse.demo_world.macro import Macro
from warehouse.demo_world.metal_content import METAL_CONTENT
from warehouse.demo_world.products import KEY_HS6, REQUIRED_PRODUCTS, Products
from warehouse.demo_world.writers import _Writer


@dataclasses.dataclass
class FlowBlock:
    """Trade series: positions ``i, j, k`` and ``(series, year)`` matrices in integer thousandths."""

    i: np.ndarray
    j: np.ndarray
    k: np.ndarray
    v: np.ndarray
    q: np.ndarray
    present: np.ndarray
    na: np.ndarray

    def take(self, rows: np.ndarray) -> FlowBlock:
        """Return the series at ``rows``."""
        return FlowBlock(*(getattr(self, f.name)[rows] for f in dataclasses.fields(self)))

    @staticmethod
    def concat(blocks: list[FlowBlock]) -> FlowBlock:
        """Concatenate blocks."""
        return FlowBlock(*(np.concatenate([getattr(b, f.name) for b in blocks]) for f in dataclasses.fields(FlowBlock)))


@dataclasses.dataclass
class TradeModel:
    """What the flow generator needs to know about countries, products and world trade."""

    countries: Countries
    products: Products
    params: dict[str, Any]
    year_effect: np.ndarray
    n_series: int
    p_gap: float = 0.04


def _gumbel_top(rng: np.random.Generator, logw: np.ndarray, n: int) -> np.ndarray:
    """Sorted indices of ``n`` items drawn without replacement with probability proportional to ``exp(logw)``."""
    finite = int(np.isfinite(logw).sum())
    n = min(n, finite)
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    keys = logw + rng.gumbel(size=logw.shape)
    if n >= keys.size:
        return np.arange(keys.size)
    return np.sort(np.argpartition(-keys, n - 1)[:n])


def _expected_series_length() -> float:
    """Mean number of present years of a series under the start/end/gap rules (fixed simulation)."""
    rng = np.random.default_rng(20230101)
    n, years = 200_000, len(BACI_YEARS)
    start = np.where(rng.random(n) < 0.45, 0, rng.integers(0, years, n))
    end = np.where(rng.random(n) < 0.5, years - 1, rng.integers(start, years))
    length = end - start + 1
    return float(np.mean(length - np.maximum(length - 2, 0) * 0.04))


def _series_paths(
    rng: np.random.Generator, model: TradeModel, i: np.ndarray, j: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw presence and float values/quantities of series ``(i, j, k)`` over the BACI years.

    Each series starts and ends in random years (clipped to the years both countries exist), has a
    few interior gaps, a lognormal level from exporter, importer and product sizes, its own growth
    rate, the world trade cycle, and a unit value around the product's.
    """
    c, p = model.countries, model.products
    n, n_years = len(i), len(BACI_YEARS)
    years = np.arange(n_years)
    lo = np.maximum(c.first[i], c.first[j]) - BACI_YEARS[0]
    hi = np.minimum(c.last[i], c.last[j]) - BACI_YEARS[0]
    start = np.where(rng.random(n) < 0.45, 0, rng.integers(0, n_years, n))
    end = np.where(rng.random(n) < 0.5, n_years - 1, rng.integers(start, n_years))
    start = np.clip(start, lo, hi)
    end = np.clip(np.maximum(end, start), lo, hi)
    present = (years >= start[:, None]) & (years <= end[:, None])
    interior = (years > start[:, None]) & (years < end[:, None])
    present &= ~(interior & (rng.random((n, n_years)) < model.p_gap))
    mean_exp, mean_imp = c.log_exp.mean(), c.log_imp.mean()
    base = np.log(25.0) + 0.7 * (c.log_exp[i] - mean_exp) + 0.7 * (c.log_imp[j] - mean_imp)
    base += 0.6 * p.log_pop[k] + rng.normal(0, 1.6, n)
    growth = rng.normal(0.03, 0.05, n)
    log_v = base[:, None] + growth[:, None] * (years - 11) + model.year_effect[None, :]
    log_v += rng.normal(0, 0.3, (n, n_years))
    log_uv = (p.log_uv[k] + rng.normal(0, 0.35, n))[:, None] + rng.normal(0, 0.08, (n, n_years))
    return present, np.exp(log_v), np.exp(log_v - log_uv)


def _masks(rng: np.random.Generator, present: np.ndarray, params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Draw the NA-quantity and zero-quantity cells among present ones."""
    draw = rng.random(present.shape)
    na = present & (draw < params["na_share"])
    zero = present & ~na & (draw > 1 - params["zero_q_share"])
    return na, zero


def _to_block(i, j, k, present, v, q, na, zero) -> FlowBlock:
    """Round float values and quantities to integer thousandths (v at least 0.001) into a block."""
    v_milli = np.where(present, np.maximum(np.rint(v * 1000), 1), 0).astype(np.int64)
    q_milli = np.where(present & ~zero, np.rint(q * 1000), 0).astype(np.int64)
    return FlowBlock(i.astype(np.int32), j.astype(np.int32), k.astype(np.int32), v_milli, q_milli, present, na)


def _plant_outliers(rng: np.random.Generator, block: FlowBlock, rate: float) -> dict[str, np.ndarray]:
    """Multiply (or divide) a few quantities inside long series; return rows, year positions and factors.

    Eligible points: quantity present, not NA, at least 1 tonne, strictly between the first and last
    present years of a series with at least 7 non-NA years.  At most one outlier per series.
    """
    n, n_years = block.q.shape
    if n == 0:
        return {"row": np.zeros(0, np.int64), "col": np.zeros(0, np.int64), "factor": np.zeros(0)}
    years = np.arange(n_years)
    has = block.present
    first = np.argmax(has, axis=1)
    last = n_years - 1 - np.argmax(has[:, ::-1], axis=1)
    valid = has & ~block.na
    eligible = valid & (block.q >= 1000) & (years > first[:, None]) & (years < last[:, None])
    eligible &= (valid.sum(axis=1) >= 7)[:, None]
    hit = eligible & (rng.random((n, n_years)) < rate)
    rows = np.flatnonzero(hit.any(axis=1))
    cols = np.argmax(hit[rows], axis=1)
    up = rng.random(len(rows)) < 0.5
    factor = np.where(up, rng.uniform(8, 30, len(rows)), 1 / rng.uniform(10, 30, len(rows)))
    block.q[rows, cols] = np.maximum(np.rint(block.q[rows, cols] * factor), 1)
    return {"row": rows, "col": cols, "factor": factor}


def _pair_candidates(countries: Countries) -> tuple[np.ndarray, np.ndarray]:
    """All ordered country pairs (i != j) that coexist in some BACI year, sorted by (i, j)."""
    i, j = np.meshgrid(np.arange(countries.n), np.arange(countries.n), indexing="ij")
    i, j = i.ravel(), j.ravel()
    ok = (i != j) & (
        np.maximum(countries.first[i], countries.first[j]) <= np.minimum(countries.last[i], countries.last[j])
    )
    return i[ok], j[ok]


def _special_positions(products: Products) -> np.ndarray:
    """Product positions generated up front: the key products and those with a metal content."""
    special = set(KEY_HS6) | {hs for hs, *_ in METAL_CONTENT}
    return np.array([pos for pos, code in enumerate(products.code) if code in special])


@dataclasses.dataclass
class RawSeries:
    """Series still in floats (before rounding), with their NA and zero-quantity masks."""

    i: np.ndarray
    j: np.ndarray
    k: np.ndarray
    present: np.ndarray
    v: np.ndarray
    q: np.ndarray
    na: np.ndarray
    zero: np.ndarray

    def to_block(self) -> FlowBlock:
        """Round into a :class:`FlowBlock`."""
        return _to_block(self.i, self.j, self.k, self.present, self.v, self.q, self.na, self.zero)


def _special_raw(seed: int, model: TradeModel, mined_share: dict[str, np.ndarray]) -> RawSeries:
    """Draw every series of the special products, all exporters at once.

    Ores and first-stage metals are exported mostly by the countries mining that metal
    (``mined_share``: each country's share of world mined metal).
    """
    c, p = model.countries, model.products
    pair_i, pair_j = _pair_candidates(c)
    weights = np.exp(p.log_pop)
    parts: list[tuple] = []
    for pos in _special_positions(p):
        code = p.code[pos]
        rng = _rng(seed, "baci-special", code)
        n_k = int(max(3, round(model.n_series * weights[pos] / weights.sum())))
        n_k = min(n_k, int(0.6 * len(pair_i)))
        logw = 0.7 * c.log_exp[pair_i] + 0.7 * c.log_imp[pair_j]
        metal = REQUIRED_PRODUCTS.get(code, ("", 0.0, None))[2]
        if metal is not None:
            logw = logw + 2.0 * np.log(mined_share[metal][pair_i] + 0.02)
        pick = _gumbel_top(rng, logw, n_k)
        i, j = pair_i[pick], pair_j[pick]
        k = np.full(len(pick), pos)
        present, v, q = _series_paths(rng, model, i, j, k)
        na, zero = _masks(rng, present, model.params)
        parts.append((i, j, k, present, v, q, na, zero))
    return RawSeries(*(np.concatenate([part[n] for part in parts]) for n in range(8)))


def _regular_exporter(seed: int, model: TradeModel, exporter: int, n_series: int, regular: np.ndarray) -> tuple:
    """Draw the series of one exporter over the regular (non-special) products; return block and outliers."""
    c, p = model.countries, model.products
    rng = _rng(seed, "baci-exporter", int(c.baci[exporter]))
    others = np.flatnonzero(
        (np.arange(c.n) != exporter) & (np.maximum(c.first, c.first[exporter]) <= np.minimum(c.last, c.last[exporter]))
    )
    rca = rng.normal(0, 1.0, 100)
    logw = (0.7 * c.log_imp[others])[:, None] + (p.log_pop[regular] + rca[p.chapter[regular]])[None, :]
    pick = _gumbel_top(rng, logw.ravel(), n_series)
    j = others[pick // len(regular)]
    k = regular[pick % len(regular)]
    i = np.full(len(pick), exporter)
    present, v, q = _series_paths(rng, model, i, j, k)
    na, zero = _masks(rng, present, model.params)
    block = _to_block(i, j, k, present, v, q, na, zero)
    outliers = _plant_outliers(rng, block, model.params["outlier_rate"])
    return block, outliers


def _allocate(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Split ``total`` proportionally to ``weights`` without exceeding ``caps`` (water filling)."""
    alloc = np.zeros(len(weights))
    free = caps > 0
    remaining = float(total)
    for _ in range(50):
        if remaining <= 0.5 or not free.any():
            break
        share = np.where(free, weights, 0.0)
        add = remaining * share / share.sum()
        alloc = np.minimum(alloc + add, caps)
        remaining = total - alloc.sum()
        free = alloc < caps - 0.5
    return np.floor(alloc).astype(np.int64)


def _trade_model(seed: int, countries: Countries, products: Products, macro: Macro, params: dict) -> TradeModel:
    """Set the number of series so that the expected number of flows per year matches the scale."""
    world_gdp = macro.at("gdp", BACI_YEARS)[countries.alive].sum(axis=0)
    year_effect = 1.2 * np.log(world_gdp / world_gdp[BACI_YEARS == 2006][0])
    n_series = int(round(params["flows_per_year"] * len(BACI_YEARS) / _expected_series_length()))
    return TradeModel(countries, products, params, year_effect, n_series)


BACI_HEADER = b'"t","i","j","k","v","q"\r\n'


def _fixed3(milli: np.ndarray) -> pa.Array:
    """Format non-negative integer thousandths as ``"<int>.<3 digits>"`` strings."""
    whole = pc.cast(pa.array(milli // 1000), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(milli % 1000), pa.string()), width=3, padding="0")
    return pc.binary_join_element_wise(whole, frac, ".")


def _baci_bytes(year: int, i: np.ndarray, j: np.ndarray, k: np.ndarray, v, q, na) -> memoryview:
    """Format flow rows exactly like BACI: ``t,i,j,k,v,"%13.3f"`` with CRLF; q may be ``NA``."""
    value = _fixed3(v)
    value = pc.utf8_rtrim(pc.utf8_rtrim(value, characters="0"), characters=".")
    quantity = pc.utf8_lpad(pc.if_else(pa.array(na), "NA", _fixed3(q)), width=13, padding=" ")
    quantity = pc.binary_join_element_wise('"', quantity, '"\r\n', "")
    line = pc.binary_join_element_wise(
        str(year),
        pc.cast(pa.array(i), pa.string()),
        pc.cast(pa.array(j), pa.string()),
        pc.cast(pa.array(k), pa.string()),
        value,
        quantity,
        ",",
    )
    offsets = np.frombuffer(line.buffers()[1], dtype=np.int32, count=len(line) + 1, offset=line.offset * 4)
    return memoryview(line.buffers()[2])[offsets[0] : offsets[-1]]


def _outlier_records(block: FlowBlock, found: dict[str, np.ndarray], model: TradeModel) -> list[dict]:
    """Turn outlier positions into ``{t, i, j, k, factor}`` records."""
    c, p = model.countries, model.products
    return [
        {
            "t": int(BACI_YEARS[col]),
            "i": int(c.baci[block.i[row]]),
            "j": int(c.baci[block.j[row]]),
            "k": p.code[block.k[row]],
            "factor": float(f),
        }
        for row, col, f in zip(found["row"], found["col"], found["factor"], strict=True)
    ]


class _BaciStream:
    """Appends series blocks, sorted by (i, j, k), to the 23 open year files."""

    def __init__(self, handles: list[Any], model: TradeModel):
        self.handles = handles
        self.model = model
        self.counts = np.zeros(len(BACI_YEARS), dtype=np.int64)
        self.na = 0
        self.zero = 0
        self.pending: list[FlowBlock] = []
        self.size = 0

    def add(self, block: FlowBlock) -> None:
        """Queue a block; write when the queue is large."""
        self.pending.append(block)
        self.size += len(block.i)
        if self.size >= self.model.params["chunk_series"]:
            self.flush()

    def flush(self) -> None:
        """Write every queued block, year by year."""
        if not self.pending:
            return
        block = FlowBlock.concat(self.pending)
        self.pending, self.size = [], 0
        codes, k_int = self.model.countries.baci, self.model.products.k_int
        for y, year in enumerate(BACI_YEARS):
            sel = np.flatnonzero(block.present[:, y])
            if not sel.size:
                continue
            na = block.na[sel, y]
            q = block.q[sel, y]
            self.handles[y].write(
                _baci_bytes(
                    int(year),
                    codes[block.i[sel]],
                    codes[block.j[sel]],
                    k_int[block.k[sel]],
                    block.v[sel, y],
                    q,
                    na,
                )
            )
            self.counts[y] += sel.size
            self.na += int(na.sum())
            self.zero += int(((q == 0) & ~na).sum())


def _write_baci_flows(writer: _Writer, seed: int, model: TradeModel, special: FlowBlock) -> dict[str, Any]:
    """Stream every flow file: regular series drawn exporter by exporter, merged with the special ones."""
    c, p = model.countries, model.products
    regular = np.setdiff1d(np.arange(p.n), _special_positions(p))
    partners = np.array(
        [((np.maximum(c.first, c.first[e]) <= np.minimum(c.last, c.last[e])).sum() - 1) for e in range(c.n)]
    )
    span = (c.last - c.first + 1) / len(BACI_YEARS)
    budget = max(model.n_series - len(special.i), 0)
    alloc = _allocate(budget, np.exp(c.log_exp) * span, 0.6 * partners * len(regular))
    by_exporter = np.argsort(special.i, kind="stable")
    bounds = np.searchsorted(special.i[by_exporter], np.arange(c.n + 1))
    names = [f"baci/BACI_HS92_Y{year}_{RELEASE}.csv" for year in BACI_YEARS]
    outliers: list[dict] = []
    with contextlib.ExitStack() as stack:
        handles = [stack.enter_context(writer.open(name)) for name in names]
        for handle in handles:
            handle.write(BACI_HEADER)
        stream = _BaciStream(handles, model)
        for e in range(c.n):
            block, found = _regular_exporter(seed, model, e, int(alloc[e]), regular)
            outliers += _outlier_records(block, found, model)
            merged = FlowBlock.concat([block, special.take(by_exporter[bounds[e] : bounds[e + 1]])])
            merged = merged.take(np.lexsort((p.k_int[merged.k], c.baci[merged.j])))
            stream.add(merged)
            if e % 10 == 9 or e == c.n - 1:
                writer.say(f"baci: exporters {e + 1}/{c.n} drawn, {int(stream.counts.sum()):,} flows written")
        stream.flush()
    for name in names:
        writer.say(f"wrote {name}")
    total = int(stream.counts.sum())
    return {
        "n_flows": dict(zip(BACI_YEARS.tolist(), stream.counts.tolist(), strict=True)),
        "n_flows_total": total,
        "na_share": stream.na / max(total, 1),
        "zero_q_rows": stream.zero,
        "regular_outliers": outliers,
    }
