"""Safe extraction of the official zip releases (a BACI release, the World Bank bulk CSV zip).

Members are extracted into a folder the build owns, never into the (possibly read-only) data folder, and
every member must stay inside it: absolute names, ``..`` components and links are refused, naming the
archive and the member. Extraction is skipped when the archive's sha256 was already extracted.
"""

from __future__ import annotations

import hashlib
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from warehouse.errors import InputError


def _archive_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def safe_member_path(target: Path, name: str, archive: Path) -> Path:
    """Return where member ``name`` goes inside ``target``, or raise when it would land outside."""
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise InputError(archive, f"archive member {name!r} has an absolute path")
    if any(part == ".." for part in pure.parts):
        raise InputError(archive, f"archive member {name!r} climbs out of the extraction folder")
    destination = (target / Path(*pure.parts)).resolve()
    if not destination.is_relative_to(target.resolve()):
        raise InputError(archive, f"archive member {name!r} resolves outside the extraction folder")
    return destination


def extract_zip(archive: Path, extract_root: Path) -> Path:
    """Extract ``archive`` into ``extract_root/<archive stem>-<sha256[:12]>/`` and return that folder.

    Raises
    ------
    InputError
        For a broken archive or a member whose name is unsafe.
    """
    digest = _archive_digest(archive)
    target = extract_root / f"{archive.stem}-{digest[:12]}"
    done = target / ".extracted"
    if done.exists():
        return target
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        with zipfile.ZipFile(archive) as bundle:
            broken = bundle.testzip()
            if broken is not None:
                raise InputError(archive, f"archive member {broken!r} is corrupt (CRC mismatch)")
            for info in bundle.infolist():
                destination = safe_member_path(partial, info.filename, archive)
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise InputError(archive, f"archive member {info.filename!r} is a symbolic link")
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                with bundle.open(info) as source, open(destination, "wb") as sink:
                    shutil.copyfileobj(source, sink, 1 << 20)
    except zipfile.BadZipFile as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise InputError(archive, f"not a readable zip archive ({exc})") from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    done.write_text(digest + "\n")
    return target
