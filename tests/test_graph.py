from datetime import date

from lib.filters import Filters
from lib.graph import skill_cooccurrence

AS_OF = date(2026, 11, 15)


def seed_club(db):
    """Two clusters (data: S1-S3, people A-C; risk: S4-S6, people D-F) bridged by S7 (C, D)."""
    with db.transaction() as cur:
        for table in ("person_skills", "membership_events", "memberships", "people", "skills"):
            cur.execute(f"DELETE FROM {table}")
        for table in ("activities", "target_profile"):
            cur.execute(f"DELETE FROM {table}")
        cur.execute(
            "INSERT INTO skills VALUES "
            "('S1','Python','Data',NULL,['py'],NULL),"
            "('S2','SQL','Data',NULL,[],NULL),"
            "('S3','Machine learning','Data',NULL,['ML'],NULL),"
            "('S4','Credit risk','Risk',NULL,[],NULL),"
            "('S5','Basel III','Risk',NULL,[],NULL),"
            "('S6','Stress testing','Risk',NULL,[],NULL),"
            "('S7','Public speaking','Soft',NULL,['presenting'],NULL),"
            "('S8','Quantum computing','Data',NULL,[],NULL)"
        )
        cur.execute(
            "INSERT INTO people (person_id, name, department) VALUES "
            "('A','Anna','IT'),('B','Boris','IT'),('C','Cyril','IT'),"
            "('D','Daria','Risk'),('E','Egor','Risk'),('F','Fedor','Risk'),('G','Gleb','IT')"
        )
        cur.execute(
            "INSERT INTO memberships (person_id, wave, status, joined_on) VALUES "
            "('A',1,'active','2025-01-10'),('B',1,'active','2025-01-10'),"
            "('C',1,'active','2025-01-10'),('D',2,'active','2026-03-01'),"
            "('E',2,'active','2026-03-01'),('F',2,'active','2026-03-01'),"
            "('G',1,'alumni','2025-01-10')"
        )
        cur.execute("""INSERT INTO person_skills VALUES
            ('A','S1',4,'curator','2026-10-01','talk on pandas'),
            ('A','S2',3,'self','2026-10-01',NULL),
            ('A','S3',2,'self','2026-10-01',NULL),
            ('B','S1',3,'self','2026-10-01',NULL),
            ('B','S2',4,'curator','2026-10-01',NULL),
            ('B','S3',3,'self','2026-10-01',NULL),
            ('C','S1',2,'self','2025-01-01',NULL),
            ('C','S2',2,'self','2026-10-01',NULL),
            ('C','S3',5,'curator','2026-10-01',NULL),
            ('C','S7',4,'curator','2026-10-01',NULL),
            ('D','S7',3,'interview','2026-10-01',NULL),
            ('D','S4',4,'curator','2026-10-01',NULL),
            ('D','S5',3,'self','2026-10-01',NULL),
            ('D','S6',3,'self','2026-10-01',NULL),
            ('E','S4',3,'self','2026-10-01',NULL),
            ('E','S5',4,'curator','2026-10-01',NULL),
            ('E','S6',2,'self','2026-10-01',NULL),
            ('F','S4',2,'self','2026-10-01',NULL),
            ('F','S5',2,'self','2026-10-01',NULL),
            ('F','S6',4,'curator','2026-10-01',NULL),
            ('F','S8',3,'self','2026-10-01',NULL),
            ('G','S8',5,'curator','2026-10-01',NULL)""")


def test_cooccurrence_counts_members_holding_both(tiny_db):
    seed_club(tiny_db)
    pairs = skill_cooccurrence(tiny_db, Filters(as_of=AS_OF))
    weights = {(r.skill_a, r.skill_b): r.weight for r in pairs.itertuples()}
    assert weights[("S1", "S2")] == 3
    assert weights[("S3", "S7")] == 1
    assert ("S1", "S4") not in weights
    assert all(a < b for a, b in weights)
    assert len(weights) == 3 + 3 + 3 + 3 + 3  # data triangle, risk triangle, bridges, F's S8
    high = skill_cooccurrence(tiny_db, Filters(as_of=AS_OF), min_level=3)
    assert {(r.skill_a, r.skill_b): r.weight for r in high.itertuples()}[("S1", "S2")] == 2
