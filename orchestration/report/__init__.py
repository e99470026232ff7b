"""The results report: one self-contained HTML page from the published warehouse, laid out as a paper's appendix.

Figures are also written as PNG and SVG, every table in full as CSV beside the page (``tables/``); the page
shows long tables summarised, with a link to their CSV.

One function per section, each taking the warehouse and returning a :class:`Section`: Table 1 in the
programme's layout (per sector: rank, induced imports per million yen, HS92 code, product, metals), Figure 1,
Figure 2, the programme's numbers beside ours, the metal flags' coverage, the
import content of AI-related demand across the OECD tables, trade cleaning, data quality, inputs and provenance. The
banner above them (:func:`coverage_banner`) names every thin or missing input and what it affects. A section
whose marts are absent says so instead of failing, so a partial real build still reports what it has. To add
a section, write a ``section_…`` function and list it in :data:`SECTIONS`.
"""

from orchestration.report.labels import (
    AFFECTS,
    FIGURE1_VS_PROGRAMME,
    LABELS,
    PROGRAMME_SECTOR_ORDER,
    VALUATION,
    VALUATIONS,
    label,
)
from orchestration.report.model import Section, Table, Warehouse, _png, _svg
from orchestration.report.page import SECTIONS, STYLE, _banner_html, _cell, _section_html, _table_html, build_report
from orchestration.report.sections_io import (
    section_ai_demand_pathways,
    section_ai_metal_tonnes,
    section_metal_flags,
    section_oecd_import_content,
    section_table1,
)
from orchestration.report.sections_results import (
    OUTPUT_NAMES,
    _thin_inputs,
    coverage_banner,
    section_coverage,
    section_figure1,
    section_figure2,
    section_programme_comparison,
    section_quality,
    section_trade_cleaning,
)

__all__ = [
    "AFFECTS",
    "FIGURE1_VS_PROGRAMME",
    "LABELS",
    "OUTPUT_NAMES",
    "PROGRAMME_SECTOR_ORDER",
    "SECTIONS",
    "STYLE",
    "Section",
    "Table",
    "VALUATION",
    "VALUATIONS",
    "Warehouse",
    "_banner_html",
    "_cell",
    "_png",
    "_section_html",
    "_svg",
    "_table_html",
    "_thin_inputs",
    "build_report",
    "coverage_banner",
    "label",
    "section_ai_demand_pathways",
    "section_ai_metal_tonnes",
    "section_coverage",
    "section_figure1",
    "section_figure2",
    "section_metal_flags",
    "section_oecd_import_content",
    "section_programme_comparison",
    "section_quality",
    "section_table1",
    "section_trade_cleaning",
]
