"""The expertise map's command-line reports: coverage per skill and members' unique skills."""

from __future__ import annotations

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.expertise.counts import LEVELS, member_uniqueness, skill_stats
from lib.expertise.graph import ACTIVE_CLUB, MapView, club_claims, club_members
from lib.filters import Filters
from lib.io.reports import report
from lib.store.db import Database

COVERAGE_COLUMNS = [
    "skill_id",
    "skill",
    "category",
    "holders",
    *[f"level_{level}" for level in LEVELS],
    "bus_level",
    "bus_factor",
    "stale_share",
    "last_confirmed",
    "target_min_level",
    "target_min_people",
    "target_priority",
]


def coverage(db: Database, filters: Filters, view: MapView = ACTIVE_CLUB) -> pd.DataFrame:
    """Per taxonomy skill: category, holders by level, bus factor, freshness and the target."""
    claims = club_claims(db, filters, view)
    stats = skill_stats(db, claims, categories=view.categories)
    return stats[COVERAGE_COLUMNS]


@report("coverage", "Per skill: holders by level, bus factor, freshness and the target")
def coverage_report(db: Database, viewer: Viewer | None, **options) -> pd.DataFrame:
    access.require_page(viewer, "expertise_map")
    return coverage(db, Filters())


@report("unique-skills", "Per member: uniqueness score and the skills only they hold")
def unique_skills_report(db: Database, viewer: Viewer | None, **options) -> pd.DataFrame:
    access.require_page(viewer, "expertise_map")
    filters = Filters()
    claims = club_claims(db, filters)
    members = club_members(db, filters)
    return member_uniqueness(claims, members, db)
