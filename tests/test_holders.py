from datetime import date

from lib.expertise.holders import skill_claims
from lib.filters import Filters

AS_OF = date(2026, 11, 15)


def seed(db):
    with db.transaction() as cur:
        for table in ("person_skills", "memberships", "people", "skills"):
            cur.execute(f"DELETE FROM {table}")
        cur.execute(
            "INSERT INTO skills VALUES ('S1','Python','Engineering',NULL,['py'],NULL),"
            "('S2','Risk','Risk',NULL,[],NULL)"
        )
        cur.execute(
            "INSERT INTO people (person_id, name, department) VALUES "
            "('A','Anna','IT'),('B','Boris','Risk'),('C','Cyril','IT')"
        )
        cur.execute(
            "INSERT INTO memberships (person_id, wave, status) VALUES "
            "('A',1,'active'),('B',2,'active'),('C',1,'alumni')"
        )
        cur.execute("""INSERT INTO person_skills VALUES
            ('A','S1',2,'self','2026-10-01',NULL),
            ('A','S1',4,'curator','2025-01-01',NULL),
            ('B','S2',3,'self','2026-11-01',NULL),
            ('C','S1',5,'curator','2026-11-01',NULL)""")


def test_best_claim_counts_and_alumni_are_out(tiny_db):
    seed(tiny_db)
    claims = skill_claims(tiny_db, Filters(as_of=AS_OF))
    assert sorted(claims.person_id) == ["A", "B"]
    anna = claims[claims.person_id == "A"].iloc[0]
    assert (anna.level, anna.source, str(anna.confirmed_on)[:10]) == (4, "curator", "2026-10-01")
    assert not anna.stale


def test_filters_level_confidence_and_category(tiny_db):
    seed(tiny_db)
    f = Filters(as_of=AS_OF)
    assert list(skill_claims(tiny_db, f, min_level=4).person_id) == ["A"]
    assert list(skill_claims(tiny_db, f, min_confidence=0.9).person_id) == ["A"]
    assert list(skill_claims(tiny_db, f, categories=["Risk"]).person_id) == ["B"]
    assert list(skill_claims(tiny_db, Filters(as_of=AS_OF, departments=("IT",))).person_id) == ["A"]
    assert list(skill_claims(tiny_db, Filters(as_of=AS_OF, waves=(2,))).person_id) == ["B"]
    both = skill_claims(tiny_db, f, statuses=("active", "alumni"))
    assert sorted(both.person_id) == ["A", "B", "C"]


def test_stale_claims(tiny_db):
    seed(tiny_db)
    with tiny_db.transaction() as cur:
        cur.execute("UPDATE person_skills SET confirmed_on = '2025-01-01' WHERE person_id = 'B'")
    claims = skill_claims(tiny_db, Filters(as_of=AS_OF))
    assert bool(claims.set_index("person_id").loc["B", "stale"]) is True
    assert list(skill_claims(tiny_db, Filters(as_of=AS_OF), fresh_only=True).person_id) == ["A"]
