"""The effect each mechanic is credited with.

Effects are in one unit everywhere: extra activities per targeted member in the 60 days after,
against a comparison group (difference in differences, `lib.engagement.impact`). A mechanic's
default is replaced by the effect measured in this club's history (recognitions, events, and
the follow-up of saved plans) when at least `MIN_CASES` cases back it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from lib.engagement.impact import EVENT_ATTENDANCE, IMPACT_DAYS, impact_cases
from lib.engagement.rituals import impact_by_kind, recognition_impact
from lib.filters import Filters
from lib.planning.catalogue import catalogue, evidence_list
from lib.store.db import Database
from lib.store.shared import per_data_version
from lib.vocabulary import PlanLineStatus, RecognitionKind, values

MEASURED, DEFAULT = "measured", "default"
MIN_CASES = 20
EFFECT_DAYS = IMPACT_DAYS
EVIDENCE_MONTHS = 24
EVENT_CASE_COLUMNS = [
    "person_id",
    "event_id",
    "held_on",
    "kind",
    "wave",
    "level",
    "before",
    "after",
    "peers",
    "peer_before",
    "peer_after",
    "effect",
]


def event_cases(
    db: Database,
    filters: Filters,
    *,
    settings: dict[str, Any] | None = None,
    days: int = EFFECT_DAYS,
) -> pd.DataFrame:
    """Every attendance of an event of the period with complete windows: the member's
    activities in the `days` before and after the event, and the same for their comparison
    group (same wave and level at the end of the month before, in the club throughout, at no
    event of that kind in those days). One row per member × event."""
    cases = impact_cases(db, filters, EVENT_ATTENDANCE, days=days, settings=settings)
    return cases.rename(columns={"treated_on": "held_on"})[EVENT_CASE_COLUMNS]


def event_impact(
    db: Database,
    filters: Filters,
    *,
    settings: dict[str, Any] | None = None,
    days: int = EFFECT_DAYS,
) -> pd.DataFrame:
    """Per event kind: matched cases, unmatched cases and the average effect of attending."""
    return impact_by_kind(event_cases(db, filters, settings=settings, days=days))


def follow_up_evidence(db: Database) -> pd.DataFrame:
    """Per mechanic, the measured effects recorded for done lines of saved plans: cases (matched
    targeted members) and their case-weighted effect."""
    return db.df(
        """
        SELECT mechanic_id, sum(measured_cases)::INTEGER AS cases,
               sum(measured_effect * measured_cases) / sum(measured_cases) AS effect
        FROM plan_lines
        WHERE status = $done AND measured_cases > 0 AND measured_effect IS NOT NULL
        GROUP BY mechanic_id ORDER BY mechanic_id
        """,
        {"done": PlanLineStatus.DONE},
    )


@per_data_version
def history_evidence(
    db: Database, as_of: date, *, settings: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Measured effect per evidence kind ('recognition:merch', 'event:demo_day' …) over the
    whole club's last `EVIDENCE_MONTHS` months: cases and effect. Department and wave filters
    do not narrow it: how members respond to a mechanic is learnt from every case there is."""
    wide = Filters(as_of=as_of, period_months=EVIDENCE_MONTHS)
    recognitions = recognition_impact(db, wide, settings=settings)
    recognitions = recognitions[recognitions["kind"].isin(values(RecognitionKind))]
    events = event_impact(db, wide, settings=settings)
    frames = [
        pd.DataFrame(
            {
                "evidence": [f"{prefix}:{k}" for k in frame["kind"]],
                "cases": frame["cases"].astype(int).to_numpy(),
                "effect": frame["effect"].astype(float).to_numpy(),
            }
        )
        for prefix, frame in (("recognition", recognitions), ("event", events))
    ]
    return pd.concat(frames, ignore_index=True)


def _pooled(pairs: Iterable[tuple[int, float]]) -> tuple[int, float | None]:
    """Total cases and the case-weighted mean effect of (cases, effect) pairs."""
    used = [
        (int(n), float(e)) for n, e in pairs if n and n > 0 and e is not None and not pd.isna(e)
    ]
    cases = sum(n for n, _ in used)
    return cases, (sum(n * e for n, e in used) / cases if cases else None)


def _mechanic_effect(
    record: dict, by_evidence: pd.DataFrame, by_mechanic: pd.DataFrame, min_cases: int
) -> dict[str, Any]:
    """One mechanic's default, history and follow-up effects and the effect it is credited."""
    evidence = evidence_list(record.get("evidence"))
    past = [
        (by_evidence.loc[e, "cases"], by_evidence.loc[e, "effect"])
        for e in evidence
        if e in by_evidence.index
    ]
    history_cases, history_effect = _pooled(past)
    mid = record["mechanic_id"]
    followed = (
        [(by_mechanic.loc[mid, "cases"], by_mechanic.loc[mid, "effect"])]
        if mid in by_mechanic.index
        else []
    )
    follow_cases, follow_effect = _pooled(followed)
    cases, measured = _pooled([(history_cases, history_effect), (follow_cases, follow_effect)])
    source = MEASURED if measured is not None and cases >= min_cases else DEFAULT
    return {
        "mechanic_id": mid,
        "evidence": evidence,
        "default_effect": float(record["default_effect"]),
        "history_cases": history_cases,
        "history_effect": history_effect,
        "follow_up_cases": follow_cases,
        "follow_up_effect": follow_effect,
        "cases": cases,
        "measured_effect": measured,
        "source": source,
        "effect": measured if source == MEASURED else float(record["default_effect"]),
    }


def mechanic_effects(
    mechanics: pd.DataFrame,
    history: pd.DataFrame,
    follow_up: pd.DataFrame,
    *,
    min_cases: int = MIN_CASES,
) -> pd.DataFrame:
    """Per mechanic: the default effect, what this club's history and followed-up plans
    measured (cases and effect), and the effect used — the measured one only when at least
    `min_cases` cases back it, else the default."""
    by_evidence = history.set_index("evidence")
    by_mechanic = follow_up.set_index("mechanic_id")
    return pd.DataFrame(
        [
            _mechanic_effect(record, by_evidence, by_mechanic, min_cases)
            for record in mechanics.to_dict("records")
        ]
    )


def effects_table(
    db: Database,
    as_of: date,
    *,
    min_cases: int = MIN_CASES,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """`mechanic_effects` for the stored catalogue, the club's history and saved plans."""
    return mechanic_effects(
        catalogue(db),
        history_evidence(db, as_of, settings=settings),
        follow_up_evidence(db),
        min_cases=min_cases,
    )
