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
    """The worksheet names of an .xlsx file."""
    return _excel_cells(data, None, names_only=True)[0]


def _excel_cells(
    data: bytes, sheet: str | None, names_only: bool = False
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
        if names_only:
            return names, None, []
        chosen = sheet or names[0]
        if chosen not in names:
            raise Refusal("data.err_no_sheet", sheet=chosen, sheets=", ".join(names))
        records = []
        try:
            for number, values in enumerate(book[chosen].iter_rows(values_only=True), start=1):
                cells = [_cell_text(v) for v in values]
                if any(c.strip() for c in cells):
                    records.append((number, cells))
        except Exception as exc:
            raise _excel_error(exc) from exc
        return names, chosen, records
    finally:
        book.close()


def _check_archive(data: bytes) -> None:
    """An .xlsx is a zip: refuse a broken one or one that would unpack to gigabytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise Refusal("data.err_excel_damaged") from exc
    if unpacked > upload_limit_mb() * 1024 * 1024 * MAX_EXPANSION:
        raise Refusal("data.err_excel_bomb")


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
