"""The curators' verification queue: contributions members logged, oldest first, each with
whatever makes it doubtful (the same link or the same title and day already recorded, no
evidence link); verifying makes one count, rejecting takes it out of every count. The setting
that decides whether unverified ones count is saved here too, so that the activities follow it
at once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.contributions import checks, counting
from lib.contributions.records import typed
from lib.errors import Refusal
from lib.filters import Filters
from lib.membership.audit import ChangeLog
from lib.settings import current_settings, update_settings
from lib.store.db import Database
from lib.vocabulary import ContributionStatus

STATUS = ContributionStatus
QUEUE_COLUMNS = [
    "contribution_id",
    "person_id",
    "name",
    "department",
    "kind",
    "occurred_on",
    "title",
    "reach",
    "reach_metric",
    "evidence_url",
    "skills",
    "visibility",
    "counted",
    "logged_on",
    "waiting_days",
    "doubt",
]


def verification_queue(db: Database, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Pending contributions of members who pass the filters, oldest logged first, with the
    days they have waited and a doubt code: duplicate (the same link, or title and day, among
    the member's other contributions), no_evidence, or none."""
    access.require(viewer, "verify_contributions")
    frame = db.df(
        """
        SELECT c.*, m.name, m.department
        FROM contribution_list c
        JOIN club_members($statuses, $departments, $waves) m USING (person_id)
        WHERE c.status = 'pending'
        ORDER BY coalesce(c.logged_on, c.occurred_on), c.contribution_id
        """,
        filters.member_params(),
    )
    frame = typed(frame)
    others = db.df(
        "SELECT contribution_id, person_id, title, occurred_on, evidence_url FROM "
        "contribution_list WHERE status <> 'rejected' AND list_contains($people, person_id)",
        {"people": frame["person_id"].unique().tolist()},
    )
    frame["doubt"] = [_doubt(row, others) for row in frame.itertuples()]
    logged = pd.to_datetime(frame["logged_on"])
    frame["waiting_days"] = (pd.Timestamp(filters.as_of) - logged).dt.days.astype("Int64")
    frame["logged_on"] = logged.dt.date
    return frame[QUEUE_COLUMNS].reset_index(drop=True)


def _doubt(row: Any, others: pd.DataFrame) -> str:
    theirs = others[
        (others["person_id"] == row.person_id) & (others["contribution_id"] != row.contribution_id)
    ]
    url = checks.url_key(row.evidence_url)
    if url and any(checks.url_key(u) == url for u in theirs["evidence_url"]):
        return "duplicate"
    same_day = pd.to_datetime(theirs["occurred_on"]).dt.date == row.occurred_on
    if (theirs.loc[same_day, "title"].map(checks.title_key) == checks.title_key(row.title)).any():
        return "duplicate"
    return "no_evidence" if not url else "none"


def _decide(
    db: Database,
    viewer: Viewer,
    ids: Iterable[str],
    status: str,
    *,
    as_of: date,
    note: str | None,
) -> int:
    access.require(viewer, "verify_contributions")
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise Refusal("contributions.err_nothing_chosen")
    note = checks.clean_note(note)
    settings = current_settings(db)
    with db.transaction() as cur:
        log = ChangeLog(cur)
        for contribution_id in wanted:
            row = counting.stored_row(cur, contribution_id)
            if row is None or row["source"] not in counting.OWNING_SOURCES:
                raise Refusal("contributions.err_unknown", contribution=str(contribution_id)[:64])
            if row["status"] != STATUS.PENDING:
                raise Refusal("contributions.err_already_decided", title=row["title"])
            decided = {
                **row,
                "status": status,
                "verified_by": viewer.actor,
                "verified_on": as_of,
                "review_note": note,
            }
            counting.write_row(cur, log, decided)
            counting.sync_activity(cur, log, contribution_id, settings)
        action = "contribution_verify" if status == STATUS.VERIFIED else "contribution_reject"
        return log.record(
            action, actor=viewer.actor, kind="contributions", detail="; ".join(wanted)
        )


def verify_contributions(
    db: Database, viewer: Viewer, ids: Iterable[str], *, as_of: date, note: str | None = None
) -> int:
    """Verify pending contributions: each counts from now on. Returns the audit entry."""
    return _decide(db, viewer, ids, str(STATUS.VERIFIED), as_of=as_of, note=note)


def reject_contributions(
    db: Database, viewer: Viewer, ids: Iterable[str], *, as_of: date, note: str | None = None
) -> int:
    """Reject pending contributions (with a reason the member reads): none of them counts.
    Returns the audit entry."""
    return _decide(db, viewer, ids, str(STATUS.REJECTED), as_of=as_of, note=note)


def recount(db: Database, viewer: Viewer) -> int:
    """Bring every owning contribution's activity in line with the settings (after the
    `count_unverified_contributions` setting changed); returns how many activities changed."""
    access.require(viewer, "edit_settings")
    settings = current_settings(db)
    with db.transaction() as cur:
        log = ChangeLog(cur)
        pending = cur.execute(
            "SELECT contribution_id FROM contributions WHERE status = 'pending' "
            "AND list_contains($owning, source) ORDER BY contribution_id",
            {"owning": [str(s) for s in counting.OWNING_SOURCES]},
        ).fetchall()
        for (contribution_id,) in pending:
            counting.sync_activity(cur, log, contribution_id, settings)
        before, _ = log.changes()
        if before:
            log.record("contribution_recount", actor=viewer.actor, kind="activities")
        return len(before)


def save_contribution_settings(db: Database, viewer: Viewer, changes: dict[str, Any]) -> list[str]:
    """Save contribution and renewal settings; when counting of unverified contributions
    changed, the activities follow at once. Returns the keys saved."""
    saved = update_settings(db, viewer, changes)
    if "count_unverified_contributions" in saved:
        recount(db, viewer)
    return saved
