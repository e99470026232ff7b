"""Deterministic synthetic "demo world" written in the layouts of the official public files.

:func:`generate` writes, under one output folder, files laid out like ``../shared/data`` (BACI, World Bank
WDI/SDG, OWID, WGI, UN IRP and BGS material flows, a MIC-layout IO workbook, IAMC scenarios) plus a
``metal_content`` table, and a ``manifest.json`` holding the truths planted in them (outliers, the trade
ridge relation, the SDG panel model, the IO import multipliers).  Contents are synthetic; only codes that
are facts (ISO/M49 country codes, HS92 codes, CCC material codes, SDG goal titles) are real.

The same ``seed`` and ``scale`` give byte-identical files.  Randomness comes from numpy's
:func:`numpy.random.default_rng` seeded with a :class:`numpy.random.SeedSequence` derived from ``seed`` and a
stream name, so each part of the world is stable on its own.  BACI flow files are streamed exporter by
exporter (all 23 year files open at once) and formatted with Arrow compute kernels, so memory stays bounded
at every scale.

One module per source: :mod:`~warehouse.demo_world.countries`, :mod:`~warehouse.demo_world.products`,
:mod:`~warehouse.demo_world.baci`, :mod:`~warehouse.demo_world.metal_content`,
:mod:`~warehouse.demo_world.macro` (OWID), :mod:`~warehouse.demo_world.wgi`,
:mod:`~warehouse.demo_world.wdi_sdg`, :mod:`~warehouse.demo_world.material_flows` (IRP, CCC, BGS),
:mod:`~warehouse.demo_world.io_table` and :mod:`~warehouse.demo_world.scenarios`; the truths without a source
file of their own in :mod:`~warehouse.demo_world.ridge` and :mod:`~warehouse.demo_world.panel`; the shared
parts in :mod:`~warehouse.demo_world.common`, :mod:`~warehouse.demo_world.writers` and
:mod:`~warehouse.demo_world.manifest`; :mod:`~warehouse.demo_world.world` puts them together.  Literal
tables (countries, HS chapters, IO sectors, ...) are CSV files in ``tables/`` beside the code.
"""

from warehouse.demo_world.common import GENERATION_MARKER, SCALES
from warehouse.demo_world.io_table import IO_AI_SECTORS
from warehouse.demo_world.material_flows import BGS_COMMODITIES
from warehouse.demo_world.products import KEY_HS6, REQUIRED_PRODUCTS
from warehouse.demo_world.wgi import WGI_CONTROL
from warehouse.demo_world.world import generate

__all__ = [
    "BGS_COMMODITIES",
    "GENERATION_MARKER",
    "IO_AI_SECTORS",
    "KEY_HS6",
    "REQUIRED_PRODUCTS",
    "SCALES",
    "WGI_CONTROL",
    "generate",
]
