"""Reading delimited files of the official formats into DuckDB, with errors that name file, line and column.

DuckDB parses (fast, streaming, parallel); this module adds what the official files need around it:
the header checked against what the format promises, the encoding sniffed (UTF-8 with or without BOM,
latin-1 fallback), preamble lines skipped, and every row DuckDB cannot convert reported by its line —
either as one :class:`~warehouse.errors.InputError` (the default) or kept in a quarantine table.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from warehouse.errors import InputError

SNIFF_BYTES = 4 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    """Tell whether ``path`` is gzip-compressed (by its first two bytes, whatever its name says)."""
    with open(path, "rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def open_bytes(path: Path):
    """Open ``path`` for reading bytes, decompressing gzip (BACI's yearly ``.csv.gz``) on the fly."""
    return gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")


def sniff_encoding(path: Path) -> str:
    """Return ``utf-8`` when the first 4 MiB decode as UTF-8 (BOM allowed), else ``latin-1``."""
    with open_bytes(path) as handle:
        try:
            head = handle.read(SNIFF_BYTES)
        except (OSError, EOFError) as exc:
            raise InputError(path, f"not a readable gzip file ({exc})") from None
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 4 MiB boundary is not an encoding problem.
        if exc.start < len(head) - 4:
            return "latin-1"
    return "utf-8"


def read_header(path: Path, *, skip: int = 0, delim: str = ",", encoding: str = "utf-8") -> list[str]:
    """Return the column names on line ``skip + 1`` (BOM and quotes removed).

    Raises
    ------
    InputError
        When the file is missing, empty, or has fewer lines than the preamble.
    """
    if not path.exists():
        raise InputError(path, "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty", line=1)
    with io.TextIOWrapper(
        open_bytes(path), encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline=""
    ) as handle:
        try:
            lines = list(itertools.islice(handle, skip + 1))
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not valid {encoding} text in the header ({exc.reason})", line=1) from None
        except (OSError, EOFError) as exc:
            raise InputError(path, f"not a readable gzip file ({exc})", line=1) from None
    if len(lines) <= skip:
        raise InputError(path, f"expected a header on line {skip + 1}, the file has {len(lines)} lines", line=1)
    row = next(csv.reader(io.StringIO(lines[skip]), delimiter=delim, quotechar='"'), [])
    return [name.strip() for name in row]


def require_columns(path: Path, header: Sequence[str], required: Sequence[str], *, line: int) -> None:
    """Raise an :class:`InputError` naming the first required column missing from ``header``."""
    present = {name.lower() for name in header}
    for name in required:
        if name.lower() not in present:
            raise InputError(path, f"header lacks column {name!r} (found: {', '.join(header[:12])})", line=line)


def quote_ident(name: str) -> str:
    """Return ``name`` as a quoted SQL identifier (embedded double quotes doubled), safe to splice into SQL.

    Column names come from the header lines of input files, so they are untrusted text.
    """
    return '"' + str(name).replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """Return ``value`` as a SQL string literal (embedded single quotes doubled)."""
    return "'" + str(value).replace("'", "''") + "'"


def csv_source(
    path: Path,
    types: Mapping[str, str],
    *,
    skip: int = 0,
    delim: str = ",",
    nullstr: Sequence[str] = ("",),
    required: Sequence[str] | None = None,
) -> tuple[str, tuple[str, str]]:
    """Return a ``read_csv(...)`` expression for ``path`` and the names of its two rejects tables.

    The header is checked first (raising :class:`InputError` for a missing column); rows DuckDB cannot
    convert land in the first rejects table (``line``, ``column_name``, ``error_message``) once the
    expression has been read. See :func:`scan_csv` for the parameters.
    """
    encoding = sniff_encoding(path)
    header = read_header(path, skip=skip, delim=delim, encoding=encoding)
    require_columns(path, header, list(required if required is not None else types), line=skip + 1)
    lowered = {name.lower(): kind for name, kind in types.items()}
    columns: dict[str, str] = {}
    for position, name in enumerate(header):
        key = name if name else f"_extra_{position + 1}"
        if key in columns:
            raise InputError(path, f"column {name!r} appears twice in the header", line=skip + 1)
        columns[key] = lowered.get(name.lower(), "VARCHAR")
    tag = uuid.uuid4().hex[:12]
    rejects, rejects_scan = f"rej_{tag}", f"rejscan_{tag}"
    column_spec = "{" + ", ".join(f"{quote_literal(k)}: {quote_literal(v)}" for k, v in columns.items()) + "}"
    null_spec = "[" + ", ".join(quote_literal(s) for s in nullstr) + "]"
    options = (
        f"header=true, skip={skip}, delim={quote_literal(delim)}, quote='\"', escape='\"', "
        f"auto_detect=false, columns={column_spec}, nullstr={null_spec}, "
        f"encoding={quote_literal(encoding)}, store_rejects=true, rejects_table={quote_literal(rejects)}, "
        f"rejects_scan={quote_literal(rejects_scan)}, rejects_limit=0, strict_mode=true, "
        f"compression={quote_literal('gzip' if is_gzip(path) else 'none')}"
    )
    return f"read_csv({quote_literal(str(path))}, {options})", (rejects, rejects_scan)


def file_facts(path: Path, chunk: int = 1 << 22) -> dict:
    """Return the sha256 of a file's bytes and its physical line count (of the decompressed text for gzip).

    One read of the file for both: the loaders run it beside DuckDB's parse. A last line without a newline
    counts; an unreadable gzip stream gives ``{"error": ...}`` instead of a count.
    """
    import hashlib
    import zlib

    digest = hashlib.sha256()
    newlines, last = 0, b"\n"
    inflate = zlib.decompressobj(wbits=47) if is_gzip(path) else None  # 47: gzip header, any window
    try:
        with open(path, "rb") as handle:
            while block := handle.read(chunk):
                digest.update(block)
                text = inflate.decompress(block) if inflate is not None else block
                while inflate is not None and inflate.eof and inflate.unused_data:
                    rest = inflate.unused_data  # a multi-member gzip file: the next member
                    inflate = zlib.decompressobj(wbits=47)
                    text += inflate.decompress(rest)
                if text:
                    newlines += text.count(b"\n")
                    last = text[-1:]
        if inflate is not None and not inflate.eof:
            return {"sha256": digest.hexdigest(), "error": "gzip stream ends early (a truncated download?)"}
    except zlib.error as exc:
        return {"sha256": digest.hexdigest(), "error": f"not a readable gzip file ({exc})"}
    return {"sha256": digest.hexdigest(), "data_lines": newlines + (0 if last == b"\n" else 1)}


def count_records(path: Path, *, delim: str = ",", encoding: str | None = None) -> int:
    """Return the number of non-empty CSV records (header included), quoted line breaks kept inside a field.

    Exact but slow (Python's csv module): used only when the physical line count and the rows read differ.
    """
    encoding = encoding or sniff_encoding(path)
    csv.field_size_limit(1 << 31)
    with io.TextIOWrapper(
        open_bytes(path), encoding="utf-8-sig" if encoding == "utf-8" else encoding, errors="replace", newline=""
    ) as handle:
        return sum(1 for row in csv.reader(handle, delimiter=delim, quotechar='"') if row)


def check_rows_read(
    path: Path, rows_read: int, facts: dict, *, skip: int = 0, delim: str = ",", encoding: str | None = None
) -> None:
    """Fail unless ``rows_read`` (kept + set aside) equals the data records of the file after its header.

    ``facts`` is :func:`file_facts` of the file (its physical line count). When the lines and the rows
    differ — blank lines, a quoted field spanning lines, or a line DuckDB's reader skipped without a word
    (an over-long line) — the records are counted exactly (:func:`count_records`, blank lines left out,
    less the non-blank lines of the ``skip`` preamble lines) and only a real difference fails.

    Raises
    ------
    InputError
        Naming the file, with both counts, when a row was lost; or when the file is not readable gzip.
    """
    if "error" in facts:
        raise InputError(path, facts["error"])
    if rows_read == facts["data_lines"] - skip - 1:
        return
    encoding = encoding or sniff_encoding(path)
    preamble = 0
    if skip:
        with io.TextIOWrapper(open_bytes(path), encoding="utf-8-sig" if encoding == "utf-8" else encoding,
                              errors="replace", newline="") as handle:  # fmt: skip
            preamble = sum(1 for line in itertools.islice(handle, skip) if line.strip())
    records = count_records(path, delim=delim, encoding=encoding) - preamble - 1
    if rows_read != records:
        raise InputError(
            path,
            f"the file has {records:,} data lines but {rows_read:,} rows were read: a line was skipped by the CSV "
            "reader (an over-long line, a stray quote?)",
        )


def scan_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    types: Mapping[str, str],
    *,
    skip: int = 0,
    delim: str = ",",
    nullstr: Sequence[str] = ("",),
    required: Sequence[str] | None = None,
    on_bad_rows: str = "fail",
    quarantine: list[dict] | None = None,
) -> str:
    """Parse a delimited file into a temporary table and return its name.

    Every column of the file is read; ``types`` gives the DuckDB type of the columns that are not text
    (matched case-insensitively; the rest are VARCHAR). A column ``_line`` holds each row's line
    number in the file, so later checks can point at it.

    Parameters
    ----------
    con
        Open DuckDB connection (the temporary table lives in it).
    path
        The file.
    types
        Column name → DuckDB type for typed columns.
    skip
        Preamble lines before the header.
    delim
        Field separator.
    nullstr
        Strings that mean missing (compared after DuckDB's own trimming of numeric fields).
    required
        Columns that must be in the header (default: all keys of ``types``).
    on_bad_rows
        ``fail`` (raise on the first bad row) or ``quarantine`` (drop bad rows, describe them in ``quarantine``).
    quarantine
        List that receives one dict per bad row in quarantine mode.

    Returns
    -------
    str
        Name of the temporary table.
    """
    source, (rejects, rejects_scan) = csv_source(
        path, types, skip=skip, delim=delim, nullstr=nullstr, required=required
    )
    table = f"scan_{uuid.uuid4().hex[:12]}"
    try:
        con.execute(
            f"create temp table {table} as select *, (row_number() over ())::bigint + {skip + 1} as _line from {source}"
        )
    except duckdb.Error as exc:
        raise InputError(path, first_line(str(exc))) from None
    bad = con.execute(
        f"select line, column_name, error_type, error_message from {rejects} order by line, column_idx"
    ).fetchall()
    con.execute(f"drop table if exists {rejects}")
    con.execute(f"drop table if exists {rejects_scan}")
    if bad:
        line, column, _kind, message = bad[0]
        if on_bad_rows != "quarantine":
            more = f" ({len({b[0] for b in bad}) - 1} more bad lines)" if len(bad) > 1 else ""
            raise InputError(path, first_line(message) + more, line=int(line), column=column)
        if quarantine is not None:
            seen: set[int] = set()
            for line, column, _kind, message in bad:
                if int(line) in seen:
                    continue
                seen.add(int(line))
                quarantine.append(
                    {
                        "source_file": str(path),
                        "line": int(line),
                        "column_name": column,
                        "reason": first_line(message),
                    }
                )
    # _line is exact when no quoted field spans lines and no row before it was rejected, which holds
    # for the numeric official formats checked through it; checks use it to point at a row.
    return table


def first_line(message: str) -> str:
    """Return the first non-empty line of an error message."""
    return message.strip().splitlines()[0] if message.strip() else "unreadable file"


def fail_on(
    con: duckdb.DuckDBPyConnection,
    table: str,
    path: Path,
    predicate: str,
    message: str,
    column: str | None = None,
) -> None:
    """Raise an :class:`InputError` at the first row of ``table`` where the SQL ``predicate`` holds."""
    row = con.execute(f"select _line from {table} where {predicate} order by _line limit 1").fetchone()
    if row is not None:
        raise InputError(path, message, line=int(row[0]), column=column)
