"""Saved plans and their follow-up: each line's status, the day it was done and the money
spent, and after the horizon the effect measured on the members it targeted, recorded so that
it counts as evidence for the mechanics' effects."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pandas as pd

from lib import access, i18n
from lib.access import Viewer
from lib.engagement.scoring import scores_at
from lib.errors import Problems, Refusal
from lib.filters import Filters
from lib.formatting import is_blank
from lib.planning.catalogue import MAX_COST, MAX_NAME, mechanic_name, rule_name
from lib.planning.cells import number_within
from lib.planning.evidence import EFFECT_DAYS
from lib.planning.plan import TARGETS_PERMISSION, Plan
from lib.settings import current_settings
from lib.store.db import Database
from lib.vocabulary import EVER_MEMBER_STATUSES, PlanLineStatus, values

LINE_STATUSES = values(PlanLineStatus)
LINE_COLUMNS = (
    "plan_id",
    "line_no",
    "mechanic_id",
    "mechanic_name",
    "target_rule",
    "people",
    "planned_cost",
    "planned_hours",
    "effect_per_person",
    "effect_source",
    "expected_effect",
    "weighted_value",
    "pinned",
)


def _check_saving(plan: Plan, name: str, horizon: tuple[date, date]) -> str:
    """The plan's name, once the plan can be saved under it for that horizon."""
    name = (name or "").strip()
    if not name:
        raise Refusal("plan.err_plan_name_missing")
    if len(name) > MAX_NAME:
        raise Refusal("plan.err_plan_name_long", limit=MAX_NAME)
    if horizon[1] < horizon[0]:
        raise Refusal("plan.err_horizon_backwards")
    if plan.lines.empty:
        raise Refusal("plan.err_plan_empty")
    if "target_ids" not in plan.lines:
        raise Refusal("plan.err_plan_without_targets")
    return name


def _line_row(plan_id: int, line_no: int, line: dict[str, Any]) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "line_no": line_no,
        "mechanic_id": line["mechanic_id"],
        "mechanic_name": None if is_blank(line["name"]) else line["name"],
        "target_rule": line["target_rule"],
        "people": int(line["people"]),
        "planned_cost": float(line["cost"]),
        "planned_hours": float(line["hours"]),
        "effect_per_person": float(line["effect_per_person"]),
        "effect_source": line["effect_source"],
        "expected_effect": float(line["expected_effect"]),
        "weighted_value": float(line["value"]),
        "pinned": bool(line["pinned"]),
    }


def save_plan(
    db: Database,
    viewer: Viewer | None,
    plan: Plan,
    name: str,
    horizon: tuple[date, date],
) -> int:
    """Store a plan with its lines and target members (curators and admins); returns its id."""
    access.require(viewer, "edit_plan")
    name = _check_saving(plan, name, horizon)
    with db.transaction() as cur:
        plan_id = cur.execute(
            "INSERT INTO plans (name, horizon_start, horizon_end, budget, hours_limit, "
            "goal_weights, created_by) VALUES ($name, $start, $end, $budget, $hours_limit, "
            "$weights, $actor) RETURNING plan_id",
            {
                "name": name,
                "start": horizon[0],
                "end": horizon[1],
                "budget": plan.summary["budget"],
                "hours_limit": plan.summary["hours_limit"],
                "weights": json.dumps(plan.summary["weights"]),
                "actor": viewer.actor,
            },
        ).fetchone()[0]
        lines, targets = [], []
        for line_no, line in enumerate(plan.lines.to_dict("records"), start=1):
            lines.append(_line_row(plan_id, line_no, line))
            targets += [
                {"plan_id": plan_id, "line_no": line_no, "person_id": pid}
                for pid in line["target_ids"]
            ]
        cur.executemany(
            f"INSERT INTO plan_lines ({', '.join(LINE_COLUMNS)}) "
            f"VALUES ({', '.join('$' + c for c in LINE_COLUMNS)})",
            lines,
        )
        if targets:
            cur.executemany(
                "INSERT INTO plan_targets (plan_id, line_no, person_id) "
                "VALUES ($plan_id, $line_no, $person_id)",
                targets,
            )
        db.audit(
            "plan_save",
            actor=viewer.actor,
            kind="plans",
            detail=f"plan {plan_id}: {name}",
            inserted=len(lines),
            cur=cur,
        )
    return int(plan_id)


def saved_plans(db: Database) -> pd.DataFrame:
    """Every saved plan, newest first, with planned and spent money and lines done."""
    return db.df(
        """
        SELECT p.plan_id, p.name, p.horizon_start, p.horizon_end, p.budget, p.hours_limit,
               count(l.line_no) AS lines,
               count(l.line_no) FILTER (WHERE l.status = $done) AS done,
               coalesce(sum(l.planned_cost), 0) AS planned_cost,
               coalesce(sum(l.cost_spent), 0) AS cost_spent,
               coalesce(sum(l.expected_effect), 0) AS expected_effect,
               p.created_at, p.created_by
        FROM plans p LEFT JOIN plan_lines l USING (plan_id)
        GROUP BY ALL ORDER BY p.created_at DESC, p.plan_id DESC
        """,
        {"done": PlanLineStatus.DONE},
    )


def plan_horizon(db: Database, plan_id: int) -> tuple[date, date]:
    """A saved plan's first and last day; refused when there is no such plan."""
    found = db.rows(
        "SELECT horizon_start, horizon_end FROM plans WHERE plan_id = $plan_id",
        {"plan_id": plan_id},
    )
    if not found:
        raise Refusal("plan.err_no_saved_plan", plan=str(plan_id))
    return found[0]


def _with_mechanic_names(frame: pd.DataFrame, position: int, lang: str) -> pd.DataFrame:
    frame.insert(
        position,
        "mechanic",
        [
            mechanic_name(m, n, lang)
            for m, n in zip(frame["mechanic_id"], frame["mechanic_name"], strict=True)
        ],
    )
    return frame


def plan_lines(db: Database, plan_id: int, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """A saved plan's lines with their tracking: status, done on, cost spent, measured effect."""
    plan_horizon(db, plan_id)
    lines = db.df(
        "SELECT * FROM plan_lines WHERE plan_id = $plan_id ORDER BY line_no", {"plan_id": plan_id}
    )
    lines = _with_mechanic_names(lines, 2, lang)
    lines["target_group"] = [rule_name(r, lang) for r in lines["target_rule"]]
    return lines


def saved_plan_targets(
    db: Database, viewer: Viewer | None, plan_id: int, lang: str = i18n.DEFAULT_LANGUAGE
) -> pd.DataFrame:
    """The members a saved plan targets, line by line (staff only)."""
    access.require(viewer, TARGETS_PERMISSION)
    plan_horizon(db, plan_id)
    frame = db.df(
        """
        SELECT t.line_no, l.mechanic_id, l.mechanic_name, t.person_id,
               coalesce(p.name, t.person_id) AS name, p.department, m.status
        FROM plan_targets t
        JOIN plan_lines l USING (plan_id, line_no)
        LEFT JOIN people p USING (person_id)
        LEFT JOIN memberships m USING (person_id)
        WHERE t.plan_id = $plan_id
        ORDER BY t.line_no, name, t.person_id
        """,
        {"plan_id": plan_id},
    )
    return _with_mechanic_names(frame, 1, lang).drop(columns=["mechanic_name"])


def _day(value: Any) -> date | None:
    return None if is_blank(value) else pd.Timestamp(value).date()


def _tracked(record: dict, current: pd.DataFrame) -> tuple[dict | None, Refusal | None]:
    """One edited tracking row as a change to store (None when nothing changed), or why it
    is refused."""
    line_no = record.get("line_no")
    if is_blank(line_no) or int(line_no) not in current.index:
        return None, Refusal("plan.err_line_unknown", line=str(line_no))
    line_no = int(line_no)
    status = record.get("status")
    if status not in LINE_STATUSES:
        statuses = ", ".join(LINE_STATUSES)
        return None, Refusal("plan.err_line_status", line=str(line_no), statuses=statuses)
    spent = None
    if not is_blank(record.get("cost_spent")):
        spent = number_within(record.get("cost_spent"), 0, MAX_COST)
        if spent is None:
            return None, Refusal("plan.err_line_cost_spent", line=str(line_no), high=int(MAX_COST))
    done_on = None if status == PlanLineStatus.PLANNED else _day(record.get("done_on"))
    before = current.loc[line_no]
    old_spent = None if is_blank(before["cost_spent"]) else float(before["cost_spent"])
    if (status, done_on, spent) == (before["status"], _day(before["done_on"]), old_spent):
        return None, None
    change = {"status": status, "done_on": done_on, "cost_spent": spent, "line_no": line_no}
    return change, None


def update_tracking(db: Database, viewer: Viewer | None, plan_id: int, frame: pd.DataFrame) -> int:
    """Record each line's status, the day it was done and the money spent (curators and
    admins); returns the number of lines changed."""
    access.require(viewer, "edit_plan")
    plan_horizon(db, plan_id)
    current = db.df(
        "SELECT line_no, status, done_on, cost_spent FROM plan_lines WHERE plan_id = $plan_id",
        {"plan_id": plan_id},
    ).set_index("line_no")
    problems, changes = [], []
    for record in frame.to_dict("records"):
        change, problem = _tracked(record, current)
        if problem is not None:
            problems.append(problem)
        elif change is not None:
            changes.append(change | {"plan_id": plan_id})
    if problems:
        raise Problems(problems)
    if changes:
        with db.transaction() as cur:
            cur.executemany(
                "UPDATE plan_lines SET status = $status, done_on = $done_on, "
                "cost_spent = $cost_spent WHERE plan_id = $plan_id AND line_no = $line_no",
                changes,
            )
            db.audit(
                "plan_tracking",
                actor=viewer.actor,
                kind="plan_lines",
                detail=f"plan {plan_id}",
                updated=len(changes),
                cur=cur,
            )
    return len(changes)


def _activity_changes(
    db: Database, start: date, end: date, settings: dict[str, Any]
) -> pd.DataFrame:
    """Every member's wave, level on the eve of the horizon, and activities in the horizon
    minus those in as many days before it."""
    days = (end - start).days + 1
    levels = scores_at(
        db,
        Filters(as_of=end),
        [start - timedelta(days=1)],
        settings=settings,
        statuses=EVER_MEMBER_STATUSES,
    )[["person_id", "wave", "level"]]
    counts = db.df(
        """
        SELECT person_id,
               count(*) FILTER (WHERE occurred_on < $start) AS before,
               count(*) FILTER (WHERE occurred_on >= $start) AS after
        FROM activities WHERE occurred_on >= $before_start AND occurred_on <= $end
        GROUP BY ALL
        """,
        {"before_start": start - timedelta(days=days), "start": start, "end": end},
    )
    people = levels.merge(counts, on="person_id", how="left").fillna({"before": 0, "after": 0})
    return people.assign(change=people["after"] - people["before"])


def measure_plan(
    db: Database,
    plan_id: int,
    as_of: date,
    *,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """After the horizon, each done line's measured effect per targeted member: activities in
    the horizon minus the same number of days before it, against members of the same wave and
    level (at the day before the horizon) whom the plan did not target; scaled to 60 days so
    it compares with the expected effect. Columns: line_no, cases, measured_effect,
    expected_per_person; empty before the horizon ends."""
    start, end = plan_horizon(db, plan_id)
    columns = ["line_no", "cases", "measured_effect", "expected_per_person"]
    if as_of < end:
        return pd.DataFrame(columns=columns)
    people = _activity_changes(db, start, end, settings or current_settings(db))
    params = {"plan_id": plan_id, "done": PlanLineStatus.DONE}
    targets = db.df(
        "SELECT t.line_no, t.person_id FROM plan_targets t JOIN plan_lines l "
        "USING (plan_id, line_no) WHERE t.plan_id = $plan_id AND l.status = $done",
        params,
    )
    everyone = db.df(
        "SELECT person_id FROM plan_targets WHERE plan_id = $plan_id", {"plan_id": plan_id}
    )["person_id"]
    peers = (
        people[~people["person_id"].isin(set(everyone))]
        .groupby(["wave", "level"])["change"]
        .mean()
        .rename("peer_change")
        .reset_index()
    )
    cases = targets.merge(people, on="person_id").merge(peers, on=["wave", "level"])
    days = (end - start).days + 1
    cases["effect"] = (cases["change"] - cases["peer_change"]) * EFFECT_DAYS / days
    measured = cases.groupby("line_no").agg(
        cases=("effect", "size"), measured_effect=("effect", "mean")
    )
    lines = db.df(
        "SELECT line_no, effect_per_person AS expected_per_person FROM plan_lines "
        "WHERE plan_id = $plan_id AND status = $done ORDER BY line_no",
        params,
    )
    out = lines.merge(measured.reset_index(), on="line_no", how="left")
    out["cases"] = out["cases"].fillna(0).astype(int)
    return out[columns]


def record_measured_effects(db: Database, viewer: Viewer | None, plan_id: int, as_of: date) -> int:
    """Store the measured effect of a plan's done lines once its horizon is over (curators and
    admins), so they count as evidence for the mechanics' effects; returns lines recorded."""
    access.require(viewer, "edit_plan")
    _, end = plan_horizon(db, plan_id)
    if as_of < end:
        raise Refusal("plan.err_measure_too_early", end=end.isoformat())
    measured = measure_plan(db, plan_id, as_of)
    rows = [
        {
            "effect": None if pd.isna(r.measured_effect) else float(r.measured_effect),
            "cases": int(r.cases),
            "plan_id": plan_id,
            "line_no": int(r.line_no),
        }
        for r in measured.itertuples()
    ]
    with db.transaction() as cur:
        if rows:
            cur.executemany(
                "UPDATE plan_lines SET measured_effect = $effect, measured_cases = $cases, "
                "measured_at = current_timestamp WHERE plan_id = $plan_id AND line_no = $line_no",
                rows,
            )
        db.audit(
            "plan_measure",
            actor=viewer.actor,
            kind="plan_lines",
            detail=f"plan {plan_id}",
            updated=len(rows),
            cur=cur,
        )
    return len(rows)
