"""Imports: the bad-file corpus, parsing, mapping, validation, modes, upsert, atomicity, audit."""

import hashlib
import shutil
import time
from datetime import date

import pandas as pd
import pytest

from lib import access
from lib.cli import main
from lib.io import backup, ingest, kinds, mapping, validate
from lib.io.fileread import read_table
from lib.store.db import Database, forget
from tests.conftest import ROOT
from tests.samples import HR_MAP, SAMPLES

FILES = ROOT / "tests" / "files"
CURATOR = access.Viewer("curator")
HR_FILE = SAMPLES / "hr_export_1500.csv"
TAXONOMY_FILE = SAMPLES / "skills_taxonomy_4000.csv"


def load(db, kind, text, mode="strict", name="upload.csv", **options):
    """Import CSV text (or bytes) as a user would upload it."""
    data = text.encode() if isinstance(text, str) else text
    raw = read_table(data, name, sheet=options.pop("sheet", None))
    return ingest.import_table(db, CURATOR, kind, raw, mode=mode, **options)


# -- the bad-file corpus: a clear message and every table unchanged ------------------------
REFUSED = [
    ("people_cp1251.csv", {"encoding": "utf-8"}, "not valid utf-8 text"),
    ("people_cp1251.csv", {"encoding": "klingon"}, "Unknown encoding: klingon"),
    ("utf16_no_bom.csv", {}, "contains NUL bytes"),
    ("nul_bytes.csv", {}, "contains NUL bytes"),
    ("people_pipes.csv", {}, "single column (person_id|name|department)"),
    ("people_no_id.csv", {}, "Required fields are not mapped: person_id"),
    ("empty.csv", {}, "The file is empty"),
    ("blank_lines.csv", {}, "The file is empty"),
    ("header_only.csv", {}, "header row but no data rows"),
    ("duplicate_header.csv", {}, "column Name appears twice (columns 2 and 3)"),
    ("ragged.csv", {}, "Row 3 has 4 cells but the header has 2"),
    ("truncated.xlsx", {}, "damaged or incomplete"),
    ("xml_bomb.xlsx", {}, "XML entity declarations"),
    ("old_format.xls", {}, "Old Excel files (.xls) are not supported"),
    ("people.xlsx", {"sheet": "missing"}, "no sheet named missing; the sheets are: people, notes"),
]


@pytest.mark.parametrize(("name", "options", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_files_say_why_and_change_nothing(tiny_db, name, options, message):
    before = tiny_db.table_checksums()
    with pytest.raises(ValueError) as caught:
        ingest.import_file(tiny_db, CURATOR, "people", FILES / name, mode="skip-bad", **options)
    assert message in str(caught.value)
    assert tiny_db.table_checksums() == before


def test_file_over_the_upload_limit_is_refused_before_reading(tiny_db, tmp_path):
    big = tmp_path / "huge.csv"
    with open(big, "wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    before = tiny_db.table_checksums()
    with pytest.raises(ValueError, match=r"51.0 MB; the upload limit is 50 MB"):
        ingest.import_file(tiny_db, CURATOR, "people", big, mode="skip-bad")
    with pytest.raises(ValueError, match="upload limit is 50 MB"):
        read_table(b"x" * (50 * 1024 * 1024 + 1), "upload.csv")
    assert tiny_db.table_checksums() == before


REPORTED = [
    (
        "duplicate_ids.csv",
        "people",
        [(4, "person_id", "E000001", "Same key as row 2 of the file.")],
    ),
    (
        "unknown_refs.csv",
        "person_skills",
        [
            (3, "person_id", "E999999", "Unknown person: not in the employee pool."),
            (
                4,
                "skill",
                "Pyhton",
                "Unknown skill: not a skill id, name or alias in the taxonomy. "
                "Did you mean Python (SK0001)?",
            ),
            (5, "level", "7", "Must be between 1 and 5."),
        ],
    ),
    (
        "hostile.csv",
        "people",
        [(6, "name", "Ж" * 120 + "…", "Longer than 500 characters (10000).")],
    ),
]


@pytest.mark.parametrize(("name", "kind", "expected"), REPORTED, ids=[r[0] for r in REPORTED])
def test_row_problems_are_reported_and_strict_writes_nothing(tiny_db, name, kind, expected):
    before = tiny_db.table_checksums()
    report = ingest.import_file(tiny_db, CURATOR, kind, FILES / name, mode="strict")
    assert list(report.problems.itertuples(index=False, name=None)) == expected
    assert not report.written and report.counted
    assert tiny_db.table_checksums() == before


def test_hostile_strings_are_stored_as_plain_text(tiny_db):
    report = ingest.import_file(tiny_db, CURATOR, "people", FILES / "hostile.csv", mode="skip-bad")
    assert (report.inserted, report.rejected) == (4, 1)
    stored = dict(tiny_db.rows("SELECT person_id, name FROM people WHERE person_id LIKE 'H%'"))
    assert stored["H001"] == "Robert'); DROP TABLE people; --"
    assert stored["H002"] == "<script>alert('x')</script>"
    assert stored["H003"] == '=HYPERLINK("http://evil.example","click")'
    assert tiny_db.count("people") == 404


# -- reading and parsing -------------------------------------------------------------------
def test_encodings_delimiters_and_sheets_are_detected():
    cp1251 = read_table((FILES / "people_cp1251.csv").read_bytes(), "a.csv")
    assert (cp1251.encoding, cp1251.delimiter) == ("cp1251", ";")
    assert cp1251.frame.iloc[0].tolist() == ["E000001", "Анна Петрова", "ИТ"]
    tabbed = read_table((FILES / "people_utf8_bom_tab.csv").read_bytes(), "b.csv")
    assert (tabbed.encoding, tabbed.delimiter, tabbed.columns[0]) == (
        "utf-8-sig",
        "\t",
        "person_id",
    )
    book = read_table((FILES / "people.xlsx").read_bytes(), "c.xlsx")
    assert (book.sheet, book.sheets, book.rows) == ("people", ["people", "notes"], [2, 3])


def test_quoted_cells_span_lines_and_rows_keep_file_numbers():
    text = 'skill_id,name,aliases\nS1,Python,"py\npython3"\n\nS2,Go,golang|go lang\n'
    raw = read_table(text.encode(), "t.csv")
    assert raw.rows == [2, 4]
    assert validate.split_list(raw.frame["aliases"].iloc[0]) == ["py", "python3"]
    assert validate.split_list("a; b | c\r\nd;;a") == ["a", "b", "c", "d"]


def test_numbers_are_read_the_way_people_write_them():
    cells = pd.Series(["1 234,5", "1.234,5", "1,234.5", "12,5", "85%", "1\u00a0000", "x", "inf"])
    parsed = validate.parse_numbers(cells, percent=True).tolist()
    assert parsed[:6] == [1234.5, 1234.5, 1234.5, 12.5, 85.0, 1000.0]
    assert pd.isna(parsed[6]) and parsed[7] == float("inf")


def test_capacity_months_decimal_commas_and_percentages(tiny_db):
    text = (
        "person_id;month;hours_available;load_pct\n"
        "E000001;03.2027;12,5;85%\n"
        "E000002;2027-04;8;90\n"
        "E000003;15.05.2027;0,5;100,0\n"
        "E000004;2027-13;1;inf\n"
    )
    report = load(tiny_db, "capacity", text, mode="skip-bad")
    assert (report.inserted, report.rejected) == (3, 1)
    assert report.problems["reason"].tolist() == [
        "Not a month: use YYYY-MM, MM.YYYY or a date.",
        "Not a number.",
    ]
    rows = tiny_db.rows(
        "SELECT person_id, month, hours_available, load_pct FROM capacity "
        "WHERE month >= '2027-01-01' ORDER BY person_id"
    )
    assert rows == [
        ("E000001", date(2027, 3, 1), 12.5, 85.0),
        ("E000002", date(2027, 4, 1), 8.0, 90.0),
        ("E000003", date(2027, 5, 1), 0.5, 100.0),
    ]


def test_dates_booleans_and_choices(tiny_db):
    text = (
        "person_id,wave,status,joined_on,left_on\n"
        "E000010,2,Активный,01.02.2026,\n"
        "E000011,2,talk-active,2026-02-01,\n"
        "E000012,2,alumni,2026-03-01,2026-02-01\n"
        "E000013,2.5,paused,2026-02-30,\n"
    )
    report = load(tiny_db, "memberships", text, mode="dry-run")
    reasons = {(r.row, r.column): r.reason for r in report.problems.itertuples()}
    assert reasons == {
        (3, "status"): "Not one of: candidate, onboarding, active, paused, alumni. "
        "Did you mean active?",
        (4, "left_on"): "left_on is before joined_on.",
        (5, "wave"): "Not a whole number.",
        (5, "joined_on"): "Not a date: use YYYY-MM-DD or DD.MM.YYYY.",
    }
    people = load(tiny_db, "people", "person_id,employed\nE000020,нет\nE000021,да\nE000022,может\n")
    assert people.problems["reason"].tolist() == [
        "Not yes or no: use yes, no, да, нет, true, false, 1 or 0."
    ]


def test_skills_are_found_by_id_name_or_alias_case_insensitively(tiny_db):
    text = (
        "person_id,skill,level,source\nE000001,sk0001,3,curator\nE000002,PY,4,\nE000003,python,2,\n"
    )
    report = load(tiny_db, "person_skills", text)
    assert report.written and report.inserted == 3
    assert tiny_db.rows(
        "SELECT person_id, skill_id, level, source FROM person_skills "
        "WHERE person_id IN ('E000001','E000002','E000003') AND skill_id = 'SK0001' "
        "AND level IN (2, 3, 4) AND source IN ('curator', 'self') ORDER BY 1"
    )[-3:] == [
        ("E000001", "SK0001", 3, "curator"),
        ("E000002", "SK0001", 4, "self"),
        ("E000003", "SK0001", 2, "self"),
    ]
    findings = load(
        tiny_db,
        "interview_findings",
        "interview_id,theme,code,skills\nINT0001,idea,new_code,Python; SQL analytics\n",
    )
    assert findings.written
    assert tiny_db.scalar("SELECT skills FROM interview_findings WHERE code = 'new_code'") == [
        "SK0001",
        "SK0002",
    ]


# -- mapping -------------------------------------------------------------------------------
def test_russian_and_hr_headers_are_guessed():
    kind = kinds.KINDS["people"]
    columns = ["Табельный номер", "ФИО", "Подразделение", "Дата приёма", "E-mail", "Хобби"]
    assert mapping.propose_mapping(kind, columns) == {
        "Табельный номер": "person_id",
        "ФИО": "name",
        "Подразделение": "department",
        "Дата приёма": "hired_on",
        "E-mail": "email",
        "Хобби": None,
    }
    skills = kinds.KINDS["skills"]
    esco = ["conceptUri", "preferredLabel", "altLabels", "description", "code"]
    assert mapping.propose_mapping(skills, esco) == {
        "conceptUri": "external_uri",
        "preferredLabel": "name",
        "altLabels": "aliases",
        "description": "description",
        "code": "skill_id",
    }


def test_map_option_parsing_and_mistakes():
    assert mapping.parse_map_option("EmployeeNumber=person_id, Dept = department,Fax=ignore") == {
        "EmployeeNumber": "person_id",
        "Dept": "department",
        "Fax": None,
    }
    with pytest.raises(ValueError, match="Column=field: oops"):
        mapping.parse_map_option("oops")
    kind = kinds.KINDS["people"]
    with pytest.raises(ValueError, match="column Nope that is not in the file"):
        mapping.propose_mapping(kind, ["a"], explicit={"Nope": "name"})
    with pytest.raises(ValueError, match="salary is not a field of people"):
        mapping.propose_mapping(kind, ["a"], explicit={"a": "salary"})


def test_last_mapping_is_remembered_per_user_and_kind(tiny_db):
    text = "Номер,Сектор\nE000001,Платформа\n"
    load(tiny_db, "people", text, mapping={"Номер": "person_id", "Сектор": "team"})
    kind = kinds.KINDS["people"]
    mine = mapping.remembered_mapping(tiny_db, "people", CURATOR.actor)
    assert mapping.propose_mapping(kind, ["Номер", "Сектор"], remembered=mine) == {
        "Номер": "person_id",
        "Сектор": "team",
    }
    assert mapping.remembered_mapping(tiny_db, "people", "someone@else") == {}
    assert mapping.remembered_mapping(tiny_db, "skills", CURATOR.actor) == {}


# -- modes, upsert, atomicity, audit -------------------------------------------------------
def test_skip_bad_writes_good_rows_and_returns_the_rest(tiny_db):
    text = "person_id,name,hired_on\nN1,Ann,2020-01-01\n,Nobody,2020-01-01\nN2,Bob,yesterday\n"
    report = load(tiny_db, "people", text, mode="skip-bad")
    assert (report.inserted, report.updated, report.rejected) == (1, 0, 2)
    assert report.rejects.columns.tolist() == ["row", "person_id", "name", "hired_on", "reason"]
    assert report.rejects["reason"].tolist() == [
        "person_id: A value is required.",
        "hired_on: Not a date: use YYYY-MM-DD or DD.MM.YYYY.",
    ]
    assert tiny_db.scalar("SELECT name FROM people WHERE person_id = 'N1'") == "Ann"


def test_dry_run_reports_without_writing(tiny_db):
    before = tiny_db.table_checksums()
    report = load(tiny_db, "people", "person_id,name\nN1,Ann\n", mode="dry-run")
    assert report.problems.empty and not report.written and report.good == 1
    assert tiny_db.table_checksums() == before


def test_upsert_by_key_is_idempotent_and_keeps_unmapped_fields(tiny_db):
    email = tiny_db.scalar("SELECT email FROM people WHERE person_id = 'E000001'")
    text = "person_id,name\nE000001,Renamed Person\nN1,New Person\n"
    first = load(tiny_db, "people", text)
    assert (first.inserted, first.updated, first.unchanged) == (1, 1, 0)
    after_first = tiny_db.table_checksums()
    again = load(tiny_db, "people", text)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert tiny_db.table_checksums()["people"] == after_first["people"]
    assert tiny_db.rows("SELECT name, email FROM people WHERE person_id = 'E000001'") == [
        ("Renamed Person", email)
    ]


def test_upsert_counts_only_rows_whose_values_change(tiny_db):
    text = (
        "skill_id,name,aliases\n"
        "SK0001,Python,py|python3\n"
        "SK0002,SQL analytics,SQL\n"
        "SK9001,Brand new skill,\n"
    )
    first = load(tiny_db, "skills", text)
    assert (first.inserted, first.updated, first.unchanged) == (1, 1, 1)
    assert tiny_db.rows(
        "SELECT skill_id, category, aliases FROM skills WHERE skill_id IN ('SK0002', 'SK9001') "
        "ORDER BY 1"
    ) == [("SK0002", "Data & AI", ["SQL"]), ("SK9001", None, None)]
    again = load(tiny_db, "skills", text)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)


def test_a_failure_mid_import_leaves_every_table_as_before(tiny_db, monkeypatch):
    before = tiny_db.table_checksums()

    def crash(*args, **kwargs):
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(ingest, "remember_mapping", crash)
    text = "person_id,name\nE000001,Changed By Update\nN1,New\n"
    with pytest.raises(RuntimeError, match="disk unplugged"):
        load(tiny_db, "people", text)
    assert tiny_db.table_checksums() == before


def test_every_import_writes_one_audit_row(tiny_db):
    data = b"person_id,name\nE000001,Ann\nN1,New\n,Blank\n"
    raw = read_table(data, "pool.csv")
    ingest.import_table(tiny_db, CURATOR, "people", raw, mode="skip-bad")
    row = tiny_db.df("SELECT * FROM audit_log ORDER BY entry_id DESC LIMIT 1").iloc[0]
    assert (row.actor, row.action, row.kind, row.file_name) == (
        "local:curator",
        "import",
        "people",
        "pool.csv",
    )
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert (row.inserted, row.updated, row.rejected) == (1, 1, 1)


def test_only_staff_may_import(tiny_db):
    before = tiny_db.table_checksums()
    raw = read_table(b"person_id\nN1\n", "a.csv")
    for role in ("leadership", "planner"):
        with pytest.raises(access.AccessDenied):
            ingest.import_table(tiny_db, access.Viewer(role), "people", raw, mode="strict")
    assert tiny_db.table_checksums() == before


def test_taxonomy_of_4000_skills_with_multiline_aliases_imports_in_seconds(tiny_db):
    started = time.perf_counter()
    report = ingest.import_file(tiny_db, CURATOR, "skills", TAXONOMY_FILE, mode="strict")
    seconds = time.perf_counter() - started
    print(f"4,000-skill taxonomy imported in {seconds:.2f} s")
    assert report.written and report.inserted == 4000 and report.problems.empty
    assert seconds < 5
    assert tiny_db.scalar("SELECT aliases FROM skills WHERE skill_id = 'TX00001'") == [
        "fundamentals in Python",
        "python fundamentals",
        "Python basics",
        "Python foundations",
    ]
    again = ingest.import_file(tiny_db, CURATOR, "skills", TAXONOMY_FILE, mode="strict")
    assert (again.inserted, again.updated) == (0, 0)


# -- the HR export through the command line ------------------------------------------------
@pytest.fixture
def tiny_path(tiny_template, tmp_path):
    path = tmp_path / "cli.duckdb"
    shutil.copy(tiny_template, path)
    yield str(path)
    forget(path)


def test_hr_export_via_cli_with_map_and_rejects(tiny_path, tmp_path, capsys):
    args = ["--db", tiny_path, "import", "people", str(HR_FILE), "--map", HR_MAP]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert "ignored columns: Ставка" in out
    assert "dry run of 1500 rows — 1477 good, 23 with problems" in out
    assert err.strip() == "error: problems found: 23; nothing written"

    rejects = tmp_path / "rejects.csv"
    assert main([*args, "--mode", "skip-bad", "--rejects", str(rejects)]) == 0
    out, _ = capsys.readouterr()
    assert "1084 inserted, 393 updated, 0 unchanged, 23 rejected" in out
    lines = rejects.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 24 and lines[0].endswith(",reason")

    assert main([*args, "--mode", "skip-bad"]) == 0
    assert "0 inserted, 0 updated, 1477 unchanged, 23 rejected" in capsys.readouterr().out
    db = Database(tiny_path)
    assert db.rows(
        "SELECT name, department, team, hired_on, employed FROM people WHERE person_id = 'E000001'"
    ) == [("Михайлов Павел Иванович", "Данные и ИИ", "Платформа", date(2026, 1, 12), True)]
    db.close()


def test_cli_user_errors_are_one_line(tiny_path, capsys):
    assert main(["--db", tiny_path, "import", "people", str(FILES / "truncated.xlsx")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: The Excel file is damaged")
    assert main(["--db", tiny_path, "import", "people", str(FILES / "nope.csv")]) == 2
    assert "No such file" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_kind_exported_imports_back_unchanged(tiny_db, tmp_path, suffix):
    for kind in kinds.KINDS:
        path = tmp_path / f"{kind}{suffix}"
        backup.export_file(tiny_db, CURATOR, kind, path)
        report = ingest.import_file(tiny_db, CURATOR, kind, path, mode="strict")
        assert report.problems.empty, (kind, report.problems.head(3).to_dict("records"))
        assert (kind, report.inserted, report.updated) == (kind, 0, 0)


def test_excel_sheet_via_cli(tiny_path, capsys):
    book = str(FILES / "people.xlsx")
    args = ["--db", tiny_path, "import", "people", book, "--mode", "strict"]
    assert main([*args, "--sheet", "people"]) == 0
    assert "2 rows checked — 0 inserted, 2 updated" in capsys.readouterr().out
    assert main([*args, "--sheet", "notes"]) == 2
    assert capsys.readouterr().err == "error: The file has a header row but no data rows.\n"
