"""The demo bank's rituals and motivation: club events over the window (two ahead) with who
came and in which role, and the recognitions members received."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
from babel.dates import format_date

from lib.demo import catalogue as cat
from lib.demo.bank import DemoBank
from lib.demo.membership import active_spans
from lib.vocabulary import AttendanceRole, EventKind, RecognitionKind

RECOGNITION_NOTES = {
    RecognitionKind.THANKS: ("Thank-you note from the club", "Благодарность от клуба"),
    RecognitionKind.MERCH: ("Personal merch pack", "Персональный мерч"),
    RecognitionKind.AWARD: ("Ambassador of the quarter", "Амбассадор квартала"),
    RecognitionKind.SPONSORED_CONFERENCE: (
        "Sponsored conference ticket",
        "Оплаченное участие в конференции",
    ),
}


def events(bank: DemoBank) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events of every kind at its yearly rate, plus a meetup and a demo day ahead; and the
    attendance of past ones."""
    rng = bank.rng
    factor = bank.tier.events_per_year_factor
    rows = []
    days = (bank.as_of - bank.start).days
    for kind, per_year, budget, en, ru in cat.EVENT_KINDS:
        count = max(1, round(per_year * factor * days / 365))
        offsets = np.sort(rng.integers(0, days, count))
        for j, off in enumerate(offsets):
            when = bank.start + timedelta(days=int(off))
            rows.append((kind, when, budget * rng.uniform(0.8, 1.2), (en, ru)[bank.li], j))
    # Two upcoming events so the overview has something ahead.
    meetup, demo_day = cat.EVENT_KINDS[0], cat.EVENT_KINDS[2]
    rows.append(
        (EventKind.MEETUP, bank.as_of + timedelta(days=12), 150_000, meetup[3 + bank.li], 99)
    )
    rows.append(
        (EventKind.DEMO_DAY, bank.as_of + timedelta(days=40), 600_000, demo_day[3 + bank.li], 99)
    )
    rows.sort(key=lambda r: r[1])
    frame = pd.DataFrame(
        {
            "event_id": [f"EV{i + 1:04d}" for i in range(len(rows))],
            "date": [r[1] for r in rows],
            "kind": [r[0] for r in rows],
            "title": [f"{r[3]}, {format_date(r[1], 'LLLL yyyy', locale=bank.lang)}" for r in rows],
            "budget": [round(r[2], -3) for r in rows],
        }
    )
    return frame, _attendance(bank, frame)


def _attendance(bank: DemoBank, events: pd.DataFrame) -> pd.DataFrame:
    """Who came to each past event: members active that day, by their own propensity (some
    never come); one organiser per event, a few speakers."""
    rng = bank.rng
    first, last = active_spans(bank)
    propensity = rng.beta(1.2, 2.2, len(bank.members))
    propensity[rng.random(len(propensity)) < 0.12] = 0.0  # the ones who never come
    pids = bank.members.person_id.to_numpy()
    far = (EventKind.OFFSITE, EventKind.CONFERENCE)
    came_rows = []
    for ev in events.itertuples(index=False):
        when = np.datetime64(ev.date)
        if when > np.datetime64(bank.as_of):
            continue
        eligible = (first <= when) & (last >= when)
        p = propensity * (0.5 if ev.kind in far else 0.8)
        came = eligible & (rng.random(len(pids)) < p)
        idx = np.flatnonzero(came)
        roles = np.full(len(idx), AttendanceRole.ATTENDEE, dtype=object)
        if len(idx):
            roles[rng.random(len(idx)) < 0.12] = AttendanceRole.SPEAKER
            roles[0] = AttendanceRole.ORGANISER
        came_rows.extend(zip([ev.event_id] * len(idx), pids[idx], roles, strict=False))
    return pd.DataFrame(came_rows, columns=["event_id", "person_id", "role"])


def recognitions(bank: DemoBank) -> pd.DataFrame:
    """Recognitions spread over the members' active spans, by the kinds' shares and costs."""
    rng, m = bank.rng, bank.members
    first, last = active_spans(bank)
    span = np.maximum((last - first).astype(int), 0)
    n = max(10, int(bank.tier.members * 1.4))
    who = rng.choice(len(m), size=n, p=span / span.sum())
    day = first[who] + (rng.random(n) * span[who]).astype(int).astype("timedelta64[D]")
    kinds = cat.RECOGNITION_KINDS
    kp = np.array([k[1] for k in kinds])
    kind = rng.choice(len(kinds), size=n, p=kp / kp.sum())
    frame = pd.DataFrame(
        {
            "person_id": m.person_id.to_numpy()[who],
            "date": day,
            "kind": [kinds[k][0] for k in kind],
            "note": [RECOGNITION_NOTES[kinds[k][0]][bank.li] for k in kind],
            "cost": [kinds[k][2] for k in kind],
        }
    )
    return frame.drop_duplicates(["person_id", "date", "kind"]).reset_index(drop=True)
