"""Logging a contribution in under half a minute, and confirming what the club recorded.

A member logs one with a kind, a title, a day (today unless said), a reach, an evidence link,
skills (suggested from the title by the skill search's alias, typo and transliteration
matching, in both languages) and a visibility that starts from the kind. The same link, or the
same title on the same day, among their contributions is refused with the one it repeats unless
they log it anyway. A member's contribution waits for a curator; one a curator logs for a
member is verified at once. Confirming what the club recorded (an activity, an event they
spoke at or organised) takes one click and happens once.

Each write: one lib function, the viewer's right to the person checked, one transaction, one
audit entry with the rows before and after.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.contributions import checks, counting
from lib.contributions.records import EVENT_KEY, RECORDED_SOURCES, event_suggestions
from lib.errors import Refusal
from lib.expertise.search import CONTAINED_SCORE as PARTIAL
from lib.expertise.search import MAX_QUERY, find_skills
from lib.membership.audit import ChangeLog, Cursor
from lib.settings import current_settings
from lib.spelling import WORD
from lib.store.db import Database
from lib.vocabulary import ContributionSource, ContributionStatus

SOURCE = ContributionSource
STATUS = ContributionStatus
ID_PREFIX = "CTB-"
SUGGESTIONS = 5
PHRASE_CUTOFF = 85.0
TITLE_CUTOFF = 82.0
LONGEST_PHRASE = 3
SHORTEST_WORD = 4


# -- suggestions and duplicates -------------------------------------------------------------
def _phrases(title: str) -> list[str]:
    """Runs of one to three words of a title (single words of at least four letters)."""
    words = WORD.findall(title)
    found = []
    for size in range(1, LONGEST_PHRASE + 1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if size > 1 or len(phrase) >= SHORTEST_WORD:
                found.append(phrase)
    return list(dict.fromkeys(found))


def suggest_skills(db: Database, title: str, limit: int = SUGGESTIONS) -> pd.DataFrame:
    """Skills a title names, best first: skill_id, skill, matched (the words of the title or
    the alias that matched) and score. The whole title and each run of up to three of its
    words are looked up as the skill search does, so "Доклад про Кафку", "pyton tips" and
    "машинному обучению" name Kafka, Python and Machine learning."""
    columns = ["skill_id", "skill", "matched", "score"]
    title = " ".join(str(title or "").split())[:MAX_QUERY]
    if not title:
        return pd.DataFrame(columns=columns)
    hits = [find_skills(db, title, limit=limit, cutoff=TITLE_CUTOFF).assign(matched=title)]
    for phrase in _phrases(title):
        found = find_skills(db, phrase, limit=2, cutoff=PHRASE_CUTOFF)
        # A word of the title inside a longer skill name ("team" in "Team leadership") is
        # not a mention of that skill.
        partial = found["how"].isin(["contains", "word_form"]) & (found["score"] <= PARTIAL)
        hits.append(found[~partial].assign(matched=phrase))
    found = pd.concat([h for h in hits if len(h)] or [pd.DataFrame(columns=columns)])
    found = found.sort_values(["score", "skill"], ascending=[False, True])
    return found.drop_duplicates("skill_id").head(limit)[columns].reset_index(drop=True)


def find_duplicates(
    db: Database,
    person_id: str,
    *,
    evidence_url: str | None,
    title: str | None,
    occurred_on: date | None,
    exclude: str | None = None,
) -> pd.DataFrame:
    """The person's contributions (rejected ones aside) with the same link, or with the same
    title on the same day: contribution_id, title, occurred_on, source, status, same_url."""
    frame = db.df(
        "SELECT contribution_id, title, occurred_on, evidence_url, source, status "
        "FROM contribution_list WHERE person_id = $person AND status <> 'rejected'",
        {"person": person_id},
    )
    if frame.empty:
        return frame.assign(same_url=pd.Series(dtype=bool))
    wanted_url, wanted_title = checks.url_key(evidence_url), checks.title_key(title)
    same_url = frame["evidence_url"].map(
        lambda u: bool(wanted_url) and checks.url_key(u) == wanted_url
    )
    days = pd.to_datetime(frame["occurred_on"]).dt.date
    same_title = (frame["title"].map(checks.title_key) == wanted_title) & (days == occurred_on)
    found = frame[(same_url | same_title) & (frame["contribution_id"] != exclude)]
    found = found.assign(same_url=same_url[found.index], occurred_on=days[found.index])
    return found.drop(columns="evidence_url").reset_index(drop=True)


# -- logging ---------------------------------------------------------------------------------
def next_contribution_id(cur: Cursor) -> str:
    """The next free `CTB-<number>` id, free in contributions and activities alike."""
    highest = cur.execute(
        "SELECT max(TRY_CAST(regexp_extract(id, $pattern, 1) AS INTEGER)) FROM ("
        "SELECT contribution_id AS id FROM contributions UNION ALL "
        "SELECT activity_id FROM activities)",
        {"pattern": f"^{ID_PREFIX}(\\d+)$"},
    ).fetchone()[0]
    return f"{ID_PREFIX}{int(highest or 0) + 1:05d}"


def checked_fields(db: Database, fields: dict[str, Any], as_of: date) -> dict[str, Any]:
    """A contribution form's values, checked (see lib.contributions.checks)."""
    kind = checks.clean_kind(fields.get("kind"))
    visibility = fields.get("visibility") or checks.default_visibility(kind)
    return {
        "kind": kind,
        "title": checks.clean_title(fields.get("title")),
        "occurred_on": checks.clean_day(fields.get("occurred_on") or as_of, as_of),
        "evidence_url": checks.clean_url(fields.get("evidence_url")),
        "reach": checks.clean_reach(fields.get("reach"), kind),
        "skills": checks.clean_skills(db, fields.get("skills")),
        "visibility": checks.clean_visibility(visibility),
    }


def _refuse_duplicates(db: Database, person: str, values: dict[str, Any]) -> None:
    twins = find_duplicates(
        db,
        person,
        evidence_url=values["evidence_url"],
        title=values["title"],
        occurred_on=values["occurred_on"],
    )
    if len(twins):
        twin = twins.iloc[0]
        key = (
            "contributions.err_duplicate_url" if twin["same_url"] else "contributions.err_duplicate"
        )
        raise Refusal(key, title=twin["title"], day=twin["occurred_on"].isoformat())


def log_contribution(
    db: Database,
    viewer: Viewer,
    fields: dict[str, Any],
    *,
    as_of: date,
    person_id: str | None = None,
    despite_duplicate: bool = False,
) -> int:
    """Log a contribution for the viewer (a member: it waits for a curator) or for a member
    (a curator: verified at once); returns the audit entry. `fields`: kind, title,
    occurred_on, evidence_url, reach, skills, visibility."""
    person = access.subject(viewer, person_id)
    values = checked_fields(db, fields, as_of)
    if not despite_duplicate:
        _refuse_duplicates(db, person, values)
    by_member = viewer.is_member
    settings = current_settings(db)
    with db.transaction() as cur:
        log = ChangeLog(cur)
        contribution_id = next_contribution_id(cur)
        row = {
            **values,
            "contribution_id": contribution_id,
            "person_id": person,
            "source": str(SOURCE.MEMBER if by_member else SOURCE.CURATOR),
            "status": str(STATUS.PENDING if by_member else STATUS.VERIFIED),
            "verified_by": None if by_member else viewer.actor,
            "verified_on": None if by_member else as_of,
            "confirmed_on": as_of,
            "logged_by": viewer.actor,
            "logged_on": as_of,
        }
        counting.write_row(cur, log, row)
        counting.sync_activity(cur, log, contribution_id, settings)
        return log.record(
            "contribution_log", actor=viewer.actor, kind="contributions", detail=contribution_id
        )


# -- confirming what the club recorded ----------------------------------------------------------
def _confirm_event(cur, log, db, person, event_id, as_of, settings) -> str:
    suggestions = event_suggestions(db, person, date.min, as_of)
    match = suggestions[suggestions["event_id"] == event_id]
    if match.empty:
        raise Refusal("contributions.err_no_event", event=str(event_id)[:64])
    event = match.iloc[0]
    contribution_id = next_contribution_id(cur)
    counting.write_row(
        cur,
        log,
        {
            "contribution_id": contribution_id,
            "person_id": person,
            "kind": event["kind"],
            "occurred_on": event["occurred_on"],
            "title": event["title"],
            "reach": int(event["reach"]),
            "skills": [],
            "visibility": checks.default_visibility(event["kind"]),
            "source": str(SOURCE.EVENT),
            "status": str(STATUS.VERIFIED),
            "event_id": event_id,
            "verified_by": str(SOURCE.EVENT),
            "verified_on": as_of,
            "confirmed_on": as_of,
            "logged_by": None,
            "logged_on": as_of,
        },
    )
    counting.sync_activity(cur, log, contribution_id, settings)
    return contribution_id


def _confirm_recorded(cur, log, person: str, key: str, as_of: date) -> str:
    found = cur.execute(
        f"SELECT {', '.join(counting.COLUMNS)} FROM contribution_list "
        "WHERE contribution_id = $id AND person_id = $person",
        {"id": key, "person": person},
    ).fetchone()
    if found is None:
        raise Refusal("contributions.err_unknown", contribution=str(key)[:64])
    row = dict(zip(counting.COLUMNS, found, strict=True))
    if row["confirmed_on"] is not None:
        raise Refusal("contributions.err_already_confirmed", title=row["title"])
    if row["source"] not in RECORDED_SOURCES:
        raise Refusal("contributions.err_not_recorded", title=row["title"])
    counting.write_row(cur, log, {**row, "confirmed_on": as_of})
    return key


def confirm_records(
    db: Database,
    viewer: Viewer,
    keys: Iterable[str],
    *,
    as_of: date,
    person_id: str | None = None,
) -> int:
    """Confirm what the club recorded about the member: recorded activities (by id) and club
    events they spoke at or organised (`event:<id>`, each becomes one contribution that counts
    as verified by the club's record). Returns the audit entry."""
    person = access.subject(viewer, person_id)
    wanted = list(dict.fromkeys(str(k) for k in keys))
    if not wanted:
        raise Refusal("contributions.err_nothing_chosen")
    settings = current_settings(db)
    with db.transaction() as cur:
        log = ChangeLog(cur)
        done = []
        for key in wanted:
            if key.startswith(EVENT_KEY):
                event_id = key[len(EVENT_KEY) :]
                done.append(_confirm_event(cur, log, db, person, event_id, as_of, settings))
            else:
                done.append(_confirm_recorded(cur, log, person, key, as_of))
        return log.record(
            "contribution_confirm", actor=viewer.actor, kind="contributions", detail="; ".join(done)
        )


# -- changing one's own ---------------------------------------------------------------------------
def _own_row(cur: Cursor, person: str, contribution_id: str) -> dict[str, Any]:
    found = cur.execute(
        f"SELECT {', '.join(counting.COLUMNS)} FROM contribution_list "
        "WHERE contribution_id = $id AND person_id = $person",
        {"id": contribution_id, "person": person},
    ).fetchone()
    if found is None:
        raise Refusal("contributions.err_unknown", contribution=str(contribution_id)[:64])
    return dict(zip(counting.COLUMNS, found, strict=True))


def update_contribution(
    db: Database,
    viewer: Viewer,
    contribution_id: str,
    *,
    visibility: str,
    evidence_url: str | None,
    as_of: date,
    person_id: str | None = None,
) -> int:
    """Change who sees a contribution and its evidence link (a recorded activity changed this
    way counts as confirmed); what is scored stays as verified. Returns the audit entry."""
    person = access.subject(viewer, person_id)
    visibility = checks.clean_visibility(visibility)
    url = checks.clean_url(evidence_url)
    with db.transaction() as cur:
        log = ChangeLog(cur)
        row = _own_row(cur, person, contribution_id)
        if row["status"] == STATUS.REJECTED:
            raise Refusal("contributions.err_rejected_stays", title=row["title"])
        changed = {**row, "visibility": visibility, "evidence_url": url}
        changed["confirmed_on"] = row["confirmed_on"] or as_of
        counting.write_row(cur, log, changed)
        return log.record(
            "contribution_edit", actor=viewer.actor, kind="contributions", detail=contribution_id
        )


def withdraw_contribution(
    db: Database, viewer: Viewer, contribution_id: str, *, person_id: str | None = None
) -> int:
    """Take back one's own contribution that no curator has looked at yet (and its activity,
    if it counted meanwhile). Returns the audit entry."""
    person = access.subject(viewer, person_id)
    with db.transaction() as cur:
        log = ChangeLog(cur)
        row = _own_row(cur, person, contribution_id)
        if row["status"] != STATUS.PENDING:
            raise Refusal("contributions.err_withdraw_decided", title=row["title"])
        log.touch("contributions", contribution_id=contribution_id)
        log.touch("activities", activity_id=contribution_id)
        cur.execute("DELETE FROM activities WHERE activity_id = $id", {"id": contribution_id})
        cur.execute(
            "DELETE FROM contributions WHERE contribution_id = $id", {"id": contribution_id}
        )
        return log.record(
            "contribution_withdraw",
            actor=viewer.actor,
            kind="contributions",
            detail=contribution_id,
        )
