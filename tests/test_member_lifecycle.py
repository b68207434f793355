"""Membership lifecycle actions on a known club: rows before and after, the audit row, who may
act, and the moves the transition table refuses."""

import json
from datetime import date

import pandas as pd
import pytest

from lib import access
from lib.access import AccessDenied, Viewer
from lib.errors import Problems, Refusal
from lib.membership import audit, checklists, lifecycle
from lib.membership.audit import undo
from tests.workbench_data import (
    AS_OF,
    CURATOR,
    LEADERSHIP,
    OTHER_CURATOR,
    PLANNER,
    audit_rows,
    seed,
    statuses,
)


@pytest.fixture
def db(empty_db):
    return seed(empty_db)


def events_of(db, person):
    return db.rows(
        "SELECT changed_on, from_status, to_status, note FROM membership_events "
        "WHERE person_id = ? ORDER BY changed_on, to_status",
        [person],
    )


def test_the_transition_table_says_what_applies_to_whom():
    assert lifecycle.legal_actions(None) == ["invite"]
    assert lifecycle.legal_actions("candidate") == ["onboard", "offboard"]
    assert lifecycle.legal_actions("onboarding") == ["activate", "offboard"]
    assert lifecycle.legal_actions("active") == ["pause", "offboard"]
    assert lifecycle.legal_actions("paused") == ["resume", "offboard"]
    assert lifecycle.legal_actions("alumni") == ["invite"]


def test_invite_makes_a_candidate_with_its_note_and_one_audit_row(db):
    entry = lifecycle.change_status(
        db, CURATOR, "invite", ["P4"], wave=3, on=AS_OF, notes={"P4": "Shortlist rank 1"}
    )
    assert db.rows("SELECT wave, status, joined_on FROM memberships WHERE person_id = 'P4'") == [
        (3, "candidate", None)
    ]
    assert events_of(db, "P4") == [(AS_OF, None, "candidate", "Shortlist rank 1")]
    assert audit_rows(db) == [("member_invite", "curator@bank.example", "memberships", "P4")]
    before, after = db.rows("SELECT before, after FROM audit_log WHERE entry_id = ?", [entry])[0]
    assert [(c["table"], c["row"]) for c in json.loads(before)] == [
        ("memberships", None),
        ("membership_events", None),
    ]
    assert json.loads(after)[0]["row"]["status"] == "candidate"


def test_planners_may_invite_and_nothing_else_leadership_acts_on_nothing(db):
    lifecycle.change_status(db, PLANNER, "invite", ["P4"], wave=2, on=AS_OF)
    assert statuses(db)["P4"] == "candidate"
    with pytest.raises(AccessDenied):
        lifecycle.change_status(db, PLANNER, "onboard", ["P4"], on=AS_OF)
    for action, options in [("invite", {"wave": 2}), ("pause", {})]:
        with pytest.raises(AccessDenied):
            lifecycle.change_status(db, LEADERSHIP, action, ["P1"], on=AS_OF, **options)
    assert statuses(db)["P1"] == "active"


def test_onboarding_starts_the_onboarding_checklist_from_the_current_charter(db):
    lifecycle.change_status(db, CURATOR, "onboard", ["P2"], on=AS_OF, note="Welcome")
    assert db.rows("SELECT status, joined_on FROM memberships WHERE person_id = 'P2'") == [
        ("onboarding", AS_OF)
    ]
    assert events_of(db, "P2")[-1] == (AS_OF, "candidate", "onboarding", "Welcome")
    assert db.rows(
        "SELECT checklist, started_on, charter_version, started_by FROM checklist_runs"
    ) == [("onboarding", AS_OF, 1, "curator@bank.example")]


def test_activate_pause_resume_follow_the_table(db):
    lifecycle.change_status(db, CURATOR, "activate", ["P7"], on=AS_OF)
    lifecycle.change_status(db, CURATOR, "resume", ["P6"], on=AS_OF)
    lifecycle.change_status(db, CURATOR, "pause", ["P1"], on=AS_OF)
    assert {p: s for p, s in statuses(db).items() if p in ("P1", "P6", "P7")} == {
        "P1": "paused",
        "P6": "active",
        "P7": "active",
    }
    assert db.scalar("SELECT joined_on FROM memberships WHERE person_id = 'P7'") == date(
        2026, 10, 1
    )


@pytest.mark.parametrize(
    "action, person, sentence",
    [
        ("activate", "P2", "Boris Candidate (P2) is Candidate: only a member in onboarding can be"),
        ("activate", "P3", "Clara Alumna (P3) is alumni: invite them again as a candidate first."),
        ("resume", "P3", "invite them again as a candidate first"),
        ("onboard", "P1", "is Active: only a candidate can start onboarding."),
        ("pause", "P6", "is Paused: only an active member can be paused."),
        ("offboard", "P3", "is Alumni: only a current member can be offboarded."),
        ("pause", "P4", "P4 is not a member of the club."),
    ],
)
def test_illegal_transitions_are_refused_with_a_sentence(db, action, person, sentence):
    before = db.table_checksums()
    with pytest.raises(Refusal) as refused:
        lifecycle.change_status(db, CURATOR, action, [person], on=AS_OF, reason="other")
    assert sentence in str(refused.value)
    assert db.table_checksums() == before


def test_two_open_memberships_cannot_exist(db):
    with pytest.raises(Refusal, match=r"already has an open membership \(Active, wave 1\)"):
        lifecycle.change_status(db, CURATOR, "invite", ["P1"], wave=2, on=AS_OF)
    with pytest.raises(Refusal, match="no longer works at the bank"):
        lifecycle.change_status(db, CURATOR, "invite", ["P5"], wave=2, on=AS_OF)


def test_a_selection_is_all_or_nothing(db):
    with pytest.raises(Problems) as refused:
        lifecycle.change_status(db, CURATOR, "invite", ["P4", "P1", "P6"], wave=2, on=AS_OF)
    assert len(refused.value.problems) == 2
    assert str(refused.value).startswith("Nothing was changed:\n")
    assert "P4" not in statuses(db)
    assert audit_rows(db) == []


def test_unknown_people_get_the_closest_match(db):
    with pytest.raises(Refusal, match=r"Did you mean P4 \(Denis Pool\)\?"):
        lifecycle.change_status(db, CURATOR, "invite", ["P44"], wave=2, on=AS_OF)
    with pytest.raises(Refusal, match=r"Did you mean P7 \(Galina Onboarding\)\?"):
        lifecycle.history(db, CURATOR, "Galina Onboardin")


def test_offboarding_records_the_reason_and_starts_the_offboarding_checklist(db):
    with pytest.raises(Refusal, match="Choose an exit reason"):
        lifecycle.change_status(db, CURATOR, "offboard", ["P1"], on=AS_OF, reason="bored")
    lifecycle.change_status(
        db, CURATOR, "offboard", ["P1"], on=AS_OF, reason="role_change", note="New job"
    )
    assert db.rows(
        "SELECT status, left_on, exit_reason FROM memberships WHERE person_id = 'P1'"
    ) == [("alumni", AS_OF, "role_change")]
    assert events_of(db, "P1")[-1] == (AS_OF, "active", "alumni", "New job")
    progress = checklists.offboarding_progress(db, CURATOR, date(2026, 12, 20), "P1")
    steps = {r["step_id"]: r for r in progress.to_dict("records")}
    assert list(steps) == ["hand_over", "exit_interview", "thank_you", "remove_channels"]
    assert str(steps["hand_over"]["due_on"])[:10] == "2026-11-29"
    assert steps["hand_over"]["overdue"] and steps["hand_over"]["days_overdue"] == 21
    assert steps["exit_interview"]["done_by"] == "data"  # the interview held on 2026-11-20
    assert not steps["thank_you"]["done"]


def test_an_alumnus_is_re_invited_into_the_same_row(db):
    lifecycle.change_status(db, CURATOR, "invite", ["P3"], wave=3, on=AS_OF)
    assert db.rows(
        "SELECT wave, status, joined_on, left_on, exit_reason FROM memberships "
        "WHERE person_id = 'P3'"
    ) == [(3, "candidate", None, None, None)]
    assert [e[2] for e in events_of(db, "P3")] == ["onboarding", "active", "alumni", "candidate"]
    assert db.count("memberships") == 6


def test_a_member_known_only_from_an_import_keeps_their_history(db):
    lifecycle.change_status(db, CURATOR, "pause", ["P8"], on=AS_OF)
    assert events_of(db, "P8") == [
        (date(2023, 3, 1), None, "active", None),
        (AS_OF, "active", "paused", None),
    ]
    assert db.scalar("SELECT active_on FROM stage_dates WHERE person_id = 'P8'") == date(2023, 3, 1)


def test_dates_must_follow_the_recorded_history(db):
    with pytest.raises(Refusal, match="last status change was on 2026-06-01"):
        lifecycle.change_status(db, CURATOR, "resume", ["P6"], on=date(2026, 5, 1))
    lifecycle.change_status(db, CURATOR, "pause", ["P1"], on=AS_OF)
    lifecycle.change_status(db, CURATOR, "resume", ["P1"], on=AS_OF)
    with pytest.raises(Refusal, match="already has a change to Paused on 2026-11-15"):
        lifecycle.change_status(db, CURATOR, "pause", ["P1"], on=AS_OF)


def test_preview_shows_each_change_before_it_is_made(db):
    plan = lifecycle.preview(db, CURATOR, "pause", ["P1", "P6"], on=AS_OF)
    assert plan[["person_id", "from_status", "to_status"]].values.tolist() == [
        ["P1", "active", "paused"],
        ["P6", "paused", "paused"],
    ]
    assert plan["problem"].isna().tolist() == [True, False]
    assert statuses(db)["P1"] == "active"


def test_undo_reverses_exactly_that_change(db):
    before = db.table_checksums()
    entry = lifecycle.change_status(
        db, CURATOR, "offboard", ["P1"], on=AS_OF, reason="workload", note="busy"
    )
    with pytest.raises(Refusal, match="only they can undo it"):
        undo(db, OTHER_CURATOR, entry)
    with pytest.raises(AccessDenied):
        undo(db, LEADERSHIP, entry)
    undo_entry = undo(db, CURATOR, entry)
    after = db.table_checksums()
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }
    assert audit_rows(db)[-1] == ("undo", "curator@bank.example", "member_offboard", f"#{entry}")
    with pytest.raises(Refusal, match="can no longer be undone"):
        undo(db, CURATOR, entry)
    assert undo_entry > entry


def test_undo_refuses_when_the_rows_changed_since(db):
    entry = lifecycle.change_status(db, CURATOR, "pause", ["P1"], on=AS_OF)
    lifecycle.change_status(db, CURATOR, "resume", ["P1"], on=AS_OF)
    with pytest.raises(Refusal, match=f"Change #{entry} can no longer be undone"):
        undo(db, CURATOR, entry)
    assert statuses(db)["P1"] == "active"
    with pytest.raises(Refusal, match="not a change made in the workbench"):
        undo(db, CURATOR, 999)


def test_planners_undo_their_own_invitations(db):
    entry = lifecycle.change_status(db, PLANNER, "invite", ["P4"], wave=2, on=AS_OF)
    undo(db, PLANNER, entry)
    assert "P4" not in statuses(db)


def test_recruiting_wave_is_the_open_one_or_the_next(db, empty_db):
    assert lifecycle.recruiting_wave(db) == 2
    db.execute("UPDATE memberships SET status = 'active' WHERE status = 'candidate'")
    assert lifecycle.recruiting_wave(db) == 3


def test_history_hides_notes_from_roles_that_may_not_see_exit_reasons(db):
    lifecycle.change_status(db, CURATOR, "offboard", ["P1"], on=AS_OF, reason="other", note="x")
    assert "note" in lifecycle.history(db, CURATOR, "P1").columns
    assert "note" not in lifecycle.history(db, PLANNER, "P1").columns


def test_members_page_and_workbench_permissions_by_role():
    assert [r for r in access.ROLES if access.can_open(Viewer(r), "members")] == [
        "curator",
        "admin",
    ]
    assert [r for r in access.ROLES if access.can(Viewer(r), "invite_candidates")] == [
        "curator",
        "planner",
        "admin",
    ]
    assert [r for r in access.ROLES if access.can(Viewer(r), "run_club")] == ["curator", "admin"]


def test_history_of_a_member_known_only_from_an_import(db):
    assert lifecycle.history(db, CURATOR, "P8").values.tolist() == [
        [pd.Timestamp("2023-03-01"), None, "active", None]
    ]
    assert lifecycle.history(db, CURATOR, "P4").empty


def test_an_entry_reads_field_by_field_before_and_after(db):
    entry = lifecycle.change_status(
        db, CURATOR, "offboard", ["P1"], on=AS_OF, reason="workload", note="busy"
    )
    changes = audit.entry_changes(db, CURATOR, entry)
    lines = {
        (r.table, r.field): tuple(None if pd.isna(v) else v for v in (r.before, r.after))
        for r in changes.itertuples()
    }
    assert lines[("memberships", "status")] == ("active", "alumni")
    assert lines[("memberships", "left_on")] == ("—", "2026-11-15")
    assert lines[("memberships", "exit_reason")] == ("—", "workload")
    assert lines[("membership_events", "note")] == (None, "busy")
    assert lines[("checklist_runs", "started_on")] == (None, "2026-11-15")
    assert audit.workbench_entries(db, CURATOR)["entry_id"].tolist() == [entry]
    with pytest.raises(AccessDenied):
        audit.entry_changes(db, PLANNER, entry)
