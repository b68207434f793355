"""Contributions on the tiny tier: logging with checks and duplicate warnings, skills suggested
from the title, confirming what the club recorded exactly once, curators verifying and
rejecting, and each contribution counted in engagement at most once."""

from datetime import date, timedelta

import pytest

from lib.access import AccessDenied, Viewer
from lib.contributions import capture, checks, records, review
from lib.contributions.review import save_contribution_settings
from lib.errors import Refusal
from lib.filters import Filters
from lib.io.export import to_csv_bytes
from lib.membership import records as record_kinds
from lib.membership.audit import undo
from tests.conftest import AS_OF

MEMBER_ID = "E000001"
SPEAKER_ID = "E000180"  # organised EV0047 and EV0048 in the tiny tier
CURATOR = Viewer("curator", email="cur@bank.example")
TALK = {
    "kind": "talk_external",
    "title": "Kafka in production at the bank",
    "occurred_on": AS_OF - timedelta(days=3),
    "evidence_url": "https://events.example.org/kafka-2026",
    "reach": 250,
    "skills": [],
    "visibility": "public",
}


def member(person: str = MEMBER_ID) -> Viewer:
    return Viewer("member", email=f"{person.lower()}@bank.example", person_id=person)


def activities_of(db, person: str) -> int:
    return db.scalar("SELECT count(*) FROM activities WHERE person_id = ?", [person])


def test_a_member_logs_a_talk_that_waits_for_a_curator_and_then_counts_once(tiny_db):
    before = activities_of(tiny_db, MEMBER_ID)
    capture.log_contribution(tiny_db, member(), TALK, as_of=AS_OF)
    mine = records.my_contributions(tiny_db, member())
    logged = mine[mine["title"] == TALK["title"]].iloc[0]
    assert (logged["source"], logged["status"], logged["counted"]) == ("member", "pending", False)
    assert logged["reach_metric"] == "attendees" and logged["visibility"] == "public"
    assert activities_of(tiny_db, MEMBER_ID) == before
    queue = review.verification_queue(tiny_db, CURATOR, Filters(as_of=AS_OF))
    assert logged["contribution_id"] in set(queue["contribution_id"])
    review.verify_contributions(tiny_db, CURATOR, [logged["contribution_id"]], as_of=AS_OF)
    assert activities_of(tiny_db, MEMBER_ID) == before + 1
    activity = tiny_db.rows(
        "SELECT kind, audience, title FROM activities WHERE activity_id = ?",
        [logged["contribution_id"]],
    )
    assert activity == [("talk_external", 250, TALK["title"])]
    listed = records.my_contributions(tiny_db, member())
    assert (listed["contribution_id"] == logged["contribution_id"]).sum() == 1
    with pytest.raises(Refusal, match="decided already"):
        review.verify_contributions(tiny_db, CURATOR, [logged["contribution_id"]], as_of=AS_OF)


def test_a_curator_logs_for_a_member_verified_at_once_and_undo_takes_it_back(tiny_db):
    before = activities_of(tiny_db, MEMBER_ID)
    entry = capture.log_contribution(tiny_db, CURATOR, TALK, as_of=AS_OF, person_id=MEMBER_ID)
    assert activities_of(tiny_db, MEMBER_ID) == before + 1
    mine = records.my_contributions(tiny_db, member())
    assert mine.iloc[0]["source"] == "curator" and mine.iloc[0]["status"] == "verified"
    undo(tiny_db, CURATOR, entry)
    assert activities_of(tiny_db, MEMBER_ID) == before
    assert TALK["title"] not in set(records.my_contributions(tiny_db, member())["title"])


def test_rejecting_takes_a_counted_contribution_out_of_engagement(tiny_db):
    save_contribution_settings(tiny_db, Viewer("admin"), {"count_unverified_contributions": True})
    before = activities_of(tiny_db, MEMBER_ID)
    capture.log_contribution(tiny_db, member(), TALK, as_of=AS_OF)
    assert activities_of(tiny_db, MEMBER_ID) == before + 1
    logged = records.my_contributions(tiny_db, member()).iloc[0]
    review.reject_contributions(
        tiny_db, CURATOR, [logged["contribution_id"]], as_of=AS_OF, note="Not a club talk"
    )
    assert activities_of(tiny_db, MEMBER_ID) == before
    again = records.my_contributions(tiny_db, member()).iloc[0]
    assert (again["status"], again["review_note"], again["counted"]) == (
        "rejected",
        "Not a club talk",
        False,
    )


def test_the_same_link_or_title_and_day_is_a_duplicate_unless_logged_anyway(tiny_db):
    capture.log_contribution(tiny_db, member(), TALK, as_of=AS_OF)
    same_link = {**TALK, "title": "Another title", "evidence_url": TALK["evidence_url"] + "/"}
    with pytest.raises(Refusal, match="link is already one of your contributions"):
        capture.log_contribution(tiny_db, member(), same_link, as_of=AS_OF)
    same_title = {**TALK, "evidence_url": None, "title": "  kafka IN production at the bank "}
    with pytest.raises(Refusal, match="You already have"):
        capture.log_contribution(tiny_db, member(), same_title, as_of=AS_OF)
    capture.log_contribution(tiny_db, member(), same_title, as_of=AS_OF, despite_duplicate=True)
    other_day = {**same_title, "occurred_on": AS_OF - timedelta(days=40)}
    capture.log_contribution(tiny_db, member(), other_day, as_of=AS_OF)
    queue = review.verification_queue(tiny_db, CURATOR, Filters(as_of=AS_OF))
    mine = queue[queue["person_id"] == MEMBER_ID].set_index("occurred_on")["doubt"]
    assert set(mine[TALK["occurred_on"]]) == {"duplicate"}
    assert mine[other_day["occurred_on"]] == "no_evidence"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"evidence_url": "javascript:alert(1)"}, "not a web address"),
        ({"evidence_url": "ftp://files.example.org/slides"}, "not a web address"),
        ({"evidence_url": "www.example.org/talk"}, "not a web address"),
        ({"evidence_url": "https://exa mple.org"}, "not a web address"),
        ({"occurred_on": AS_OF + timedelta(days=1)}, "is in the future"),
        ({"occurred_on": date(2001, 1, 1)}, "more than 10 years ago"),
        ({"reach": 500_000}, "not believable"),
        ({"reach": -3}, "whole number"),
        ({"reach": "12.5"}, "whole number"),
        ({"reach": "many"}, "whole number"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "longer than 300"),
        ({"title": "Talk\x00one"}, "control characters"),
        ({"kind": "party"}, "Unknown kind"),
        ({"skills": ["SK9999"]}, "Unknown skill"),
        ({"visibility": "secret"}, "public or club"),
    ],
)
def test_bad_input_is_refused_with_a_sentence_and_nothing_changes(tiny_db, change, message):
    before = tiny_db.count("contributions")
    with pytest.raises(Refusal, match=message):
        capture.log_contribution(tiny_db, member(), {**TALK, **change}, as_of=AS_OF)
    assert tiny_db.count("contributions") == before


def test_html_and_formulas_in_titles_are_kept_inert_and_exported_neutralised(tiny_db):
    hostile = '=HYPERLINK("http://evil.example") <script>alert(1)</script>'
    assert checks.title_notices(hostile) == [
        "contributions.notice_html",
        "contributions.notice_formula",
    ]
    capture.log_contribution(
        tiny_db, member(), {**TALK, "title": hostile, "evidence_url": None}, as_of=AS_OF
    )
    stored = tiny_db.scalar("SELECT title FROM contributions WHERE title LIKE '=HYPER%'")
    assert stored == hostile
    exported = to_csv_bytes(records.my_contributions(tiny_db, member())).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported and "\n=HYPERLINK" not in exported


def test_a_reach_limit_follows_the_kind():
    assert checks.clean_reach("2 000 000", "article") == 2_000_000
    with pytest.raises(Refusal, match="100,000 attendees"):
        checks.clean_reach(2_000_000, "talk_external")
    assert checks.reach_metric("open_source") == "downloads"


@pytest.mark.parametrize(
    ("title", "skill"),
    [
        ("Microservices in production", "Microservices"),
        ("Доклад про микросервисы для новичков", "Microservices"),
        ("Как мы внедряли машинным обучением скоринг", "Machine learning"),
        ("pyton tips for analysts", "Python"),
        ("Мастер-класс по питону", "Python"),
        ("Kubernetes: k8s at scale", "Kubernetes"),
    ],
)
def test_skills_are_suggested_from_the_title_in_both_languages(tiny_db, title, skill):
    found = capture.suggest_skills(tiny_db, title)
    assert skill in found["skill"].tolist()[:2], found


def test_nothing_is_suggested_for_an_empty_or_unrelated_title(tiny_db):
    assert capture.suggest_skills(tiny_db, "").empty
    assert capture.suggest_skills(tiny_db, "Lunch with the team").empty


def test_what_the_club_recorded_is_confirmed_once_and_never_duplicated(tiny_db):
    waiting = records.to_confirm(tiny_db, member(SPEAKER_ID), AS_OF, 365)
    events = waiting[waiting["key"].str.startswith("event:")]
    assert set(events["event_id"]) >= {"EV0047", "EV0048"}
    assert set(events[events["event_id"] == "EV0048"]["kind"]) == {"event_hosting"}
    keys = ["event:EV0048", "event:EV0047"]
    before = activities_of(tiny_db, SPEAKER_ID)
    capture.confirm_records(tiny_db, member(SPEAKER_ID), keys, as_of=AS_OF)
    assert activities_of(tiny_db, SPEAKER_ID) == before + 2  # the events count now
    again = records.to_confirm(tiny_db, member(SPEAKER_ID), AS_OF, 365)
    assert not set(keys) & set(again["key"])
    for key in keys:
        with pytest.raises(Refusal):
            capture.confirm_records(tiny_db, member(SPEAKER_ID), [key], as_of=AS_OF)
    assert activities_of(tiny_db, SPEAKER_ID) == before + 2
    hosted = tiny_db.rows("SELECT count(*) FROM contributions WHERE event_id = 'EV0048'")
    assert hosted == [(1,)]


def test_a_recorded_activity_listed_with_its_confirmation_counts_once(tiny_db):
    person = tiny_db.scalar(
        "SELECT person_id FROM contribution_list WHERE source = 'import' "
        "AND confirmed_on IS NULL ORDER BY occurred_on DESC LIMIT 1"
    )
    waiting = records.to_confirm(tiny_db, member(person), AS_OF, 365)
    key = waiting[waiting["source"] == "import"].iloc[0]["key"]
    total = len(records.my_contributions(tiny_db, member(person)))
    capture.confirm_records(tiny_db, member(person), [key], as_of=AS_OF)
    listed = records.my_contributions(tiny_db, member(person))
    assert len(listed) == total
    assert listed.set_index("contribution_id").at[key, "confirmed_on"] == AS_OF


def test_a_member_changes_visibility_and_withdraws_only_their_own_waiting_ones(tiny_db):
    capture.log_contribution(tiny_db, member(), TALK, as_of=AS_OF)
    logged = records.my_contributions(tiny_db, member()).iloc[0]["contribution_id"]
    capture.update_contribution(
        tiny_db, member(), logged, visibility="club", evidence_url=None, as_of=AS_OF
    )
    assert records.my_contributions(tiny_db, member()).iloc[0]["visibility"] == "club"
    with pytest.raises(Refusal, match="No such contribution"):
        capture.withdraw_contribution(tiny_db, member("E000007"), logged)
    capture.withdraw_contribution(tiny_db, member(), logged)
    assert logged not in set(records.my_contributions(tiny_db, member())["contribution_id"])


def test_a_member_never_reaches_another_members_contributions(tiny_db):
    with pytest.raises(AccessDenied):
        records.my_contributions(tiny_db, member(), person_id="E000007")
    with pytest.raises(AccessDenied):
        capture.log_contribution(tiny_db, member(), TALK, as_of=AS_OF, person_id="E000007")
    with pytest.raises(AccessDenied):
        review.verification_queue(tiny_db, member(), Filters(as_of=AS_OF))
    with pytest.raises(AccessDenied):
        records.my_contributions(tiny_db, Viewer("leadership"), person_id=MEMBER_ID)


def test_an_activity_that_is_a_members_contribution_is_not_deleted_on_its_own(tiny_db):
    capture.log_contribution(tiny_db, CURATOR, TALK, as_of=AS_OF, person_id=MEMBER_ID)
    activity = records.my_contributions(tiny_db, member()).iloc[0]["contribution_id"]
    with pytest.raises(Refusal, match="reject it in the contributions queue"):
        record_kinds.delete_records(tiny_db, CURATOR, "activities", [{"activity_id": activity}])
