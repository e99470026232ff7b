"""Download the official releases into a data folder laid out for ``metalnexus build --source real``.

Downloads are resumable (an interrupted ``<file>.part`` is continued with an HTTP Range request), verified
(sha256 against a given checksum, else recorded in ``<file>.sha256`` and checked on the next fetch), and
atomic (the file appears under its final name only when complete and verified). Progress is reported as the
bytes arrive. Only ``http``/``https`` URLs are fetched; the destination stays inside the output folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from warehouse.errors import InputError

CHUNK = 1 << 20


@dataclasses.dataclass(frozen=True)
class Release:
    """One official file: where it comes from and where it goes in the data folder."""

    source: str
    url: str
    folder: str
    note: str


# BACI releases the code knows, oldest first; the last is the default of ``metalnexus fetch baci``. CEPII serves
# only its current release (V202301 is gone). V202301 (old code-list headers) and V202401b (new headers,
# ``country_code,country_name,country_iso2,country_iso3``) are read by the build and tested; V202501 has the
# V202401b layout according to CEPII's release notes but was not downloaded here (README, "Real data").
BACI_RELEASES = ("V202301", "V202401b", "V202501")
BACI_RELEASE_NAME = re.compile(r"^V\d{6}[a-z]?$")


def baci_url(release: str = BACI_RELEASES[-1]) -> str:
    """Return CEPII's download URL of the HS92 zip of one BACI release (``V202501``, ``V202401b`` …).

    Raises
    ------
    InputError
        When ``release`` is not a release name (``V`` + year and month + an optional letter).
    """
    if not BACI_RELEASE_NAME.match(release):
        raise InputError(release, "not a BACI release name (V + yyyymm + optional letter, e.g. V202501)")
    return f"https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS92_{release}.zip"


# The official download locations as published by each provider (release names change over time:
# pass --url to fetch another release). Checksums are not published by these providers; the first
# download records one in <file>.sha256 and later fetches verify against it.
RELEASES: dict[str, Release] = {
    "baci": Release(
        "baci",
        baci_url(),
        "baci",
        f"CEPII BACI HS92 {BACI_RELEASES[-1]} (--release for another), all years, one CSV per year plus code "
        "lists (about 2 GB zipped)",
    ),
    "wdi": Release(
        "wdi",
        "https://databank.worldbank.org/data/download/WDI_CSV.zip",
        "wdi",
        "World Development Indicators bulk CSV",
    ),
    "sdg": Release(
        "sdg",
        "https://databank.worldbank.org/data/download/SDG_CSV.zip",
        "wdi",
        "World Bank SDG database bulk CSV (SDGCSV.csv, SDGSeries.csv)",
    ),
    "owid": Release(
        "owid",
        "https://nyc3.digitaloceanspaces.com/owid-public/data/co2/owid-co2-data.csv",
        "owid",
        "Our World in Data CO2 and GHG data",
    ),
    "wgi": Release(
        "wgi",
        "https://www.worldbank.org/content/dam/sites/govindicators/doc/wgidataset.xlsx",
        "wgi",
        "Worldwide Governance Indicators, the official workbook (read as it is by the build)",
    ),
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _file_name(url: str) -> str:
    name = Path(urlsplit(url).path).name
    if not name or name in {".", ".."}:
        raise InputError(url, "the URL names no file")
    return name


def fetch(
    url: str,
    out_dir: str | os.PathLike,
    folder: str = "",
    sha256: str | None = None,
    progress: Callable[[str], None] | None = None,
    timeout: float = 60.0,
) -> Path:
    """Download ``url`` into ``out_dir/folder/<file name>``, resuming a partial download.

    Parameters
    ----------
    url
        ``http`` or ``https`` URL.
    out_dir
        The data folder.
    folder
        Sub-folder of the source (``baci``, ``wdi``…).
    sha256
        Expected checksum (hex); when absent, the one recorded by an earlier fetch is used, if any.
    progress
        Called with a short line as bytes arrive.
    timeout
        Socket timeout, seconds.

    Returns
    -------
    Path
        The downloaded file.

    Raises
    ------
    InputError
        For a refused URL, an HTTP error, or a checksum mismatch (the bad download is removed).
    """
    say = progress or (lambda message: None)
    if urlsplit(url).scheme not in {"http", "https"}:
        raise InputError(url, "only http and https URLs are fetched")
    root = Path(out_dir).resolve()
    target_dir = (root / folder).resolve()
    if not target_dir.is_relative_to(root):
        raise InputError(folder, f"folder resolves outside {root}")
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / _file_name(url)
    partial = target.with_name(target.name + ".part")
    recorded = target.with_name(target.name + ".sha256")
    expected = (sha256 or (recorded.read_text().split()[0] if recorded.exists() else "")).lower() or None
    if target.exists() and expected and _sha256(target) == expected:
        say(f"{target.name}: already present and verified")
        return target

    offset = partial.stat().st_size if partial.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": "metalnexus-fetch"})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - scheme checked above
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:  # the partial file is already complete
            response = None
        else:
            raise InputError(url, f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise InputError(url, f"cannot connect ({exc.reason})") from None
    if response is not None:
        with response:
            resumed = offset and response.status == 206
            if not resumed:
                offset = 0
            length = response.headers.get("Content-Length")
            total = offset + int(length) if length is not None else None
            mode = "ab" if resumed else "wb"
            received = offset
            next_report = 0.0
            with open(partial, mode) as sink:
                while block := response.read(CHUNK):
                    sink.write(block)
                    received += len(block)
                    share = received / total if total else 0.0
                    if total and share >= next_report:
                        say(f"{target.name}: {received / 1e6:.1f} of {total / 1e6:.1f} MB ({share:.0%})")
                        next_report = share + 0.1
                sink.flush()
                os.fsync(sink.fileno())
            if total is not None and received != total:
                raise InputError(url, f"download ended at {received} of {total} bytes; run fetch again to resume")
    actual = _sha256(partial)
    if expected and actual != expected:
        partial.unlink()
        raise InputError(url, f"sha256 mismatch: expected {expected}, got {actual}; the download was removed")
    os.replace(partial, target)
    recorded.write_text(f"{actual}  {target.name}\n")
    say(f"{target.name}: done, sha256 {actual[:16]}…")
    return target
