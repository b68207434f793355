"""The member role on the tiny tier: who becomes a member, that every read a member reaches
answers for them alone (never another member's workload, index, interviews or risk flags),
their own skills confirmed and proposed through the curators' claims queue, and the public
directory showing only public fields."""

from datetime import timedelta

import pytest

from lib import access
from lib.access import AccessDenied, Viewer
from lib.contributions import directory
from lib.engagement.scoring import engagement_scores
from lib.errors import Refusal
from lib.filters import Filters
from lib.insights import interviews, onboarding
from lib.membership import claims, member_file, proposals, self_service
from lib.reporting import all_reports, run_report
from tests.conftest import AS_OF

ME = "E000020"
OTHER = "E000007"
FILTERS = Filters(as_of=AS_OF)
CURATOR = Viewer("curator", email="cur@bank.example")
PERSONAL = ("hours_available", "expected", "index", "level", "at_risk", "points", "reason")


@pytest.fixture
def me(tiny_db):
    return access.member_viewer(tiny_db, ME)


def test_a_verified_email_of_a_current_member_makes_them_that_member(tiny_db):
    email = tiny_db.scalar("SELECT email FROM people WHERE person_id = ?", [ME])
    viewer = access.viewer_for_identity(
        tiny_db, {"email": email.upper(), "email_verified": True, "name": "Me"}
    )
    assert (viewer.role, viewer.person_id) == ("member", ME)
    assert viewer.cache_key == f"member:{ME}"
    assert access.viewer_for_identity(tiny_db, {"email": email}) is None  # not verified
    alumnus = tiny_db.scalar(
        "SELECT p.email FROM people p JOIN memberships m USING (person_id) "
        "WHERE m.status = 'alumni' LIMIT 1"
    )
    assert access.viewer_for_identity(tiny_db, {"email": alumnus, "email_verified": True}) is None


def test_a_staff_role_in_the_role_map_comes_before_membership(tiny_db):
    email = tiny_db.scalar("SELECT email FROM people WHERE person_id = ?", [ME])
    access.set_role(tiny_db, Viewer("admin"), email, "curator")
    viewer = access.viewer_for_identity(tiny_db, {"email": email, "email_verified": True})
    assert viewer.role == "curator" and viewer.person_id is None
    with pytest.raises(Refusal, match="not granted"):
        access.set_role(tiny_db, Viewer("admin"), "x@bank.example", "member")


def test_two_people_sharing_an_email_get_no_member_role(tiny_db):
    email = tiny_db.scalar("SELECT email FROM people WHERE person_id = ?", [ME])
    tiny_db.execute("UPDATE people SET email = ? WHERE person_id = ?", [email, OTHER])
    assert access.member_by_email(tiny_db, email) is None


def test_a_members_reads_answer_for_them_alone(tiny_db, me):
    skills = self_service.own_skills(tiny_db, me, FILTERS)
    held = tiny_db.scalar(
        "SELECT count(DISTINCT skill_id) FROM person_skills WHERE person_id = ?", [ME]
    )
    assert len(skills) == held
    score = self_service.own_score(tiny_db, me, FILTERS)
    assert set(score) >= {"points", "expected", "index", "hours_available"}
    assert "at_risk" not in score
    counts = self_service.what_counts(tiny_db, me, FILTERS)
    window = tiny_db.scalar(
        "SELECT count(*) FROM activities WHERE person_id = ? AND occurred_on > ? "
        "AND occurred_on <= ?",
        [ME, AS_OF - timedelta(days=90), AS_OF],
    )
    assert counts["activities"].sum() == window == score["activities"]
    assert counts["points"].sum() == pytest.approx(score["points"])
    trend = self_service.own_trend(tiny_db, me, FILTERS)
    assert len(trend) == 12 and trend["activities"].sum() > 0
    for read in (
        self_service.own_skills,
        self_service.own_score,
        self_service.what_counts,
        self_service.own_trend,
        self_service.own_open_steps,
    ):
        with pytest.raises(AccessDenied):
            read(tiny_db, me, FILTERS, person_id=OTHER)


def test_a_member_never_reaches_another_members_workload_index_interviews_or_risk(tiny_db, me):
    refused = [
        lambda: engagement_scores(tiny_db, FILTERS, me),
        lambda: member_file.member_file(tiny_db, me, OTHER, FILTERS),
        lambda: member_file.club_roster(tiny_db, me, FILTERS),
        lambda: claims.claims_queue(tiny_db, me, FILTERS),
        lambda: onboarding.onboarding_progress(tiny_db, me, FILTERS),
        lambda: interviews.code_frequency(tiny_db, me, FILTERS),
        lambda: self_service.own_profile(tiny_db, me, OTHER),
    ]
    for read in refused:
        with pytest.raises(AccessDenied):
            read()
    for name, report in all_reports().items():
        if report.members:
            continue
        with pytest.raises(AccessDenied):
            run_report(tiny_db, me, name)
    people = directory.directory(tiny_db, me, FILTERS)
    assert not set(PERSONAL) & set(people.columns)
    assert OTHER in set(people["person_id"])


def test_the_directory_shows_verified_public_contributions_only(tiny_db, me):
    public = directory.public_contributions(tiny_db, me, FILTERS)
    stored = tiny_db.df("SELECT * FROM contribution_list").set_index("contribution_id")
    assert len(public) > 0
    assert set(stored.loc[public["contribution_id"], "visibility"]) == {"public"}
    assert set(stored.loc[public["contribution_id"], "status"]) == {"verified"}
    assert not {"confirmed_on", "review_note", "counted", "status"} & set(public.columns)


@pytest.mark.parametrize("query", ["kubernetes", "kubernets", "кубернетис", "k8s"])
def test_the_directory_finds_members_by_a_skill_however_it_is_typed(tiny_db, me, query):
    found = directory.directory(tiny_db, me, FILTERS, query)
    holders = tiny_db.rows(
        "SELECT DISTINCT ps.person_id FROM person_skills ps JOIN skills s USING (skill_id) "
        "JOIN memberships m USING (person_id) WHERE s.name = 'Kubernetes' "
        "AND m.status IN ('onboarding', 'active', 'paused')"
    )
    assert set(found["person_id"]) == {p for (p,) in holders}
    assert set(found["matched"]) == {"Kubernetes"}


def test_the_directory_finds_members_by_name(tiny_db, me):
    name = tiny_db.scalar("SELECT name FROM people WHERE person_id = ?", [OTHER])
    found = directory.directory(tiny_db, me, FILTERS, name.split()[1].lower())
    assert OTHER in set(found["person_id"])


def test_a_member_confirms_a_skill_they_hold_and_it_is_fresh_again(tiny_db, me):
    stale = self_service.own_skills(tiny_db, me, FILTERS)
    chosen = stale.iloc[0]
    proposals.confirm_own_skills(tiny_db, me, [chosen["skill_id"]], as_of=AS_OF)
    again = self_service.own_skills(tiny_db, me, FILTERS).set_index("skill_id")
    assert again.at[chosen["skill_id"], "confirmed_on"] == AS_OF
    assert not again.at[chosen["skill_id"], "stale"]
    assert again.at[chosen["skill_id"], "level"] == chosen["level"]
    with pytest.raises(Refusal):
        proposals.confirm_own_skills(tiny_db, me, ["SK9999"], as_of=AS_OF)


def test_a_proposed_skill_waits_in_the_claims_queue_and_counts_once_accepted(tiny_db, me):
    held = set(self_service.own_skills(tiny_db, me, FILTERS)["skill_id"])
    new = tiny_db.scalar(
        "SELECT skill_id FROM skills WHERE NOT list_contains(?, skill_id) ORDER BY skill_id",
        [list(held)],
    )
    name = tiny_db.scalar("SELECT name FROM skills WHERE skill_id = ?", [new])
    proposals.propose_skill(tiny_db, me, name.lower(), 3, as_of=AS_OF, note="Led the pilot")
    assert new not in set(self_service.own_skills(tiny_db, me, FILTERS)["skill_id"])
    queue = claims.claims_queue(tiny_db, CURATOR, FILTERS)
    first = queue.iloc[0]
    assert (first["person_id"], first["skill_id"], first["proposal"]) == (ME, new, True)
    assert first["level"] == 3 and first["evidence"] == "Led the pilot"
    claims.confirm_claims(tiny_db, CURATOR, [(ME, new)], as_of=AS_OF)
    mine = self_service.own_skills(tiny_db, me, FILTERS).set_index("skill_id")
    assert (mine.at[new, "level"], mine.at[new, "source"]) == (3, "curator")
    decided = proposals.own_proposals(tiny_db, me)
    assert decided.iloc[0]["status"] == "accepted"
    assert not claims.claims_queue(tiny_db, CURATOR, FILTERS)["proposal"].any()


def test_a_rejected_level_change_leaves_the_skill_as_it_was(tiny_db, me):
    skills = self_service.own_skills(tiny_db, me, FILTERS)
    held = skills.iloc[0]
    wanted = 5 if held["level"] < 5 else 4
    with pytest.raises(Refusal, match="already"):
        proposals.propose_skill(tiny_db, me, held["skill_id"], int(held["level"]), as_of=AS_OF)
    proposals.propose_skill(tiny_db, me, held["skill_id"], wanted, as_of=AS_OF)
    proposals.propose_skill(tiny_db, me, held["skill_id"], wanted, as_of=AS_OF, note="Again")
    assert len(proposals.own_proposals(tiny_db, me)) == 1
    claims.reject_claims(tiny_db, CURATOR, [(ME, held["skill_id"])], as_of=AS_OF, note="Not yet")
    after = self_service.own_skills(tiny_db, me, FILTERS).set_index("skill_id")
    assert after.at[held["skill_id"], "level"] == held["level"]
    answer = proposals.own_proposals(tiny_db, me).iloc[0]
    assert (answer["status"], answer["decision_note"]) == ("rejected", "Not yet")


def test_an_unknown_skill_name_is_refused_with_the_closest_names(tiny_db, me):
    with pytest.raises(Refusal, match="Kubernetes"):
        proposals.propose_skill(tiny_db, me, "Kubernetis platform", 2, as_of=AS_OF)
    with pytest.raises(Refusal, match="Unknown skill"):
        proposals.propose_skill(tiny_db, me, "Underwater basket weaving", 2, as_of=AS_OF)
    assert proposals.propose_skill(tiny_db, me, "кубернетис", 2, as_of=AS_OF) > 0
