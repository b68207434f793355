"""Sign-in with OpenID Connect (st.login) where configured, a labelled local mode otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from streamlit import config
from streamlit.errors import StreamlitSecretNotFoundError

from lib import access
from lib.store.db import Database
from pages.components.ui import t


def secrets() -> dict:
    """The secrets, or {} when no secrets file exists at all. A file that exists but cannot be
    read (a syntax error, a wrong type) stops the app: configuration that was meant to switch
    sign-in on must never silently fall back to local mode."""
    try:
        return st.secrets.to_dict()
    except StreamlitSecretNotFoundError:
        if any(Path(path).exists() for path in config.get_option("secrets.files")):
            st.session_state.pop("viewer", None)
            st.error(t("app.secrets_unreadable"))
            st.stop()
        return {}


def _secret(section: str, key: str | None = None):
    value = secrets().get(section)
    return value.get(key) if key and isinstance(value, dict) else value


def auth_configured() -> bool:
    return bool(_secret("auth"))


def identify(db: Database) -> access.Viewer:
    """Decide who is looking and store it in the session; stop with a page when nobody may."""
    if auth_configured():
        current = _signed_in_viewer(db)
    else:
        setting = os.environ.get("EXPERTISE_LOCAL_MODE", _secret("app", "local_mode"))
        if not access.local_mode_allowed(setting):
            st.session_state.pop("viewer", None)
            st.error(t("app.local_mode_disabled"))
            st.stop()
        st.warning(t("app.local_mode_banner"), icon=":material/lock_open:")
        role = st.sidebar.selectbox(
            t("app.role"),
            access.ROLES,
            key="role",
            index=access.ROLES.index("curator"),
            format_func=lambda r: t(f"roles.{r}"),
        )
        current = _local_member(db) if role == access.MEMBER else None
        current = current or access.Viewer(role=role, local_mode=True)
    st.session_state["viewer"] = current
    return current


@st.cache_data(ttl=300, show_spinner=False)
def _members(_db: Database, path: str, version: int) -> dict[str, str]:
    """Current club members to act as in local mode: person_id → "name (id)", by name."""
    return {pid: f"{name} ({pid})" if name else pid for pid, name in access.current_members(_db)}


def _local_member(db: Database) -> access.Viewer | None:
    """Local mode's member role: the demo picks which club member to be (a member's viewer
    carries their person_id, so every answer is theirs)."""
    members = _members(db, str(db.path), db.data_version())
    if not members:
        st.sidebar.warning(t("app.no_members"))
        st.stop()
    if st.session_state.get("as_member") not in members:
        st.session_state["as_member"] = next(iter(members))
    person = st.sidebar.selectbox(
        t("app.act_as_member"),
        list(members),
        format_func=lambda pid: members.get(pid, pid),
        key="as_member",
        help=t("app.act_as_member_help"),
    )
    return access.member_viewer(db, person, local_mode=True)


def _signed_in_viewer(db: Database) -> access.Viewer:
    if not st.user.is_logged_in:
        st.session_state.pop("viewer", None)
        st.title(t("app.title"))
        st.write(t("app.sign_in_prompt"))
        st.button(t("app.sign_in"), on_click=st.login, type="primary")
        st.stop()
    admins = os.environ.get("EXPERTISE_ADMINS", "").split(",") + list(
        _secret("app", "admins") or []
    )
    current = access.viewer_for_identity(db, st.user.to_dict(), admins)
    if current is None:
        st.session_state.pop("viewer", None)
        st.info(t("app.unknown_user", email=st.user.get("email") or "?"))
        st.button(t("app.sign_out"), on_click=st.logout)
        st.stop()
    if st.session_state.get("signed_in_audited") != current.email:
        access.record_sign_in(db, current)
        st.session_state["signed_in_audited"] = current.email
    st.sidebar.caption(t("app.signed_in_as", email=current.email, role=t(f"roles.{current.role}")))
    st.sidebar.button(t("app.sign_out"), on_click=st.logout)
    return current
