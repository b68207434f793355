"""Onboarding and offboarding checklists, and check-ins with members.

Starting onboarding starts the onboarding checklist (the charter's onboarding rules as
`onboarding_steps`, due from the day onboarding began); offboarding starts the offboarding one
(`offboarding_steps`, due from the day the member left). Both tables are configured the same
way; curators tick what the data cannot show. A check-in is a conversation a curator
scheduled with a member. Every change is audited with its before and after rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.errors import Refusal, Term
from lib.filters import default_as_of
from lib.membership.audit import ChangeLog, Cursor
from lib.store.db import Database
from lib.vocabulary import Checklist

TABLES = {
    Checklist.ONBOARDING: ("onboarding_steps", "onboarding_ticks"),
    Checklist.OFFBOARDING: ("offboarding_steps", "offboarding_ticks"),
}
MAX_NOTE = 2000


def _tables(checklist: str) -> tuple[str, str]:
    if checklist not in TABLES:
        raise Refusal("members.err_unknown_checklist", checklist=checklist)
    return TABLES[Checklist(checklist)]


def checklist_steps(db: Database, checklist: str) -> pd.DataFrame:
    """The steps of a checklist: step_id, position, title, due_days, evidence."""
    steps, _ = _tables(checklist)
    return db.df(
        f"SELECT step_id, position, title, due_days, evidence FROM {steps} "
        "ORDER BY position, step_id"
    )


def start_checklist(
    cur: Cursor, log: ChangeLog, person_id: str, checklist: Checklist, day: date, actor: str
) -> None:
    """Record that a member's checklist starts on `day`, from the current charter version;
    inside the caller's transaction and change log."""
    log.touch("checklist_runs", person_id=person_id, checklist=str(checklist))
    cur.execute(
        "INSERT OR REPLACE INTO checklist_runs "
        "(person_id, checklist, started_on, charter_version, started_by) "
        "VALUES ($person, $checklist, $day, (SELECT max(version) FROM charter), $actor)",
        {"person": person_id, "checklist": str(checklist), "day": day, "actor": actor},
    )


def offboarding_progress(
    db: Database, viewer: Viewer, as_of: date, person_id: str | None = None
) -> pd.DataFrame:
    """One row per alumnus whose offboarding checklist was started (or only `person_id`) and
    step: due_on, done, done_on, done_by ('data' or 'curator'), overdue, days_overdue."""
    access.require(viewer, "see_onboarding")
    return db.df(
        """
        WITH runs AS (
            SELECT r.person_id, p.name, r.started_on
            FROM checklist_runs r
            JOIN memberships m USING (person_id)
            JOIN people p USING (person_id)
            WHERE r.checklist = 'offboarding' AND m.status = 'alumni'
              AND ($person::VARCHAR IS NULL OR r.person_id = $person)
        ),
        evidence AS (
            SELECT 'interview' AS evidence, i.person_id, min(i.conducted_on) AS done_on
            FROM interviews i JOIN runs x USING (person_id)
            WHERE i.conducted_on BETWEEN x.started_on AND $as_of
            GROUP BY i.person_id
            UNION ALL
            SELECT 'recognition', g.person_id, min(g.date)
            FROM recognitions g JOIN runs x USING (person_id)
            WHERE g.date BETWEEN x.started_on AND $as_of
            GROUP BY g.person_id
        ),
        grid AS (
            SELECT x.person_id, x.name, x.started_on, s.step_id, s.position, s.title,
                   CAST(x.started_on + s.due_days * INTERVAL 1 DAY AS DATE) AS due_on,
                   ev.done_on AS data_on, t.done_on AS tick_on
            FROM runs x CROSS JOIN offboarding_steps s
            LEFT JOIN evidence ev ON ev.person_id = x.person_id AND ev.evidence = s.evidence
            LEFT JOIN offboarding_ticks t
                   ON t.person_id = x.person_id AND t.step_id = s.step_id
        )
        SELECT person_id, name, started_on, step_id, position, title, due_on,
               data_on IS NOT NULL OR tick_on IS NOT NULL AS done,
               least(data_on, tick_on) AS done_on,
               CASE WHEN data_on IS NOT NULL THEN 'data'
                    WHEN tick_on IS NOT NULL THEN 'curator' END AS done_by,
               data_on IS NULL AND tick_on IS NULL AND due_on < $as_of AS overdue,
               CASE WHEN data_on IS NULL AND tick_on IS NULL AND due_on < $as_of
                    THEN date_diff('day', due_on, $as_of) ELSE 0 END AS days_overdue
        FROM grid
        ORDER BY started_on DESC, person_id, position, step_id
        """,
        {"person": person_id, "as_of": as_of},
    )


def _check_member(db: Database, person_id: str) -> None:
    if not db.scalar(
        "SELECT count(*) FROM memberships WHERE person_id = $person", {"person": person_id}
    ):
        raise Refusal("members.err_not_a_member", person=person_id)


def _check_note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise Refusal("members.err_note_too_long", limit=MAX_NOTE)
    return note


def tick_step(
    db: Database,
    viewer: Viewer,
    person_id: str,
    checklist: str,
    step_id: str,
    *,
    done_on: date | None = None,
    note: str | None = None,
) -> int:
    """Mark a checklist step done for a member by hand; returns the audit entry."""
    access.require(viewer, "run_club")
    steps, ticks = _tables(checklist)
    if not db.scalar(f"SELECT count(*) FROM {steps} WHERE step_id = $step", {"step": step_id}):
        raise Refusal(
            "members.err_unknown_step", step=step_id, checklist=Term(f"members.{checklist}")
        )
    _check_member(db, person_id)
    note = _check_note(note)
    day = done_on or default_as_of()
    with db.transaction() as cur:
        log = ChangeLog(cur)
        log.touch(ticks, person_id=person_id, step_id=step_id)
        cur.execute(
            f"INSERT OR REPLACE INTO {ticks} (person_id, step_id, done_on, ticked_by, note) "
            "VALUES ($person, $step, $day, $actor, $note)",
            {"person": person_id, "step": step_id, "day": day, "actor": viewer.actor, "note": note},
        )
        return log.record(
            f"{checklist}_tick",
            actor=viewer.actor,
            kind=step_id,
            detail=f"{person_id} {day.isoformat()}",
        )


def untick_step(db: Database, viewer: Viewer, person_id: str, checklist: str, step_id: str) -> int:
    """Remove a hand-made tick; returns the audit entry."""
    access.require(viewer, "run_club")
    _, ticks = _tables(checklist)
    _check_member(db, person_id)
    with db.transaction() as cur:
        log = ChangeLog(cur)
        if log.touch(ticks, person_id=person_id, step_id=step_id) is None:
            raise Refusal("members.err_not_ticked", step=step_id)
        cur.execute(
            f"DELETE FROM {ticks} WHERE person_id = $person AND step_id = $step",
            {"person": person_id, "step": step_id},
        )
        return log.record(f"{checklist}_untick", actor=viewer.actor, kind=step_id, detail=person_id)


def schedule_check_ins(
    db: Database, viewer: Viewer, person_ids: Iterable[str], due_on: date, note: str | None = None
) -> int:
    """Schedule a check-in with each member on `due_on`; returns the audit entry."""
    access.require(viewer, "run_club")
    people = list(dict.fromkeys(person_ids))
    if not people:
        raise Refusal("members.err_nobody_selected")
    for person_id in people:
        _check_member(db, person_id)
    note = _check_note(note)
    with db.transaction() as cur:
        log = ChangeLog(cur)
        for person_id in people:
            log.touch("check_ins", person_id=person_id, due_on=due_on)
            cur.execute(
                "INSERT OR REPLACE INTO check_ins (person_id, due_on, note, scheduled_by) "
                "VALUES ($person, $due_on, $note, $actor)",
                {"person": person_id, "due_on": due_on, "note": note, "actor": viewer.actor},
            )
        return log.record(
            "member_check_in", actor=viewer.actor, kind="check_ins", detail=", ".join(people)
        )


def complete_check_in(
    db: Database, viewer: Viewer, person_id: str, due_on: date, done_on: date | None = None
) -> int:
    """Mark a scheduled check-in as held; returns the audit entry."""
    access.require(viewer, "run_club")
    with db.transaction() as cur:
        log = ChangeLog(cur)
        if log.touch("check_ins", person_id=person_id, due_on=due_on) is None:
            raise Refusal("members.err_no_check_in", person=person_id)
        cur.execute(
            "UPDATE check_ins SET done_on = $done WHERE person_id = $person AND due_on = $due_on",
            {"done": done_on or default_as_of(), "person": person_id, "due_on": due_on},
        )
        return log.record("check_in_done", actor=viewer.actor, kind="check_ins", detail=person_id)


def open_check_ins(db: Database, viewer: Viewer, person_id: str, as_of: date) -> pd.DataFrame:
    """A member's check-ins not yet held: due_on, note, scheduled_by, overdue."""
    access.require(viewer, "see_onboarding")
    return db.df(
        "SELECT due_on, note, scheduled_by, due_on < $as_of AS overdue FROM check_ins "
        "WHERE person_id = $person AND done_on IS NULL ORDER BY due_on",
        {"person": person_id, "as_of": as_of},
    )
