"""The build's Data Docs: an index over the Great Expectations result pages of every layer."""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
from pathlib import Path

# Result folders: raw tables, Python-written marts, and the warn-level distribution checks on dbt tables.
LAYERS = ("raw", "marts", "distributions")


def collect(results_dir: Path) -> list[dict]:
    """Return one summary per suite result found under ``results_dir/<layer>/*.json``."""
    rows = []
    for layer in LAYERS:
        for path in sorted((results_dir / layer).glob("*.json")):
            result = json.loads(path.read_text())
            stats = result.get("statistics", {})
            rows.append(
                {
                    "layer": layer,
                    "suite": path.stem,
                    "success": bool(result.get("success")),
                    "evaluated": stats.get("evaluated_expectations", 0),
                    "failed": stats.get("unsuccessful_expectations", 0),
                    "page": f"{layer}/{path.stem}.html",
                }
            )
    return rows


def write_site(results_dir: Path, site_dir: Path, title: str = "metalnexus data quality") -> Path:
    """Copy the result pages to ``site_dir`` and write its ``index.html``; return the index path."""
    rows = collect(results_dir)
    staging = site_dir.with_name(site_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for layer in LAYERS:
        source = results_dir / layer
        if source.is_dir():
            shutil.copytree(source, staging / layer)
    passed = sum(r["success"] for r in rows)
    lines = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 10px;border-bottom:1px solid #ddd}"
        ".ok{color:#1a7f37}.bad{color:#cf222e;font-weight:bold}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>Built {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. {passed} of {len(rows)} suites passed. "
        "Each suite links to its Great Expectations Data Docs page.</p>",
        "<table><tr><th>layer</th><th>suite</th><th>result</th><th>expectations</th><th>failed</th></tr>",
    ]
    for row in rows:
        verdict = "<span class='ok'>passed</span>" if row["success"] else "<span class='bad'>FAILED</span>"
        lines.append(
            f"<tr><td>{row['layer']}</td><td><a href='{html.escape(row['page'])}'>{html.escape(row['suite'])}</a>"
            f"</td><td>{verdict}</td><td>{row['evaluated']}</td><td>{row['failed']}</td></tr>"
        )
    lines.append("</table></body></html>")
    (staging / "index.html").write_text("\n".join(lines))
    shutil.rmtree(site_dir, ignore_errors=True)
    staging.rename(site_dir)
    return site_dir / "index.html"
