"""Files in: CSV (encoding and delimiter detected), Excel (.xlsx) and iCalendar (.ics, see
lib/conferences/calendar.py) read into text cells.

Every cell comes back as text ("" when blank) with the row number a spreadsheet shows, so the
validator sees one shape whatever the source. Broken, binary, oversized or hostile files are
refused with a Refusal saying why before anything else happens; `lang` only names unnamed
columns.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import charset_normalizer
import pandas as pd

from lib.conferences import calendar
from lib.errors import Refusal
from lib.i18n import t

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_LIMIT_MB = 50
DELIMITERS = (",", ";", "\t")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# What a bank's files are in when not UTF-8; a short Russian file is otherwise easily taken for
# a rarer code page such as mac_cyrillic.
LIKELY_ENCODINGS = ["cp1251", "koi8_r", "cp866", "cp1252", "utf_16", "latin_1"]
# An .xlsx that unpacks to more than this many times the upload limit is refused (zip bomb).
MAX_EXPANSION = 20
# Bounds on the work an .xlsx may ask of the parser (openpyxl takes about 20 µs a cell), checked
# on the packed file before openpyxl sees it: a hostile workbook is refused in milliseconds.
MAX_PART_MB = 256  # one unpacked part (a sheet, the shared strings)
MAX_RATIO = 100  # unpacked ÷ packed size of a part, or of the whole file; real sheets pack ~10×
RATIO_FLOOR = 1024 * 1024  # parts and files smaller than this unpacked are not ratio-checked
MAX_SHARED_STRINGS = 1_000_000
MAX_ROWS = 1_048_576  # Excel's own limit for one sheet
MAX_CELLS = 5_000_000  # per sheet, counting the blank cells a row is padded with
SCAN_CHUNK = 1024 * 1024


@dataclass
class RawTable:
    """A file's header and data rows as text, with provenance for the audit log."""

    file_name: str
    sha256: str
    columns: list[str]
    frame: pd.DataFrame
    rows: list[int]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)


def upload_limit_mb() -> int:
    """The upload limit in MB: `[server] maxUploadSize` of .streamlit/config.toml, else 50."""
    try:
        with open(ROOT / ".streamlit" / "config.toml", "rb") as handle:
            return int(
                tomllib.load(handle).get("server", {}).get("maxUploadSize", DEFAULT_LIMIT_MB)
            )
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        return DEFAULT_LIMIT_MB


def check_size(size: int) -> None:
    """Refuse a file over the upload limit before reading it."""
    limit = upload_limit_mb()
    if size > limit * 1024 * 1024:
        raise Refusal("data.err_too_large", size=f"{size / 1048576:.1f}", limit=limit)


def is_excel(data: bytes, file_name: str) -> bool:
    return data.startswith(ZIP_MAGIC) or file_name.lower().endswith(EXCEL_SUFFIXES)


def read_table(
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    lang: str = "en",
) -> RawTable:
    """Read a CSV, Excel or iCalendar file into a RawTable, or refuse it saying what is
    wrong."""
    check_size(len(data))
    if not data.strip():
        raise Refusal("data.err_empty")
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(OLE_MAGIC) or file_name.lower().endswith(".xls"):
        raise Refusal("data.err_old_excel")
    if calendar.is_calendar(data, file_name):
        text, used = _decode(data, encoding)
        table = _table(calendar.calendar_records(text), file_name, digest, lang)
        table.encoding = used
        return table
    if is_excel(data, file_name):
        sheets, name, cells = _excel_cells(data, sheet)
        table = _table(cells, file_name, digest, lang, name_extra_columns=True)
        table.sheet, table.sheets = name, sheets
        return table
    text, used = _decode(data, encoding)
    delimiter = detect_delimiter(text)
    table = _table(_csv_cells(text, delimiter), file_name, digest, lang)
    table.encoding, table.delimiter = used, delimiter
    return table


# -- CSV -------------------------------------------------------------------------------
def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    """Text of a CSV file: the given encoding, else a byte-order mark, UTF-8, or detection."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError as exc:
            raise Refusal("data.err_unknown_encoding", encoding=encoding) from exc
        except UnicodeDecodeError as exc:
            raise Refusal("data.err_wrong_encoding", encoding=encoding, position=exc.start) from exc
        return _refuse_nul(text.removeprefix("\ufeff")), encoding
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return _refuse_nul(data.decode(name).removeprefix("\ufeff")), name
            except UnicodeDecodeError as exc:
                raise Refusal("data.err_wrong_encoding", encoding=name, position=exc.start) from exc
    if b"\x00" in data:
        raise Refusal("data.err_nul")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=LIKELY_ENCODINGS).best()
    if best is None:
        raise Refusal("data.err_binary")
    return _refuse_nul(str(best)), best.encoding


def _refuse_nul(text: str) -> str:
    if "\x00" in text:
        raise Refusal("data.err_nul")
    return text


def detect_delimiter(text: str) -> str:
    """`,` `;` or tab: the one the header line uses most; csv.Sniffer settles a tie."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return ","
    leaders = [d for d, n in counts.items() if n == best]
    if len(leaders) == 1:
        return leaders[0]
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return leaders[0]


def _csv_cells(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(row number, cells) of every non-blank record; quoted cells may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for number, cells in enumerate(reader, start=1):
            if any(c.strip() for c in cells):
                records.append((number, cells))
    except csv.Error as exc:
        raise Refusal("data.err_csv", row=reader.line_num, reason=str(exc)) from exc
    return records


# -- Excel -----------------------------------------------------------------------------
def sheet_names(data: bytes) -> list[str]:
    """The worksheet names of an .xlsx file, read from its workbook part alone: the shared
    strings and the sheets themselves are parsed only when a sheet is read."""
    from openpyxl.reader.excel import ExcelReader

    _check_archive(data)
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True)
    except Exception as exc:
        raise _excel_error(exc) from exc
    try:
        reader.read_manifest()
        reader.read_workbook()
        return [
            sheet.name
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except Exception as exc:
        raise _excel_error(exc) from exc
    finally:
        reader.archive.close()


def _excel_cells(
    data: bytes, sheet: str | None
) -> tuple[list[str], str | None, list[tuple[int, list[str]]]]:
    """Sheet names, the chosen sheet and its (row number, cells) through openpyxl read-only,
    which parses XML with defusedxml so entity bombs are refused."""
    import openpyxl

    _check_archive(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise _excel_error(exc) from exc
    try:
        names = list(book.sheetnames)
        chosen = sheet or names[0]
        if chosen not in names:
            raise Refusal("data.err_no_sheet", sheet=chosen, sheets=", ".join(names))
        try:
            records = _sheet_records(book[chosen])
        except Refusal:
            raise
        except Exception as exc:
            raise _excel_error(exc) from exc
        return names, chosen, records
    finally:
        book.close()


def _sheet_records(sheet) -> list[tuple[int, list[str]]]:
    """(row number, cells) of a sheet's non-blank rows. The sheet's declared dimensions are
    dropped, so a hostile `A1:XFD1048576` cannot pad every row to 16,384 cells; rows and
    cells (with the blanks a row is padded to its last cell) stay within the limits."""
    sheet.reset_dimensions()
    records = []
    cells_seen = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise Refusal("data.err_excel_sheet_rows", limit=MAX_ROWS)
        if not values:
            continue
        cells_seen += len(values)
        if cells_seen > MAX_CELLS:
            raise Refusal("data.err_excel_cells", limit=MAX_CELLS)
        cells = ["" if v is None else _cell_text(v) for v in values]
        if any(c.strip() for c in cells):
            records.append((number, cells))
    return records


def _check_archive(data: bytes) -> None:
    """An .xlsx is a zip: refuse a broken one, or one that would ask the parser for more than
    the limits allow (a zip bomb, millions of shared strings, rows or cells). Sizes come from
    the zip directory (zipfile never unpacks more than it declares); counts from one fast pass
    over the unpacked bytes that stops as soon as a limit is passed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            _check_sizes(parts, len(data))
            for part in parts:
                _check_markup(archive, part)
    except Refusal:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        raise Refusal("data.err_excel_damaged") from exc
    except RuntimeError as exc:  # an encrypted part: zipfile wants a password
        raise Refusal("data.err_excel_damaged") from exc


def _check_sizes(parts: list[zipfile.ZipInfo], packed: int) -> None:
    """Each part within its size and packing ratio, then the whole file (parts may overlap)."""
    for part in parts:
        if part.file_size > MAX_PART_MB * 1024 * 1024:
            raise Refusal(
                "data.err_excel_part",
                part=part.filename,
                size=part.file_size // (1024 * 1024),
                limit=MAX_PART_MB,
            )
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * part.compress_size:
            raise Refusal(
                "data.err_excel_ratio",
                ratio=part.file_size // max(part.compress_size, 1),
                limit=MAX_RATIO,
            )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > upload_limit_mb() * 1024 * 1024 * MAX_EXPANSION:
        raise Refusal("data.err_excel_bomb")
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * packed:
        raise Refusal("data.err_excel_ratio", ratio=unpacked // max(packed, 1), limit=MAX_RATIO)


# Byte patterns whose counts bound what openpyxl will build from a part: every shared string
# starts with `<si` (or `<prefix:si`), every row with `<row`, every element with `<` (text
# cannot hold a raw `<`, so comments and CDATA can only make a count larger).
MARKUP = {"strings": (b"<si", b":si"), "rows": (b"<row", b":row"), "elements": (b"<",)}
MARKUP_LIMITS = {
    "strings": ("data.err_excel_strings", MAX_SHARED_STRINGS),
    "rows": ("data.err_excel_sheet_rows", MAX_ROWS),
    "elements": ("data.err_excel_cells", MAX_CELLS),
}
ELEMENTS_PER_CELL = 4  # <c …><v>…</v></c>


def _check_markup(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Count the patterns of MARKUP in one part, refusing the file once a count is too high."""
    counts = dict.fromkeys(MARKUP, 0)
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            window = tail + chunk
            for name, patterns in MARKUP.items():
                counts[name] += sum(window.count(p) - tail.count(p) for p in patterns)
            tail = window[-3:]
            _refuse_counts(counts)


def _refuse_counts(counts: dict[str, int]) -> None:
    scaled = {**counts, "elements": counts["elements"] // ELEMENTS_PER_CELL}
    for name, (key, limit) in MARKUP_LIMITS.items():
        if scaled[name] > limit:
            raise Refusal(key, limit=limit)


def _excel_error(exc: BaseException) -> Refusal:
    """Refused XML (defusedxml, anywhere in the chain) or simply a broken workbook."""
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__module__.startswith("defusedxml"):
            return Refusal("data.err_excel_bomb")
        seen = seen.__cause__ or seen.__context__
    return Refusal("data.err_excel_damaged")


def _cell_text(value: object) -> str:
    """An Excel value as the text a person would type: dates ISO, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


# -- shared ----------------------------------------------------------------------------
def _column_used(records: list[tuple[int, list[str]]], index: int) -> bool:
    return any(len(cells) > index and cells[index].strip() for _, cells in records)


def _table(
    records: list[tuple[int, list[str]]],
    file_name: str,
    digest: str,
    lang: str,
    name_extra_columns: bool = False,
) -> RawTable:
    """Header plus data rows; blank headers get a name, repeated ones are refused. A CSV row
    wider than its header means a wrong delimiter or quote; a sheet's unnamed but filled
    columns are kept under a generated name."""
    if not records:
        raise Refusal("data.err_empty")
    header = records[0][1]
    width = max(len(cells) for _, cells in records) if name_extra_columns else len(header)
    header = [h.strip().removeprefix("\ufeff") for h in header] + [""] * (width - len(header))
    while width and not header[width - 1] and not _column_used(records[1:], width - 1):
        width -= 1
    header = header[:width]
    columns = [h or t("data.unnamed_column", lang, number=i + 1) for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    for i, name in enumerate(columns):
        if name.casefold() in seen:
            raise Refusal(
                "data.err_duplicate_header",
                column=name,
                first=seen[name.casefold()] + 1,
                second=i + 1,
            )
        seen[name.casefold()] = i
    body = records[1:]
    if not body:
        raise Refusal("data.err_header_only")
    for number, cells in body:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            raise Refusal("data.err_ragged", row=number, cells=len(cells), width=width)
    rows = [
        cells if len(cells) == width else cells[:width] + [""] * (width - len(cells))
        for _, cells in body
    ]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return RawTable(
        file_name=file_name,
        sha256=digest,
        columns=columns,
        frame=frame,
        rows=[number for number, _ in body],
    )
