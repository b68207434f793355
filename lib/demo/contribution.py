"""The demo bank's contribution and capacity: heavy-tailed, seasonal activity with quiet
members, a slowing share and a lift after recognitions; monthly workload by grade and season."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.demo import catalogue as cat
from lib.demo.bank import MONTHS, DemoBank
from lib.demo.membership import active_spans
from lib.vocabulary import MembershipStatus as S


def activities(
    bank: DemoBank, member_skills: dict[str, list[str]], recognitions: pd.DataFrame
) -> pd.DataFrame:
    """Activities of the members, each with a kind, audience, hours, a title naming one of
    the member's skills and the skills it showed; ordered by day."""
    rng, m = bank.rng, bank.members
    who, day = _who_and_when(bank, recognitions)
    n = len(who)
    kinds = cat.ACTIVITY_KINDS
    kind_p = np.array([k[1] for k in kinds])
    kind = rng.choice(len(kinds), size=n, p=kind_p / kind_p.sum())
    favourite = rng.choice(len(kinds), size=len(m), p=kind_p / kind_p.sum())
    use_fav = rng.random(n) < 0.35
    kind[use_fav] = favourite[who[use_fav]]
    audience = np.round(np.array([k[2] for k in kinds])[kind] * rng.lognormal(0, 0.8, n)).astype(
        int
    )
    audience = np.maximum(audience, 1)
    hours = np.round(np.array([k[3] for k in kinds])[kind] * rng.lognormal(0, 0.4, n), 1)
    pids = m.person_id.to_numpy()[who]
    held = [member_skills.get(p) or ["SK0001"] for p in pids]
    pick = rng.random(n)
    main = [h[int(x * len(h))] for h, x in zip(held, pick, strict=False)]
    names = dict(zip(bank.skills.skill_id, bank.skills.name, strict=False))
    title_tpl = np.array([k[4 + bank.li] for k in kinds], dtype=object)[kind]
    titles = [tpl.format(skill=names[s]) for tpl, s in zip(title_tpl, main, strict=False)]
    second = rng.random(n) < 0.3
    skills = [
        sorted({s, h[int(x * 7919) % len(h)]}) if two else [s]
        for s, h, x, two in zip(main, held, pick, second, strict=False)
    ]
    order = np.argsort(day, kind="stable")
    return pd.DataFrame(
        {
            "activity_id": [f"A{i + 1:07d}" for i in range(n)],
            "person_id": pids[order],
            "occurred_on": day[order],
            "kind": np.array([k[0] for k in kinds])[kind][order],
            "title": np.array(titles, dtype=object)[order],
            "audience": audience[order],
            "hours": hours[order],
            "skills": [skills[i] for i in order],
        }
    )


def _who_and_when(bank: DemoBank, recognitions: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(member position, day) of each activity: a heavy-tailed rate per member within their
    active span, quieter in August and January, fewer lately for the slowing ones, and a
    lift within 60 days after a recognition."""
    rng, m = bank.rng, bank.members
    total = bank.tier.activities
    first, last = active_spans(bank)
    span = np.maximum((last - first).astype(int), 0)
    rate = rng.lognormal(0.0, 1.25, len(m))
    # Many quiet members: busy leaders who joined but rarely contribute.
    rate[rng.random(len(m)) < 0.2] *= 0.04
    rate[m.status.to_numpy() == S.CANDIDATE] = 0
    rate[m.status.to_numpy() == S.ONBOARDING] *= 0.4
    weight = rate * span
    boosted = int(total * 0.08) if len(recognitions) else 0
    base_n = int((total - boosted) * 1.025)
    who = rng.choice(len(m), size=base_n, p=weight / weight.sum())
    day = first[who] + (rng.random(base_n) * span[who]).astype(int).astype("timedelta64[D]")
    # Seasonality: fewer contributions in August and over the new-year break.
    month = day.astype("datetime64[M]").astype(int) % 12 + 1
    quiet = ((month == 8) | (month == 1)) & (rng.random(base_n) < 0.35)
    day[quiet] = day[quiet] + np.timedelta64(35, "D")
    day = np.minimum(day, last[who])
    # A share of once-busy members slowed down in the last four months: the at-risk story.
    slowing = rng.random(len(m)) < 0.18
    recent = day > np.datetime64(bank.as_of) - np.timedelta64(120, "D")
    drop = slowing[who] & recent & (rng.random(base_n) < 0.8)
    who, day = who[~drop], day[~drop]
    if boosted:
        pid_pos = {p: i for i, p in enumerate(m.person_id)}
        rec = recognitions.sample(n=boosted, replace=True, random_state=int(rng.integers(1e9)))
        rec_who = rec.person_id.map(pid_pos).to_numpy()
        rec_day = rec.date.to_numpy().astype("datetime64[D]") + rng.integers(1, 60, boosted).astype(
            "timedelta64[D]"
        )
        keep = rec_day <= last[rec_who]
        who = np.concatenate([who, rec_who[keep]])
        day = np.concatenate([day, rec_day[keep]])
    return who, day


def capacity(bank: DemoBank) -> pd.DataFrame:
    """Monthly capacity of members over the window; the pool's for the latest month."""
    rng = bank.rng
    months = pd.date_range(bank.start, periods=MONTHS, freq="MS")
    grade_base = np.array([g[5] for g in cat.GRADES])
    pos = {p: i for i, p in enumerate(bank.ids)}
    midx = np.array([pos[p] for p in bank.members.person_id])
    with_data = rng.random(len(midx)) > 0.05
    midx = midx[with_data]
    mm = np.repeat(midx, MONTHS)
    mon = np.tile(months.to_numpy(), len(midx))
    month_no = pd.DatetimeIndex(mon).month.to_numpy()
    season = np.where(np.isin(month_no, [3, 6, 9, 12]), 5, 0) - np.where(
        np.isin(month_no, [7, 8]), 9, 0
    )
    personal = rng.normal(0, 4, len(midx))
    load = grade_base[bank.grade[mm]] + season + np.repeat(personal, MONTHS)
    load = np.clip(load + rng.normal(0, 2.5, len(mm)), 40, 100)
    members = pd.DataFrame(
        {
            "person_id": bank.ids[mm],
            "month": mon,
            "hours_available": np.round((100 - load) / 100 * 168 * 0.3, 1),
            "load_pct": np.round(load, 1),
        }
    )
    pool = np.setdiff1d(np.arange(len(bank.ids)), midx)
    pool_load = np.clip(grade_base[bank.grade[pool]] + rng.normal(0, 8, len(pool)), 35, 100)
    latest = pd.DataFrame(
        {
            "person_id": bank.ids[pool],
            "month": np.repeat(months[-1:].to_numpy(), len(pool)),
            "hours_available": np.round((100 - pool_load) / 100 * 168 * 0.3, 1),
            "load_pct": np.round(pool_load, 1),
        }
    )
    return pd.concat([members, latest], ignore_index=True)
