import pytest

from lib import access
from lib.access import AccessDenied, Viewer


def test_roles_see_their_pages():
    assert [p.key for p in access.pages_for("planner")] == [
        "overview",
        "expertise_map",
        "recruitment_gaps",
        "directory",
        "conferences",
        "interviews",
        "charter",
    ]
    assert [p.key for p in access.pages_for("member")] == ["my_page", "directory", "charter"]
    assert "data" in [p.key for p in access.pages_for("curator")]
    assert "data" not in [p.key for p in access.pages_for("leadership")]
    assert "engagement" not in [p.key for p in access.pages_for("planner")]


def test_personal_data_is_for_curators_only():
    for permission in ("see_person_capacity", "see_interview_text", "see_exit_reasons"):
        assert access.can(Viewer("curator"), permission)
        assert access.can(Viewer("admin"), permission)
        assert not access.can(Viewer("leadership"), permission)
        assert not access.can(Viewer("planner"), permission)
    assert not access.can(None, "export")
    with pytest.raises(AccessDenied):
        access.require(Viewer("leadership"), "see_interview_text")
    with pytest.raises(AccessDenied):
        access.require_page(Viewer("leadership"), "data")


def test_unknown_role_and_permission_are_refused():
    with pytest.raises(KeyError):
        Viewer("superuser")
    with pytest.raises(KeyError):
        access.can(Viewer("admin"), "launch_rockets")


def test_role_map_by_email_then_group(empty_db):
    admin = Viewer("admin", email="boss@bank.example")
    access.set_role(empty_db, admin, "Anna@Bank.example", "curator")
    access.set_role(empty_db, admin, "club-leadership", "leadership")
    assert access.role_for(empty_db, "anna@bank.example") == "curator"
    assert access.role_for(empty_db, "someone@bank.example", ["club-leadership"]) == "leadership"
    assert access.role_for(empty_db, "anna@bank.example", ["club-leadership"]) == "curator"
    assert access.role_for(empty_db, "nobody@bank.example", ["other"]) is None
    access.set_role(empty_db, admin, "anna@bank.example", None)
    assert access.role_for(empty_db, "anna@bank.example") is None
    assert empty_db.scalar("SELECT count(*) FROM audit_log WHERE action = 'role_change'") == 3


def test_only_admins_change_roles(empty_db):
    with pytest.raises(AccessDenied):
        access.set_role(empty_db, Viewer("curator"), "x@bank.example", "admin")
    with pytest.raises(ValueError):
        access.set_role(empty_db, Viewer("admin"), "x@bank.example", "owner")
    assert empty_db.count("role_map") == 0


def test_viewer_for_identity(empty_db):
    access.set_role(empty_db, Viewer("admin"), "lead@bank.example", "leadership")
    viewer = access.viewer_for_identity(
        empty_db, {"email": "Lead@bank.example", "name": "L", "email_verified": True}
    )
    assert viewer == Viewer("leadership", email="lead@bank.example", name="L")
    assert access.viewer_for_identity(empty_db, {"email": "who@bank.example"}) is None
    boot = access.viewer_for_identity(
        empty_db,
        {"email": "root@bank.example", "email_verified": "true"},
        admins=["ROOT@bank.example"],
    )
    assert boot.role == "admin"
    assert access.viewer_for_identity(empty_db, {}) is None


@pytest.mark.parametrize("verified", [False, None, "false", "no"])
def test_an_unverified_email_grants_nothing(empty_db, verified):
    access.set_role(empty_db, Viewer("admin"), "lead@bank.example", "leadership")
    access.set_role(empty_db, Viewer("admin"), "club-curators", "curator")
    claims = {"email": "root@bank.example"}
    if verified is not None:
        claims["email_verified"] = verified
    assert access.viewer_for_identity(empty_db, claims, admins=["root@bank.example"]) is None
    lead = {**claims, "email": "lead@bank.example"}
    assert access.viewer_for_identity(empty_db, lead) is None
    grouped = access.viewer_for_identity(empty_db, {**lead, "groups": ["club-curators"]})
    assert grouped.role == "curator"


@pytest.mark.parametrize(
    ("setting", "allowed"),
    [
        (None, True),
        (True, True),
        (False, False),
        ("on", True),
        ("true", True),
        ("1", True),
        (" YES ", True),
        ("off", False),
        ("false", False),
        ("0", False),
        ("no", False),
        ("disable", False),
        ("disabled", False),
        ("n", False),
        ("f", False),
        ("none", False),
        ("never", False),
        ("", False),
        ("flase", False),
        ("of", False),
        ("nein", False),
    ],
)
def test_local_mode_fails_closed(setting, allowed):
    assert access.local_mode_allowed(setting) is allowed


@pytest.mark.parametrize("setting", [None, True, "on", "yes"])
def test_local_mode_is_off_whenever_sign_in_is_configured(setting):
    assert access.local_mode_allowed(setting, sign_in_configured=True) is False


# The role x page x export matrix for the member role: their own page, the public directory
# and the charter; downloads of what those pages show; nothing of anyone else.
def test_a_member_may_open_only_their_page_the_directory_and_the_charter():
    member = Viewer("member", person_id="P1")
    assert [p.key for p in access.PAGES if access.can_open(member, p.key)] == [
        "my_page",
        "directory",
        "charter",
    ]
    granted = [name for name in access.PERMISSIONS if access.can(member, name)]
    assert granted == ["export", "edit_own_file"]
    assert access.PAGE_BY_KEY["my_page"].roles == {"member", "curator", "admin"}
    assert access.PAGE_BY_KEY["directory"].roles == set(access.ROLES)


def test_a_members_viewer_is_about_one_person():
    member = Viewer("member", person_id="P1")
    assert member.cache_key == "member:P1" != Viewer("member", person_id="P2").cache_key
    assert member.actor == "local:member:P1"
    assert Viewer("member", email="p1@bank.example", person_id="P1").actor == "p1@bank.example"
    with pytest.raises(KeyError):
        Viewer("curator", person_id="P1")
    assert access.subject(member) == "P1" == access.subject(member, "P1")
    with pytest.raises(AccessDenied):
        access.subject(member, "P2")
    with pytest.raises(AccessDenied):
        access.subject(Viewer("member"))
    assert access.subject(Viewer("curator"), "P2") == "P2"
    with pytest.raises(ValueError):
        access.subject(Viewer("curator"))
    for role in ("leadership", "planner"):
        with pytest.raises(AccessDenied):
            access.subject(Viewer(role), "P2")


def test_navigation_names_the_members_page_for_staff():
    spec = access.PAGE_BY_KEY["my_page"]
    assert spec.title_key("member") == "nav.my_page"
    assert spec.title_key("curator") == "nav.member_page"
