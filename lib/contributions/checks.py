"""What a contribution form may hold: a title (HTML or a formula in it is kept as plain text,
and said so), an http(s) evidence link, a day that is not in the future, a reach within what
the kind's audience can be, known skills. Each failure is a Refusal naming the problem."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from lib import spelling
from lib.errors import Refusal, Term
from lib.io.export import FORMULA_PREFIXES
from lib.store.db import Database
from lib.vocabulary import ActivityKind, Visibility, values

MAX_TITLE = 300
MAX_URL = 2000
MAX_SKILLS = 10
MAX_NOTE = 500
OLDEST_YEARS = 10
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&[a-zA-Z]+;|&#\d+;")
KINDS = values(ActivityKind)
VISIBILITIES = values(Visibility)
K = ActivityKind
# What a kind's reach counts, and the most that can sensibly be (more is a typo or a joke).
REACH_METRIC = {
    K.TALK_EXTERNAL: "attendees",
    K.TALK_INTERNAL: "attendees",
    K.EVENT_HOSTING: "participants",
    K.COMMUNITY_SESSION: "participants",
    K.MENTORING: "mentees",
    K.ONBOARDING_BUDDY: "mentees",
    K.ARTICLE: "views",
    K.MEDIA: "views",
    K.OPEN_SOURCE: "downloads",
    K.PRODUCT_LAUNCH: "users",
}
MAX_REACH = {
    "attendees": 100_000,
    "participants": 100_000,
    "mentees": 1_000,
    "views": 100_000_000,
    "downloads": 1_000_000_000,
    "users": 100_000_000,
}
# Kinds that are public by nature start public in the form; the others start club-only.
PUBLIC_BY_DEFAULT = (K.TALK_EXTERNAL, K.ARTICLE, K.MEDIA, K.OPEN_SOURCE, K.PRODUCT_LAUNCH)


def reach_metric(kind: str) -> str:
    return REACH_METRIC[ActivityKind(kind)]


def default_visibility(kind: str) -> str:
    return str(Visibility.PUBLIC if kind in PUBLIC_BY_DEFAULT else Visibility.CLUB)


def blank(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def clean_kind(kind: Any) -> str:
    if kind not in KINDS:
        raise Refusal("contributions.err_kind", kind=str(kind)[:40])
    return str(kind)


def clean_title(title: Any) -> str:
    """The title trimmed; required, bounded, without control characters."""
    if blank(title):
        raise Refusal("contributions.err_title_required")
    text = " ".join(str(title).split())
    if len(text) > MAX_TITLE:
        raise Refusal("contributions.err_title_long", limit=MAX_TITLE)
    if CONTROL.search(str(title).replace("\n", " ").replace("\t", " ")):
        raise Refusal("contributions.err_control")
    return text


def title_notices(title: Any) -> list[str]:
    """Why a title will read differently than a browser or spreadsheet would take it: HTML
    shown as the text it is, a formula exported with a leading apostrophe (locale keys)."""
    if blank(title):
        return []
    text = str(title).strip()
    found = []
    if HTML.search(text):
        found.append("contributions.notice_html")
    if text.startswith(FORMULA_PREFIXES):
        found.append("contributions.notice_formula")
    return found


def clean_url(url: Any) -> str | None:
    """An http(s) link with a host, or None when blank."""
    if blank(url):
        return None
    text = str(url).strip()
    if len(text) > MAX_URL:
        raise Refusal("contributions.err_url_long", limit=MAX_URL)
    if CONTROL.search(text) or re.search(r"\s", text):
        raise Refusal("contributions.err_url", url=text[:80])
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise Refusal("contributions.err_url", url=text[:80]) from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Refusal("contributions.err_url", url=text[:80])
    return text


def url_key(url: str | None) -> str | None:
    """A link as compared for duplicates: scheme and host in lower case, no fragment, no
    trailing slash."""
    if not isinstance(url, str) or not url:
        return None
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return urlunsplit(("https", (parts.netloc or "").lower(), path, parts.query, ""))


def title_key(title: str | None) -> str:
    return spelling.fold(title or "")


def clean_day(day: Any, as_of: date) -> date:
    """The day it happened: required, not after the analysis day, not older than ten years."""
    if blank(day):
        raise Refusal("contributions.err_date_required")
    try:
        found = pd.Timestamp(day).date()
    except (TypeError, ValueError) as exc:
        raise Refusal("contributions.err_date", value=str(day)[:40]) from exc
    if found > as_of:
        raise Refusal("contributions.err_future", day=found.isoformat())
    if found < as_of - timedelta(days=365 * OLDEST_YEARS):
        raise Refusal("contributions.err_too_old", years=OLDEST_YEARS)
    return found


def clean_reach(reach: Any, kind: str) -> int | None:
    """A whole number ≥ 0 within what the kind's reach can be, or None when blank."""
    if blank(reach):
        return None
    try:
        number = float(str(reach).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ValueError as exc:
        raise Refusal("contributions.err_reach_number") from exc
    if not (0 <= number < float("inf")) or number != int(number):
        raise Refusal("contributions.err_reach_number")
    metric = reach_metric(kind)
    if number > MAX_REACH[metric]:
        raise Refusal(
            "contributions.err_reach_absurd",
            metric=Term(f"contributions.metric_{metric}"),
            limit=MAX_REACH[metric],
        )
    return int(number)


def clean_visibility(visibility: Any) -> str:
    if visibility not in VISIBILITIES:
        raise Refusal("contributions.err_visibility")
    return str(visibility)


def clean_skills(db: Database, skills: Any) -> list[str]:
    """Skill ids of the taxonomy (at most MAX_SKILLS); unknown ones refused."""
    ids = list(dict.fromkeys(str(s).strip() for s in (skills or []) if str(s).strip()))
    if len(ids) > MAX_SKILLS:
        raise Refusal("contributions.err_too_many_skills", limit=MAX_SKILLS)
    known = {
        r[0]
        for r in db.rows(
            "SELECT skill_id FROM skills WHERE list_contains($ids, skill_id)", {"ids": ids}
        )
    }
    unknown = [s[:64] for s in ids if s not in known]
    if unknown:
        raise Refusal("contributions.err_unknown_skill", skills=", ".join(unknown))
    return ids


def clean_note(note: Any) -> str | None:
    if blank(note):
        return None
    text = " ".join(str(note).split())
    if len(text) > MAX_NOTE:
        raise Refusal("contributions.err_note_long", limit=MAX_NOTE)
    return text
