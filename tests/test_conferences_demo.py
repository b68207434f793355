"""The demo bank's speaking calendar: a plausible year, every status, delivered talks linked to
their speakers' activities, Russian names in a Russian demo, and the other tables untouched."""

from datetime import date

from lib.demo.bank import DemoBank
from lib.demo.tiers import build
from lib.store.db import open_database
from lib.vocabulary import SubmissionStatus, values

AS_OF = date(2026, 11, 15)


def test_a_year_of_conferences_with_submissions_in_every_status(demo_db_path):
    db = open_database(demo_db_path)
    assert {r[0] for r in db.rows("SELECT DISTINCT status FROM submissions")} == set(
        values(SubmissionStatus)
    )
    first, last, calls = db.rows(
        "SELECT min(starts_on), max(starts_on), count(*) FILTER (WHERE cfp_opens <= $d "
        "AND cfp_closes >= $d) FROM conferences",
        {"d": AS_OF},
    )[0]
    assert first >= date(2025, 11, 15) and last <= date(2027, 6, 3) and calls >= 5
    assert db.count("conferences") == 41 and db.count("submissions") == 82
    assert db.scalar("SELECT count(*) FROM conferences WHERE online") >= 1


def test_delivered_talks_are_their_speakers_external_talks(demo_db_path):
    db = open_database(demo_db_path)
    unlinked = db.scalar(
        "SELECT count(*) FROM submissions s JOIN submission_speakers ss USING (submission_id) "
        "WHERE s.status = 'delivered' AND ss.activity_id IS NULL"
    )
    mismatched = db.scalar(
        "SELECT count(*) FROM submission_speakers ss JOIN activities a USING (activity_id) "
        "WHERE a.person_id <> ss.person_id OR a.kind <> 'talk_external'"
    )
    dangling = db.scalar(
        "SELECT count(*) FROM submission_speakers WHERE activity_id IS NOT NULL "
        "AND activity_id NOT IN (SELECT activity_id FROM activities)"
    )
    outsiders = db.scalar(
        "SELECT count(*) FROM submission_speakers "
        "WHERE person_id NOT IN (SELECT person_id FROM memberships)"
    )
    assert (unlinked, mismatched, dangling, outsiders) == (0, 0, 0, 0)
    assert db.scalar("SELECT count(*) FROM submissions WHERE status = 'delivered'") > 10


def test_russian_demo_names_russian_conferences_in_russian():
    tables = build(DemoBank("tiny", as_of=AS_OF, lang="ru"))
    names = set(tables["conferences"]["name"])
    assert {"Финополис 2026", "Код ИБ 2027", "Money20/20 Europe 2026"} <= names
    assert "Москва" in set(tables["conferences"]["city"])
