"""Hostile files built on demand (never committed): Excel workbooks that ask the parser for
millions of shared strings, rows or cells, and damaged backups and database files.

A big part is packed from one deflate piece repeated: a full flush makes each piece stand on its
own, so a 500 MB part packs to a couple of MB in milliseconds, like the files a red team made.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import duckdb

from tests.samples import xlsx_bytes

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
UNIT_ROWS = 512


# -- Excel -------------------------------------------------------------------------------------
class Part:
    """A zip member given as raw deflate data with its CRC-32 and unpacked size."""

    def __init__(self, name: str, packed: bytes, crc: int, size: int):
        self.name, self.packed, self.crc, self.size = name, packed, crc, size

    @classmethod
    def of(cls, name: str, data: bytes) -> Part:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))

    @classmethod
    def repeated(cls, name: str, head: bytes, unit: bytes, times: int, tail: bytes) -> Part:
        """head + unit × times + tail, packed from one piece of `unit`."""
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
        piece = packer.compress(unit) + packer.flush(zlib.Z_FULL_FLUSH)
        last = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(unit, crc)
        crc = zlib.crc32(tail, crc)
        size = len(head) + len(unit) * times + len(tail)
        return cls(name, first + piece * times + last, crc, size)


def zip_of(parts: list[Part]) -> bytes:
    """A zip file of deflated parts (a plain zip writer: zipfile cannot take packed data)."""
    out, directory = io.BytesIO(), io.BytesIO()
    for part in parts:
        name = part.name.encode()
        offset = out.tell()
        fields = (20, 0, 8, 0, 0x21, part.crc, len(part.packed), part.size, len(name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name + part.packed)
        directory.write(
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIIIHHHHHII", *fields, 0, 0, 0, 0, 0, offset)
            + name
        )
    start, listing = out.tell(), directory.getvalue()
    out.write(listing)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(listing), start, 0)
    )
    return out.getvalue()


SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
SHARED_STRINGS_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)
# The two-row sheet of `workbook_with`, its texts taken from the shared strings 0 to 3.
SHARED_SHEET = (
    f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
    "</sheetData></worksheet>"
)


def workbook_with(part: Part) -> bytes:
    """A real two-sheet workbook (person_id, name / E1, Anna) with `part` put in: a sheet
    replaced, or a shared-strings table added with its content type and relationship."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["person_id", "name"], ["E1", "Anna"]])))
    files = {item.filename: source.read(item.filename) for item in source.infolist()}
    if part.name == "xl/sharedStrings.xml":
        files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
            b"</Types>",
            f'<Override PartName="/{part.name}" ContentType="{SHARED_STRINGS_TYPE}"/>'
            "</Types>".encode(),
        )
        rels = "xl/_rels/workbook.xml.rels"
        files[rels] = files[rels].replace(
            b"</Relationships>",
            f'<Relationship Id="rIdStrings" Type="{SHARED_STRINGS_REL}" '
            'Target="sharedStrings.xml"/></Relationships>'.encode(),
        )
        files["xl/worksheets/sheet1.xml"] = SHARED_SHEET.encode()
    parts = [Part.of(name, data) for name, data in files.items() if name != part.name]
    return zip_of([*parts, part])


def _strings_unit(count: int, varied_every: int, seed: int) -> bytes:
    """`count` shared strings, one in `varied_every` four random letters, the rest "x"."""
    rng = random.Random(seed)
    texts = (
        "".join(rng.choices(LETTERS, k=4)) if i % varied_every == 0 else "x" for i in range(count)
    )
    return "".join(f"<si><t>{text}</t></si>" for text in texts).encode()


def shared_strings_bomb(strings: int, varied_every: int = 256) -> bytes:
    """A workbook whose shared-strings table holds `strings` entries; at the default variety
    it packs about 230 to 1 (30 million strings: 2.2 MB; 3 million: 220 KB)."""
    unit = _strings_unit(4096, varied_every, seed=strings)
    head = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">').encode()
    head += b"<si><t>person_id</t></si><si><t>name</t></si><si><t>E1</t></si><si><t>Anna</t></si>"
    part = Part.repeated("xl/sharedStrings.xml", head, unit, strings // 4096, b"</sst>")
    return workbook_with(part)


def sheet_bomb(rows: int, cells: int) -> bytes:
    """A workbook whose first sheet has `rows` rows of `cells` one-digit numbers, random enough
    that it packs only some 20 to 50 to 1."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>person_id</t></is></c></row>'
    ).encode()
    rng = random.Random(rows * cells)
    unit = "".join(
        "<row>" + "".join(f"<c><v>{rng.randint(0, 9)}</v></c>" for _ in range(cells)) + "</row>"
        for _ in range(UNIT_ROWS)
    ).encode()
    tail = b"</sheetData></worksheet>"
    part = Part.repeated("xl/worksheets/sheet1.xml", head, unit, rows // UNIT_ROWS, tail)
    return workbook_with(part)


def sheet_xml(body: str, dimension: str | None = None) -> bytes:
    """A small workbook whose first sheet is `body` (rows XML), optionally with a dimension."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">{declared}'
        f"<sheetData>{body}</sheetData></worksheet>"
    )
    return workbook_with(Part.of("xl/worksheets/sheet1.xml", xml.encode()))


def inline_row(number: int, *cells: tuple[str, str]) -> str:
    """A row of inline-string cells at the given references."""
    inner = "".join(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>' for ref, text in cells)
    return f'<row r="{number}">{inner}</row>'


# -- backups and database files ---------------------------------------------------------------
def flip_byte(file: Path, fraction: float = 0.5) -> None:
    """Invert one byte at `fraction` of the file."""
    data = bytearray(file.read_bytes())
    data[int(len(data) * fraction)] ^= 0xFF
    file.write_bytes(bytes(data))


def truncate(file: Path, fraction: float = 0.5) -> None:
    file.write_bytes(file.read_bytes()[: int(file.stat().st_size * fraction)])


def swap(folder: Path, first: str, second: str) -> None:
    """Exchange two tables' files, as a careless hand might."""
    a, b = folder / f"{first}.parquet", folder / f"{second}.parquet"
    scratch = folder / "swap.tmp"
    a.rename(scratch)
    b.rename(a)
    scratch.rename(b)


def link(folder: Path, table: str, target: Path) -> None:
    """Replace a table's file by a symbolic link to another file."""
    file = folder / f"{table}.parquet"
    file.unlink()
    file.symlink_to(target)


def link_file(file: Path) -> None:
    """Move a file aside and leave a symbolic link to it in its place."""
    aside = file.with_name(f"aside-{file.name}")
    file.rename(aside)
    file.symlink_to(aside)


def emptied(folder: Path, table: str) -> None:
    """A table's file rewritten with no rows and the manifest made to match: a consistent-
    looking backup whose other tables now point at nothing."""
    file = folder / f"{table}.parquet"
    scratch = folder / "empty.parquet"
    duckdb.execute(
        f"COPY (SELECT * FROM read_parquet('{file}') LIMIT 0) TO '{scratch}' (FORMAT parquet)"
    )
    shutil.move(scratch, file)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"][table] = {"rows": 0, "checksum": "0:0"}
    (folder / "manifest.json").write_text(json.dumps(manifest))


def zip_with_bad_crc(archive: bytes, member: str) -> bytes:
    """The zip with one byte of a member's packed data changed (its CRC no longer matches)."""
    packed = zipfile.ZipFile(io.BytesIO(archive))
    info = packed.getinfo(member)
    name_length, extra_length = struct.unpack(
        "<HH", archive[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_length + extra_length
    data = bytearray(archive)
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)
