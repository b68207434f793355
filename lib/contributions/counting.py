"""When a contribution counts, and the activity row that makes it count.

Engagement scores read `activities` only. A contribution counts exactly when an activity with
the contribution's id exists, so each is counted once whatever happens to it:

* what the club recorded as an activity (an import, a curator's record, a delivered conference
  talk) is a contribution already — `contribution_list` shows it; the member's confirmation,
  evidence link or visibility are stored beside it and never touch the activity;
* a contribution logged by a member or by a curator, or confirmed by the member from a club
  event they spoke at or organised, gets its activity when it counts — verified (by a curator
  or by the club's own record), or still pending while `count_unverified_contributions` is on —
  and loses it when it is rejected (or pending with the setting off).

Every write here runs inside the caller's transaction and touches the rows it changes, so the
action's audit entry holds them before and after and Undo can put them back.
"""

from __future__ import annotations

from typing import Any

from lib.errors import Refusal
from lib.membership.audit import ChangeLog, Cursor
from lib.vocabulary import ContributionSource, ContributionStatus

S = ContributionStatus
# Sources whose contribution owns its activity (the others are the activity).
OWNING_SOURCES = (ContributionSource.MEMBER, ContributionSource.CURATOR, ContributionSource.EVENT)
COLUMNS = (
    "contribution_id",
    "person_id",
    "kind",
    "occurred_on",
    "title",
    "evidence_url",
    "reach",
    "skills",
    "visibility",
    "source",
    "status",
    "event_id",
    "verified_by",
    "verified_on",
    "review_note",
    "confirmed_on",
    "logged_by",
    "logged_on",
)


def should_count(row: dict[str, Any], settings: dict[str, Any]) -> bool:
    """Whether a stored contribution of an owning source counts now."""
    if row["status"] == S.VERIFIED:
        return True
    return row["status"] == S.PENDING and bool(settings["count_unverified_contributions"])


def write_row(cur: Cursor, log: ChangeLog, row: dict[str, Any]) -> None:
    """Insert or replace one stored contribution (touched first)."""
    log.touch("contributions", contribution_id=row["contribution_id"])
    shown = {column: row.get(column) for column in COLUMNS}
    cur.execute(
        "DELETE FROM contributions WHERE contribution_id = $id", {"id": row["contribution_id"]}
    )
    cur.execute(
        f"INSERT INTO contributions ({', '.join(COLUMNS)}) VALUES "
        f"({', '.join('$' + c if c != 'skills' else '$skills::VARCHAR[]' for c in COLUMNS)})",
        {**shown, "skills": list(shown["skills"] or [])},
    )


def stored_row(cur: Cursor, contribution_id: str) -> dict[str, Any] | None:
    found = cur.execute(
        f"SELECT {', '.join(COLUMNS)} FROM contributions WHERE contribution_id = $id",
        {"id": contribution_id},
    ).fetchone()
    return dict(zip(COLUMNS, found, strict=True)) if found else None


def sync_activity(cur: Cursor, log: ChangeLog, contribution_id: str, settings: dict) -> None:
    """Make the activity of an owning contribution exist exactly when it counts."""
    row = stored_row(cur, contribution_id)
    if row is None or row["source"] not in OWNING_SOURCES:
        return
    existing = log.touch("activities", activity_id=contribution_id)
    if should_count(row, settings):
        if existing is not None and existing["person_id"] != row["person_id"]:
            raise Refusal("contributions.err_activity_taken", activity=contribution_id)
        cur.execute(
            "INSERT OR REPLACE INTO activities (activity_id, person_id, occurred_on, kind, title, "
            "audience, hours, skills) VALUES ($id, $person, $day, $kind, $title, $reach, NULL, "
            "$skills::VARCHAR[])",
            {
                "id": contribution_id,
                "person": row["person_id"],
                "day": row["occurred_on"],
                "kind": row["kind"],
                "title": row["title"],
                "reach": row["reach"],
                "skills": list(row["skills"] or []),
            },
        )
    elif existing is not None:
        cur.execute("DELETE FROM activities WHERE activity_id = $id", {"id": contribution_id})


def owned_by_contribution(cur: Cursor, activity_id: str) -> bool:
    """Whether an activity is the counting row of a member's or curator's contribution (it is
    changed through that contribution, not deleted on its own)."""
    return bool(
        cur.execute(
            "SELECT count(*) FROM contributions WHERE contribution_id = $id "
            "AND list_contains($owning, source)",
            {"id": activity_id, "owning": [str(s) for s in OWNING_SOURCES]},
        ).fetchone()[0]
    )
