import pytest

from lib import access
from lib.access import AccessDenied, Viewer


def test_roles_see_their_pages():
    assert [p.key for p in access.pages_for("planner")] == [
        "overview",
        "expertise_map",
        "recruitment_gaps",
        "conferences",
        "interviews",
        "charter",
    ]
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
