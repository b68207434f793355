"""Skill claims review: the queue of stale and unconfirmed claims, and a curator's verdicts.

The queue holds each member's best claim on a skill (`lib.expertise.holders.skill_claims`, the
query every map, gap and shortlist view builds on) that was never confirmed or not within the
stale-days setting. Most critical first: target-profile skills held by a single member, then
other target skills (must before should before could), then skills only one member holds,
then the rest; within each, the oldest confirmation (never confirmed first).

Confirming writes the member's `curator` claim at the level shown (or a changed level) dated
the analysis day; a lower level moves the higher claims from other sources into
`claim_rejections`, so the curator's level is the one that counts. Rejecting moves every claim
of the member on that skill there: kept as history, no longer counted anywhere.

A member's own proposal (a new skill, or another level: lib/membership/proposals.py) heads the
queue, in place of any stale claim on the same skill (`proposal` true). Confirming it writes the
curator claim at the proposed level (or a changed one) and marks it accepted; rejecting it
marks it rejected and leaves the member's stored claims as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.errors import Refusal
from lib.expertise.holders import skill_claims
from lib.filters import Filters
from lib.membership.audit import ChangeLog, Cursor
from lib.membership.proposals import decide_proposal, pending_proposals
from lib.membership.records import check_values
from lib.store.db import Database
from lib.vocabulary import ClaimSource, MembershipStatus, Priority, ProposalStatus

QUEUE_STATUSES = (MembershipStatus.ONBOARDING, MembershipStatus.ACTIVE, MembershipStatus.PAUSED)
PRIORITY_RANK = {str(priority): rank for rank, priority in enumerate(Priority)}
NO_PRIORITY = len(PRIORITY_RANK)
CURATOR = ClaimSource.CURATOR.value
SELF = ClaimSource.SELF.value
ACCEPTED = ProposalStatus.ACCEPTED.value
REJECTED = ProposalStatus.REJECTED.value
QUEUE_COLUMNS = [
    "person_id",
    "name",
    "department",
    "status",
    "skill_id",
    "skill",
    "category",
    "level",
    "source",
    "confirmed_on",
    "age_days",
    "priority",
    "holders",
    "sole_holder",
    "critical",
    "evidence",
    "proposal",
]


def claims_queue(db: Database, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Stale and unconfirmed best claims of current members who pass the filters, most
    critical and oldest first; `critical` is 0 (target skill, sole holder) to 3 (neither)."""
    access.require(viewer, "run_club")
    claims = skill_claims(db, filters, statuses=QUEUE_STATUSES)
    club = skill_claims(db, Filters(as_of=filters.as_of), statuses=QUEUE_STATUSES)
    holders = club.groupby("skill_id")["person_id"].nunique().rename("holders")
    queue = _with_proposals(claims[claims["stale"]], db, filters)
    queue = queue.merge(holders, on="skill_id", how="left")
    target = db.df("SELECT skill_id, priority FROM target_profile")
    queue = queue.merge(target, on="skill_id", how="left")
    evidence = db.df(
        "SELECT person_id, skill_id, source, evidence FROM person_skills "
        "WHERE evidence IS NOT NULL AND trim(evidence) <> ''"
    )
    queue = queue.merge(
        evidence, on=["person_id", "skill_id", "source"], how="left", suffixes=("", "_stored")
    )
    if "evidence_stored" in queue:
        queue["evidence"] = queue["evidence"].where(queue["proposal"], queue["evidence_stored"])
    in_target = queue["priority"].notna()
    queue["holders"] = queue["holders"].fillna(0).astype(int)
    queue["sole_holder"] = queue["holders"] == 1
    queue["critical"] = (~in_target).astype(int) * 2 + (~queue["sole_holder"]).astype(int)
    queue["priority_rank"] = queue["priority"].map(PRIORITY_RANK).fillna(NO_PRIORITY)
    confirmed = pd.to_datetime(queue["confirmed_on"])
    queue["age_days"] = (pd.Timestamp(filters.as_of) - confirmed).dt.days.astype("Int64")
    queue["never"] = confirmed.isna()
    queue = queue.assign(confirmed_on=confirmed).sort_values(
        ["proposal", "critical", "priority_rank", "never", "confirmed_on", "person_id", "skill_id"],
        ascending=[False, True, True, False, True, True, True],
    )
    return queue[QUEUE_COLUMNS].reset_index(drop=True)


def _with_proposals(stale: pd.DataFrame, db: Database, filters: Filters) -> pd.DataFrame:
    """The stale claims with the members' pending proposals added, each in place of a stale
    claim on the same skill; a proposal's note is its evidence."""
    proposals = pending_proposals(db, filters)
    stale = stale.assign(proposal=False)
    if proposals.empty:
        return stale
    asked = set(zip(proposals["person_id"], proposals["skill_id"], strict=True))
    keep = [pair not in asked for pair in zip(stale["person_id"], stale["skill_id"], strict=True)]
    rows = proposals.assign(
        source=SELF, confirmed_on=pd.NaT, proposal=True, evidence=proposals["note"]
    ).drop(columns=["current_level", "proposed_on", "note"])
    return pd.concat([stale[keep], rows], ignore_index=True)


def _claims_of(cur: Cursor, log: ChangeLog, person_id: str, skill_id: str) -> list[dict]:
    """Every stored claim of a member on a skill, each touched."""
    found = log.touch_where(
        "person_skills",
        "person_id = $person AND skill_id = $skill",
        {"person": person_id, "skill": skill_id},
    )
    if not found:
        raise Refusal("members.err_no_claim", person=person_id, skill=skill_id)
    return found


def _stored_claims(log: ChangeLog, person_id: str, skill_id: str) -> list[dict]:
    """Every stored claim of a member on a skill, each touched (none for a new skill)."""
    return log.touch_where(
        "person_skills",
        "person_id = $person AND skill_id = $skill",
        {"person": person_id, "skill": skill_id},
    )


def _set_aside(
    cur: Cursor, log: ChangeLog, claim: dict[str, Any], day: date, actor: str, note: str | None
) -> None:
    """Move one stored claim into claim_rejections (history), out of person_skills."""
    key = {k: claim[k] for k in ("person_id", "skill_id", "source")}
    log.touch("claim_rejections", **key, rejected_on=day)
    cur.execute(
        "INSERT OR REPLACE INTO claim_rejections (person_id, skill_id, source, level, "
        "confirmed_on, evidence, rejected_on, rejected_by, note) VALUES ($person_id, $skill_id, "
        "$source, $level, $confirmed_on, $evidence, $day, $actor, $note)",
        {**key, **{k: claim[k] for k in ("level", "confirmed_on", "evidence")}}
        | {"day": day, "actor": actor, "note": note},
    )
    cur.execute(
        "DELETE FROM person_skills WHERE person_id = $person_id AND skill_id = $skill_id "
        "AND source = $source",
        key,
    )


def _write_curator_claim(
    cur: Cursor, log: ChangeLog, person_id: str, skill_id: str, level: int, day: date, evidence
) -> None:
    log.touch("person_skills", person_id=person_id, skill_id=skill_id, source=CURATOR)
    log.touch_where(
        "claim_rejections",
        "person_id = $person AND skill_id = $skill AND source = $source AND level = $level "
        "AND confirmed_on = $day",
        {"person": person_id, "skill": skill_id, "source": CURATOR, "level": level, "day": day},
    )
    cur.execute(
        "DELETE FROM claim_rejections WHERE person_id = $person AND skill_id = $skill "
        "AND source = $source AND level = $level AND confirmed_on = $day",
        {"person": person_id, "skill": skill_id, "source": CURATOR, "level": level, "day": day},
    )
    cur.execute(
        "INSERT OR REPLACE INTO person_skills (person_id, skill_id, level, source, confirmed_on, "
        "evidence) VALUES ($person, $skill, $level, $source, $day, $evidence)",
        {
            "person": person_id,
            "skill": skill_id,
            "level": int(level),
            "source": CURATOR,
            "day": day,
            "evidence": evidence,
        },
    )


def confirm_claims(
    db: Database,
    viewer: Viewer,
    claims: Iterable[tuple[str, str]],
    *,
    as_of: date,
    level: int | None = None,
    note: str | None = None,
) -> int:
    """Confirm members' claims (person_id, skill_id) as of `as_of`, at their current best level
    or at `level`; returns the audit entry."""
    access.require(viewer, "run_club")
    pairs = list(dict.fromkeys(claims))
    if not pairs:
        raise Refusal("members.err_nobody_selected")
    if level is not None and not 1 <= int(level) <= 5:
        raise Refusal("members.err_level")
    note = (note or "").strip() or None
    with db.transaction() as cur:
        log = ChangeLog(cur)
        for person_id, skill_id in pairs:
            proposed = decide_proposal(
                cur, log, person_id, skill_id, ACCEPTED, day=as_of, actor=viewer.actor, note=note
            )
            stored = _stored_claims(log, person_id, skill_id) if proposed else None
            stored = stored if stored is not None else _claims_of(cur, log, person_id, skill_id)
            best = proposed or max(c["level"] for c in stored)
            chosen = int(level) if level is not None else best
            for claim in stored:
                if claim["level"] > chosen and claim["source"] != CURATOR:
                    _set_aside(cur, log, claim, as_of, viewer.actor, f"level {chosen}")
            evidence = note or next(
                (c["evidence"] for c in sorted(stored, key=lambda c: -c["level"]) if c["evidence"]),
                None,
            )
            _write_curator_claim(cur, log, person_id, skill_id, chosen, as_of, evidence)
        return log.record(
            "claim_level" if level is not None else "claim_confirm",
            actor=viewer.actor,
            kind="person_skills",
            detail="; ".join(f"{p} {s}" for p, s in pairs),
        )


def reject_claims(
    db: Database,
    viewer: Viewer,
    claims: Iterable[tuple[str, str]],
    *,
    as_of: date,
    note: str | None = None,
) -> int:
    """Reject members' claims (person_id, skill_id): every source's claim on that skill leaves
    person_skills for claim_rejections; returns the audit entry."""
    access.require(viewer, "run_club")
    pairs = list(dict.fromkeys(claims))
    if not pairs:
        raise Refusal("members.err_nobody_selected")
    note = (note or "").strip() or None
    with db.transaction() as cur:
        log = ChangeLog(cur)
        for person_id, skill_id in pairs:
            if decide_proposal(
                cur, log, person_id, skill_id, REJECTED, day=as_of, actor=viewer.actor, note=note
            ):
                continue
            for claim in _claims_of(cur, log, person_id, skill_id):
                _set_aside(cur, log, claim, as_of, viewer.actor, note)
        return log.record(
            "claim_reject",
            actor=viewer.actor,
            kind="person_skills",
            detail="; ".join(f"{p} {s}" for p, s in pairs),
        )


def add_claim(
    db: Database,
    viewer: Viewer,
    person_id: str,
    skill: str,
    level: int,
    *,
    evidence: str | None,
    as_of: date,
    lang: str = "en",
) -> int:
    """A curator's claim that a person holds a skill (id, name or alias) at `level`, with its
    evidence, confirmed as of `as_of`; checked as an import would check it. Returns the audit
    entry."""
    access.require(viewer, "run_club")
    values = check_values(
        db,
        "person_skills",
        {
            "person_id": person_id,
            "skill_id": skill,
            "level": level,
            "source": CURATOR,
            "evidence": evidence,
        },
        lang,
    )
    if not values.get("evidence"):
        raise Refusal("members.err_evidence")
    with db.transaction() as cur:
        log = ChangeLog(cur)
        _write_curator_claim(
            cur,
            log,
            values["person_id"],
            values["skill_id"],
            values["level"],
            as_of,
            values["evidence"],
        )
        return log.record(
            "claim_add",
            actor=viewer.actor,
            kind="person_skills",
            detail=f"{values['person_id']} {values['skill_id']}",
        )


def rejected_claims(db: Database, viewer: Viewer, person_id: str) -> pd.DataFrame:
    """A member's rejected claims, latest first, with the skill's name."""
    access.require(viewer, "run_club")
    return db.df(
        "SELECT r.skill_id, s.name AS skill, r.source, r.level, r.confirmed_on, r.rejected_on, "
        "r.rejected_by, r.note FROM claim_rejections r LEFT JOIN skills s USING (skill_id) "
        "WHERE r.person_id = $person ORDER BY r.rejected_on DESC, s.name, r.source",
        {"person": person_id},
    )
