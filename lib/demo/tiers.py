"""Deterministic demo data for the `tiny`, `demo` and `large` tiers (SPEC.md §6): every table
built in one fixed order from the seed, then bulk-loaded in one transaction."""

from __future__ import annotations

import threading
import time
from datetime import date

import pandas as pd

from lib.demo import (
    claims,
    conferences,
    contribution,
    interviews,
    membership,
    people,
    rituals,
    selfservice,
)
from lib.demo.bank import SEED, DemoBank, Progress
from lib.insights.charter import default_charter
from lib.store.db import TABLES, Database

# The tables a tier fills: every core table but settings, the logs, the charter and roles.
DATA_TABLES = tuple(t for t in TABLES if t not in ("settings", "audit_log", "charter", "role_map"))


def build(bank: DemoBank, progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """Every data table of the bank. The order is part of the data: each step draws from the
    same random stream, so moving one changes everything after it."""
    step = progress or (lambda fraction, label: None)
    tables: dict[str, pd.DataFrame] = {}
    step(0.05, "skills")
    tables["skills"] = claims.taxonomy(bank)
    step(0.10, "people")
    tables["people"] = people.people(bank)
    step(0.20, "memberships")
    tables["memberships"], tables["membership_events"] = membership.memberships(bank)
    step(0.25, "person_skills")
    tables["person_skills"] = claims.person_skills(bank, bank.member_idx)
    held = tables["person_skills"]
    held = held[held.person_id.isin(set(bank.members.person_id))]
    member_skills = held.groupby("person_id").skill_id.apply(list).to_dict()
    step(0.35, "recognitions")
    tables["recognitions"] = rituals.recognitions(bank)
    step(0.40, "activities")
    tables["activities"] = contribution.activities(bank, member_skills, tables["recognitions"])
    step(0.60, "capacity")
    tables["capacity"] = contribution.capacity(bank)
    step(0.65, "events")
    tables["events"], tables["attendance"] = rituals.events(bank)
    step(0.70, "interviews")
    tables["interviews"], tables["interview_findings"] = interviews.interviews(bank, member_skills)
    tables["target_profile"] = claims.target_profile(bank, tables["person_skills"])
    step(0.75, "conferences")
    speaking = conferences.submissions(bank, tables)
    tables["conferences"], tables["submissions"], tables["submission_speakers"] = speaking
    step(0.78, "contributions")
    tables["contributions"] = selfservice.contributions(bank, tables)
    tables["skill_proposals"] = selfservice.skill_proposals()
    return tables


def load_tables(
    db: Database,
    tables: dict[str, pd.DataFrame],
    *,
    replace: bool = True,
    actor: str | None = None,
    lang: str = "en",
    label: str = "demo",
) -> dict[str, int]:
    """Bulk-load DataFrames into their tables in one transaction (Arrow scan, not row by row)."""
    counts = {}
    with db.transaction() as cur:
        if replace:
            for name in reversed(DATA_TABLES):
                cur.execute(f"DELETE FROM {name}")
            cur.execute("DELETE FROM charter")
        for name in DATA_TABLES:
            frame = tables[name]
            columns = ", ".join(frame.columns)
            cur.register("incoming", frame)
            cur.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM incoming")
            cur.unregister("incoming")
            counts[name] = len(frame)
        cur.execute(
            "INSERT INTO charter (body, author) VALUES ($body, 'system')",
            {"body": default_charter(lang)},
        )
        db.audit("demo_load", actor=actor, kind=label, inserted=sum(counts.values()), cur=cur)
    db.checkpoint()
    return counts


def generate(
    db: Database,
    tier: str = "demo",
    *,
    seed: int = SEED,
    as_of: date | None = None,
    lang: str = "en",
    progress: Progress | None = None,
    actor: str | None = "system",
) -> dict[str, float]:
    """Generate a tier and load it, replacing the data tables; returns timings in seconds."""
    started = time.perf_counter()
    tables = build(DemoBank(tier, seed=seed, as_of=as_of, lang=lang), progress)
    built = time.perf_counter()
    if progress:
        progress(0.8, "loading")
    load_tables(db, tables, actor=actor, lang=lang, label=f"demo:{tier}")
    if progress:
        progress(1.0, "done")
    return {"generate_s": built - started, "load_s": time.perf_counter() - built}


_seed_lock = threading.Lock()


def seed_if_empty(
    db: Database, tier: str = "demo", *, lang: str = "en", progress: Progress | None = None
) -> bool:
    """Fill an empty database with a tier once, even when several sessions ask at once."""
    with _seed_lock:
        if db.scalar("SELECT count(*) FROM people"):
            return False
        generate(db, tier, lang=lang, progress=progress)
        return True
