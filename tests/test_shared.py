"""Results shared per data version (`lib.store.shared`): computed once, invalidated by a write
and by a new opening of the file, private to each caller, never keyed by a viewer, and the
viewer's rights still applied to what each role receives."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from lib.access import Viewer
from lib.engagement.scoring import CAPACITY_COLUMNS, engagement_scores, member_scores
from lib.filters import Filters
from lib.planning.plan import plan_inputs
from lib.store import shared
from lib.store.db import Database
from tests.conftest import AS_OF

calls: list[tuple] = []


@shared.per_data_version
def members_per_department(db: Database, department: str | None = None) -> pd.DataFrame:
    calls.append((db.opening, department))
    return db.df(
        "SELECT count(*) AS people FROM people WHERE $department IS NULL "
        "OR department = $department",
        {"department": department},
    )


@pytest.fixture(autouse=True)
def fresh():
    shared.clear()
    calls.clear()
    yield
    shared.clear()


def test_an_answer_is_computed_once_per_data_version_and_arguments(tiny_db):
    first = members_per_department(tiny_db)
    again = members_per_department(tiny_db)
    department = tiny_db.scalar("SELECT min(department) FROM people")
    members_per_department(tiny_db, department)
    assert again["people"].iloc[0] == first["people"].iloc[0] == tiny_db.count("people")
    assert calls == [(tiny_db.opening, None), (tiny_db.opening, department)]


def test_a_write_makes_the_next_call_compute_and_drops_the_older_answers(tiny_db):
    before = int(members_per_department(tiny_db)["people"].iloc[0])
    held = shared.entries()
    tiny_db.execute("INSERT INTO people (person_id, name) VALUES ('X-NEW', 'New Person')")
    after = int(members_per_department(tiny_db)["people"].iloc[0])
    assert after == before + 1
    assert len(calls) == 2
    assert shared.entries() == held


def test_a_new_opening_of_the_file_never_gets_an_earlier_opening_s_answer(tiny_db):
    members_per_department(tiny_db)
    tiny_db.close()
    reopened = Database(tiny_db.path)
    try:
        members_per_department(reopened)
    finally:
        reopened.close()
    assert [opening for opening, _ in calls] == [tiny_db.opening, reopened.opening]
    assert reopened.opening != tiny_db.opening


def test_each_caller_gets_its_own_frame(tiny_db):
    mine = members_per_department(tiny_db)
    mine["people"] = -1
    mine["extra"] = "changed"
    theirs = members_per_department(tiny_db)
    assert list(theirs.columns) == ["people"]
    assert theirs["people"].iloc[0] == tiny_db.count("people")


def test_a_viewer_or_a_frame_never_keys_a_shared_answer(tiny_db):
    with pytest.raises(TypeError):
        members_per_department(tiny_db, Viewer("curator"))
    with pytest.raises(TypeError):
        members_per_department(tiny_db, pd.DataFrame())


def test_concurrent_callers_of_one_key_wait_for_one_computation(tiny_db):
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(members_per_department(tiny_db)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len(calls) == 1


def test_a_failure_is_not_kept(tiny_db, monkeypatch):
    monkeypatch.setattr(tiny_db, "df", lambda *a, **k: (_ for _ in ()).throw(OSError("disk")))
    with pytest.raises(OSError):
        members_per_department(tiny_db)
    monkeypatch.undo()
    assert members_per_department(tiny_db)["people"].iloc[0] == tiny_db.count("people")


def test_scores_shared_with_staff_never_reach_leadership_with_capacity(tiny_db):
    filters = Filters(as_of=AS_OF)
    staff = engagement_scores(tiny_db, filters, Viewer("curator"))
    assert set(CAPACITY_COLUMNS) <= set(staff.columns)
    leadership = engagement_scores(tiny_db, filters, Viewer("leadership"))
    assert not set(CAPACITY_COLUMNS) & set(leadership.columns)
    assert leadership["person_id"].tolist() == staff["person_id"].tolist()
    # the shared table underneath still has everything, for the next staff caller
    assert set(CAPACITY_COLUMNS) <= set(member_scores(tiny_db, filters).columns)


def test_plan_targets_computed_for_staff_are_anonymous_for_leadership(tiny_db):
    filters = Filters(as_of=AS_OF)
    staff = plan_inputs(tiny_db, Viewer("curator"), filters)
    leadership = plan_inputs(tiny_db, Viewer("leadership"), filters)
    assert staff.named and not leadership.named
    assert leadership.groups["name"].isna().all()
    named_ids = set(staff.groups["person_id"])
    assert not named_ids & set(leadership.groups["person_id"])
    pd.testing.assert_frame_equal(staff.history, leadership.history)


def test_evidence_is_read_once_per_data_version_whatever_the_filter(tiny_db, monkeypatch):
    from lib.planning import evidence

    computed = []
    measured = evidence.recognition_impact

    def counting(*args, **kwargs):
        computed.append(args[1])
        return measured(*args, **kwargs)

    monkeypatch.setattr(evidence, "recognition_impact", counting)
    viewer = Viewer("curator")
    departments = tiny_db.df("SELECT DISTINCT department FROM people WHERE department IS NOT NULL")
    first = plan_inputs(tiny_db, viewer, Filters(as_of=AS_OF))
    for department in departments["department"].head(3):
        other = plan_inputs(tiny_db, viewer, Filters(departments=(department,), as_of=AS_OF))
        pd.testing.assert_frame_equal(other.history, first.history)
    assert len(computed) == 1
    tiny_db.execute("INSERT INTO people (person_id, name) VALUES ('X-NEW', 'New Person')")
    plan_inputs(tiny_db, viewer, Filters(as_of=AS_OF))
    assert len(computed) == 2
