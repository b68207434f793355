"""A member's file: everything a curator needs to act on one person, in one place.

Identity and membership, the status history, skills with their freshness and source (and the
claims rejected), engagement against the workload behind it (capacity only for roles that may
see it), recognitions received, events attended, the open steps of their checklists and
check-ins, and the lifecycle actions that apply to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.engagement.scoring import for_viewer, member_scores
from lib.expertise.holders import skill_claims
from lib.filters import Filters
from lib.insights.onboarding import onboarding_progress
from lib.membership import checklists, claims, lifecycle
from lib.membership.lookup import unknown_person
from lib.store.db import Database
from lib.vocabulary import MembershipStatus, values

ALL_STATUSES = values(MembershipStatus)
STEP_COLUMNS = ["checklist", "step_id", "title", "due_on", "overdue", "days_overdue"]


@dataclass(frozen=True)
class MemberFile:
    """One person as the workbench shows them."""

    person: dict
    history: pd.DataFrame
    skills: pd.DataFrame
    rejected: pd.DataFrame
    engagement: dict | None
    recognitions: pd.DataFrame
    events: pd.DataFrame
    open_steps: pd.DataFrame
    check_ins: pd.DataFrame
    actions: list[str] = field(default_factory=list)


def club_roster(db: Database, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Everyone with a membership who passes the filters: person_id, name, department, wave,
    status, joined_on, left_on, exit_reason; current members first, then by name."""
    access.require(viewer, "run_club")
    return db.df(
        """
        SELECT * FROM club_members($statuses, $departments, $waves)
        ORDER BY status = 'alumni', name, person_id
        """,
        filters.member_params(),
    )


def person_names(db: Database, person_ids: list[str]) -> dict[str, str | None]:
    """Names of the given people who are in the pool (unknown IDs are left out)."""
    return dict(
        db.rows(
            "SELECT person_id, name FROM people WHERE list_contains($ids, person_id)",
            {"ids": list(person_ids)},
        )
    )


def people_summary(db: Database, person_ids: list[str]) -> pd.DataFrame:
    """person_id, name and membership status of the given people, by name."""
    return db.df(
        "SELECT p.person_id, p.name, m.status FROM people p LEFT JOIN memberships m "
        "USING (person_id) WHERE list_contains($ids, p.person_id) ORDER BY p.name",
        {"ids": list(person_ids)},
    )


def member_file(db: Database, viewer: Viewer, person_id: str, filters: Filters) -> MemberFile:
    """The file of one person in the pool (a member, an alumnus or someone to invite)."""
    access.require(viewer, "run_club")
    found = db.df(
        """
        SELECT p.person_id, p.name, p.email, p.department, p.team, p.position, p.grade,
               p.location, p.hired_on, p.employed, m.wave, m.status, m.joined_on, m.left_on,
               m.exit_reason
        FROM people p LEFT JOIN memberships m USING (person_id)
        WHERE p.person_id = $person
        """,
        {"person": person_id},
    )
    if found.empty:
        raise unknown_person(db, person_id)
    person = found.iloc[0].to_dict()
    status = person["status"] if isinstance(person["status"], str) else None
    as_of = filters.as_of
    whole = Filters(as_of=as_of)
    return MemberFile(
        person=person,
        history=lifecycle.history(db, viewer, person_id),
        skills=_skills(db, whole, person_id),
        rejected=claims.rejected_claims(db, viewer, person_id),
        engagement=_engagement(db, viewer, whole, person_id),
        recognitions=_recognitions(db, person_id),
        events=_events(db, person_id, as_of),
        open_steps=_open_steps(db, viewer, whole, person_id),
        check_ins=checklists.open_check_ins(db, viewer, person_id, as_of),
        actions=lifecycle.legal_actions(status),
    )


def _skills(db: Database, filters: Filters, person_id: str) -> pd.DataFrame:
    """The person's best claim per skill: level, source, confidence, last confirmation and
    whether it is stale."""
    found = skill_claims(db, filters, statuses=ALL_STATUSES)
    mine = found[found["person_id"] == person_id]
    columns = ["skill_id", "skill", "category", "level", "source", "confirmed_on", "stale"]
    return mine[columns].sort_values(["stale", "level", "skill"], ascending=[True, False, True])


def _engagement(db: Database, viewer: Viewer, filters: Filters, person_id: str) -> dict | None:
    scores = for_viewer(member_scores(db, filters), viewer)
    mine = scores[scores["person_id"] == person_id]
    return mine.iloc[0].to_dict() if len(mine) else None


def _recognitions(db: Database, person_id: str) -> pd.DataFrame:
    return db.df(
        "SELECT date, kind, cost, note FROM recognitions WHERE person_id = $person "
        "ORDER BY date DESC, kind",
        {"person": person_id},
    )


def _events(db: Database, person_id: str, as_of: date) -> pd.DataFrame:
    return db.df(
        "SELECT e.date, e.kind, e.title, a.role FROM attendance a JOIN events e USING (event_id) "
        "WHERE a.person_id = $person AND e.date <= $as_of ORDER BY e.date DESC, e.event_id",
        {"person": person_id, "as_of": as_of},
    )


def _open_steps(db: Database, viewer: Viewer, filters: Filters, person_id: str) -> pd.DataFrame:
    """Steps of the person's onboarding and offboarding checklists not done yet."""
    onboarding = onboarding_progress(db, viewer, filters)
    onboarding = onboarding[(onboarding["person_id"] == person_id) & ~onboarding["done"]]
    offboarding = checklists.offboarding_progress(db, viewer, filters.as_of, person_id)
    offboarding = offboarding[~offboarding["done"]]
    parts = [
        part.assign(checklist=name)[STEP_COLUMNS]
        for name, part in (("onboarding", onboarding), ("offboarding", offboarding))
        if len(part)
    ]
    if not parts:
        return pd.DataFrame(columns=STEP_COLUMNS)
    return pd.concat(parts, ignore_index=True)
