"""Moving a submission along its statuses, and what a move records: the dates of each step,
and for a delivered talk one `talk_external` activity per speaker — exactly once, the speaker
row keeping the activity's id (also for delivered talks imported without one). A sponsored
trip is a recognition of kind sponsored_conference with its cost.

Each write: role-checked (the submission's editors, see `require_submission_editor`), one
transaction, one audit row; refused with a sentence when the move is not possible.
"""

from __future__ import annotations

from datetime import date

from lib import access
from lib.access import Viewer
from lib.conferences.checks import as_day, clean_number, clean_text
from lib.conferences.submissions import (
    NEXT_STATUSES,
    conference_row,
    last_day,
    read_submission,
    require_submission_editor,
    submission_row,
)
from lib.errors import Refusal, Term
from lib.store.db import Database
from lib.vocabulary import ActivityKind, RecognitionKind
from lib.vocabulary import SubmissionStatus as S


def move_submission(
    db: Database,
    viewer: Viewer,
    submission_id: str,
    to_status: str,
    *,
    as_of: date,
    reviewer: str | None = None,
    delivered_on: date | None = None,
) -> list[str]:
    """Move a submission to its next status; returns the ids of activities a delivery made.

    Rules: only the moves of NEXT_STATUSES; internal review needs a reviewer; a submission
    goes to the organisers only while their call is open; a talk is delivered only once its
    conference has begun (on `delivered_on`, by default its first day), and then each speaker
    gets one `talk_external` activity, linked from the speaker row."""
    if to_status not in NEXT_STATUSES:
        raise Refusal("conferences.err_unknown_status", status=str(to_status)[:32])
    current = read_submission(db, submission_id)
    require_submission_editor(db, viewer, current["speakers"])
    reviewer = clean_text(reviewer, "reviewer")
    with db.transaction() as cur:
        current = submission_row(cur, submission_id)
        allowed = NEXT_STATUSES[current["status"]]
        if to_status not in allowed:
            raise Refusal(
                "conferences.err_transition",
                status=Term(f"conferences.status.{current['status']}"),
                target=Term(f"conferences.status.{to_status}"),
            )
        conference = conference_row(cur, current["conference_id"])
        changes = _status_changes(current, conference, to_status, as_of, reviewer, delivered_on)
        assignments = ", ".join(f"{column} = ${column}" for column in changes)
        cur.execute(
            f"UPDATE submissions SET {assignments} WHERE submission_id = $submission_id",
            {**changes, "submission_id": submission_id},
        )
        created = []
        if to_status == S.DELIVERED:
            created = record_delivery(cur, current, conference, changes["delivered_on"])
        db.audit(
            "submission_status",
            actor=viewer.actor,
            kind=submission_id,
            detail=f"{current['status']} -> {to_status}",
            updated=1,
            inserted=len(created),
            cur=cur,
        )
    return created


def _status_changes(current, conference, to_status, as_of, reviewer, delivered_on) -> dict:
    """The columns a move sets, after the move's own rules."""
    changes: dict = {"status": str(to_status)}
    if to_status == S.REVIEW:
        if not (reviewer or current["reviewer"]):
            raise Refusal("conferences.err_reviewer")
        changes["reviewer"] = reviewer or current["reviewer"]
    elif to_status == S.SUBMITTED:
        opens, closes = conference["cfp_opens"], conference["cfp_closes"]
        if opens is not None and as_of < opens:
            raise Refusal("conferences.err_cfp_not_open", conference=conference["name"], day=opens)
        last_call = closes or conference["starts_on"]
        if last_call is not None and as_of > last_call:
            raise Refusal(
                "conferences.err_cfp_closed", conference=conference["name"], day=last_call
            )
        changes["submitted_on"] = as_of
    elif to_status in (S.ACCEPTED, S.REJECTED):
        changes["decided_on"] = max(as_of, current["submitted_on"] or as_of)
    elif to_status == S.DELIVERED:
        changes["delivered_on"] = _delivery_day(conference, as_of, delivered_on)
    return changes


def _delivery_day(conference: dict, as_of: date, delivered_on: date | None) -> date:
    """The talk's day: given, else the conference's first day; never before the conference
    began nor after `as_of`."""
    starts = conference["starts_on"]
    if starts is not None and as_of < starts:
        raise Refusal("conferences.err_not_yet", conference=conference["name"], day=starts)
    day = as_day(delivered_on) or starts or as_of
    last = last_day(conference) or as_of
    if day > as_of or (starts is not None and not starts <= day <= last):
        raise Refusal("conferences.err_delivery_day", day=day)
    return day


def record_delivery(cur, submission: dict, conference: dict, day: date) -> list[str]:
    """One talk_external activity per speaker without one, linked from the speaker row."""
    unlinked = [
        r[0]
        for r in cur.execute(
            "SELECT person_id FROM submission_speakers "
            "WHERE submission_id = ? AND activity_id IS NULL ORDER BY person_id",
            [submission["submission_id"]],
        ).fetchall()
    ]
    created = []
    for person in unlinked:
        activity_id = f"{submission['submission_id']}-{person}"
        if cur.execute(
            "SELECT count(*) FROM activities WHERE activity_id = ?", [activity_id]
        ).fetchone()[0]:
            raise Refusal("conferences.err_activity_exists", activity=activity_id)
        cur.execute(
            "INSERT INTO activities (activity_id, person_id, occurred_on, kind, title, audience, "
            "skills) VALUES ($id, $person, $day, $kind, $title, $audience, $skills::VARCHAR[])",
            {
                "id": activity_id,
                "person": person,
                "day": day,
                "kind": str(ActivityKind.TALK_EXTERNAL),
                "title": f"{submission['title']} — {conference['name']}",
                "audience": conference["audience"],
                "skills": list(submission["skills"] or []),
            },
        )
        cur.execute(
            "UPDATE submission_speakers SET activity_id = ? WHERE submission_id = ? "
            "AND person_id = ?",
            [activity_id, submission["submission_id"], person],
        )
        created.append(activity_id)
    return created


def unlinked_deliveries(db: Database) -> int:
    """Speakers of delivered talks whose activity has not been made (imported history)."""
    return int(
        db.scalar(
            "SELECT count(*) FROM submissions s JOIN submission_speakers ss USING (submission_id) "
            "WHERE s.status = 'delivered' AND ss.activity_id IS NULL"
        )
    )


def link_delivered_talks(db: Database, viewer: Viewer) -> list[str]:
    """Activities for delivered talks that have none yet (imported history); their ids."""
    access.require(viewer, "edit_submissions")
    with db.transaction() as cur:
        waiting = [
            r[0]
            for r in cur.execute(
                "SELECT DISTINCT s.submission_id FROM submissions s "
                "JOIN submission_speakers ss USING (submission_id) "
                "WHERE s.status = 'delivered' AND ss.activity_id IS NULL ORDER BY 1"
            ).fetchall()
        ]
        created = []
        for submission_id in waiting:
            submission = submission_row(cur, submission_id)
            conference = conference_row(cur, submission["conference_id"])
            day = cur.execute(
                "SELECT delivered_on FROM submissions WHERE submission_id = ?", [submission_id]
            ).fetchone()[0]
            created += record_delivery(cur, submission, conference, day or conference["starts_on"])
        db.audit("talks_linked", actor=viewer.actor, inserted=len(created), cur=cur)
    return created


def record_sponsored_trip(
    db: Database,
    viewer: Viewer,
    submission_id: str,
    person_id: str,
    *,
    cost: float | None = None,
    on: date | None = None,
) -> None:
    """A speaker's trip to an accepted or delivered talk, paid by the club: a recognition of
    kind sponsored_conference with its cost (by default the conference's cost to attend)."""
    access.require(viewer, "edit_conferences")
    cost = clean_number(cost, "cost")
    with db.transaction() as cur:
        submission = submission_row(cur, submission_id)
        if submission["status"] not in (S.ACCEPTED, S.DELIVERED):
            raise Refusal("conferences.err_trip_status")
        if person_id not in submission["speakers"]:
            raise Refusal("conferences.err_trip_speaker", person=str(person_id)[:64])
        conference = conference_row(cur, submission["conference_id"])
        cost = cost if cost is not None else conference["cost"]
        if cost is None:
            raise Refusal("conferences.err_trip_cost")
        day = as_day(on) or conference["starts_on"]
        if day is None:
            raise Refusal("conferences.err_trip_day")
        kind = str(RecognitionKind.SPONSORED_CONFERENCE)
        if cur.execute(
            "SELECT count(*) FROM recognitions WHERE person_id = ? AND date = ? AND kind = ?",
            [person_id, day, kind],
        ).fetchone()[0]:
            raise Refusal("conferences.err_trip_recorded", day=day)
        cur.execute(
            "INSERT INTO recognitions (person_id, date, kind, note, cost) VALUES (?, ?, ?, ?, ?)",
            [person_id, day, kind, f"{conference['name']}: {submission['title']}", float(cost)],
        )
        db.audit(
            "sponsored_trip",
            actor=viewer.actor,
            kind=submission_id,
            detail=f"{person_id} {float(cost):.2f}",
            inserted=1,
            cur=cur,
        )
