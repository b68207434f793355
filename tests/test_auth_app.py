"""Sign-in through OpenID Connect, simulated: the identity decides the role on the server."""

import pytest
from streamlit.testing.v1 import AppTest

from lib import access
from lib.store.db import open_database
from tests.conftest import ROOT

AUTH = {
    "redirect_uri": "http://localhost/oauth2callback",
    "cookie_secret": "x",
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "http://localhost/.well-known/openid-configuration",
}


@pytest.fixture
def roles(app_env):
    db = open_database(app_env)
    admin = access.Viewer("admin", email="setup@bank.example")
    access.set_role(db, admin, "lead@bank.example", "leadership")
    access.set_role(db, admin, "club-curators", "curator")
    yield db
    with db.transaction() as cur:
        cur.execute("DELETE FROM role_map")


def signed_in(user: dict | None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    claims = {"email_verified": True, **(user or {})}
    at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, **claims}
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def test_signed_out_user_sees_only_the_sign_in_page(roles):
    at = signed_in(None)
    assert not at.exception
    assert at.button[0].label == "Sign in"
    assert not at.metric and not at.get("plotly_chart")


def test_unknown_user_gets_a_polite_page_and_no_data(roles):
    at = signed_in({"email": "stranger@bank.example"})
    assert not at.exception
    assert "no role is assigned" in at.info[0].value
    assert not at.metric and not at.get("plotly_chart")


def test_leadership_by_email_sees_the_overview(roles):
    at = signed_in({"email": "lead@bank.example"})
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert "Signed in as lead@bank.example (Leadership)" in [c.value for c in at.sidebar.caption]
    assert not at.warning  # no local-mode banner when signed in
    assert db_sign_ins(roles, "lead@bank.example") >= 1


def test_group_claim_grants_curator(roles):
    at = signed_in({"email": "c@bank.example", "groups": ["club-curators"]})
    assert not at.exception
    assert "(Curator)" in at.sidebar.caption[0].value


def test_leadership_opening_a_curator_page_gets_nothing(roles):
    """The curator pages are not even registered for leadership; the page's own guard is
    tested in test_app.test_page_refuses_other_roles."""
    at = signed_in({"email": "lead@bank.example"})
    assert at.session_state["viewer"].role == "leadership"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/settings.py")


def test_bootstrap_admin_from_configuration(roles, monkeypatch):
    monkeypatch.setenv("EXPERTISE_ADMINS", "root@bank.example")
    at = signed_in({"email": "root@bank.example"})
    assert "(Administrator)" in at.sidebar.caption[0].value


def test_an_unverified_email_of_a_bootstrap_admin_gets_nothing(roles, monkeypatch):
    monkeypatch.setenv("EXPERTISE_ADMINS", "root@bank.example")
    at = signed_in({"email": "root@bank.example", "email_verified": False})
    assert not at.exception
    assert "no role is assigned" in at.info[0].value
    assert not at.metric and not at.get("plotly_chart")


@pytest.mark.parametrize("setting", ["disable", "n", "", "nope"])
def test_local_mode_switched_off_by_any_value_but_yes(app_env, monkeypatch, setting):
    monkeypatch.setenv("EXPERTISE_LOCAL_MODE", setting)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Sign-in is not configured and local mode is switched off. Ask an administrator to "
        "configure sign-in."
    ]
    assert not at.metric and "Role" not in [s.label for s in at.selectbox]


def db_sign_ins(db, email: str) -> int:
    return db.scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND actor = ?", [email]
    )


def test_admin_grants_and_revokes_roles_in_settings(app_env):
    from tests.conftest import app_test

    db = open_database(app_env)
    at = app_test("admin", "pages/settings.py")
    assert not at.exception
    roles_tab = next(tab for tab in at.tabs if tab.label == "Roles")
    roles_tab.text_input[0].input("Planner.One@bank.example")
    roles_tab.selectbox[0].select("planner")
    roles_tab.button[0].click()
    at.run()
    assert not at.exception
    assert access.role_for(db, "planner.one@bank.example") == "planner"
    assert "planner.one@bank.example now has the Planner role." in [s.value for s in at.success]
    access.set_role(db, access.Viewer("admin"), "planner.one@bank.example", None)


def test_curator_has_no_roles_tab(app_env):
    from tests.conftest import app_test

    at = app_test("curator", "pages/settings.py")
    assert not at.exception
    assert "Roles" not in [tab.label for tab in at.tabs]


SIGNED_IN = {
    "leadership": "lead@bank.example",
    "curator": "cur@bank.example",
    "planner": "plan@bank.example",
    "admin": "adm@bank.example",
    "member": "natalia.smirnova61@bank.example",  # E000061, active in the demo tier
}


@pytest.fixture
def everyone(app_env):
    db = open_database(app_env)
    for role, email in SIGNED_IN.items():
        if role != access.MEMBER:
            access.set_role(db, access.Viewer("admin"), email, role)
    yield db
    with db.transaction() as cur:
        cur.execute("DELETE FROM role_map")


@pytest.mark.parametrize("role", access.ROLES)
def test_signed_in_roles_get_exactly_their_pages(everyone, role):
    """With sign-in, each role's navigation holds its pages, each renders, and the rest are
    not reachable at all."""
    at = signed_in({"email": SIGNED_IN[role]})
    assert not at.exception
    assert at.session_state["viewer"].role == role
    present = list(access.PAGES)
    for spec in present:
        if role not in spec.roles:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(spec.file)
    for spec in present:
        if role in spec.roles:
            at.switch_page(spec.file)
            at.run()
            assert not at.exception, (spec.key, [e.value for e in at.exception])
            assert not [e for e in at.error if "does not give access" in e.value]


def test_a_club_member_signs_in_to_their_own_page(everyone):
    at = signed_in({"email": SIGNED_IN["member"]})
    assert not at.exception
    viewer = at.session_state["viewer"]
    assert (viewer.role, viewer.person_id) == ("member", "E000061")
    assert at.title[0].value == "My page"
    assert "Signed in as natalia.smirnova61@bank.example (Member)" in [
        c.value for c in at.sidebar.caption
    ]
