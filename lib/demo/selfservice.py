"""The demo bank's self-service side: what members said about the activities the club recorded
(confirmed, with evidence links and public ones for the directory), contributions members
logged that wait for a curator, and a few a curator turned down.

Drawn from its own random stream after every other table, so the rest of the demo (and every
score) is exactly what it was without it: no activity is added or removed here.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from lib.demo import catalogue as cat
from lib.demo.bank import DemoBank
from lib.vocabulary import SELF_SERVICE_STATUSES, ActivityKind

STREAM = 16
CONFIRMED_AFTER_DAYS = 45  # older recorded activities of the rolling year are confirmed
MEMBER_LOGGED_SHARE = 0.3
PUBLIC_SHARE = 0.6
PENDING_SHARE = 0.35
PENDING_DAYS = 40
REJECTED = 6
CURATOR = "club.curator@bank.example"
PUBLIC_KINDS = (
    ActivityKind.TALK_EXTERNAL,
    ActivityKind.ARTICLE,
    ActivityKind.MEDIA,
    ActivityKind.PRODUCT_LAUNCH,
    ActivityKind.OPEN_SOURCE,
)
LOGGED_KINDS = (
    ActivityKind.TALK_EXTERNAL,
    ActivityKind.ARTICLE,
    ActivityKind.MEDIA,
    ActivityKind.TALK_INTERNAL,
    ActivityKind.MENTORING,
)
EVIDENCE_HOSTS = {
    ActivityKind.TALK_EXTERNAL: "events.bank.example/talks",
    ActivityKind.TALK_INTERNAL: "wiki.bank.example/talks",
    ActivityKind.ARTICLE: "blog.bank.example/posts",
    ActivityKind.MEDIA: "press.bank.example/comments",
    ActivityKind.PRODUCT_LAUNCH: "products.bank.example/launches",
    ActivityKind.MENTORING: "wiki.bank.example/mentoring",
}
REJECT_NOTES = ("Not a club contribution", "Не вклад в клуб")
COLUMNS = [
    "contribution_id",
    "person_id",
    "kind",
    "occurred_on",
    "title",
    "evidence_url",
    "reach",
    "skills",
    "visibility",
    "source",
    "status",
    "event_id",
    "verified_by",
    "verified_on",
    "review_note",
    "confirmed_on",
    "logged_by",
    "logged_on",
]


def _evidence(kind: str, key: str) -> str | None:
    host = EVIDENCE_HOSTS.get(ActivityKind(kind))
    return f"https://{host}/{key.lower()}" if host else None


def _confirmed(bank: DemoBank, tables: dict, rng) -> pd.DataFrame:
    """Stored rows for recorded activities of the rolling year the member already confirmed."""
    acts = tables["activities"]
    days = pd.to_datetime(acts["occurred_on"])
    today = pd.Timestamp(bank.as_of)
    recent = acts[
        (days > today - pd.Timedelta(days=365))
        & (days <= today - pd.Timedelta(days=CONFIRMED_AFTER_DAYS))
    ].reset_index(drop=True)
    n = len(recent)
    talk = recent["activity_id"].isin(set(tables["submission_speakers"]["activity_id"].dropna()))
    by_member = ~talk & (rng.random(n) < MEMBER_LOGGED_SHARE)
    public = recent["kind"].isin([str(k) for k in PUBLIC_KINDS]) & (rng.random(n) < PUBLIC_SHARE)
    day = pd.to_datetime(recent["occurred_on"])
    verified = day + pd.to_timedelta(rng.integers(3, 15, n), unit="D")
    confirmed = day + pd.to_timedelta(rng.integers(1, 20, n), unit="D")
    logged = day + pd.to_timedelta(rng.integers(0, 3, n), unit="D")
    emails = recent["person_id"].map(tables["people"].set_index("person_id")["email"])
    links = [_evidence(k, a) for k, a in zip(recent["kind"], recent["activity_id"], strict=True)]
    return pd.DataFrame(
        {
            "contribution_id": recent["activity_id"],
            "person_id": recent["person_id"],
            "kind": recent["kind"],
            "occurred_on": day.dt.date,
            "title": recent["title"],
            "evidence_url": pd.Series(links, dtype=object).where(by_member, None),
            "reach": recent["audience"].astype(int),
            "skills": recent["skills"].map(list),
            "visibility": np.where(public, "public", "club"),
            "source": np.select([talk, by_member], ["cfp", "member"], "import"),
            "status": "verified",
            "verified_by": pd.Series(CURATOR, index=recent.index).where(by_member, None),
            "verified_on": verified.dt.date.where(by_member, None),
            "confirmed_on": confirmed.dt.date,
            "logged_by": emails.where(by_member, None),
            "logged_on": logged.dt.date.where(by_member, None),
        }
    )


def _logged(bank: DemoBank, tables: dict, rng) -> list[dict]:
    """Contributions members logged lately that wait for a curator, and a few turned down."""
    members = tables["memberships"]
    current = members[members["status"].isin([str(s) for s in SELF_SERVICE_STATUSES])]
    claims = tables["person_skills"]
    claims = claims[claims["person_id"].isin(set(current["person_id"]))]
    held = claims.groupby("person_id")["skill_id"].agg(list).to_dict()
    names = dict(zip(tables["skills"]["skill_id"], tables["skills"]["name"], strict=True))
    emails = tables["people"].set_index("person_id")["email"]
    templates = {k[0]: (k[2], k[4 + bank.li]) for k in cat.ACTIVITY_KINDS}
    rows = []
    people = current["person_id"].tolist()
    chosen = [p for p in people if rng.random() < PENDING_SHARE]
    rejected = (
        set(rng.choice(chosen, size=min(REJECTED, len(chosen)), replace=False)) if chosen else set()
    )
    for number, person in enumerate(chosen, start=1):
        kind = LOGGED_KINDS[int(rng.integers(len(LOGGED_KINDS)))]
        skill = rng.choice(held.get(person) or ["SK0001"])
        median, template = templates[str(kind)]
        turned_down = person in rejected
        back = int(rng.integers(60, 200)) if turned_down else int(rng.integers(2, PENDING_DAYS))
        day = bank.as_of - timedelta(days=back)
        key = f"CTB-{number:05d}"
        rows.append(
            {
                "contribution_id": key,
                "person_id": person,
                "kind": str(kind),
                "occurred_on": day,
                "title": template.format(skill=names.get(skill, skill)),
                "evidence_url": _evidence(kind, key),
                "reach": max(1, round(median * rng.lognormal(0, 0.6))),
                "skills": [skill],
                "visibility": "public" if kind in PUBLIC_KINDS else "club",
                "source": "member",
                "status": "rejected" if turned_down else "pending",
                "verified_by": CURATOR if turned_down else None,
                "verified_on": day + timedelta(days=9) if turned_down else None,
                "review_note": REJECT_NOTES[bank.li] if turned_down else None,
                "confirmed_on": day,
                "logged_by": emails.get(person),
                "logged_on": day + timedelta(days=1),
            }
        )
    return rows


def contributions(bank: DemoBank, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The contributions table of the demo (after every other table is built)."""
    rng = np.random.default_rng([bank.seed, STREAM])
    frame = pd.concat(
        [_confirmed(bank, tables, rng), pd.DataFrame(_logged(bank, tables, rng))],
        ignore_index=True,
    )
    for column in COLUMNS:
        if column not in frame:
            frame[column] = None
    return frame[COLUMNS]


def skill_proposals() -> pd.DataFrame:
    """No member has proposed a skill yet when the demo starts."""
    return pd.DataFrame(columns=["person_id", "skill_id", "proposed_on", "level", "status"]).astype(
        {"level": "int8"}
    )
