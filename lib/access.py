"""Roles and what each may see or change (SPEC.md §5), enforced on the server.

Pages, reports, exports and the CLI all ask this module; hiding a page is never the only guard.
The four staff roles come from the role map (an e-mail, then a group claim); a signed-in
employee without one whose e-mail is a current club member's gets the `member` role, and their
viewer carries their person_id: every read a member can reach answers for that person only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lib import logs
from lib.errors import Refusal, Term, Translatable
from lib.store.db import Database
from lib.vocabulary import SELF_SERVICE_STATUSES

LOG = logs.logger("access")

MEMBER_STATUSES = tuple(str(s) for s in SELF_SERVICE_STATUSES)

MEMBER = "member"
# The roles the role map grants (lib.vocabulary.Role), then the member's.
GRANTED_ROLES = ("leadership", "curator", "planner", "admin")
ROLES = (*GRANTED_ROLES, MEMBER)
EVERYONE = frozenset(ROLES)
# Everyone who runs or steers the club: every role but the member's.
TEAM = frozenset(GRANTED_ROLES)
STAFF = frozenset({"curator", "admin"})
MEMBER_ONLY = frozenset({MEMBER})


@dataclass(frozen=True)
class PageSpec:
    key: str
    file: str
    icon: str
    roles: frozenset[str]
    # The navigation title's key for roles other than the member's, when it differs.
    staff_title: str | None = None

    def title_key(self, role: str) -> str:
        return f"nav.{self.staff_title if self.staff_title and role != MEMBER else self.key}"


# Navigation order; a page's roles are checked again by the page itself.
PAGES = (
    PageSpec("overview", "pages/overview.py", ":material/dashboard:", TEAM),
    PageSpec("expertise_map", "pages/expertise_map.py", ":material/hub:", TEAM),
    PageSpec("recruitment_gaps", "pages/recruitment_gaps.py", ":material/person_search:", TEAM),
    PageSpec(
        "engagement",
        "pages/engagement.py",
        ":material/monitoring:",
        frozenset({"leadership", "curator", "admin"}),
    ),
    PageSpec("members", "pages/members.py", ":material/badge:", STAFF),
    PageSpec(
        "my_page",
        "pages/my_page.py",
        ":material/person:",
        MEMBER_ONLY | STAFF,
        staff_title="member_page",
    ),
    PageSpec("directory", "pages/directory.py", ":material/groups:", EVERYONE),
    PageSpec(
        "action_plan",
        "pages/action_plan.py",
        ":material/checklist:",
        frozenset({"leadership", "curator", "admin"}),
    ),
    PageSpec("conferences", "pages/conferences.py", ":material/mic:", TEAM),
    PageSpec("interviews", "pages/interviews.py", ":material/forum:", TEAM),
    PageSpec("charter", "pages/charter.py", ":material/menu_book:", EVERYONE),
    PageSpec("data", "pages/data.py", ":material/database:", STAFF),
    PageSpec("settings", "pages/settings.py", ":material/tune:", STAFF),
)
PAGE_BY_KEY = {page.key: page for page in PAGES}

# Capabilities beyond opening a page.
PERMISSIONS = {
    "see_person_capacity": STAFF,
    "see_interview_text": STAFF,
    "see_exit_reasons": STAFF,
    "see_small_segments": STAFF,
    "see_onboarding": STAFF,
    "see_member_lists": STAFF,
    "see_shortlist": frozenset({"planner", "curator", "admin"}),
    "search_employee_pool": frozenset({"planner", "curator", "admin"}),
    "edit_target_profile": STAFF,
    "edit_data": STAFF,
    "edit_settings": STAFF,
    "edit_charter": STAFF,
    "edit_plan": STAFF,
    "edit_roles": frozenset({"admin"}),
    "invite_candidates": frozenset({"planner", "curator", "admin"}),
    "run_club": STAFF,
    # Tables as shown may be downloaded by every role (a member's: their own and the public
    # directory); named reports are the team's, except those declared for members.
    "export": EVERYONE,
    "run_reports": TEAM,
    # A member's own file: log and confirm contributions, confirm skills, propose new ones.
    "edit_own_file": MEMBER_ONLY,
    "verify_contributions": STAFF,
    "see_renewal": STAFF,
    # Speaking opportunities: the whole pipeline (drafts, matches) vs aggregates and accepted
    # talks; a speaker's own submissions are for the member role once it exists.
    "see_cfp_pipeline": frozenset({"planner", "curator", "admin"}),
    "edit_conferences": STAFF,
    "edit_submissions": STAFF,
    "edit_own_submissions": frozenset(),
}


class AccessDenied(Translatable, PermissionError):
    """The viewer's role may not do this."""

    def __init__(self, key: str = "errors.access_denied", **params):
        self.key = key
        self.params = params
        super().__init__(self.text())


@dataclass(frozen=True)
class Viewer:
    """Who is looking: their role decides every answer they get."""

    role: str
    email: str | None = None
    name: str | None = None
    local_mode: bool = False
    # A member's own person_id (None for every other role).
    person_id: str | None = None

    def __post_init__(self):
        if self.role not in ROLES:
            raise KeyError(self.role)
        if self.person_id is not None and self.role != MEMBER:  # only a member is a person
            raise KeyError(self.role)

    @property
    def is_member(self) -> bool:
        return self.role == MEMBER

    @property
    def cache_key(self) -> str:
        """What of the viewer decides what they may see: the role, never the e-mail — and for a
        member, whose answers are their own, the person they are."""
        return f"{MEMBER}:{self.person_id}" if self.is_member else self.role

    @property
    def actor(self) -> str:
        if self.email:
            return self.email
        return f"local:{MEMBER}:{self.person_id}" if self.is_member else f"local:{self.role}"


def can(viewer: Viewer | None, permission: str) -> bool:
    if viewer is None:
        return False
    if permission not in PERMISSIONS:
        raise KeyError(permission)
    return viewer.role in PERMISSIONS[permission]


def require(viewer: Viewer | None, permission: str) -> None:
    if not can(viewer, permission):
        LOG.info(
            "refused %s to %s (%s)",
            permission,
            viewer.actor if viewer else "nobody",
            viewer.role if viewer else "-",
        )
        raise AccessDenied(
            role=Term(f"roles.{viewer.role}" if viewer else "roles.anonymous"),
            action=Term(f"permissions.{permission}"),
        )


def subject(viewer: Viewer | None, person_id: str | None = None) -> str:
    """The person a personal read or write is about: a member is always themselves (asking
    for anyone else is refused); staff who run the club name the member."""
    if viewer is not None and viewer.is_member:
        if viewer.person_id is None or (person_id is not None and person_id != viewer.person_id):
            raise AccessDenied("errors.own_file_only")
        return viewer.person_id
    require(viewer, "run_club")
    if not person_id:
        raise Refusal("errors.member_required")
    return person_id


def can_open(viewer: Viewer | None, page_key: str) -> bool:
    page = PAGE_BY_KEY.get(page_key)
    return bool(viewer and page and viewer.role in page.roles)


def require_page(viewer: Viewer | None, page_key: str) -> None:
    if not can_open(viewer, page_key):
        raise AccessDenied(
            "errors.page_denied",
            role=Term(f"roles.{viewer.role}" if viewer else "roles.anonymous"),
            page=Term(f"nav.{page_key}"),
        )


def pages_for(role: str) -> list[PageSpec]:
    return [page for page in PAGES if role in page.roles]


# -- the role map -------------------------------------------------------------------
def role_for(db: Database, email: str | None, groups: Iterable[str] = ()) -> str | None:
    """The role of a signed-in user: their email first, then any of their groups."""
    principals = [p.strip().lower() for p in [email or "", *groups] if p and p.strip()]
    if not principals:
        return None
    found = dict(
        db.rows(
            "SELECT principal, role FROM role_map WHERE principal IN "
            f"({', '.join('?' for _ in principals)})",
            principals,
        )
    )
    for principal in principals:
        if principal in found:
            return found[principal]
    return None


def role_map(db: Database):
    return db.df("SELECT principal, role, changed_at, changed_by FROM role_map ORDER BY principal")


def set_role(db: Database, viewer: Viewer, principal: str, role: str | None) -> None:
    """Grant (or with role None, revoke) a role; admins only."""
    require(viewer, "edit_roles")
    principal = (principal or "").strip().lower()
    if not principal:
        raise Refusal("errors.principal_required")
    if role == MEMBER:
        raise Refusal("errors.member_role_not_granted")
    if role is not None and role not in GRANTED_ROLES:
        raise Refusal("errors.unknown_role", role=role)
    with db.transaction() as cur:
        cur.execute("DELETE FROM role_map WHERE principal = ?", [principal])
        if role is not None:
            cur.execute(
                "INSERT INTO role_map (principal, role, changed_by) VALUES (?, ?, ?)",
                [principal, role, viewer.actor],
            )
        db.audit(
            "role_change", actor=viewer.actor, kind=principal, detail=role or "revoked", cur=cur
        )


# -- identity ------------------------------------------------------------------------------
YES_WORDS = frozenset({"on", "true", "1", "yes"})


def local_mode_allowed(setting: object = None, *, sign_in_configured: bool = False) -> bool:
    """Local mode (no sign-in, role picked by hand) fails closed.

    It is the embedded default only when nothing at all is configured (`setting` is None and
    no sign-in); any configured value other than an explicit yes (`on/true/1/yes`) — a typo,
    "disable", an empty value — switches it off, and it is always off once sign-in exists.
    `setting` comes from $EXPERTISE_LOCAL_MODE or the `[app] local_mode` secret."""
    if sign_in_configured:
        return False
    if setting is None:
        return True
    if isinstance(setting, bool):
        return setting
    return str(setting).strip().lower() in YES_WORDS


def _verified(user: dict) -> bool:
    """The identity provider vouches for the e-mail (`email_verified` true)."""
    flag = user.get("email_verified")
    return flag is True or (isinstance(flag, str) and flag.strip().lower() == "true")


def member_by_email(db: Database, email: str | None) -> str | None:
    """The person_id of the one current club member (onboarding, active or paused) with this
    e-mail, or None (nobody, or two people sharing it)."""
    if not email:
        return None
    found = db.rows(
        "SELECT p.person_id FROM people p JOIN memberships m USING (person_id) "
        "WHERE lower(trim(p.email)) = $email AND list_contains($statuses, m.status)",
        {"email": email.strip().lower(), "statuses": list(MEMBER_STATUSES)},
    )
    return found[0][0] if len(found) == 1 else None


def current_members(db: Database) -> list[tuple[str, str | None]]:
    """(person_id, name) of every current club member, by name: whom local mode may act as."""
    return db.rows(
        "SELECT p.person_id, p.name FROM people p JOIN memberships m USING (person_id) "
        "WHERE list_contains($statuses, m.status) ORDER BY p.name, p.person_id",
        {"statuses": list(MEMBER_STATUSES)},
    )


def member_viewer(
    db: Database, person_id: str, *, email: str | None = None, local_mode: bool = False
) -> Viewer | None:
    """The viewer of a current club member (None when the person is not one)."""
    found = db.rows(
        "SELECT p.name, p.email FROM people p JOIN memberships m USING (person_id) "
        "WHERE p.person_id = $person AND list_contains($statuses, m.status)",
        {"person": person_id, "statuses": list(MEMBER_STATUSES)},
    )
    if not found:
        return None
    name, stored = found[0]
    return Viewer(
        MEMBER,
        email=email or (None if local_mode else stored),
        name=name,
        local_mode=local_mode,
        person_id=person_id,
    )


def viewer_for_identity(db: Database, user: dict, admins: Iterable[str] = ()) -> Viewer | None:
    """The viewer for a signed-in identity (OpenID Connect claims), or None when the user has
    no role. An e-mail only grants a role (bootstrap admin or role map) when the provider
    marks it verified; group claims grant roles either way. Without a staff role, a verified
    e-mail of a current club member makes the user that member."""
    email = (user.get("email") or "").strip().lower() or None
    groups = user.get("groups") or []
    if isinstance(groups, str):
        groups = [groups]
    trusted_email = email if _verified(user) else None
    if trusted_email and trusted_email in {a.strip().lower() for a in admins}:
        role = "admin"
    else:
        role = role_for(db, trusted_email, groups)
    if role is None:
        person = member_by_email(db, trusted_email)
        if person:
            return member_viewer(db, person, email=email)
        LOG.warning("sign-in refused: %s has no role", email or "an identity without e-mail")
        return None
    return Viewer(role=role, email=email, name=user.get("name"))


def record_sign_in(db: Database, viewer: Viewer) -> None:
    """A sign-in goes to the audit log (and so the log); a read-only replica, which cannot
    write, logs it only."""
    if db.read_only:
        LOG.info("sign_in by %s kind=%s (read-only replica)", viewer.actor, viewer.role)
        return
    db.audit("sign_in", actor=viewer.actor, kind=viewer.role)
