from datetime import date

import pandas as pd
import pytest

from lib.demo import TIERS, generate
from lib.demo.bank import DemoBank
from lib.demo.tiers import build
from lib.store.db import open_database

AS_OF = date(2026, 11, 15)


def test_same_seed_gives_same_data():
    first = build(DemoBank("tiny", as_of=AS_OF))
    second = build(DemoBank("tiny", as_of=AS_OF))
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name])


def test_other_seed_gives_other_data():
    first = build(DemoBank("tiny", as_of=AS_OF))
    other = build(DemoBank("tiny", as_of=AS_OF, seed=7))
    assert not first["activities"].equals(other["activities"])


def test_demo_tier_counts(demo_db_path):
    db = open_database(demo_db_path)
    tier = TIERS["demo"]
    assert db.count("people") == tier.employees
    assert db.count("memberships") == tier.members
    assert db.count("skills") == tier.skills
    assert db.count("interviews") == tier.interviews
    assert abs(db.count("activities") - tier.activities) / tier.activities < 0.05
    assert sorted(r[0] for r in db.rows("SELECT DISTINCT wave FROM memberships")) == [1, 2]


def test_referential_integrity(demo_db_path):
    db = open_database(demo_db_path)
    references = [
        ("memberships", "person_id", "people", "person_id"),
        ("person_skills", "person_id", "people", "person_id"),
        ("person_skills", "skill_id", "skills", "skill_id"),
        ("activities", "person_id", "memberships", "person_id"),
        ("(SELECT unnest(skills) AS skill_id FROM activities)", "skill_id", "skills", "skill_id"),
        ("attendance", "event_id", "events", "event_id"),
        ("attendance", "person_id", "memberships", "person_id"),
        ("interview_findings", "interview_id", "interviews", "interview_id"),
        ("target_profile", "skill_id", "skills", "skill_id"),
        ("people", "manager_id", "people", "person_id"),
    ]
    for child, column, parent, key in references:
        sql = (
            f"SELECT count(*) FROM {child} AS c WHERE c.{column} IS NOT NULL "
            f"AND c.{column} NOT IN (SELECT {key} FROM {parent})"
        )
        name = f"{child}.{column}"
        assert db.scalar(sql) == 0, name


def test_every_status_and_kind_present(demo_db_path):
    db = open_database(demo_db_path)
    statuses = {r[0] for r in db.rows("SELECT DISTINCT status FROM memberships")}
    assert statuses == {"candidate", "onboarding", "active", "paused", "alumni"}
    kinds = {r[0] for r in db.rows("SELECT DISTINCT kind FROM activities")}
    assert kinds == {
        "talk_external",
        "talk_internal",
        "article",
        "mentoring",
        "product_launch",
        "event_hosting",
        "onboarding_buddy",
        "community_session",
        "media",
    }
    themes = {r[0] for r in db.rows("SELECT DISTINCT theme FROM interview_findings")}
    assert themes == {"barrier", "need", "motivation", "idea", "value"}


def test_activity_is_heavy_tailed(demo_db_path):
    db = open_database(demo_db_path)
    counts = db.df("SELECT count(*) AS n FROM activities GROUP BY person_id ORDER BY n DESC")["n"]
    top_tenth = counts.head(max(1, len(counts) // 10)).sum()
    assert top_tenth / counts.sum() > 0.3
    assert counts.median() < counts.mean()


def test_story_the_pages_need(demo_db_path):
    db = open_database(demo_db_path)
    # Alumni have left dates and reasons; busy leaders say workload is the main barrier.
    assert (
        db.scalar(
            "SELECT count(*) FROM memberships WHERE status = 'alumni' AND "
            "(left_on IS NULL OR exit_reason IS NULL)"
        )
        == 0
    )
    top_barrier = db.scalar(
        "SELECT code FROM interview_findings WHERE theme = 'barrier' "
        "GROUP BY code ORDER BY count(*) DESC LIMIT 1"
    )
    assert top_barrier == "high_workload"
    # The target profile is not fully covered today.
    uncovered = db.scalar("""
        SELECT count(*) FROM target_profile t WHERE t.min_people > (
            SELECT count(DISTINCT ps.person_id) FROM person_skills ps
            JOIN memberships m USING (person_id)
            WHERE m.status = 'active' AND ps.skill_id = t.skill_id AND ps.level >= t.min_level)
    """)
    assert uncovered > 0
    # Executives have less capacity than specialists.
    by_grade = dict(
        db.rows(
            "SELECT p.grade, avg(c.load_pct) FROM capacity c "
            "JOIN people p USING (person_id) GROUP BY 1"
        )
    )
    assert by_grade["G18"] > by_grade["G08"]


def test_russian_demo_data():
    tables = build(DemoBank("tiny", as_of=AS_OF, lang="ru"))
    assert tables["people"]["department"].str.contains("[а-яА-Я]", regex=True).any()
    assert tables["interview_findings"]["quote"].str.contains("[а-я]", regex=True).all()


def test_unknown_tier_is_refused():
    with pytest.raises(ValueError, match="Unknown tier"):
        DemoBank("huge")


def test_generate_replaces_existing_data(tiny_db):
    generate(tiny_db, "tiny", as_of=AS_OF)
    assert tiny_db.count("people") == TIERS["tiny"].employees
    assert tiny_db.count("charter") == 1
