"""Talk submissions: created for a coming conference with club members as speakers, moved
idea → draft → internal review → submitted → accepted / rejected → delivered (or withdrawn),
and, once delivered, turned into one `talk_external` activity per speaker — exactly once,
the speaker row keeping the activity's id. A sponsored trip is a recognition with its cost.

Staff (`edit_submissions`) change every submission; a role with `edit_own_submissions` only
those where the viewer's e-mail is a speaker's. Each write: one transaction, one audit row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.conferences.checks import MAX_LONG, as_day, clean_number, clean_text
from lib.conferences.editing import next_id
from lib.errors import Problems, Refusal, Term
from lib.store.db import Database
from lib.vocabulary import CURRENT_STATUSES, ActivityKind, MembershipStatus, RecognitionKind
from lib.vocabulary import SubmissionStatus as S

# Where a submission may go next; rejected, delivered and withdrawn are final.
NEXT_STATUSES: dict[str, tuple[S, ...]] = {
    S.IDEA: (S.DRAFT, S.WITHDRAWN),
    S.DRAFT: (S.REVIEW, S.IDEA, S.WITHDRAWN),
    S.REVIEW: (S.SUBMITTED, S.DRAFT, S.WITHDRAWN),
    S.SUBMITTED: (S.ACCEPTED, S.REJECTED, S.WITHDRAWN),
    S.ACCEPTED: (S.DELIVERED, S.WITHDRAWN),
    S.REJECTED: (),
    S.DELIVERED: (),
    S.WITHDRAWN: (),
}
FIRST_STATUSES = (S.IDEA, S.DRAFT)
# Speakers are in the club: onboarding, active or paused (not candidates, not alumni).
SPEAKER_STATUSES = tuple(s for s in CURRENT_STATUSES if s != MembershipStatus.CANDIDATE)


# -- who may change a submission ----------------------------------------------------------------
def is_speaker(db: Database, viewer: Viewer, speaker_ids: Iterable[str]) -> bool:
    """The viewer (by e-mail) is one of these people."""
    ids = list(speaker_ids)
    if not viewer.email or not ids:
        return False
    return bool(
        db.scalar(
            "SELECT count(*) FROM people WHERE list_contains($ids, person_id) "
            "AND lower(trim(email)) = lower(trim($email))",
            {"ids": ids, "email": viewer.email},
        )
    )


def require_submission_editor(db: Database, viewer: Viewer, speaker_ids: Iterable[str]) -> None:
    """Staff change every submission; `edit_own_submissions` lets a speaker change their own."""
    if access.can(viewer, "edit_submissions"):
        return
    if access.can(viewer, "edit_own_submissions") and is_speaker(db, viewer, speaker_ids):
        return
    access.require(viewer, "edit_submissions")


# -- checks ------------------------------------------------------------------------------------
def checked_speakers(db: Database, speakers: Iterable[str]) -> list[str]:
    """Speaker ids that are people in the club; every unknown or non-member one refused."""
    ids = list(dict.fromkeys(str(s).strip() for s in speakers or [] if str(s).strip()))
    if not ids:
        raise Refusal("conferences.err_no_speaker")
    found = dict(
        db.rows(
            "SELECT p.person_id, m.status FROM people p LEFT JOIN memberships m USING (person_id) "
            "WHERE list_contains($ids, p.person_id)",
            {"ids": ids},
        )
    )
    problems = []
    for person in ids:
        if person not in found:
            problems.append(Refusal("conferences.err_unknown_speaker", person=person[:64]))
        elif found[person] not in SPEAKER_STATUSES:
            problems.append(Refusal("conferences.err_speaker_not_member", person=person))
    if problems:
        raise Problems(problems)
    return ids


def checked_skills(db: Database, skills: Iterable[str]) -> list[str]:
    """Skill ids of the taxonomy; unknown ones refused."""
    ids = list(dict.fromkeys(str(s) for s in skills or []))
    known = {
        r[0]
        for r in db.rows(
            "SELECT skill_id FROM skills WHERE list_contains($ids, skill_id)", {"ids": ids}
        )
    }
    unknown = [s[:64] for s in ids if s not in known]
    if unknown:
        raise Refusal("conferences.err_unknown_skill", skills=", ".join(unknown))
    return ids


def _conference(cur, conference_id: str) -> dict:
    found = cur.execute(
        "SELECT conference_id, name, starts_on, ends_on, cfp_opens, cfp_closes, audience, cost "
        "FROM conferences WHERE conference_id = ?",
        [conference_id],
    ).fetchall()
    if not found:
        raise Refusal("conferences.err_unknown_conference", conference=str(conference_id)[:64])
    names = ("conference_id", "name", "starts_on", "ends_on", "cfp_opens", "cfp_closes")
    return dict(zip((*names, "audience", "cost"), found[0], strict=True))


def _submission(cur, submission_id: str) -> dict:
    found = cur.execute(
        "SELECT submission_id, conference_id, title, status, skills, reviewer, submitted_on "
        "FROM submissions WHERE submission_id = ?",
        [submission_id],
    ).fetchall()
    if not found:
        raise Refusal("conferences.err_unknown_submission", submission=str(submission_id)[:64])
    names = ("submission_id", "conference_id", "title", "status", "skills", "reviewer")
    row = dict(zip((*names, "submitted_on"), found[0], strict=True))
    row["speakers"] = [
        r[0]
        for r in cur.execute(
            "SELECT person_id FROM submission_speakers WHERE submission_id = ? ORDER BY person_id",
            [submission_id],
        ).fetchall()
    ]
    return row


def _last_day(conference: dict) -> date | None:
    return conference["ends_on"] or conference["starts_on"]


# -- writes ---------------------------------------------------------------------------------------
def create_submission(
    db: Database,
    viewer: Viewer,
    conference_id: str,
    title: str,
    speakers: Iterable[str],
    *,
    as_of: date,
    abstract: str | None = None,
    skills: Iterable[str] = (),
    reviewer: str | None = None,
    status: str = S.IDEA,
) -> str:
    """A new submission (an idea or a draft) for a conference that has not ended; returns its
    id. Refused: unknown conference, a past conference, no title, unknown or non-member
    speakers, unknown skills."""
    speakers = list(speakers or [])
    require_submission_editor(db, viewer, speakers)
    title = clean_text(title, "title", required=True)
    abstract = clean_text(abstract, "abstract", limit=MAX_LONG)
    reviewer = clean_text(reviewer, "reviewer")
    if status not in FIRST_STATUSES:
        raise Refusal("conferences.err_first_status", status=Term(f"conferences.status.{status}"))
    speaker_ids = checked_speakers(db, speakers)
    skill_ids = checked_skills(db, skills)
    with db.transaction() as cur:
        conference = _conference(cur, conference_id)
        last = _last_day(conference)
        if last is not None and last < as_of:
            raise Refusal(
                "conferences.err_past_conference", conference=conference["name"], day=last
            )
        submission_id = next_id(cur, "submissions", "submission_id", "SUB", 4)
        cur.execute(
            "INSERT INTO submissions (submission_id, conference_id, title, abstract, skills, "
            "status, reviewer, created_on) VALUES ($id, $conference, $title, $abstract, "
            "$skills::VARCHAR[], $status, $reviewer, $as_of)",
            {
                "id": submission_id,
                "conference": conference_id,
                "title": title,
                "abstract": abstract,
                "skills": skill_ids,
                "status": str(status),
                "reviewer": reviewer,
                "as_of": as_of,
            },
        )
        cur.executemany(
            "INSERT INTO submission_speakers (submission_id, person_id) VALUES (?, ?)",
            [[submission_id, person] for person in speaker_ids],
        )
        db.audit(
            "submission_create",
            actor=viewer.actor,
            kind=submission_id,
            detail=json.dumps({"conference": conference_id, "speakers": speaker_ids}),
            inserted=1,
            cur=cur,
        )
    return submission_id


def update_submission(
    db: Database,
    viewer: Viewer,
    submission_id: str,
    *,
    title: str,
    speakers: Iterable[str],
    abstract: str | None = None,
    skills: Iterable[str] = (),
    reviewer: str | None = None,
) -> None:
    """Change a submission's title, abstract, skills, reviewer and speakers while it is still
    open (not rejected, delivered or withdrawn)."""
    current = _submission(db.cursor(), submission_id)
    require_submission_editor(db, viewer, current["speakers"])
    if not NEXT_STATUSES[current["status"]]:
        raise Refusal(
            "conferences.err_closed", status=Term(f"conferences.status.{current['status']}")
        )
    title = clean_text(title, "title", required=True)
    abstract = clean_text(abstract, "abstract", limit=MAX_LONG)
    reviewer = clean_text(reviewer, "reviewer")
    speaker_ids = checked_speakers(db, speakers)
    skill_ids = checked_skills(db, skills)
    with db.transaction() as cur:
        cur.execute(
            "UPDATE submissions SET title = $title, abstract = $abstract, "
            "skills = $skills::VARCHAR[], reviewer = $reviewer WHERE submission_id = $id",
            {
                "id": submission_id,
                "title": title,
                "abstract": abstract,
                "skills": skill_ids,
                "reviewer": reviewer,
            },
        )
        cur.execute("DELETE FROM submission_speakers WHERE submission_id = ?", [submission_id])
        cur.executemany(
            "INSERT INTO submission_speakers (submission_id, person_id) VALUES (?, ?)",
            [[submission_id, person] for person in speaker_ids],
        )
        db.audit(
            "submission_edit",
            actor=viewer.actor,
            kind=submission_id,
            detail=json.dumps({"speakers": speaker_ids}),
            updated=1,
            cur=cur,
        )


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
    current = _submission(db.cursor(), submission_id)
    require_submission_editor(db, viewer, current["speakers"])
    reviewer = clean_text(reviewer, "reviewer")
    with db.transaction() as cur:
        current = _submission(cur, submission_id)
        allowed = NEXT_STATUSES[current["status"]]
        if to_status not in allowed:
            raise Refusal(
                "conferences.err_transition",
                status=Term(f"conferences.status.{current['status']}"),
                target=Term(f"conferences.status.{to_status}"),
            )
        conference = _conference(cur, current["conference_id"])
        changes = _status_changes(current, conference, to_status, as_of, reviewer, delivered_on)
        assignments = ", ".join(f"{column} = ${column}" for column in changes)
        cur.execute(
            f"UPDATE submissions SET {assignments} WHERE submission_id = $submission_id",
            {**changes, "submission_id": submission_id},
        )
        created = []
        if to_status == S.DELIVERED:
            created = _record_delivery(cur, current, conference, changes["delivered_on"])
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
    last = _last_day(conference) or as_of
    if day > as_of or (starts is not None and not starts <= day <= last):
        raise Refusal("conferences.err_delivery_day", day=day)
    return day


def _record_delivery(cur, submission: dict, conference: dict, day: date) -> list[str]:
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
            submission = _submission(cur, submission_id)
            conference = _conference(cur, submission["conference_id"])
            day = cur.execute(
                "SELECT delivered_on FROM submissions WHERE submission_id = ?", [submission_id]
            ).fetchone()[0]
            created += _record_delivery(cur, submission, conference, day or conference["starts_on"])
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
        submission = _submission(cur, submission_id)
        if submission["status"] not in (S.ACCEPTED, S.DELIVERED):
            raise Refusal("conferences.err_trip_status")
        if person_id not in submission["speakers"]:
            raise Refusal("conferences.err_trip_speaker", person=str(person_id)[:64])
        conference = _conference(cur, submission["conference_id"])
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


def speaker_rows(db: Database, submission_id: str) -> pd.DataFrame:
    """The speakers of a submission with their activity link."""
    return db.df(
        "SELECT ss.person_id, coalesce(p.name, ss.person_id) AS name, ss.activity_id "
        "FROM submission_speakers ss LEFT JOIN people p USING (person_id) "
        "WHERE ss.submission_id = $id ORDER BY name",
        {"id": submission_id},
    )
