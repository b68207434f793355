"""Records kept by hand, checklists, check-ins and the member's file on a known club: rows
before and after, the audit row, import-like validation, undo, and who may act."""

from datetime import date

import pandas as pd
import pytest

from lib.access import AccessDenied
from lib.errors import Refusal
from lib.filters import Filters
from lib.i18n import t
from lib.membership import checklists, lifecycle, member_file, records
from lib.membership.audit import describe, readable_changes, undo
from tests.workbench_data import AS_OF, CURATOR, LEADERSHIP, PLANNER, audit_rows, seed

EVERYONE = Filters(as_of=AS_OF)


@pytest.fixture
def db(empty_db):
    return seed(empty_db)


def test_a_recognition_is_recorded_with_typed_values_and_audited(db):
    entry = records.save_records(
        db,
        CURATOR,
        "recognitions",
        [{"person_id": "P1", "date": AS_OF, "kind": "merch", "note": "Hoodie", "cost": 4500}],
    )
    assert db.rows("SELECT person_id, date, kind, note, cost FROM recognitions") == [
        ("P1", AS_OF, "merch", "Hoodie", 4500.0)
    ]
    assert audit_rows(db) == [
        ("record_add", "curator@bank.example", "recognitions", "P1 / 2026-11-15 / merch")
    ]
    before, after = db.rows("SELECT before, after FROM audit_log WHERE entry_id = ?", [entry])[0]
    assert describe(before, after) == "recognitions P1/2026-11-15/merch: —"
    assert describe(after, before) == "recognitions P1/2026-11-15/merch: note=Hoodie, cost=4500.0"
    with pytest.raises(Refusal, match="already stored: edit it instead"):
        records.save_records(
            db, CURATOR, "recognitions", [{"person_id": "P1", "date": AS_OF, "kind": "merch"}]
        )


def test_forms_are_checked_with_the_import_messages(db):
    with pytest.raises(Refusal) as refused:
        records.save_records(
            db,
            CURATOR,
            "recognitions",
            [{"person_id": "P11", "date": AS_OF, "kind": "medal", "cost": -5}],
        )
    lines = str(refused.value).splitlines()
    assert lines == [
        f"Member: {t('data.problem_unknown_people')} Did you mean P1 (Anna Active)?",
        "Kind: Not one of: merch, award, thanks, sponsored_conference.",
        "Cost: Must be between 0 and 1 000 000 000.",
    ]
    with pytest.raises(Refusal, match=r"Skills: Pythn: Unknown skill.*Did you mean Python \(S1\)"):
        records.save_records(
            db,
            CURATOR,
            "activities",
            [{"person_id": "P1", "occurred_on": AS_OF, "kind": "article", "skills": "SQL; Pythn"}],
        )
    with pytest.raises(Refusal, match="Title: Contains control characters"):
        records.check_values(
            db, "events", {"event_id": "E9", "date": AS_OF, "kind": "meetup", "title": "a\x07"}
        )
    assert db.count("recognitions") == db.count("activities") == 0


def test_an_event_with_its_attendance_and_an_activity_get_made_up_ids(db):
    records.save_records(
        db, CURATOR, "events", [{"event_id": "", "date": AS_OF, "kind": "demo_day"}]
    )
    records.save_records(
        db,
        CURATOR,
        "attendance",
        [
            {"event_id": "EV-00001", "person_id": "P1", "role": "speaker"},
            {"event_id": "EV-00001", "person_id": "P6", "role": "attendee"},
        ],
    )
    records.save_records(
        db,
        CURATOR,
        "activities",
        [{"person_id": "P1", "occurred_on": AS_OF, "kind": "article", "skills": "py; SQL"}],
    )
    assert db.rows("SELECT activity_id, skills FROM activities") == [("ACT-00001", ["S1", "S2"])]
    assert db.count("attendance") == 2
    entry = records.delete_records(db, CURATOR, "events", [{"event_id": "EV-00001"}])
    assert db.count("attendance") == 0 and db.count("events") == 1
    undo(db, CURATOR, entry)
    assert db.rows("SELECT person_id, role FROM attendance ORDER BY person_id") == [
        ("P1", "speaker"),
        ("P6", "attendee"),
    ]


def test_editing_a_record_may_change_its_key_and_is_undone_whole(db):
    records.save_records(
        db, CURATOR, "recognitions", [{"person_id": "P1", "date": AS_OF, "kind": "thanks"}]
    )
    stored = records.list_records(db, CURATOR, "recognitions", person_id="P1")
    key = records.record_key("recognitions", stored.iloc[0].to_dict())
    assert key == {"person_id": "P1", "date": AS_OF, "kind": "thanks"}
    entry = records.save_records(
        db,
        CURATOR,
        "recognitions",
        [{"person_id": "P1", "date": date(2026, 11, 14), "kind": "award", "note": "Demo day"}],
        replace=key,
    )
    assert db.rows("SELECT date, kind, note FROM recognitions") == [
        (date(2026, 11, 14), "award", "Demo day")
    ]
    undo(db, CURATOR, entry)
    assert db.rows("SELECT date, kind, note FROM recognitions") == [(AS_OF, "thanks", None)]


def test_an_interview_finding_is_recorded(db):
    records.save_records(
        db,
        CURATOR,
        "interview_findings",
        [{"interview_id": "I1", "theme": "barrier", "code": "no_time", "sentiment": -0.5}],
    )
    assert db.rows("SELECT interview_id, theme, code, sentiment FROM interview_findings") == [
        ("I1", "barrier", "no_time", -0.5)
    ]
    with pytest.raises(Refusal, match="Interview: Unknown interview"):
        records.save_records(
            db,
            CURATOR,
            "interview_findings",
            [{"interview_id": "I9", "theme": "idea", "code": "x"}],
        )


def test_records_are_for_curators_and_admins(db):
    row = {"person_id": "P1", "date": AS_OF, "kind": "thanks"}
    for viewer in (PLANNER, LEADERSHIP):
        with pytest.raises(AccessDenied):
            records.save_records(db, viewer, "recognitions", [row])
        with pytest.raises(AccessDenied):
            records.list_records(db, viewer, "recognitions")
    with pytest.raises(Refusal, match="Unknown record"):
        records.save_records(db, CURATOR, "people", [row])
    assert db.count("recognitions") == 0


def test_ticks_and_check_ins_are_audited_and_show_in_the_members_file(db):
    lifecycle.change_status(db, CURATOR, "offboard", ["P1"], on=AS_OF, reason="workload")
    checklists.tick_step(db, CURATOR, "P1", "offboarding", "hand_over", done_on=AS_OF)
    with pytest.raises(Refusal, match="Unknown offboarding step: lunch"):
        checklists.tick_step(db, CURATOR, "P1", "offboarding", "lunch")
    checklists.schedule_check_ins(db, CURATOR, ["P6", "P7"], date(2026, 11, 22), "How is it going?")
    file = member_file.member_file(db, CURATOR, "P1", EVERYONE)
    assert file.person["status"] == "alumni" and file.actions == ["invite"]
    assert file.open_steps[["checklist", "step_id"]].values.tolist() == [
        ["offboarding", "exit_interview"],
        ["offboarding", "thank_you"],
        ["offboarding", "remove_channels"],
    ]
    p7 = member_file.member_file(db, CURATOR, "P7", EVERYONE)
    assert p7.check_ins[["due_on", "note"]].values.tolist() == [
        [pd.Timestamp("2026-11-22"), "How is it going?"]
    ]
    assert "welcome_meeting" in p7.open_steps["step_id"].tolist()
    checklists.complete_check_in(db, CURATOR, "P7", date(2026, 11, 22), AS_OF)
    assert member_file.member_file(db, CURATOR, "P7", EVERYONE).check_ins.empty
    assert [a for a, *_ in audit_rows(db)] == [
        "member_offboard",
        "offboarding_tick",
        "member_check_in",
        "check_in_done",
    ]
    with pytest.raises(AccessDenied):
        checklists.schedule_check_ins(db, LEADERSHIP, ["P6"], AS_OF)
    with pytest.raises(AccessDenied):
        member_file.member_file(db, PLANNER, "P1", EVERYONE)


def test_the_members_file_holds_skills_engagement_and_rituals(db):
    records.save_records(
        db, CURATOR, "attendance", [{"event_id": "E1", "person_id": "P1", "role": "speaker"}]
    )
    file = member_file.member_file(db, CURATOR, "P1", EVERYONE)
    assert file.skills[["skill", "level", "source", "stale"]].values.tolist() == [
        ["SQL", 4, "self", False],
        ["Python", 3, "self", True],
    ]
    assert file.events[["title", "role"]].values.tolist() == [["October meetup", "speaker"]]
    assert file.engagement["level"] == "dormant" and "hours_available" in file.engagement
    assert file.actions == ["pause", "offboard"]
    with pytest.raises(Refusal, match="Unknown person X1"):
        member_file.member_file(db, CURATOR, "X1", EVERYONE)


def test_the_audit_log_reads_as_the_fields_that_changed(db):
    lifecycle.change_status(db, CURATOR, "pause", ["P1"], on=AS_OF, note="Busy quarter")
    log = readable_changes(
        db.df("SELECT action, before, after FROM audit_log ORDER BY entry_id DESC")
    )
    assert log.loc[0, "before"] == (
        "memberships P1: status=active; membership_events P1/2026-11-15/paused: —"
    )
    assert log.loc[0, "after"] == (
        "memberships P1: status=paused; "
        "membership_events P1/2026-11-15/paused: from_status=active, note=Busy quarter"
    )
