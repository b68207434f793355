"""Changing the conference list: add, edit or remove a conference with its call for papers.

Every write is one function: role-checked (`edit_conferences`), one transaction, one audit
row, refused with a sentence (all problems at once) when the values are not possible.
"""

from __future__ import annotations

import re
from typing import Any

from lib import access
from lib.access import Viewer
from lib.conferences.checks import as_day, clean_number, clean_text, clean_topics
from lib.errors import Problems, Refusal
from lib.store.db import Database

URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
DATE_FIELDS = ("starts_on", "ends_on", "cfp_opens", "cfp_closes")


def checked_conference(values: dict[str, Any]) -> dict[str, Any]:
    """A conference's fields typed and checked; every problem found is refused at once."""
    problems: list[Refusal] = []
    row: dict[str, Any] = {"online": bool(values.get("online"))}
    checks = {
        "name": lambda v: clean_text(v, "name", required=True),
        "city": lambda v: clean_text(v, "city"),
        "url": lambda v: clean_text(v, "url"),
        "audience": lambda v: clean_number(v, "audience", whole=True),
        "cost": lambda v: clean_number(v, "cost"),
        "topics": clean_topics,
        **dict.fromkeys(DATE_FIELDS, as_day),
    }
    for field, check in checks.items():
        try:
            row[field] = check(values.get(field))
        except Refusal as exc:
            problems.append(exc)
            row[field] = None
    if row["url"] and not URL.match(row["url"]):
        problems.append(Refusal("conferences.err_url"))
    if row["cfp_opens"] and row["cfp_closes"] and row["cfp_closes"] < row["cfp_opens"]:
        problems.append(
            Refusal("conferences.err_cfp_order", opens=row["cfp_opens"], closes=row["cfp_closes"])
        )
    if row["starts_on"] and row["ends_on"] and row["ends_on"] < row["starts_on"]:
        problems.append(
            Refusal("conferences.err_dates_order", starts=row["starts_on"], ends=row["ends_on"])
        )
    if problems:
        raise Problems(problems)
    return row


def next_id(cur, table: str, column: str, prefix: str, width: int) -> str:
    """The next free `<prefix><number>` id of a table (inside the caller's transaction)."""
    found = cur.execute(
        f"SELECT max(TRY_CAST(regexp_extract({column}, $pattern, 1) AS INTEGER)) FROM {table}",
        {"pattern": f"^{prefix}(\\d+)$"},
    ).fetchone()[0]
    return f"{prefix}{(found or 0) + 1:0{width}d}"


def save_conference(
    db: Database, viewer: Viewer, values: dict[str, Any], conference_id: str | None = None
) -> str:
    """Add a conference (no id given) or change one; returns its id."""
    access.require(viewer, "edit_conferences")
    row = checked_conference(values)
    with db.transaction() as cur:
        if conference_id is None:
            conference_id = next_id(cur, "conferences", "conference_id", "CF", 3)
            action, counts = "conference_add", {"inserted": 1}
        elif cur.execute(
            "SELECT count(*) FROM conferences WHERE conference_id = ?", [conference_id]
        ).fetchone()[0]:
            action, counts = "conference_edit", {"updated": 1}
        else:
            raise Refusal("conferences.err_unknown_conference", conference=conference_id)
        cur.execute(
            "INSERT OR REPLACE INTO conferences (conference_id, name, city, online, starts_on, "
            "ends_on, audience, topics, cfp_opens, cfp_closes, url, cost) VALUES ("
            "$conference_id, $name, $city, $online, $starts_on, $ends_on, $audience, $topics, "
            "$cfp_opens, $cfp_closes, $url, $cost)",
            {"conference_id": conference_id, **row},
        )
        db.audit(
            action, actor=viewer.actor, kind=conference_id, detail=row["name"], cur=cur, **counts
        )
    return conference_id


def delete_conference(db: Database, viewer: Viewer, conference_id: str) -> None:
    """Remove a conference nobody has submitted to."""
    access.require(viewer, "edit_conferences")
    with db.transaction() as cur:
        used = cur.execute(
            "SELECT count(*) FROM submissions WHERE conference_id = ?", [conference_id]
        ).fetchone()[0]
        if used:
            raise Refusal("conferences.err_conference_used", count=int(used))
        gone = cur.execute(
            "DELETE FROM conferences WHERE conference_id = ? RETURNING name", [conference_id]
        ).fetchall()
        if not gone:
            raise Refusal("conferences.err_unknown_conference", conference=conference_id)
        db.audit(
            "conference_delete", actor=viewer.actor, kind=conference_id, detail=gone[0][0], cur=cur
        )
