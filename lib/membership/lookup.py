"""Finding people the way curators type them: an employee ID, and when it is unknown, the
closest ID or name in the pool as a "did you mean"."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from lib.errors import Refusal
from lib.store.db import Database

MATCH_CUTOFF = 80


def closest_person(db: Database, text: str) -> str | None:
    """ "ID (name)" of the person whose ID or name is closest to `text`, or None."""
    text = (text or "").strip()
    if not text:
        return None
    people = db.rows("SELECT person_id, coalesce(name, '') FROM people")
    ids = dict(people)
    by_id = process.extractOne(text, list(ids), scorer=fuzz.ratio, score_cutoff=MATCH_CUTOFF)
    names = [name for _, name in people]
    by_name = process.extractOne(text, names, scorer=fuzz.WRatio, score_cutoff=MATCH_CUTOFF)
    found = []
    if by_id:
        found.append((by_id[1], by_id[0]))
    if by_name:
        found.append((by_name[1], people[by_name[2]][0]))
    if not found:
        return None
    person_id = max(found)[1]
    return f"{person_id} ({ids[person_id]})" if ids[person_id] else person_id


def unknown_person(db: Database, person_id: str) -> Refusal:
    """The refusal for an ID not in the employee pool, with the closest match when there is one."""
    suggestion = closest_person(db, person_id)
    if suggestion:
        return Refusal(
            "members.err_unknown_person_suggest", person=person_id, suggestion=suggestion
        )
    return Refusal("members.err_unknown_person", person=person_id)
