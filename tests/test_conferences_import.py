"""Conferences, submissions and speakers through the import machinery: an iCalendar file
(folded lines, time zones, all-day events) and CSV files, with broken input refused and
nothing half-written; and the speaking reports of the command line."""

import json
from datetime import date

import pytest

from lib.access import Viewer
from lib.cli import main
from lib.io import ingest
from lib.io.fileread import read_table
from tests.speaking import AS_OF, fill

CURATOR = Viewer("curator")
CALENDAR = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Club//Speaking//RU",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Moscow",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0300",
        "TZOFFSETTO:+0300",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:cipr-2027@example.org",
        "SUMMARY:ЦИПР 2027 — цифровая",
        "  индустрия",
        "LOCATION:Нижний Новгород",
        "DTSTART;TZID=Europe/Moscow:20270603T100000",
        "DTEND;TZID=Europe/Moscow:20270605T180000",
        "CATEGORIES:Машинное обучение,Антифрод",
        "CATEGORIES:LLM",
        "URL:https://cipr.example.org",
        "X-CFP-OPENS:20261201",
        "X-CFP-CLOSES:20270301",
        "X-AUDIENCE:10000",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:devoops-2027@example.org",
        "SUMMARY:DevOops",
        "LOCATION:Online",
        "DTSTART;VALUE=DATE:20270910",
        "DTEND;VALUE=DATE:20270912",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:nye@example.org",
        "SUMMARY:Late night in UTC",
        "DTSTART:20271231T230000Z",
        "DURATION:PT2H",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


@pytest.fixture
def db(empty_db):
    return fill(empty_db)


def calendar_table(text: str = CALENDAR, name: str = "speaking.ics"):
    return read_table(text.encode("utf-8"), name)


def test_a_calendar_reads_as_rows_of_the_conferences_kind():
    table = calendar_table()
    assert table.rows == [12, 26, 33]
    rows = table.frame.to_dict("records")
    assert rows[0] == {
        "conference_id": "cipr-2027@example.org",
        "name": "ЦИПР 2027 — цифровая индустрия",
        "city": "Нижний Новгород",
        "online": "false",
        "starts_on": "2027-06-03",
        "ends_on": "2027-06-05",
        "topics": "Машинное обучение; Антифрод; LLM",
        "url": "https://cipr.example.org",
        "cfp_opens": "2026-12-01",
        "cfp_closes": "2027-03-01",
        "audience": "10000",
        "cost": "",
    }
    # An all-day event ends the day before its DTEND; online has no city.
    assert (rows[1]["starts_on"], rows[1]["ends_on"]) == ("2027-09-10", "2027-09-11")
    assert (rows[1]["online"], rows[1]["city"]) == ("true", "")
    # 23:00 UTC on 31 December is already 1 January in the club's zone (Moscow).
    assert (rows[2]["starts_on"], rows[2]["ends_on"]) == ("2028-01-01", "2028-01-01")


def test_a_calendar_is_imported_like_any_file_and_again_changes_nothing(db):
    report = ingest.import_table(db, CURATOR, "conferences", calendar_table(), mode="strict")
    assert (report.inserted, report.updated, len(report.problems)) == (3, 0, 0)
    stored = db.rows(
        "SELECT name, starts_on, cfp_closes, audience, topics, online FROM conferences "
        "WHERE conference_id = 'cipr-2027@example.org'"
    )
    assert stored == [
        (
            "ЦИПР 2027 — цифровая индустрия",
            date(2027, 6, 3),
            date(2027, 3, 1),
            10000,
            ["Машинное обучение", "Антифрод", "LLM"],
            False,
        )
    ]
    again = ingest.import_table(db, CURATOR, "conferences", calendar_table(), mode="strict")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("LOCATION:Нижний Новгород", "LOCATION Нижний Новгород"),
            "Line 16 of the calendar is broken",
        ),
        (("TZID=Europe/Moscow:20270603", "TZID=Mars/Olympus:20270603"), "“Mars/Olympus”"),
        (
            ("DTSTART;VALUE=DATE:20270910", "DTSTART;VALUE=DATE:2027-13-40"),
            "line 26 has an unreadable DTSTART",
        ),
        (
            ("END:VEVENT\r\nBEGIN:VEVENT\r\nUID:devoops", "BEGIN:VEVENT\r\nUID:devoops"),
            "out of order",
        ),
        (("END:VCALENDAR", "END:VTODO"), "out of order"),
        (("BEGIN:VCALENDAR\r\n", " folded first\r\nBEGIN:VCALENDAR\r\n"), "Line 1 of the calendar"),
        (("END:VCALENDAR\r\n", ""), "VCALENDAR opened on line 1 is never closed"),
        (("BEGIN:VCALENDAR", "BEGIN:VCARD"), "not an iCalendar file"),
    ],
)
def test_a_broken_calendar_is_refused_whole(db, change, message):
    broken = CALENDAR.replace(*change, 1)
    assert broken != CALENDAR
    with pytest.raises(ValueError, match=message):
        calendar_table(broken)
    assert db.count("conferences") == 4


def test_a_calendar_without_events_is_refused():
    with pytest.raises(ValueError, match="has no events"):
        calendar_table("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")


def test_a_csv_of_conferences_with_a_bad_row_writes_nothing_in_strict_mode(db):
    text = (
        "conference_id;name;cfp_opens;cfp_closes;starts_on;topics\n"
        "N1;Good Conf;2027-01-01;2027-02-01;2027-04-01;Kubernetes|LLM\n"
        "N2;Backwards Conf;2027-03-01;2027-02-01;2027-04-01;\n"
    )
    raw = read_table(text.encode("utf-8"), "conferences.csv")
    report = ingest.import_table(db, CURATOR, "conferences", raw, mode="strict")
    assert not report.written and db.count("conferences") == 4
    assert report.problems[["row", "column"]].values.tolist() == [[3, "cfp_closes"]]
    assert "cfp_opens" in report.problems["reason"].iloc[0]
    skipped = ingest.import_table(db, CURATOR, "conferences", raw, mode="skip-bad")
    assert (skipped.inserted, skipped.rejected) == (1, 1)


def test_submissions_and_speakers_import_with_their_references_checked(db):
    subs = (
        "submission_id,conference_id,title,skills,status\n"
        "S1,C1,Talk,Kubernetes; LLM,Принята\n"
        "S2,C9,Lost,,idea\n"
    )
    raw = read_table(subs.encode("utf-8"), "submissions.csv")
    report = ingest.import_table(db, CURATOR, "submissions", raw, mode="skip-bad")
    assert report.inserted == 1
    assert report.problems["reason"].tolist() == ["Unknown conference."]
    assert db.rows("SELECT skills, status FROM submissions") == [(["K8S", "LLM"], "accepted")]
    speakers = "submission_id,person_id\nS1,P1\nS1,P5\nS1,P999\n"
    raw = read_table(speakers.encode("utf-8"), "speakers.csv")
    report = ingest.import_table(db, CURATOR, "submission_speakers", raw, mode="skip-bad")
    assert report.inserted == 1
    assert report.problems["reason"].tolist() == ["Not a club member.", "Not a club member."]


# -- the command line -------------------------------------------------------------------------
@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    from lib.store.db import Database, forget

    path = tmp_path / "cli.duckdb"
    db = fill(Database(path))
    db.close()
    monkeypatch.setenv("EXPERTISE_AS_OF", AS_OF.isoformat())
    yield str(path)
    forget(path)


def test_report_cfp_lists_open_calls_with_matched_members(cli_db, capsys):
    assert main(["--db", cli_db, "report", "cfp", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["conference_id"], r["person_id"], r["days_to_close"]) for r in rows] == [
        ("C1", "P1", 30),
        ("C1", "P2", 30),
        ("C2", "P2", 31),
    ]
    assert rows[0]["topics"] == "Kubernets at scale; LLM in banking"
    assert rows[0]["hours_available"] == 15.0


def test_report_cfp_is_refused_to_leadership_and_submissions_are_shown(cli_db, capsys):
    assert main(["--db", cli_db, "--role", "leadership", "report", "cfp"]) == 2
    assert capsys.readouterr().err.startswith(
        "error: The Leadership role may not see the speaking pipeline"
    )
    assert main(["--db", cli_db, "report", "submissions", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.startswith("submission_id,conference_id,conference,starts_on")
