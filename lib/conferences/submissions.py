"""Talk submissions: created for a coming conference with club members as speakers, and
changed while open; the statuses they may move through (lib/conferences/moves.py moves
them: idea → draft → internal review → submitted → accepted / rejected → delivered, or
withdrawn).

Staff (`edit_submissions`) change every submission; a role with `edit_own_submissions` only
those where the viewer's e-mail is a speaker's. Each write: one transaction, one audit row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from lib import access
from lib.access import Viewer
from lib.conferences.checks import MAX_LONG, clean_text
from lib.conferences.editing import next_id
from lib.errors import Problems, Refusal, Term
from lib.store.db import Database
from lib.vocabulary import CURRENT_STATUSES, MembershipStatus
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


def conference_row(cur, conference_id: str) -> dict:
    found = cur.execute(
        "SELECT conference_id, name, starts_on, ends_on, cfp_opens, cfp_closes, audience, cost "
        "FROM conferences WHERE conference_id = ?",
        [conference_id],
    ).fetchall()
    if not found:
        raise Refusal("conferences.err_unknown_conference", conference=str(conference_id)[:64])
    names = ("conference_id", "name", "starts_on", "ends_on", "cfp_opens", "cfp_closes")
    return dict(zip((*names, "audience", "cost"), found[0], strict=True))


def submission_row(cur, submission_id: str) -> dict:
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


def read_submission(db: Database, submission_id: str) -> dict:
    """A submission as `submission_row` gives it, read outside any transaction."""
    cur = db.cursor()
    try:
        return submission_row(cur, submission_id)
    finally:
        cur.close()


def last_day(conference: dict) -> date | None:
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
        conference = conference_row(cur, conference_id)
        last = last_day(conference)
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
    current = read_submission(db, submission_id)
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
