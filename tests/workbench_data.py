"""A small known club for the workbench tests: who is in which status, which claims are stale."""

from datetime import date

from lib.access import Viewer
from lib.store.db import Database

AS_OF = date(2026, 11, 15)
CURATOR = Viewer("curator", email="curator@bank.example")
OTHER_CURATOR = Viewer("curator", email="other@bank.example")
PLANNER = Viewer("planner", email="planner@bank.example")
LEADERSHIP = Viewer("leadership", email="lead@bank.example")

# person, name, employed, membership (status, wave, joined_on, left_on) or None
PEOPLE = [
    ("P1", "Anna Active", True, ("active", 1, date(2025, 1, 10), None)),
    ("P2", "Boris Candidate", True, ("candidate", 2, None, None)),
    ("P3", "Clara Alumna", True, ("alumni", 1, date(2024, 2, 1), date(2025, 6, 1))),
    ("P4", "Denis Pool", True, None),
    ("P5", "Elena Gone", False, None),
    ("P6", "Fedor Paused", True, ("paused", 1, date(2024, 5, 1), None)),
    ("P7", "Galina Onboarding", True, ("onboarding", 2, date(2026, 10, 1), None)),
    ("P8", "Igor Imported", True, ("active", 1, date(2023, 3, 1), None)),
]
# Status changes recorded for everyone but P8 (known only from an imported memberships row).
EVENTS = [
    ("P1", date(2024, 12, 1), None, "candidate"),
    ("P1", date(2025, 1, 10), "candidate", "onboarding"),
    ("P1", date(2025, 2, 20), "onboarding", "active"),
    ("P2", date(2026, 11, 1), None, "candidate"),
    ("P3", date(2024, 2, 1), None, "onboarding"),
    ("P3", date(2024, 3, 1), "onboarding", "active"),
    ("P3", date(2025, 6, 1), "active", "alumni"),
    ("P6", date(2024, 5, 1), None, "active"),
    ("P6", date(2026, 6, 1), "active", "paused"),
    ("P7", date(2026, 10, 1), "candidate", "onboarding"),
]
SKILLS = [
    ("S1", "Python", ["py"]),
    ("S2", "SQL", []),
    ("S3", "Kafka", ["event streaming"]),
]
# person, skill, level, source, confirmed_on (stale before 2026-05-19 with 180 stale days)
CLAIMS = [
    ("P1", "S1", 3, "self", date(2025, 1, 1)),
    ("P1", "S2", 4, "self", date(2026, 10, 1)),
    ("P1", "S2", 2, "interview", date(2026, 9, 1)),
    ("P6", "S1", 4, "self", date(2025, 6, 1)),
    ("P6", "S1", 2, "peer", date(2026, 1, 1)),
    ("P7", "S3", 2, "self", None),
    ("P3", "S3", 5, "self", date(2024, 1, 1)),
]


def seed(db: Database) -> Database:
    """Fill an empty database with the known club."""
    with db.transaction() as cur:
        for person, name, employed, membership in PEOPLE:
            cur.execute(
                "INSERT INTO people (person_id, name, department, employed) VALUES (?, ?, 'IT', ?)",
                [person, name, employed],
            )
            if membership:
                cur.execute(
                    "INSERT INTO memberships (person_id, status, wave, joined_on, left_on) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [person, *membership],
                )
        cur.executemany(
            "INSERT INTO membership_events (person_id, changed_on, from_status, to_status) "
            "VALUES (?, ?, ?, ?)",
            EVENTS,
        )
        for skill_id, name, aliases in SKILLS:
            cur.execute(
                "INSERT INTO skills (skill_id, name, aliases) VALUES (?, ?, ?)",
                [skill_id, name, aliases],
            )
        cur.executemany(
            "INSERT INTO person_skills (person_id, skill_id, level, source, confirmed_on) "
            "VALUES (?, ?, ?, ?, ?)",
            CLAIMS,
        )
        cur.execute(
            "INSERT INTO target_profile (skill_id, min_people, min_level, priority) "
            "VALUES ('S1', 2, 3, 'must')"
        )
        cur.execute("INSERT INTO charter (body, author) VALUES ('# Charter', 'seed')")
        cur.execute(
            "INSERT INTO events (event_id, date, kind, title) "
            "VALUES ('E1', '2026-10-10', 'meetup', 'October meetup')"
        )
        cur.execute(
            "INSERT INTO interviews (interview_id, person_id, conducted_on) "
            "VALUES ('I1', 'P1', '2026-11-20')"
        )
    return db


def statuses(db: Database) -> dict[str, str]:
    return dict(db.rows("SELECT person_id, status FROM memberships"))


def audit_rows(db: Database) -> list[tuple]:
    return db.rows("SELECT action, actor, kind, detail FROM audit_log ORDER BY entry_id")
