"""The demo bank's club: a founding wave from 2022 and a second wave in the last year, each
member's status history from nomination to onboarding, activity, pause or exit, and the span
of days in which each member could contribute."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.demo import catalogue as cat
from lib.demo.bank import FOUNDING, DemoBank
from lib.vocabulary import MembershipStatus as S

# The note of each status change, by the status reached.
NOTES = {
    S.CANDIDATE: ("Nominated by manager", "Рекомендован руководителем"),
    S.ONBOARDING: ("Onboarding started", "Начат онбординг"),
    S.ACTIVE: ("Completed onboarding", "Онбординг завершён"),
    S.PAUSED: ("Paused: workload", "Пауза: загрузка"),
    S.ALUMNI: ("Offboarding conversation held", "Проведена беседа при выходе"),
}


def memberships(bank: DemoBank) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The members (more from senior grades and the technology departments) and their status
    changes; alumni who left the bank are no longer employed."""
    rng, m = bank.rng, bank.tier.members
    ratio = np.array([g[4] / g[3] for g in cat.GRADES])
    dept_boost = np.array(
        [1.6 if d[0] in ("it", "data_ai", "digital") else 1.0 for d in cat.DEPARTMENTS]
    )
    weights = ratio[bank.grade] * dept_boost[bank.dept]
    chosen = rng.choice(len(bank.ids), size=m, replace=False, p=weights / weights.sum())
    wave1 = round(m * 0.6)
    wave = np.where(np.arange(m) < wave1, 1, 2)
    status = np.empty(m, dtype=object)
    status[:wave1] = rng.choice([S.ACTIVE, S.PAUSED, S.ALUMNI], wave1, p=[0.58, 0.14, 0.28])
    status[wave1:] = rng.choice(
        [S.ACTIVE, S.ONBOARDING, S.CANDIDATE, S.ALUMNI], m - wave1, p=[0.47, 0.25, 0.18, 0.10]
    )
    founding_span = 200
    joined = np.empty(m, dtype="datetime64[D]")
    joined[:wave1] = np.datetime64(FOUNDING) + rng.integers(0, founding_span, wave1).astype(
        "timedelta64[D]"
    )
    wave2_start = np.datetime64(bank.as_of) - np.timedelta64(300, "D")
    joined[wave1:] = wave2_start + rng.integers(0, 292, m - wave1).astype("timedelta64[D]")
    today = np.datetime64(bank.as_of)
    left = np.full(m, np.datetime64("NaT"), dtype="datetime64[D]")
    is_alumni = status == S.ALUMNI
    span = np.maximum((today - joined).astype(int) - 60, 30)
    left[is_alumni] = joined[is_alumni] + (
        rng.random(is_alumni.sum()) * span[is_alumni] + 45
    ).astype(int).astype("timedelta64[D]")
    left = np.minimum(left, today - np.timedelta64(1, "D"))
    reason_p = np.array([r[1] for r in cat.EXIT_REASONS])
    reason_i = rng.choice(len(cat.EXIT_REASONS), m, p=reason_p / reason_p.sum())
    reason = np.array([str(cat.EXIT_REASONS[r][0]) for r in reason_i], dtype=object)
    reason[~is_alumni] = None
    left_bank = is_alumni & (reason_i == 1)
    bank.people.loc[chosen[left_bank], "employed"] = False
    frame = pd.DataFrame(
        {
            "person_id": bank.ids[chosen],
            "wave": wave,
            "status": status,
            "joined_on": joined,
            "left_on": left,
            "exit_reason": reason,
        }
    )
    bank.members = frame
    bank.member_idx = chosen
    return frame, _status_changes(bank, frame)


def _status_changes(bank: DemoBank, members: pd.DataFrame) -> pd.DataFrame:
    """Every member's path: nominated, onboarding, active, then paused or alumni as their
    status says; one row per change."""
    rows = []
    for rec in members.itertuples(index=False):
        for when, before, after in _path(bank, rec):
            rows.append((rec.person_id, when.date(), before, after, NOTES[after][bank.li]))
    frame = pd.DataFrame(
        rows, columns=["person_id", "changed_on", "from_status", "to_status", "note"]
    )
    bank.status_log = frame
    return frame.drop_duplicates(["person_id", "changed_on", "to_status"])


def _path(bank: DemoBank, rec) -> list[tuple[pd.Timestamp, str | None, str]]:
    """(day, from, to) of one member's status changes, drawn in a fixed order."""
    rng = bank.rng
    today = pd.Timestamp(bank.as_of)
    joined = pd.Timestamp(rec.joined_on)
    steps = [(joined - pd.Timedelta(days=int(rng.integers(20, 60))), None, S.CANDIDATE)]
    if rec.status == S.CANDIDATE:
        return [(min(joined, today - pd.Timedelta(days=3)), None, S.CANDIDATE)]
    steps.append((joined, S.CANDIDATE, S.ONBOARDING))
    onboarded = joined + pd.Timedelta(days=int(rng.integers(14, 80)))
    reached_active = rec.status in (S.ACTIVE, S.PAUSED) or (
        rec.status == S.ALUMNI and rng.random() < 0.8
    )
    if rec.status != S.ONBOARDING and reached_active:
        onboarded = min(onboarded, today - pd.Timedelta(days=1))
        if pd.notna(rec.left_on):
            onboarded = min(onboarded, pd.Timestamp(rec.left_on) - pd.Timedelta(days=1))
        steps.append((onboarded, S.ONBOARDING, S.ACTIVE))
    last = steps[-1][2]
    if rec.status == S.PAUSED:
        paused = today - pd.Timedelta(days=int(rng.integers(30, 200)))
        steps.append((max(paused, steps[-1][0] + pd.Timedelta(days=1)), last, S.PAUSED))
    if rec.status == S.ALUMNI:
        steps.append((pd.Timestamp(rec.left_on), last, S.ALUMNI))
    return steps


def active_spans(bank: DemoBank) -> tuple[np.ndarray, np.ndarray]:
    """First and last day each member could contribute (within the 24-month window)."""
    log = bank.status_log
    m = bank.members
    start = np.datetime64(bank.start)
    today = np.datetime64(bank.as_of)
    became = log[log.to_status.isin([S.ONBOARDING, S.ACTIVE])].groupby("person_id").changed_on.min()
    ended = log[log.to_status.isin([S.PAUSED, S.ALUMNI])].groupby("person_id").changed_on.min()
    first = pd.to_datetime(m.person_id.map(became)).to_numpy().astype("datetime64[D]")
    last = pd.to_datetime(m.person_id.map(ended)).to_numpy().astype("datetime64[D]")
    first = np.where(np.isnat(first), today, first)
    first = np.maximum(first, start)
    last = np.where(np.isnat(last), today, last)
    return first, last
