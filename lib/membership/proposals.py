"""A member's own skills: confirming a skill they hold (a self-assessment dated today at the
level shown), and proposing a new skill or another level — a proposal waits in the curators'
claims queue (lib/membership/claims.py accepts or rejects it) and counts nowhere until then.

The skill may be typed as the skill search reads it (name, alias, typo, the other alphabet);
a name it cannot pin down is refused with the closest names.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.errors import Refusal
from lib.expertise.search import did_you_mean, find_skills
from lib.filters import Filters
from lib.membership.audit import ChangeLog, Cursor
from lib.membership.self_service import own_skills
from lib.store.db import Database
from lib.vocabulary import ClaimSource, ProposalStatus

SELF = ClaimSource.SELF.value
PENDING = ProposalStatus.PENDING.value
SURE_MATCH = 85.0
MAX_NOTE = 500
PROPOSAL_COLUMNS = [
    "person_id",
    "skill_id",
    "skill",
    "proposed_on",
    "level",
    "current_level",
    "note",
    "status",
    "decided_on",
    "decision_note",
]


def resolve_skill(db: Database, skill: str) -> str:
    """A skill id from an id, a name or an alias (typos and the other alphabet forgiven when
    the match is sure); refused with the closest names otherwise."""
    text = (skill or "").strip()
    if not text:
        raise Refusal("self_service.err_skill_required")
    if db.scalar("SELECT count(*) FROM skills WHERE skill_id = $id", {"id": text}):
        return text
    found = find_skills(db, text, limit=2)
    if len(found) and found.iloc[0]["score"] >= SURE_MATCH:
        return str(found.iloc[0]["skill_id"])
    close = did_you_mean(db, text)
    if close:
        raise Refusal(
            "self_service.err_skill_unsure", skill=text[:80], suggestions=", ".join(close)
        )
    raise Refusal("self_service.err_skill_unknown", skill=text[:80])


def confirm_own_skills(
    db: Database, viewer: Viewer, skill_ids: Iterable[str], *, as_of: date
) -> int:
    """The member confirms skills they hold at the level shown: a self-assessment at that
    level dated `as_of` (it makes the claim fresh again). Returns the audit entry."""
    access.require(viewer, "edit_own_file")
    person = access.subject(viewer)
    wanted = list(dict.fromkeys(skill_ids))
    if not wanted:
        raise Refusal("members.err_nobody_selected")
    held = own_skills(db, viewer, Filters(as_of=as_of)).set_index("skill_id")
    with db.transaction() as cur:
        log = ChangeLog(cur)
        for skill_id in wanted:
            if skill_id not in held.index:
                raise Refusal("members.err_no_claim", person=person, skill=skill_id)
            log.touch("person_skills", person_id=person, skill_id=skill_id, source=SELF)
            cur.execute(
                "INSERT OR REPLACE INTO person_skills (person_id, skill_id, level, source, "
                "confirmed_on, evidence) VALUES ($person, $skill, $level, $source, $day, "
                "(SELECT evidence FROM person_skills WHERE person_id = $person "
                "AND skill_id = $skill AND source = $source))",
                {
                    "person": person,
                    "skill": skill_id,
                    "level": int(held.at[skill_id, "level"]),
                    "source": SELF,
                    "day": as_of,
                },
            )
        return log.record(
            "skill_self_confirm", actor=viewer.actor, kind="person_skills", detail=", ".join(wanted)
        )


def _pending(cur: Cursor, person: str, skill_id: str) -> tuple | None:
    return cur.execute(
        "SELECT proposed_on, level FROM skill_proposals WHERE person_id = $person "
        "AND skill_id = $skill AND status = $pending",
        {"person": person, "skill": skill_id, "pending": PENDING},
    ).fetchone()


def propose_skill(
    db: Database,
    viewer: Viewer,
    skill: str,
    level: int,
    *,
    as_of: date,
    note: str | None = None,
) -> int:
    """The member proposes a skill they do not hold yet, or another level of one they hold;
    it waits for a curator in the claims queue. A pending proposal on the same skill is
    replaced. Returns the audit entry."""
    access.require(viewer, "edit_own_file")
    person = access.subject(viewer)
    if not 1 <= int(level) <= 5:
        raise Refusal("members.err_level")
    skill_id = resolve_skill(db, skill)
    note = " ".join(str(note or "").split()) or None
    if note and len(note) > MAX_NOTE:
        raise Refusal("self_service.err_note_long", limit=MAX_NOTE)
    held = own_skills(db, viewer, Filters(as_of=as_of)).set_index("skill_id")
    current = int(held.at[skill_id, "level"]) if skill_id in held.index else None
    if current == int(level):
        raise Refusal(
            "self_service.err_same_level", skill=str(held.at[skill_id, "skill"]), level=current
        )
    with db.transaction() as cur:
        log = ChangeLog(cur)
        waiting = _pending(cur, person, skill_id)
        if waiting is not None:
            log.touch(
                "skill_proposals", person_id=person, skill_id=skill_id, proposed_on=waiting[0]
            )
            cur.execute(
                "DELETE FROM skill_proposals WHERE person_id = $person AND skill_id = $skill "
                "AND proposed_on = $day",
                {"person": person, "skill": skill_id, "day": waiting[0]},
            )
        elif log.touch("skill_proposals", person_id=person, skill_id=skill_id, proposed_on=as_of):
            raise Refusal("self_service.err_proposed_today")
        log.touch("skill_proposals", person_id=person, skill_id=skill_id, proposed_on=as_of)
        cur.execute(
            "INSERT INTO skill_proposals (person_id, skill_id, proposed_on, level, current_level, "
            "note, proposed_by, status) VALUES ($person, $skill, $day, $level, $current, $note, "
            "$actor, $pending)",
            {
                "person": person,
                "skill": skill_id,
                "day": as_of,
                "level": int(level),
                "current": current,
                "note": note,
                "actor": viewer.actor,
                "pending": PENDING,
            },
        )
        return log.record(
            "skill_propose", actor=viewer.actor, kind="skill_proposals", detail=skill_id
        )


def own_proposals(db: Database, viewer: Viewer, person_id: str | None = None) -> pd.DataFrame:
    """The member's proposals, latest first, with the curator's answer."""
    person = access.subject(viewer, person_id)
    frame = db.df(
        "SELECT p.person_id, p.skill_id, s.name AS skill, p.proposed_on, p.level, "
        "p.current_level, p.note, p.status, p.decided_on, p.decision_note "
        "FROM skill_proposals p LEFT JOIN skills s USING (skill_id) "
        "WHERE p.person_id = $person ORDER BY p.proposed_on DESC, s.name",
        {"person": person},
    )
    return frame[PROPOSAL_COLUMNS]


def pending_proposals(db: Database, filters: Filters) -> pd.DataFrame:
    """Pending proposals of members who pass the filters (the claims queue adds them; no
    access check here): person_id, name, department, status, skill_id, skill, category,
    level (proposed), current_level, proposed_on, note."""
    return db.df(
        """
        SELECT p.person_id, m.name, m.department, m.status, p.skill_id, s.name AS skill,
               s.category, p.level, p.current_level, p.proposed_on, p.note
        FROM skill_proposals p
        JOIN club_members($statuses, $departments, $waves) m USING (person_id)
        JOIN skills s USING (skill_id)
        WHERE p.status = 'pending'
        ORDER BY p.proposed_on, m.name, s.name
        """,
        filters.member_params(),
    )


def decide_proposal(
    cur: Cursor,
    log: ChangeLog,
    person_id: str,
    skill_id: str,
    status: str,
    *,
    day: date,
    actor: str,
    note: str | None,
) -> int | None:
    """Mark the pending proposal of a member on a skill accepted or rejected (inside the
    caller's transaction); returns the level it proposed, or None when there was none."""
    waiting = _pending(cur, person_id, skill_id)
    if waiting is None:
        return None
    log.touch("skill_proposals", person_id=person_id, skill_id=skill_id, proposed_on=waiting[0])
    cur.execute(
        "UPDATE skill_proposals SET status = $status, decided_on = $day, decided_by = $actor, "
        "decision_note = $note WHERE person_id = $person AND skill_id = $skill "
        "AND proposed_on = $proposed",
        {
            "status": status,
            "day": day,
            "actor": actor,
            "note": note,
            "person": person_id,
            "skill": skill_id,
            "proposed": waiting[0],
        },
    )
    return int(waiting[1])
