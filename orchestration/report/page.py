"""The HTML page: tables, style, banner, sections in order, and :func:`build_report`."""

import base64
import datetime as dt
import html
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from orchestration import figures
from orchestration.report.labels import (
    label,
)
from orchestration.report.model import Section, Table, Warehouse, _png, _svg
from orchestration.report.sections_io import (
    section_ai_demand_pathways,
    section_ai_metal_tonnes,
    section_metal_flags,
    section_oecd_import_content,
    section_table1,
)
from orchestration.report.sections_results import (
    coverage_banner,
    section_coverage,
    section_figure1,
    section_figure2,
    section_programme_comparison,
    section_quality,
    section_trade_cleaning,
)

SECTIONS: list[Callable] = [
    section_table1,
    section_figure1,
    section_figure2,
    section_programme_comparison,
    section_metal_flags,
    section_ai_metal_tonnes,
    section_ai_demand_pathways,
    section_oecd_import_content,
    section_trade_cleaning,
]


# ------------------------------------------------------------------------------------------------ page
def _cell(value) -> str:
    """Format one value: integers and large numbers with thousands separators, the rest to 4 significant digits."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if pd.isna(value):
            return ""
        if float(value).is_integer() or abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return html.escape(str(value))


def _table_html(name: str, table: Table) -> str:
    """Render a captioned table with human labels, its first ``shown`` rows and a link to its full CSV."""
    frame = table.frame
    link = f"<a href='tables/{html.escape(name)}.csv'>tables/{html.escape(name)}.csv</a>"
    caption = html.escape(table.caption or name)
    if table.shown == 0:
        return f"<p class='csv'>{caption}: {len(frame):,} rows in {link}.</p>"
    shown = frame.head(table.shown)
    head = "".join(f"<th>{html.escape(label(str(c)))}</th>" for c in shown.columns)
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) for c in shown.columns]
    body = "".join(
        "<tr>"
        + "".join(f"<td class='{'num' if n else 'txt'}'>{_cell(v)}</td>" for v, n in zip(row, numeric, strict=True))
        + "</tr>"
        for row in shown.itertuples(index=False)
    )
    more = f"first {len(shown)} of {len(frame):,} rows; every row in {link}" if len(frame) > len(shown) else link
    return (
        f"<div class='table' id='{html.escape(name)}'><table class='data'><caption>{caption}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table><p class='note'>{more}</p></div>"
    )


STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; margin: 1.5em auto; max-width: 1180px; padding: 0 16px;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 2em; }
nav a { margin-right: 1em; }
div.table { max-width: 100%; overflow-x: auto; }
table.data { border-collapse: collapse; font-size: 12.5px; margin: 0.6em 0 0.2em; font-family: sans-serif; }
table.data caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
table.data td, table.data th { padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
table.data th { border-bottom: 2px solid #888; text-align: left; }
table.data td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.data td.txt { max-width: 34em; overflow-wrap: anywhere; }
figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: #444; }
.missing { color: #8a6d3b; }
.banner { padding: 8px 12px; background: #eef; border-left: 4px solid #88a; }
.banner.demo { background: #fee; border-left-color: #c66; } .banner ul { margin: 0.3em 0; }
.note, .csv { font-size: 11.5px; color: #555; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; } nav { display: none; }
  h2 { break-after: avoid; } figure, table.data { break-inside: avoid; }
  div.table { overflow: visible; } table.data { font-size: 8pt; } table.data td.txt { max-width: 24em; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 14mm; }
}
"""


def _banner_html(kind: str, lines: list[str]) -> str:
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    listed = f"<ul>{items}</ul>" if items else ""
    if kind == "demo":
        return (
            "<div class='banner demo' id='banner'><p>Built from the synthetic demo world: numbers illustrate the "
            f"machinery, not the real economy.</p>{listed}</div>"
        )
    head = (
        "Built from real inputs. Thin or missing inputs, and what they affect:"
        if items
        else "Built from real inputs, every one complete."
    )
    return f"<div class='banner' id='banner'><p>{head}</p>{listed}</div>"


def _section_html(section: Section, out_dir: Path, plt) -> str:
    parts = [f"<section id='{section.anchor}'><h2>{html.escape(section.title)}</h2>"]
    if section.missing:
        return parts[0] + f"<p class='missing'>Not available: {html.escape(section.missing)}</p></section>"
    if section.text:
        parts.append(f"<p>{html.escape(section.text)}</p>")
    tables = {name: t if isinstance(t, Table) else Table(t) for name, t in section.tables.items()}
    # Table 1 reads as the programme's: its per-sector tables come before the figure
    first = {n: t for n, t in tables.items() if n.startswith("table1_") and t.shown}
    for name, table in first.items():
        parts.append(_table_html(name, table))
    for name, figure in section.figures.items():
        png = _png(figure)
        (out_dir / "figures" / f"{name}.png").write_bytes(png)
        (out_dir / "figures" / f"{name}.svg").write_bytes(_svg(figure))
        plt.close(figure)
        encoded = base64.b64encode(png).decode()
        parts.append(
            f"<figure id='{name}'><img alt='{name}' src='data:image/png;base64,{encoded}'>"
            f"<figcaption>{section.title.split(' — ')[0]} (<a href='figures/{name}.svg'>SVG</a>, "
            f"<a href='figures/{name}.png'>PNG</a>)</figcaption></figure>"
        )
    for name, table in tables.items():
        table.frame.to_csv(out_dir / "tables" / f"{name}.csv", index=False)
        if name not in first:
            parts.append(_table_html(name, table))
    parts.append("</section>")
    return "".join(parts)


def build_report(published: Path, out_dir: Path) -> Path:
    """Write ``out_dir/report.html`` (self-contained), ``figures/*.png|svg`` and ``tables/*.csv``.

    Returns
    -------
    Path
        The HTML report.
    """
    plt = figures.pyplot()

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "figures").mkdir(exist_ok=True)
    (out_dir / "tables").mkdir(exist_ok=True)
    wh = Warehouse(published)
    try:
        sections = [make(wh) for make in SECTIONS]
        sections += [section_quality(wh, published), section_coverage(wh)]
        banner = coverage_banner(wh)
        info = wh.frame("select * from marts.build_info") if wh.has("marts.build_info") else pd.DataFrame()
    finally:
        wh.close()
    kind = str(info["source_kind"].iloc[0]) if not info.empty else "unknown"
    body = "".join(_section_html(section, out_dir, plt) for section in sections)
    nav = "".join(f"<a href='#{s.anchor}'>{html.escape(s.title.split(' — ')[0])}</a>" for s in sections)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>metalnexus report</title><style>{STYLE}</style></head><body>
<h1>metalnexus — critical metals behind AI-related industry</h1>
<p class='note'>Published warehouse: {html.escape(str(published))}; report written
{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; inputs: {html.escape(kind)}. Every table in full: tables/*.csv;
every figure as SVG and PNG: figures/.</p>
{_banner_html(kind, banner)}
<nav>{nav}</nav>
{body}
</body></html>
"""
    report = out_dir / "report.html"
    temporary = out_dir / "report.html.tmp"
    temporary.write_text(page)
    temporary.replace(report)
    (out_dir / "report.json").write_text(
        json.dumps(
            {"banner": banner, "sections": [{"title": s.title, "missing": s.missing} for s in sections]}, indent=1
        )
    )
    return report
