"""Find the input files of each source in a data folder laid out like ``../shared/data``.

The layout (the demo world writes the same one)::

    baci/BACI_HS92_Y<year>_V<release>*.csv[.gz] one or more flow files per year, of one or more releases
    baci/country_codes_V<release>*.csv[.gz], baci/product_codes_HS92_V<release>*.csv[.gz]
    wdi/*.csv                                    World Bank wide downloads (4 preamble lines) and long files
    wdi/Metadata_Indicator_*.csv, wdi/sdg/SDGSeries.csv
    owid/owid-co2-data*.csv
    wgi/*.xlsx (the official workbook) or wgi/*.csv (long layout)
    material_flows/DE_*.csv, material_flows/ccc.csv, material_flows/BGS_<commodity>_production.csv
    io/<table>/check_*_std.xlsx, io/**/*_long.csv, io/wiod_niot/<ISO3>_NIOT_*.csv
    scenarios/*.csv                              IAMC wide files, Leach/RCMIP emission files, Wittgenstein
                                                 population (others are skipped and listed)
    metal_content/*.csv
    hs_raw_materials/*rawmaterial_hs_codes.csv, *rawmaterial_hs_codes_metadata.csv   raw materials, HS codes, references
    product_composition/*bill_of_materials_long*.csv, product_composition/unu_ewaste/htbl_CN_Match_Key.csv
    io/oecd_iot*/*.zip                           OECD national IO tables (zip of <ISO3><year>dom.csv)
    material_flows/mine_production_by_country*.csv   long mine production (numeric country codes)
    comtrade/*.csv[.gz]                          UN Comtrade, API v1 column layout

Every path found must lie inside the data folder once symbolic links are resolved.

BACI: a folder may hold several releases (``V202301``, ``V202401b`` …). Flows come from one release only —
the newest (release names sort by date, a letter suffix after the plain month), or the one asked for —
so no year mixes releases; the flow files of the other releases are listed in ``skipped`` with the reason.
Code lists are kept from every release (newest first): the loaders take their union, the newest entry
winning per code, because a release of a few raw-material codes lists only those codes while the IO
concordance needs all 5,022 HS92 codes.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from warehouse.errors import InputError

# Files that look like inputs (the official formats' suffixes); anything else (README, PROVENANCE) is ignored.
INPUT_SUFFIXES = (".csv", ".csv.gz", ".gz", ".zip", ".xlsx", ".xls", ".tsv", ".txt", ".parquet", ".json")
UNREAD_FOLDER = "no source of the build reads this folder"
BACI_FLOWS = re.compile(r"^BACI_HS92_Y(\d{4})_V(\d+[a-z]*)(?:_[^.]*)?\.csv(?:\.gz)?$", re.IGNORECASE)
BACI_COUNTRIES = re.compile(r"^country_codes_V(\d+[a-z]*)(?:_[^.]*)?\.csv(?:\.gz)?$", re.IGNORECASE)
BACI_PRODUCTS = re.compile(r"^product_codes_HS92_V(\d+[a-z]*)(?:_[^.]*)?\.csv(?:\.gz)?$", re.IGNORECASE)


def release_key(release: str) -> tuple:
    """Sort key of a BACI release name (``V202401b`` after ``V202401`` after ``V202301``)."""
    match = re.match(r"^V?(\d+)([a-z]*)$", release, re.IGNORECASE)
    if not match:
        return (-1, release.lower())
    return (int(match.group(1)), match.group(2).lower())


def normalise_release(release: str) -> str:
    """Return a release as BACI names it: ``V`` and the digits, with its letter suffix (``v202401B`` → ``V202401b``)."""
    text = release.strip()
    return "V" + (text[1:] if text[:1] in "vV" else text).lower()


@dataclasses.dataclass
class Inventory:
    """The files of each source found in one data folder, and what was looked for but not found."""

    root: Path
    baci_years: dict[int, list[Path]]
    baci_countries: Path | None
    baci_products: Path | None
    wdi_wide: list[Path]
    wdi_long: list[Path]
    wdi_metadata: list[Path]
    sdg_series: Path | None
    owid: Path | None
    wgi: Path | None
    irp_extraction: list[Path]
    irp_ccc: list[Path]
    bgs: list[Path]
    io_workbooks: list[Path]
    io_long: list[Path]
    io_wiod: list[Path]
    scenarios_iamc: list[Path]
    scenarios_extra: list[Path]
    metal_content: list[Path]
    hs_raw_materials: list[Path]
    device_boms: list[Path]
    ewaste_cn_keys: list[Path]
    oecd_iot: list[Path]
    skipped: list[tuple[Path, str]]
    baci_release: str | None = None
    baci_releases: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    baci_country_lists: list[Path] = dataclasses.field(default_factory=list)
    baci_product_lists: list[Path] = dataclasses.field(default_factory=list)
    mine_production: list[Path] = dataclasses.field(default_factory=list)
    comtrade: list[Path] = dataclasses.field(default_factory=list)
    hs_raw_material_refs: list[Path] = dataclasses.field(default_factory=list)
    archives: list[Path] = dataclasses.field(default_factory=list)
    # flow files of the other BACI releases: read for unit values only (raw.baci_other_release_flows)
    baci_other_release_flows: list[Path] = dataclasses.field(default_factory=list)
    # UN HS<year> -> HS1992 conversion workbooks (CN codes of later years to HS92 items)
    hs_conversions: list[Path] = dataclasses.field(default_factory=list)

    def unused_lines(self) -> list[str]:
        """Return the input-looking files the build will not load, with the reason, for the terminal.

        One line per file, except that the files of a folder no source reads are summed up in one line per
        folder (``dim_source`` lists every file).
        """
        lines, folders = [], {}
        for path, reason in self.skipped:
            if reason.startswith(UNREAD_FOLDER):
                folders.setdefault((path.relative_to(self.root).parts[0], reason), []).append(path)
            else:
                lines.append(f"{path}: {reason}")
        for (folder, reason), paths in folders.items():
            lines.append(f"{self.root / folder}/: {len(paths)} file(s) not loaded: {reason}")
        return lines

    def used_files(self) -> set[Path]:
        """Return every file the build loads."""
        used: set[Path] = {p for paths in self.baci_years.values() for p in paths}
        used |= set(self.baci_country_lists) | set(self.baci_product_lists)
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in {"root", "skipped", "baci_years", "baci_releases"}:
                continue
            if isinstance(value, Path):
                used.add(value)
            elif isinstance(value, list):
                used |= {v for v in value if isinstance(v, Path)}
        return used

    def year_gaps(self) -> list[str]:
        """Return one line per run of years missing inside the span of the BACI flow files used."""
        from warehouse.year_gaps import missing_runs

        years = sorted(self.baci_years)
        return [
            f"BACI {self.baci_release}: no flow file for {first if first == last else f'{first}-{last}'} "
            f"inside {years[0]}-{years[-1]}: the series are cleaned without {'it' if first == last else 'them'}"
            for first, last in missing_runs(years)
        ]

    def require_some_input(self) -> None:
        """Refuse a data folder in which no source has a single file, before anything runs."""
        if not self.used_files():
            raise InputError(
                self.root,
                "no input file of any source here (expected e.g. baci/BACI_HS92_Y<year>_V<release>.csv[.gz], "
                "wdi/*.csv, owid/owid-co2-data*.csv); is this the data folder?",
            )

    def missing(self) -> list[str]:
        """Return the sources with no file, one line each."""
        checks = {
            "BACI flows (baci/BACI_HS92_Y*.csv[.gz])": bool(self.baci_years),
            "BACI country list (baci/country_codes_V*.csv[.gz])": self.baci_countries is not None,
            "BACI product list (baci/product_codes_HS92_V*.csv[.gz])": self.baci_products is not None,
            "World Bank indicator values (wdi/*.csv)": bool(self.wdi_wide or self.wdi_long),
            "World Bank indicator metadata (wdi/Metadata_Indicator_*.csv)": bool(self.wdi_metadata),
            "SDG series list (wdi/sdg/SDGSeries.csv)": self.sdg_series is not None,
            "OWID CO2/GHG (owid/owid-co2-data*.csv)": self.owid is not None,
            "WGI (wgi/*.xlsx or wgi/*.csv)": self.wgi is not None,
            "UN IRP extraction (material_flows/DE_*.csv)": bool(self.irp_extraction),
            "BGS production (material_flows/BGS_*_production.csv)": bool(self.bgs),
            "IO tables (io/*/check_*_std.xlsx)": bool(self.io_workbooks or self.io_long),
            "scenario pathways (scenarios/*.csv)": bool(self.scenarios_iamc or self.scenarios_extra),
            "metal content (metal_content/*.csv)": bool(self.metal_content),
            "raw-material HS codes (hs_raw_materials/*rawmaterial_hs_codes.csv)": bool(self.hs_raw_materials),
            "device bills of materials (product_composition/*bill_of_materials_long*.csv)": bool(self.device_boms),
            "OECD national IO tables (io/oecd_iot*/*.zip)": bool(self.oecd_iot),
            "CN → e-waste keys (product_composition/unu_ewaste/htbl_CN_Match_Key.csv)": bool(self.ewaste_cn_keys),
        }
        return [name for name, ok in checks.items() if not ok]


def _inside(root: Path, path: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        raise InputError(path, f"resolves outside the data folder {root}")
    return resolved


def _first_line(path: Path) -> str:
    with open(path, "rb") as handle:
        return handle.readline(4096).decode("utf-8-sig", errors="replace").strip()


def _glob(root: Path, pattern: str) -> list[Path]:
    return sorted(_inside(root, p) for p in root.glob(pattern) if p.is_file() and not p.name.startswith("."))


def _one(root: Path, pattern: str) -> Path | None:
    found = _glob(root, pattern)
    return found[-1] if found else None  # the latest release sorts last


def _unzipped(root: Path, folder: str, extract_dir: Path | None, skipped: list, archives: list) -> list[Path]:
    """Return the CSV files inside the zip archives of ``root/folder`` (extracted), in name order."""
    from warehouse.archives import extract_zip

    found: list[Path] = []
    for archive in _glob(root, f"{folder}/*.zip"):
        if extract_dir is None:
            skipped.append((archive, "zip archive: give an extraction folder (metalnexus build does)"))
            continue
        target = extract_zip(archive, extract_dir / folder)
        archives.append(archive)
        found += sorted(p for p in [*target.rglob("*.csv"), *target.rglob("*.csv.gz")] if p.is_file())
    return found


def _by_release(paths: list[Path], pattern: re.Pattern) -> list[Path]:
    """Return the ``paths`` whose name matches ``pattern`` (group 1: the release), newest release first."""
    found = [(release_key(m.group(1)), p.name, p) for p in paths if (m := pattern.match(p.name))]
    return [p for _, _, p in sorted(found, key=lambda f: (f[0], f[1]), reverse=True)]


def _baci_flows(
    files: list[Path], wanted: str | None, root: Path, skipped: list
) -> tuple[str | None, dict[str, list[int]], dict[int, list[Path]]]:
    """Split BACI flow files by release; return (chosen release, years per release, the chosen files by year)."""
    by_release: dict[str, dict[int, list[Path]]] = {}
    for path in files:
        match = BACI_FLOWS.match(path.name)
        if match:
            release = normalise_release(match.group(2))
            by_release.setdefault(release, {}).setdefault(int(match.group(1)), []).append(path)
    releases = {r: sorted(years) for r, years in sorted(by_release.items(), key=lambda kv: release_key(kv[0]))}
    if not by_release:
        if wanted:
            raise InputError(
                root / "baci", f"BACI release {normalise_release(wanted)} asked for, but no flow files found"
            )
        return None, releases, {}
    newest = max(by_release, key=release_key)
    chosen = normalise_release(wanted) if wanted else newest
    if chosen not in by_release:
        raise InputError(
            root / "baci",
            f"BACI release {chosen} asked for (--baci-release / var baci_release), but the flow files found are "
            f"of {', '.join(releases)}",
        )
    how = "the newest" if not wanted else "asked for with --baci-release"
    for release, years in by_release.items():
        if release == chosen:
            continue
        for paths in years.values():
            for path in paths:
                skipped.append(
                    (
                        path,
                        f"BACI release {release} not used: flows come from {chosen} ({how}); one release per "
                        f"build, never mixed within a year (choose another with --baci-release {release}); "
                        "read only for unit values of items the flows' release lacks (raw.baci_other_release_flows)",
                    )
                )
    return chosen, releases, dict(sorted(by_release[chosen].items()))


def _pick(paths: list[Path], prefix: str) -> Path | None:
    """Return the last (latest release) of ``paths`` whose name starts with ``prefix``."""
    chosen = [p for p in paths if p.name.startswith(prefix)]
    return sorted(chosen, key=lambda p: p.name)[-1] if chosen else None


def _wgi(root: Path, skipped: list) -> Path | None:
    """Return the WGI file: the official workbook (``wgi/*.xlsx``, newest name) before a long CSV."""
    workbook, long = _one(root, "wgi/*.xlsx"), _one(root, "wgi/*.csv")
    if workbook is not None and long is not None:
        skipped.append((long, f"WGI: the official workbook {workbook.name} is read instead"))
    return workbook or long


def discover(root: str | Path, extract_dir: str | Path | None = None, baci_release: str | None = None) -> Inventory:
    """Return the :class:`Inventory` of ``root``.

    Parameters
    ----------
    root
        The data folder.
    extract_dir
        Where zip releases found in ``baci/`` and ``wdi/`` (a BACI release, the World Bank bulk CSV zip)
        are extracted; without it they are listed as skipped.
    baci_release
        The BACI release whose flows to load (``V202301``); default: the newest found.

    Raises
    ------
    InputError
        When ``root`` is not a folder, a file found there resolves outside it, an archive is unsafe, or the
        BACI release asked for is not there.
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise InputError(root, "data folder not found")
    extract = Path(extract_dir).resolve() if extract_dir is not None else None
    skipped: list[tuple[Path, str]] = []
    archives: list[Path] = []
    baci_files = (
        _glob(root, "baci/*.csv") + _glob(root, "baci/*.csv.gz") + _unzipped(root, "baci", extract, skipped, archives)
    )
    release, releases, years = _baci_flows(baci_files, baci_release, root, skipped)
    chosen_files = {path for paths in years.values() for path in paths}
    other_release_flows = [p for p in baci_files if BACI_FLOWS.match(p.name) and p not in chosen_files]
    country_lists = _by_release(baci_files, BACI_COUNTRIES)
    product_lists = _by_release(baci_files, BACI_PRODUCTS)
    wide, long, metadata, series = [], [], [], []
    for path in _glob(root, "wdi/*.csv") + _unzipped(root, "wdi", extract, skipped, archives):
        first = _first_line(path)
        bare = first.replace('"', "")
        if path.name.startswith("Metadata_Indicator"):
            metadata.append(path)
        elif first.startswith('"Data Source"') or bare.startswith("Country Name,Country Code,Indicator Name"):
            wide.append(path)
        elif bare.startswith("Country Name,Country Code,Year"):
            long.append(path)
        elif bare.startswith("Series Code,Topic"):
            series.append(path)
        else:
            skipped.append((path, "not a World Bank wide or long indicator file"))
    from warehouse.scenario_formats import classify

    iamc, extra = [], []
    for path in _glob(root, "scenarios/*.csv"):
        head = [c.strip().strip('"').lower() for c in _first_line(path).split(",")[:5]]
        if head == ["model", "scenario", "region", "variable", "unit"]:
            iamc.append(path)
        elif classify(path) is not None:
            extra.append(path)  # Leach/RCMIP emissions or Wittgenstein population
        else:
            skipped.append((path, "not in IAMC wide format (model, scenario, region, variable, unit, years)"))
    inventory = Inventory(
        root=root,
        baci_years=years,
        baci_countries=country_lists[0] if country_lists else None,
        baci_products=product_lists[0] if product_lists else None,
        baci_release=release,
        baci_releases=releases,
        baci_country_lists=country_lists,
        baci_product_lists=product_lists,
        wdi_wide=wide,
        wdi_long=long,
        wdi_metadata=metadata,
        sdg_series=_one(root, "wdi/sdg/SDGSeries.csv") or _pick(series, "SDGSeries") or _pick(series, ""),
        owid=_one(root, "owid/owid-co2-data*.csv"),
        wgi=_wgi(root, skipped),
        irp_extraction=_glob(root, "material_flows/DE_*.csv"),
        irp_ccc=_glob(root, "material_flows/ccc.csv"),
        bgs=_glob(root, "material_flows/BGS_*_production.csv"),
        io_workbooks=_glob(root, "io/*/check_*_std.xlsx"),
        io_long=_glob(root, "io/**/*_long.csv"),
        io_wiod=_glob(root, "io/wiod_niot/*_NIOT_*.csv"),
        scenarios_iamc=iamc,
        scenarios_extra=extra,
        metal_content=_glob(root, "metal_content/*.csv"),
        hs_raw_materials=_glob(root, "hs_raw_materials/*rawmaterial_hs_codes.csv"),
        device_boms=_glob(root, "product_composition/*bill_of_materials_long*.csv"),
        ewaste_cn_keys=_glob(root, "product_composition/unu_ewaste/htbl_CN_Match_Key.csv"),
        oecd_iot=_glob(root, "io/oecd_iot*/*.zip"),
        skipped=skipped,
        mine_production=_glob(root, "material_flows/mine_production_by_country*.csv"),
        comtrade=_glob(root, "comtrade/*.csv") + _glob(root, "comtrade/*.csv.gz"),
        hs_raw_material_refs=_glob(root, "hs_raw_materials/*rawmaterial_hs_codes_metadata.csv"),
        archives=archives,
        baci_other_release_flows=other_release_flows,
        hs_conversions=_glob(root, "concordance/HS*toHS1992*.xlsx"),
    )
    _list_unread(inventory)
    return inventory


# The folders sources are read from, with what is read there (for the reason given for a file left out).
READ_THERE = {
    "baci": "BACI_HS92_Y<year>_V<release>*.csv[.gz], country_codes_V*.csv[.gz], product_codes_HS92_V*.csv[.gz], *.zip",
    "wdi": "*.csv and *.zip (World Bank wide or long files, Metadata_Indicator_*), sdg/SDGSeries.csv",
    "owid": "owid-co2-data*.csv (the last by name)",
    "wgi": "*.csv (the last by name)",
    "material_flows": "DE_*.csv, ccc.csv, BGS_<commodity>_production.csv",
    "io": "<table>/check_*_std.xlsx, **/*_long.csv, wiod_niot/*_NIOT_*.csv",
    "scenarios": "*.csv (IAMC wide, Leach/RCMIP emissions, Wittgenstein population)",
    "metal_content": "*.csv",
    "concordance": "HS<year>toHS1992*.xlsx (UN HS → HS1992 conversions)",
}


def _list_unread(inventory: Inventory) -> None:
    """Add to ``inventory.skipped`` every input-looking file under the root that nothing loads, with why."""
    root = inventory.root
    used = {p.resolve() for p in inventory.used_files()}
    listed = {p.resolve() for p, _ in inventory.skipped}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or len(relative.parts) < 2:
            continue  # hidden files, and the folder's own README/PROVENANCE/manifest
        name = path.name.lower()
        if not name.endswith(INPUT_SUFFIXES):
            continue
        folder = relative.parts[0]
        if path.is_dir():
            if BACI_FLOWS.match(path.name) or folder in READ_THERE:
                inventory.skipped.append((path, "a folder named like an input file, not a file: not read"))
            continue
        resolved = path.resolve()
        if resolved in used or resolved in listed or not path.is_file():
            continue
        if folder in READ_THERE:
            why = f"no loader reads this file (read in {folder}/: {READ_THERE[folder]})"
            if folder == "wgi" or (folder == "owid" and name.startswith("owid-co2-data")):
                why = f"{folder}/ holds several candidate files; only the last by name is read ({READ_THERE[folder]})"
        else:
            why = f"{UNREAD_FOLDER} ({folder}/: nothing in the build reads it yet)"
        inventory.skipped.append((path, why))
