"""Excel denial of service: workbooks that would ask the parser for millions of shared strings,
rows or cells are refused in well under a second, with a clear message and nothing changed.
The files are built here (tests/hostile_files.py), never committed."""

import shutil
import time

import pytest

from lib import access
from lib.cli import main
from lib.io import fileread, ingest
from lib.store.db import forget
from tests import hostile_files as hostile
from tests.conftest import ROOT, app_test

CURATOR = access.Viewer("curator")
FAST = 30.0  # seconds: the unbounded parse these files aimed at runs for minutes
HEADER = hostile.inline_row(1, ("A1", "person_id"), ("B1", "name"))


def far_row() -> bytes:
    """A header, then one row numbered 5,000,000: openpyxl fills the gap row by row."""
    return hostile.sheet_xml(HEADER + hostile.inline_row(5_000_000, ("A5000000", "E1")))


def wide_rows() -> bytes:
    """Rows whose one cell sits in column XFD: each is padded to 16,384 cells."""
    rows = "".join(hostile.inline_row(n, (f"XFD{n}", "x")) for n in range(2, 2000))
    return hostile.sheet_xml(HEADER + rows)


HOSTILE = {
    "strings-2MB": (
        lambda: hostile.shared_strings_bomb(30_000_000),
        "its part xl/sharedStrings.xml unpacks to 486 MB, more than the 256 MB a part may take",
    ),
    "strings-220KB": (
        lambda: hostile.shared_strings_bomb(3_000_000),
        "it unpacks to 232 times its packed size (at most 100 allowed), as a zip bomb does",
    ),
    "strings-count": (
        lambda: hostile.shared_strings_bomb(1_100_000, varied_every=16),
        "it holds more than 1,000,000 distinct texts (shared strings)",
    ),
    "rows": (
        lambda: hostile.sheet_bomb(1_100_000, 1),
        "a sheet has more than 1,048,576 rows",
    ),
    "cells": (
        lambda: hostile.sheet_bomb(600_000, 10),
        "a sheet holds more than about 5,000,000 cells",
    ),
    "far-row": (far_row, "a sheet has more than 1,048,576 rows"),
    "wide-rows": (wide_rows, "a sheet holds more than about 5,000,000 cells"),
}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, (build, _) in HOSTILE.items():
        (folder / f"{name}.xlsx").write_bytes(build())
    return folder


def test_the_headline_files_are_what_the_red_team_made(hostile_dir):
    """2 MB with 30 million shared strings and 220 KB with 3 million, both under the old
    limit (the whole file may unpack to 20 × the 50 MB upload limit)."""
    big, small = hostile_dir / "strings-2MB.xlsx", hostile_dir / "strings-220KB.xlsx"
    assert 2.0e6 < big.stat().st_size < 2.4e6 and 200e3 < small.stat().st_size < 240e3
    for file, strings in ((big, 30_000_000), (small, 3_000_000)):
        unpacked = hostile.zipfile.ZipFile(file).getinfo("xl/sharedStrings.xml").file_size
        assert unpacked < fileread.DEFAULT_LIMIT_MB * 1024 * 1024 * fileread.MAX_EXPANSION
        assert unpacked > strings * len(b"<si><t>x</t></si>")


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_workbook_is_refused_fast_and_changes_nothing(tiny_db, hostile_dir, name):
    before = tiny_db.table_checksums()
    started = time.perf_counter()
    with pytest.raises(ValueError) as refused:
        ingest.import_file(
            tiny_db, CURATOR, "people", hostile_dir / f"{name}.xlsx", mode="skip-bad"
        )
    elapsed = time.perf_counter() - started
    assert str(refused.value) == f"The Excel file was refused: {HOSTILE[name][1]}. Save " + (
        "the sheet as CSV." if name.startswith("strings") else "it as CSV."
    )
    assert elapsed < FAST, f"{name} took {elapsed:.2f} s"
    assert tiny_db.table_checksums() == before


def test_a_declared_dimension_does_not_pad_the_rows():
    """`A1:XFD1048576` would make openpyxl pad each row to 16,384 cells and add a million
    blank rows; the declared size is ignored and the sheet reads as it is."""
    data = hostile.sheet_xml(
        HEADER + hostile.inline_row(2, ("A2", "E1"), ("B2", "Anna")), "A1:XFD1048576"
    )
    started = time.perf_counter()
    table = fileread.read_table(data, "dimension.xlsx")
    assert time.perf_counter() - started < FAST
    assert table.columns == ["person_id", "name"]
    assert table.frame.to_dict("records") == [{"person_id": "E1", "name": "Anna"}]


@pytest.mark.parametrize(("limit", "refused"), [(4100, False), (4099, True)])
def test_the_shared_string_limit_holds_at_its_edge(monkeypatch, limit, refused):
    """4,100 shared strings (the workbook's 4 and 4,096 more) are read at a limit of 4,100
    and refused at 4,099."""
    limits = {**fileread.MARKUP_LIMITS, "strings": ("data.err_excel_strings", limit)}
    monkeypatch.setattr(fileread, "MARKUP_LIMITS", limits)
    data = hostile.shared_strings_bomb(4096)
    if refused:
        with pytest.raises(ValueError, match="more than 4,099 distinct texts"):
            fileread.read_table(data, "a.xlsx")
    else:
        table = fileread.read_table(data, "a.xlsx")
        assert table.frame.to_dict("records") == [{"person_id": "E1", "name": "Anna"}]


def test_cli_refuses_the_2_mb_workbook_in_one_line(tiny_template, hostile_dir, tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    shutil.copy(tiny_template, path)
    started = time.perf_counter()
    argv = ["--db", str(path), "import", "people", str(hostile_dir / "strings-2MB.xlsx")]
    assert main([*argv, "--mode", "skip-bad"]) == 2
    assert time.perf_counter() - started < FAST
    forget(path)
    assert capsys.readouterr().err == (
        f"error: The Excel file was refused: {HOSTILE['strings-2MB'][1]}. Save the sheet as CSV.\n"
    )


@pytest.fixture
def page_env(tiny_template, tmp_path, monkeypatch):
    path = tmp_path / "page.duckdb"
    shutil.copy(tiny_template, path)
    monkeypatch.setenv("EXPERTISE_DB", str(path))
    monkeypatch.delenv("EXPERTISE_LOCAL_MODE", raising=False)
    monkeypatch.chdir(ROOT)
    yield path
    forget(path)


def upload(at, name: str, data: bytes):
    at.file_uploader(key="data_file").set_value((name, data, "application/vnd.ms-excel"))
    at.run()
    return at


def test_the_data_page_refuses_the_2_mb_workbook(page_env, hostile_dir):
    at = app_test("curator", "pages/data.py")
    started = time.perf_counter()
    upload(at, "bomb.xlsx", (hostile_dir / "strings-2MB.xlsx").read_bytes())
    assert time.perf_counter() - started < 10  # the whole page rerun, not only the refusal
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The Excel file was refused: its part xl/sharedStrings\\.xml unpacks to 486 MB, more "
        "than the 256 MB a part may take\\. Save the sheet as CSV\\."
    ]


def test_the_data_page_parses_a_workbook_once_across_reruns(page_env, monkeypatch):
    """The sheet list and the chosen sheet are parsed once per file content: reruns, another
    import kind and the same file uploaded again reuse them."""
    parsed = []
    real_names, real_cells = fileread.sheet_names, fileread._excel_cells

    def names(data):
        parsed.append("names")
        return real_names(data)

    def cells(data, sheet):
        parsed.append(sheet)
        return real_cells(data, sheet)

    monkeypatch.setattr(fileread, "sheet_names", names)
    monkeypatch.setattr(fileread, "_excel_cells", cells)
    data = (ROOT / "tests" / "files" / "people.xlsx").read_bytes()
    at = upload(app_test("curator", "pages/data.py"), "people.xlsx", data)
    assert not at.exception and parsed == ["names", "people"]
    at.run()
    at.selectbox(key="data_kind").set_value("memberships")
    at.run()
    upload(at, "people.xlsx", data)
    assert not at.exception and parsed == ["names", "people"]
    at.selectbox(key="data_sheet").set_value("notes")
    at.run()
    at.selectbox(key="data_sheet").set_value("people")
    at.run()
    assert parsed == ["names", "people", "notes"]
