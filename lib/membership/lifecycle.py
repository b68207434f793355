"""Membership lifecycle: invite, onboard, activate, pause, resume and offboard.

The legal moves are one table (`TRANSITIONS`): the status each action leads to, the statuses it
applies to and what it sets in `memberships`. A person has one membership row for life, so two
open memberships cannot exist: inviting someone already in the club is refused, and an alumnus
comes back only through a new invitation, which reuses their row for the new wave. An action
checks every chosen person first and refuses the whole selection, a sentence per illegal move;
otherwise it changes `memberships`, writes `membership_events` and starts the checklist the move
begins, in one transaction audited with the rows before and after.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.errors import Problems, Refusal, Term
from lib.expertise.profile import membership_history
from lib.filters import default_as_of
from lib.membership import checklists
from lib.membership.audit import ChangeLog, Cursor
from lib.membership.lookup import unknown_person
from lib.store.db import Database
from lib.vocabulary import Checklist, ExitReason, values
from lib.vocabulary import MembershipStatus as S

MAX_NOTE = 2000
MAX_WAVE = 99
EXIT_REASONS = values(ExitReason)


@dataclass(frozen=True)
class Transition:
    """One lifecycle action: where it leads, whom it applies to (None = not in the club), what
    it sets in `memberships`, the permission it needs and the checklist it starts."""

    to_status: S
    sources: tuple[S | None, ...]
    updates: str
    permission: str = "run_club"
    checklist: Checklist | None = None


TRANSITIONS: dict[str, Transition] = {
    "invite": Transition(
        S.CANDIDATE,
        (None, S.ALUMNI),
        "wave = $wave, status = $to, joined_on = NULL, left_on = NULL, exit_reason = NULL",
        permission="invite_candidates",
    ),
    "onboard": Transition(
        S.ONBOARDING,
        (S.CANDIDATE,),
        "status = $to, joined_on = $day",
        checklist=Checklist.ONBOARDING,
    ),
    "activate": Transition(
        S.ACTIVE, (S.ONBOARDING,), "status = $to, joined_on = coalesce(joined_on, $day)"
    ),
    "pause": Transition(S.PAUSED, (S.ACTIVE,), "status = $to"),
    "resume": Transition(S.ACTIVE, (S.PAUSED,), "status = $to"),
    "offboard": Transition(
        S.ALUMNI,
        (S.CANDIDATE, S.ONBOARDING, S.ACTIVE, S.PAUSED),
        "status = $to, left_on = $day, exit_reason = $reason",
        checklist=Checklist.OFFBOARDING,
    ),
}
ACTIONS = tuple(TRANSITIONS)


def legal_actions(status: str | None) -> list[str]:
    """The actions that apply to a person in `status` (None = not in the club)."""
    return [name for name, move in TRANSITIONS.items() if status in move.sources]


def transition(action: str) -> Transition:
    """The transition of an action name, or a refusal listing the actions."""
    if action not in TRANSITIONS:
        raise Refusal("members.err_unknown_action", action=action, actions=", ".join(ACTIONS))
    return TRANSITIONS[action]


@dataclass(frozen=True)
class Move:
    """One person's planned change, and the refusal when it cannot happen."""

    person_id: str
    name: str | None
    from_status: str | None
    to_status: str
    wave: int | None
    problem: Refusal | None = None


def _people(db: Database, person_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Name, employment, membership and recorded status days of each known person."""
    names = ["person_id", "name", "employed", "status", "wave", "last_change", "changes"]
    rows = db.rows(
        """
        SELECT p.person_id, p.name, coalesce(p.employed, TRUE), m.status, m.wave,
               (SELECT max(h.changed_on) FROM status_history h
                WHERE h.person_id = p.person_id),
               (SELECT list(h.changed_on::VARCHAR || ' ' || h.to_status) FROM status_history h
                WHERE h.person_id = p.person_id)
        FROM people p LEFT JOIN memberships m USING (person_id)
        WHERE list_contains($ids, p.person_id)
        """,
        {"ids": person_ids},
    )
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows}


def _label(person_id: str, found: dict[str, Any]) -> str:
    return f"{found['name']} ({person_id})" if found.get("name") else person_id


def _problem(action: str, person_id: str, found: dict[str, Any], day: date) -> Refusal | None:
    """Why `action` cannot move this person on `day`, or None."""
    step = TRANSITIONS[action]
    status = found["status"]
    who = _label(person_id, found)
    if status not in step.sources:
        if action == "invite":
            return Refusal(
                "members.err_invite",
                person=who,
                status=Term(f"status.{status}"),
                wave=found["wave"] or "—",
            )
        if status is None:
            return Refusal("members.err_not_a_member", person=person_id)
        if status == S.ALUMNI and action != "offboard":
            return Refusal("members.err_alumni_reinvite", person=who)
        return Refusal(f"members.err_{action}", person=who, status=Term(f"status.{status}"))
    if action == "invite" and not found["employed"]:
        return Refusal("members.err_not_employed", person=who)
    last = found["last_change"]
    if last is not None and day < last:
        return Refusal("members.err_before_last_change", person=who, last=last.isoformat())
    if f"{day.isoformat()} {step.to_status}" in (found["changes"] or []):
        return Refusal(
            "members.err_same_day",
            person=who,
            status=Term(f"status.{step.to_status}"),
            day=day.isoformat(),
        )
    return None


def plan_moves(
    db: Database, action: str, person_ids: Iterable[str], day: date, wave: int | None = None
) -> list[Move]:
    """What `action` would do to each person (once each, in the order given)."""
    step = transition(action)
    ids = list(dict.fromkeys(str(p).strip() for p in person_ids if str(p).strip()))
    known = _people(db, ids)
    moves = []
    for person_id in ids:
        found = known.get(person_id)
        if found is None:
            moves.append(
                Move(person_id, None, None, step.to_status, wave, unknown_person(db, person_id))
            )
            continue
        moves.append(
            Move(
                person_id,
                found["name"],
                found["status"],
                str(step.to_status),
                wave if action == "invite" else found["wave"],
                _problem(action, person_id, found, day),
            )
        )
    return moves


def preview(
    db: Database,
    viewer: Viewer,
    action: str,
    person_ids: Iterable[str],
    *,
    on: date | None = None,
    wave: int | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """What an action would change, person by person, before it changes anything: person_id,
    name, from_status, to_status, wave and the problem (a sentence in `lang`) when it cannot."""
    access.require(viewer, transition(action).permission)
    moves = plan_moves(db, action, person_ids, on or default_as_of(), wave)
    return pd.DataFrame(
        [
            {
                "person_id": m.person_id,
                "name": m.name,
                "from_status": m.from_status,
                "to_status": m.to_status,
                "wave": m.wave,
                "problem": m.problem.text(lang) if m.problem else None,
            }
            for m in moves
        ],
        columns=["person_id", "name", "from_status", "to_status", "wave", "problem"],
    )


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise Refusal("members.err_note_too_long", limit=MAX_NOTE)
    return note


def _check_options(action: str, wave: int | None, reason: str | None) -> None:
    if action == "invite" and (wave is None or not 1 <= int(wave) <= MAX_WAVE):
        raise Refusal("members.err_wave", high=MAX_WAVE)
    if action == "offboard" and reason not in EXIT_REASONS:
        raise Refusal("members.err_exit_reason", reasons=", ".join(EXIT_REASONS))


def change_status(
    db: Database,
    viewer: Viewer,
    action: str,
    person_ids: Iterable[str],
    *,
    on: date | None = None,
    wave: int | None = None,
    note: str | None = None,
    notes: Mapping[str, str] | None = None,
    reason: str | None = None,
) -> int:
    """Move every chosen person by `action` on `on` (default: the analysis day), with `note`
    (or a note per person) on their status change; an offboarding needs an exit `reason` from
    EXIT_REASONS, an invitation the `wave`. All or nothing; returns the audit entry."""
    step = transition(action)
    access.require(viewer, step.permission)
    _check_options(action, wave, reason)
    day = on or default_as_of()
    moves = plan_moves(db, action, person_ids, day, wave)
    if not moves:
        raise Refusal("members.err_nobody_selected")
    problems = [m.problem for m in moves if m.problem]
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems, "members.err_moves")
    texts = {m.person_id: _clean_note((notes or {}).get(m.person_id) or note) for m in moves}
    with db.transaction() as cur:
        log = ChangeLog(cur)
        for move in moves:
            _apply(
                cur,
                log,
                action,
                move,
                day,
                wave=wave,
                reason=reason,
                note=texts[move.person_id],
                actor=viewer.actor,
            )
        return log.record(
            f"member_{action}",
            actor=viewer.actor,
            kind="memberships",
            detail=", ".join(m.person_id for m in moves),
        )


def _run(cur: Cursor, sql: str, params: dict[str, Any]) -> None:
    """Execute with only the named parameters the statement uses."""
    used = set(re.findall(r"\$(\w+)", sql))
    cur.execute(sql, {name: value for name, value in params.items() if name in used})


def _apply(
    cur: Cursor,
    log: ChangeLog,
    action: str,
    move: Move,
    day: date,
    *,
    wave: int | None,
    reason: str | None,
    note: str | None,
    actor: str,
) -> None:
    """One person's move inside the transaction: membership row, status event, checklist."""
    step = TRANSITIONS[action]
    person = move.person_id
    _keep_history(cur, log, person)
    log.touch("memberships", person_id=person)
    params = {
        "person": person,
        "to": str(step.to_status),
        "from": move.from_status,
        "day": day,
        "wave": wave,
        "reason": reason,
        "note": note,
    }
    if move.from_status is None:
        _run(
            cur,
            "INSERT INTO memberships (person_id, wave, status) VALUES ($person, $wave, $to)",
            params,
        )
    else:
        _run(cur, f"UPDATE memberships SET {step.updates} WHERE person_id = $person", params)
    log.touch("membership_events", person_id=person, changed_on=day, to_status=str(step.to_status))
    _run(
        cur,
        "INSERT INTO membership_events (person_id, changed_on, from_status, to_status, note) "
        "VALUES ($person, $day, $from, $to, $note)",
        params,
    )
    if step.checklist:
        checklists.start_checklist(cur, log, person, step.checklist, day, actor)


def _keep_history(cur: Cursor, log: ChangeLog, person_id: str) -> None:
    """Before the first recorded event of a member known only from their membership row, write
    the history the `status_history` view reads from that row, so it is not lost."""
    found = cur.execute(
        "SELECT changed_on, to_status FROM status_history WHERE person_id = $person "
        "AND changed_on IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM membership_events e WHERE e.person_id = $person) ORDER BY changed_on",
        {"person": person_id},
    ).fetchall()
    previous = None
    for changed_on, status in found:
        log.touch("membership_events", person_id=person_id, changed_on=changed_on, to_status=status)
        cur.execute(
            "INSERT INTO membership_events (person_id, changed_on, from_status, to_status) "
            "VALUES ($person, $day, $from, $to)",
            {"person": person_id, "day": changed_on, "from": previous, "to": status},
        )
        previous = status


def recruiting_wave(db: Database) -> int:
    """The wave invitations go to by default: the latest wave that still has candidates, else
    the one after the latest (1 for an empty club)."""
    latest, open_wave = db.rows(
        "SELECT max(wave), max(wave) FILTER (WHERE status = 'candidate') FROM memberships"
    )[0]
    if open_wave is not None:
        return int(open_wave)
    return int(latest or 0) + 1


def history(db: Database, viewer: Viewer, person_id: str) -> pd.DataFrame:
    """A person's status changes, oldest first (notes only for roles that may see exit
    reasons); a member known only from an imported membership row gets the history their row
    implies (joined, and left for alumni). An unknown person is refused with the closest
    match."""
    if not db.scalar("SELECT count(*) FROM people WHERE person_id = $p", {"p": person_id}):
        raise unknown_person(db, person_id)
    recorded = membership_history(db, viewer, person_id)
    if len(recorded):
        return recorded
    implied = db.df(
        "SELECT changed_on, lag(to_status) OVER (ORDER BY changed_on) AS from_status, to_status "
        "FROM status_history WHERE person_id = $p AND changed_on IS NOT NULL ORDER BY changed_on",
        {"p": person_id},
    )
    return implied.assign(note=None)[recorded.columns] if len(implied) else recorded
