"""Deterministic demo data for the `demo` and `large` tiers (SPEC.md §6).

A seeded generator of a bank's employee pool and its ambassador club: departments, a skill
taxonomy with aliases, a founding wave from 2022 and a second wave, heavy-tailed activity,
seasonal capacity by grade, events, recognitions, coded interviews and a target profile the
club does not fully cover. Everything is built as column arrays and bulk-loaded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from lib.demo import catalogue as cat
from lib.filters import default_as_of
from lib.insights.charter import default_charter
from lib.store.db import TABLES, Database


@dataclass(frozen=True)
class Tier:
    employees: int
    members: int
    skills: int
    activities: int
    interviews: int
    targets: int
    events_per_year_factor: int = 1


TIERS = {
    "tiny": Tier(400, 40, 60, 1_500, 12, 20),
    "demo": Tier(3_000, 180, 120, 12_000, 60, 40),
    "large": Tier(100_000, 2_000, 1_000, 1_000_000, 1_000, 250, 3),
}
SEED = 20230115
# What backs a claim, by source; self-assessments carry none.
EVIDENCE = {
    "curator": ("Confirmed by the club curator", "Подтверждено куратором клуба"),
    "activity": ("Shown in club talks and sessions", "Подтверждено выступлениями в клубе"),
    "peer": ("Endorsed by a colleague", "Подтверждено коллегой"),
    "interview": ("Named in an in-depth interview", "Названо в глубинном интервью"),
}
MONTHS = 24
FOUNDING = date(2022, 3, 1)

Progress = Callable[[float, str], None]


def _lang_index(lang: str) -> int:
    return 1 if lang == "ru" else 0


class DemoBank:
    """Builds every table of one tier as DataFrames, deterministically from the seed."""

    def __init__(
        self, tier: str = "demo", *, seed: int = SEED, as_of: date | None = None, lang: str = "en"
    ):
        if tier not in TIERS:
            raise ValueError(f"Unknown tier {tier!r}; choose one of {', '.join(TIERS)}")
        self.tier_name = tier
        self.tier = TIERS[tier]
        self.rng = np.random.default_rng(seed)
        self.as_of = as_of or default_as_of()
        self.lang = lang
        self.li = _lang_index(lang)
        self.start = _month_start(self.as_of) - pd.DateOffset(months=MONTHS - 1)
        self.start = self.start.date()

    # -- taxonomy -----------------------------------------------------------------
    def skills(self) -> pd.DataFrame:
        rows = []
        for category, entries in cat.SKILLS.items():
            for rank, (en, ru, aliases) in enumerate(entries):
                rows.append((category, en, ru, aliases, rank))
        if self.tier.skills < len(rows):  # a small taxonomy keeps every category's basics
            rows.sort(key=lambda r: r[4])
        base = list(rows)
        variant = 0
        while len(rows) < self.tier.skills:
            v_en, v_ru = cat.SKILL_VARIANTS[variant // len(base) % len(cat.SKILL_VARIANTS)]
            category, en, ru, aliases, rank = base[variant % len(base)]
            rows.append((category, f"{en} ({v_en})", f"{ru} ({v_ru})", [], rank + 3))
            variant += 1
        rows = rows[: self.tier.skills]
        frame = pd.DataFrame(rows, columns=["cat_key", "name_en", "name_ru", "aliases", "rank"])
        frame["skill_id"] = [f"SK{i + 1:04d}" for i in range(len(frame))]
        frame["name"] = frame["name_ru"] if self.lang == "ru" else frame["name_en"]
        other = frame["name_en"] if self.lang == "ru" else frame["name_ru"]
        frame["aliases"] = [
            sorted({*a, o} - {n})
            for a, o, n in zip(frame["aliases"], other, frame["name"], strict=False)
        ]
        frame["category"] = [cat.CATEGORIES[c][self.li] for c in frame["cat_key"]]
        frame["description"] = [
            f"{n} — {c}" for n, c in zip(frame["name"], frame["category"], strict=False)
        ]
        frame["external_uri"] = [
            f"https://skills.example.org/taxonomy/{sid.lower()}" for sid in frame["skill_id"]
        ]
        self._skills = frame
        return frame[["skill_id", "name", "category", "description", "aliases", "external_uri"]]

    # -- employee pool ----------------------------------------------------------------
    def people(self) -> pd.DataFrame:
        n, rng, li = self.tier.employees, self.rng, self.li
        dept_p = np.array([d[3] for d in cat.DEPARTMENTS])
        dept = rng.choice(len(cat.DEPARTMENTS), size=n, p=dept_p / dept_p.sum())
        grade_p = np.array([g[3] for g in cat.GRADES])
        grade = rng.choice(len(cat.GRADES), size=n, p=grade_p / grade_p.sum())
        female = rng.random(n) < 0.48
        first_f = rng.integers(0, len(cat.FEMALE_NAMES), n)
        first_m = rng.integers(0, len(cat.MALE_NAMES), n)
        last = rng.integers(0, len(cat.SURNAMES), n)
        suffix = "a" if li == 0 else "а"
        names, emails = [], []
        for i in range(n):
            fn = cat.FEMALE_NAMES[first_f[i]] if female[i] else cat.MALE_NAMES[first_m[i]]
            ln = cat.SURNAMES[last[i]]
            surname = ln[li] + (suffix if female[i] else "")
            names.append(f"{fn[li]} {surname}")
            en_surname = ln[0] + ("a" if female[i] else "")
            emails.append(f"{fn[0].lower()}.{en_surname.lower()}{i + 1}@bank.example")
        team = rng.integers(0, len(cat.TEAMS), n)
        loc_p = np.array([loc[2] for loc in cat.LOCATIONS])
        loc = rng.choice(len(cat.LOCATIONS), size=n, p=loc_p / loc_p.sum())
        hired_days = rng.integers(0, (self.as_of - date(2005, 1, 1)).days - 60, n)
        hired = np.datetime64("2005-01-01") + hired_days.astype("timedelta64[D]")
        ids = np.array([f"E{i + 1:06d}" for i in range(n)])
        positions = [self._position(dept[i], grade[i], team[i]) for i in range(n)]
        manager = self._managers(dept, grade, ids)
        frame = pd.DataFrame(
            {
                "person_id": ids,
                "name": names,
                "email": emails,
                "department": [cat.DEPARTMENTS[d][1 + li] for d in dept],
                "team": [cat.TEAMS[t][li] for t in team],
                "position": positions,
                "grade": [cat.GRADES[g][0] for g in grade],
                "location": [cat.LOCATIONS[x][li] for x in loc],
                "hired_on": hired,
                "manager_id": manager,
                "employed": np.ones(n, dtype=bool),
            }
        )
        self._dept, self._grade, self._ids = dept, grade, ids
        self._people = frame
        return frame

    def _position(self, d: int, g: int, team: int) -> str:
        noun = cat.ROLE_NOUNS[cat.DEPARTMENTS[d][0]][self.li]
        dept = cat.DEPARTMENTS[d][1 + self.li]
        team_name = cat.TEAMS[team][self.li]
        if self.li == 0:
            return [
                noun.capitalize(),
                f"Senior {noun}",
                f"Lead {noun}",
                f"Head of {team_name}",
                f"Director, {dept}",
                f"Managing director, {dept}",
            ][g]
        return [
            noun.capitalize(),
            f"Старший {noun}",
            f"Ведущий {noun}",
            f"Руководитель направления «{team_name}»",
            f"Директор, {dept}",
            f"Управляющий директор, {dept}",
        ][g]

    def _managers(self, dept: np.ndarray, grade: np.ndarray, ids: np.ndarray) -> list:
        manager = np.full(len(ids), None, dtype=object)
        for d in range(len(cat.DEPARTMENTS)):
            in_dept = np.flatnonzero(dept == d)
            bosses = in_dept[grade[in_dept] >= 3]
            if len(bosses) == 0:
                continue
            picks = bosses[self.rng.integers(0, len(bosses), len(in_dept))]
            manager[in_dept] = ids[picks]
            manager[bosses] = None
        return list(manager)

    # -- skills held ------------------------------------------------------------------
    def person_skills(self, member_idx: np.ndarray) -> pd.DataFrame:
        n, rng = self.tier.employees, self.rng
        skills = self._skills
        is_member = np.zeros(n, dtype=bool)
        is_member[member_idx] = True
        k = rng.poisson(1.6, n) + 1
        k[is_member] = rng.poisson(4.5, is_member.sum()) + 4
        owner = np.repeat(np.arange(n), k)
        cat_keys = list(cat.CATEGORIES)
        affinity = np.zeros((len(cat.DEPARTMENTS), len(cat_keys)))
        for d, dep in enumerate(cat.DEPARTMENTS):
            for c, w in {**cat.COMMON_AFFINITY, **dep[4]}.items():
                affinity[d, cat_keys.index(c)] = w
        affinity /= affinity.sum(axis=1, keepdims=True)
        cum = affinity.cumsum(axis=1)
        draw = rng.random(len(owner))
        claim_cat = (draw[:, None] > cum[self._dept[owner]]).sum(axis=1)
        claim_cat = np.minimum(claim_cat, len(cat_keys) - 1)
        skill_pick = np.empty(len(owner), dtype=np.int64)
        skill_cat = skills["cat_key"].map(cat_keys.index).to_numpy()
        for c in range(len(cat_keys)):
            pool = np.flatnonzero(skill_cat == c)
            if len(pool) == 0:
                pool = np.arange(len(skills))
            weights = 1.0 / (skills["rank"].to_numpy()[pool] + 1.5) ** 1.1
            where = np.flatnonzero(claim_cat == c)
            skill_pick[where] = pool[
                rng.choice(len(pool), size=len(where), p=weights / weights.sum())
            ]
        levels = np.clip(np.round(rng.normal(2.3, 0.9, len(owner))), 1, 5)
        levels[is_member[owner]] = np.clip(
            np.round(rng.normal(3.3, 0.9, is_member[owner].sum())), 1, 5
        )
        sources = np.array(["self", "curator", "peer", "interview", "activity"])
        src = rng.choice(5, size=len(owner), p=[0.62, 0.14, 0.14, 0.05, 0.05])
        src[~is_member[owner]] = rng.choice(3, size=(~is_member[owner]).sum(), p=[0.8, 0.1, 0.1])
        age = rng.exponential(220, len(owner)).astype(int)
        confirmed = np.datetime64(self.as_of) - age.astype("timedelta64[D]")
        frame = pd.DataFrame(
            {
                "person_id": self._ids[owner],
                "skill_id": skills["skill_id"].to_numpy()[skill_pick],
                "level": levels.astype(int),
                "source": sources[src],
                "confirmed_on": confirmed,
                "evidence": [
                    EVIDENCE.get(source, (None, None))[self.li] for source in sources[src]
                ],
            }
        )
        frame = frame.drop_duplicates(["person_id", "skill_id"]).reset_index(drop=True)
        return frame

    # -- the club -----------------------------------------------------------------------
    def memberships(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        rng, m = self.rng, self.tier.members
        ratio = np.array([g[4] / g[3] for g in cat.GRADES])
        dept_boost = np.array(
            [1.6 if d[0] in ("it", "data_ai", "digital") else 1.0 for d in cat.DEPARTMENTS]
        )
        weights = ratio[self._grade] * dept_boost[self._dept]
        chosen = rng.choice(len(self._ids), size=m, replace=False, p=weights / weights.sum())
        wave1 = round(m * 0.6)
        wave = np.where(np.arange(m) < wave1, 1, 2)
        status = np.empty(m, dtype=object)
        status[:wave1] = rng.choice(["active", "paused", "alumni"], wave1, p=[0.58, 0.14, 0.28])
        status[wave1:] = rng.choice(
            ["active", "onboarding", "candidate", "alumni"], m - wave1, p=[0.47, 0.25, 0.18, 0.10]
        )
        founding_span = 200
        joined = np.empty(m, dtype="datetime64[D]")
        joined[:wave1] = np.datetime64(FOUNDING) + rng.integers(0, founding_span, wave1).astype(
            "timedelta64[D]"
        )
        wave2_start = np.datetime64(self.as_of) - np.timedelta64(300, "D")
        joined[wave1:] = wave2_start + rng.integers(0, 292, m - wave1).astype("timedelta64[D]")
        today = np.datetime64(self.as_of)
        left = np.full(m, np.datetime64("NaT"), dtype="datetime64[D]")
        is_alumni = status == "alumni"
        span = np.maximum((today - joined).astype(int) - 60, 30)
        left[is_alumni] = joined[is_alumni] + (
            rng.random(is_alumni.sum()) * span[is_alumni] + 45
        ).astype(int).astype("timedelta64[D]")
        left = np.minimum(left, today - np.timedelta64(1, "D"))
        reason_p = np.array([r[3] for r in cat.EXIT_REASONS])
        reason_i = rng.choice(len(cat.EXIT_REASONS), m, p=reason_p / reason_p.sum())
        reason = np.array([cat.EXIT_REASONS[r][1 + self.li] for r in reason_i], dtype=object)
        reason[~is_alumni] = None
        left_bank = is_alumni & (reason_i == 1)
        self._people.loc[chosen[left_bank], "employed"] = False
        frame = pd.DataFrame(
            {
                "person_id": self._ids[chosen],
                "wave": wave,
                "status": status,
                "joined_on": joined,
                "left_on": left,
                "exit_reason": reason,
            }
        )
        self._members = frame
        self._member_idx = chosen
        return frame, self._membership_events(frame)

    def _membership_events(self, members: pd.DataFrame) -> pd.DataFrame:
        rng = self.rng
        rows = []
        notes = {
            "candidate": ("Nominated by manager", "Рекомендован руководителем"),
            "onboarding": ("Onboarding started", "Начат онбординг"),
            "active": ("Completed onboarding", "Онбординг завершён"),
            "paused": ("Paused: workload", "Пауза: загрузка"),
            "alumni": ("Offboarding conversation held", "Проведена беседа при выходе"),
        }
        today = pd.Timestamp(self.as_of)
        for rec in members.itertuples(index=False):
            joined = pd.Timestamp(rec.joined_on)
            steps = [(joined - pd.Timedelta(days=int(rng.integers(20, 60))), None, "candidate")]
            if rec.status == "candidate":
                steps = [(min(joined, today - pd.Timedelta(days=3)), None, "candidate")]
            else:
                steps.append((joined, "candidate", "onboarding"))
                onboarded = joined + pd.Timedelta(days=int(rng.integers(14, 80)))
                reached_active = rec.status in ("active", "paused") or (
                    rec.status == "alumni" and rng.random() < 0.8
                )
                if rec.status != "onboarding" and reached_active:
                    onboarded = min(onboarded, today - pd.Timedelta(days=1))
                    if pd.notna(rec.left_on):
                        onboarded = min(onboarded, pd.Timestamp(rec.left_on) - pd.Timedelta(days=1))
                    steps.append((onboarded, "onboarding", "active"))
                last = steps[-1][2]
                if rec.status == "paused":
                    paused = today - pd.Timedelta(days=int(rng.integers(30, 200)))
                    steps.append((max(paused, steps[-1][0] + pd.Timedelta(days=1)), last, "paused"))
                if rec.status == "alumni":
                    steps.append((pd.Timestamp(rec.left_on), last, "alumni"))
            for when, before, after in steps:
                rows.append((rec.person_id, when.date(), before, after, notes[after][self.li]))
        frame = pd.DataFrame(
            rows, columns=["person_id", "changed_on", "from_status", "to_status", "note"]
        )
        self._events_log = frame
        return frame.drop_duplicates(["person_id", "changed_on", "to_status"])

    def _active_spans(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last day each member could contribute (within the 24-month window)."""
        log = self._events_log
        m = self._members
        start = np.datetime64(self.start)
        today = np.datetime64(self.as_of)
        became = (
            log[log.to_status.isin(["onboarding", "active"])].groupby("person_id").changed_on.min()
        )
        ended = log[log.to_status.isin(["paused", "alumni"])].groupby("person_id").changed_on.min()
        first = pd.to_datetime(m.person_id.map(became)).to_numpy().astype("datetime64[D]")
        last = pd.to_datetime(m.person_id.map(ended)).to_numpy().astype("datetime64[D]")
        first = np.where(np.isnat(first), today, first)
        first = np.maximum(first, start)
        last = np.where(np.isnat(last), today, last)
        return first, last

    # -- contribution -------------------------------------------------------------------
    def activities(
        self, member_skills: dict[str, list[str]], recognitions: pd.DataFrame
    ) -> pd.DataFrame:
        rng, m = self.rng, self._members
        total = self.tier.activities
        first, last = self._active_spans()
        span = np.maximum((last - first).astype(int), 0)
        rate = rng.lognormal(0.0, 1.25, len(m))
        # Many quiet members: busy leaders who joined but rarely contribute.
        rate[rng.random(len(m)) < 0.2] *= 0.04
        rate[m.status.to_numpy() == "candidate"] = 0
        rate[m.status.to_numpy() == "onboarding"] *= 0.4
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
        recent = day > np.datetime64(self.as_of) - np.timedelta64(120, "D")
        drop = slowing[who] & recent & (rng.random(base_n) < 0.8)
        who, day = who[~drop], day[~drop]
        if boosted:
            pid_pos = {p: i for i, p in enumerate(m.person_id)}
            rec = recognitions.sample(n=boosted, replace=True, random_state=int(rng.integers(1e9)))
            rec_who = rec.person_id.map(pid_pos).to_numpy()
            rec_day = rec.date.to_numpy().astype("datetime64[D]") + rng.integers(
                1, 60, boosted
            ).astype("timedelta64[D]")
            keep = rec_day <= last[rec_who]
            who = np.concatenate([who, rec_who[keep]])
            day = np.concatenate([day, rec_day[keep]])
        n = len(who)
        kinds = cat.ACTIVITY_KINDS
        kind_p = np.array([k[1] for k in kinds])
        kind = rng.choice(len(kinds), size=n, p=kind_p / kind_p.sum())
        favourite = rng.choice(len(kinds), size=len(m), p=kind_p / kind_p.sum())
        use_fav = rng.random(n) < 0.35
        kind[use_fav] = favourite[who[use_fav]]
        audience = np.round(
            np.array([k[2] for k in kinds])[kind] * rng.lognormal(0, 0.8, n)
        ).astype(int)
        audience = np.maximum(audience, 1)
        hours = np.round(np.array([k[3] for k in kinds])[kind] * rng.lognormal(0, 0.4, n), 1)
        pids = m.person_id.to_numpy()[who]
        held = [member_skills.get(p) or ["SK0001"] for p in pids]
        pick = rng.random(n)
        main = [h[int(x * len(h))] for h, x in zip(held, pick, strict=False)]
        names = dict(zip(self._skills.skill_id, self._skills.name, strict=False))
        title_tpl = np.array([k[4 + self.li] for k in kinds], dtype=object)[kind]
        titles = [tpl.format(skill=names[s]) for tpl, s in zip(title_tpl, main, strict=False)]
        second = rng.random(n) < 0.3
        skills = [
            sorted({s, h[int(x * 7919) % len(h)]}) if two else [s]
            for s, h, x, two in zip(main, held, pick, second, strict=False)
        ]
        order = np.argsort(day, kind="stable")
        frame = pd.DataFrame(
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
        return frame

    def capacity(self) -> pd.DataFrame:
        """Monthly capacity of members over the window; the pool's for the latest month."""
        rng = self.rng
        months = pd.date_range(self.start, periods=MONTHS, freq="MS")
        grade_base = np.array([g[5] for g in cat.GRADES])
        pos = {p: i for i, p in enumerate(self._ids)}
        midx = np.array([pos[p] for p in self._members.person_id])
        with_data = rng.random(len(midx)) > 0.05
        midx = midx[with_data]
        mm = np.repeat(midx, MONTHS)
        mon = np.tile(months.to_numpy(), len(midx))
        month_no = pd.DatetimeIndex(mon).month.to_numpy()
        season = np.where(np.isin(month_no, [3, 6, 9, 12]), 5, 0) - np.where(
            np.isin(month_no, [7, 8]), 9, 0
        )
        personal = rng.normal(0, 4, len(midx))
        load = grade_base[self._grade[mm]] + season + np.repeat(personal, MONTHS)
        load = np.clip(load + rng.normal(0, 2.5, len(mm)), 40, 100)
        members = pd.DataFrame(
            {
                "person_id": self._ids[mm],
                "month": mon,
                "hours_available": np.round((100 - load) / 100 * 168 * 0.3, 1),
                "load_pct": np.round(load, 1),
            }
        )
        pool = np.setdiff1d(np.arange(len(self._ids)), midx)
        pool_load = np.clip(grade_base[self._grade[pool]] + rng.normal(0, 8, len(pool)), 35, 100)
        latest = pd.DataFrame(
            {
                "person_id": self._ids[pool],
                "month": np.repeat(months[-1:].to_numpy(), len(pool)),
                "hours_available": np.round((100 - pool_load) / 100 * 168 * 0.3, 1),
                "load_pct": np.round(pool_load, 1),
            }
        )
        return pd.concat([members, latest], ignore_index=True)

    def events(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        rng = self.rng
        factor = self.tier.events_per_year_factor
        rows = []
        days = (self.as_of - self.start).days
        for kind, per_year, budget, en, ru in cat.EVENT_KINDS:
            count = max(1, round(per_year * factor * days / 365))
            offsets = np.sort(rng.integers(0, days, count))
            for j, off in enumerate(offsets):
                when = self.start + timedelta(days=int(off))
                rows.append((kind, when, budget * rng.uniform(0.8, 1.2), (en, ru)[self.li], j))
        # Two upcoming events so the overview has something ahead.
        rows.append(
            (
                "meetup",
                self.as_of + timedelta(days=12),
                150_000,
                cat.EVENT_KINDS[0][3 + self.li],
                99,
            )
        )
        rows.append(
            (
                "demo_day",
                self.as_of + timedelta(days=40),
                600_000,
                cat.EVENT_KINDS[2][3 + self.li],
                99,
            )
        )
        rows.sort(key=lambda r: r[1])
        events = pd.DataFrame(
            {
                "event_id": [f"EV{i + 1:04d}" for i in range(len(rows))],
                "date": [r[1] for r in rows],
                "kind": [r[0] for r in rows],
                "title": [f"{r[3]} {r[1]:%m.%Y}" for r in rows],
                "budget": [round(r[2], -3) for r in rows],
            }
        )
        first, last = self._active_spans()
        propensity = rng.beta(1.2, 2.2, len(self._members))
        propensity[rng.random(len(propensity)) < 0.12] = 0.0  # the ones who never come
        pids = self._members.person_id.to_numpy()
        att = []
        for ev in events.itertuples(index=False):
            when = np.datetime64(ev.date)
            if when > np.datetime64(self.as_of):
                continue
            eligible = (first <= when) & (last >= when)
            p = propensity * (0.5 if ev.kind in ("offsite", "conference") else 0.8)
            came = eligible & (rng.random(len(pids)) < p)
            idx = np.flatnonzero(came)
            roles = np.full(len(idx), "attendee", dtype=object)
            if len(idx):
                roles[rng.random(len(idx)) < 0.12] = "speaker"
                roles[0] = "organiser"
            att.extend(zip([ev.event_id] * len(idx), pids[idx], roles, strict=False))
        attendance = pd.DataFrame(att, columns=["event_id", "person_id", "role"])
        return events, attendance

    def recognitions(self) -> pd.DataFrame:
        rng, m = self.rng, self._members
        first, last = self._active_spans()
        span = np.maximum((last - first).astype(int), 0)
        n = max(10, int(self.tier.members * 1.4))
        who = rng.choice(len(m), size=n, p=span / span.sum())
        day = first[who] + (rng.random(n) * span[who]).astype(int).astype("timedelta64[D]")
        kinds = cat.RECOGNITION_KINDS
        kp = np.array([k[1] for k in kinds])
        kind = rng.choice(len(kinds), size=n, p=kp / kp.sum())
        notes = {
            "thanks": ("Thank-you note from the club", "Благодарность от клуба"),
            "merch": ("Personal merch pack", "Персональный мерч"),
            "award": ("Ambassador of the quarter", "Амбассадор квартала"),
            "sponsored_conference": (
                "Sponsored conference ticket",
                "Оплаченное участие в конференции",
            ),
        }
        frame = pd.DataFrame(
            {
                "person_id": m.person_id.to_numpy()[who],
                "date": day,
                "kind": [kinds[k][0] for k in kind],
                "note": [notes[kinds[k][0]][self.li] for k in kind],
                "cost": [kinds[k][2] for k in kind],
            }
        )
        return frame.drop_duplicates(["person_id", "date", "kind"]).reset_index(drop=True)

    def interviews(self, member_skills: dict[str, list[str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
        rng, m = self.rng, self._members
        n = min(self.tier.interviews, len(m))
        pos = {p: i for i, p in enumerate(self._ids)}
        wave1 = m[m.wave == 1]
        take_w1 = min(len(wave1), int(n * 0.75))
        picks = list(rng.choice(wave1.person_id.to_numpy(), take_w1, replace=False))
        rest = m[~m.person_id.isin(picks)].person_id.to_numpy()
        picks += list(rng.choice(rest, n - take_w1, replace=False))
        seg_of_grade = {g: s for s, grades in cat.SEGMENTS for g in grades}
        segment_order = [s for s, _ in cat.SEGMENTS]
        research_start = np.datetime64("2023-01-16")
        rows, findings = [], []
        for i, pid in enumerate(picks):
            grade = cat.GRADES[self._grade[pos[pid]]][0]
            segment = seg_of_grade[grade]
            seg_i = segment_order.index(segment)
            if i < take_w1:
                when = research_start + np.timedelta64(int(rng.integers(0, 130)), "D")
            else:
                when = np.datetime64(self.as_of) - np.timedelta64(int(rng.integers(10, 200)), "D")
            iid = f"INT{i + 1:04d}"
            codes = []
            for theme, entries in cat.FINDINGS.items():
                for code, q_en, q_ru, sentiment, by_seg in entries:
                    if rng.random() < by_seg[seg_i] * 0.8:
                        codes.append((theme, code, (q_en, q_ru)[self.li], sentiment))
            if not codes:
                theme, entries = "barrier", cat.FINDINGS["barrier"]
                codes.append((theme, entries[0][0], entries[0][1 + self.li], entries[0][3]))
            held = member_skills.get(pid) or []
            for theme, code, quote, sentiment in codes:
                # Motivations and values often name the expertise the member is proud of.
                mentions = None
                if held and theme in ("motivation", "value", "idea") and rng.random() < 0.5:
                    mentions = [held[int(rng.integers(0, len(held)))]]
                findings.append(
                    (
                        iid,
                        theme,
                        code,
                        quote,
                        round(float(np.clip(sentiment + rng.normal(0, 0.15), -1, 1)), 2),
                        mentions,
                    )
                )
            summary = (
                f"{len(codes)} findings; main theme: {codes[0][1].replace('_', ' ')}"
                if self.li == 0
                else f"Выводов: {len(codes)}; главная тема: {codes[0][1].replace('_', ' ')}"
            )
            rows.append(
                (
                    iid,
                    pid,
                    when,
                    cat.INTERVIEWERS[i % 3],
                    segment,
                    bool(rng.random() < 0.9),
                    summary,
                )
            )
        interviews = pd.DataFrame(
            rows,
            columns=[
                "interview_id",
                "person_id",
                "conducted_on",
                "interviewer",
                "segment",
                "consent",
                "summary",
            ],
        )
        found = pd.DataFrame(
            findings, columns=["interview_id", "theme", "code", "quote", "sentiment", "skills"]
        )
        return interviews, found

    def target_profile(self, person_skills: pd.DataFrame) -> pd.DataFrame:
        """Skills the club must cover, some of them held by too few members today."""
        rng = self.rng
        members = set(self._members.person_id[self._members.status == "active"])
        held = person_skills[person_skills.person_id.isin(members)]
        skills = self._skills
        at_level = {
            level: skills.skill_id.map(
                held[held.level >= level].groupby("skill_id").person_id.nunique()
            )
            .fillna(0)
            .to_numpy()
            for level in (3, 4)
        }
        important = skills.cat_key.isin(["engineering", "data_ai", "security", "communication"])
        weight = np.where(important, 2.0, 1.0) * (1 + 1 / (1 + skills["rank"].to_numpy()))
        chosen = rng.choice(len(skills), self.tier.targets, replace=False, p=weight / weight.sum())
        priority = rng.choice(["must", "should", "could"], len(chosen), p=[0.35, 0.4, 0.25])
        min_level = rng.choice([3, 4], len(chosen), p=[0.7, 0.3])
        holders = np.where(min_level == 4, at_level[4][chosen], at_level[3][chosen])
        # Most targets are met today; about a third ask for more than the club has.
        stretch = np.where(
            rng.random(len(chosen)) < 0.35,
            rng.uniform(1.3, 2.2, len(chosen)),
            rng.uniform(0.5, 1.0, len(chosen)),
        )
        min_people = np.clip(np.round(holders * stretch), 1, 8).astype(int)
        min_people = np.maximum(min_people, 2 - (holders >= 1))
        rationale = {
            "must": (
                "Critical for the bank's technology roadmap",
                "Критично для технологической стратегии банка",
            ),
            "should": (
                "Needed for talks and products next year",
                "Нужно для выступлений и продуктов в следующем году",
            ),
            "could": (
                "Nice to have for cross-division projects",
                "Полезно для межблочных проектов",
            ),
        }
        return pd.DataFrame(
            {
                "skill_id": skills.skill_id.to_numpy()[chosen],
                "min_people": min_people,
                "min_level": min_level,
                "priority": priority,
                "rationale": [rationale[p][self.li] for p in priority],
            }
        )

    # -- everything -----------------------------------------------------------------------
    def build(self, progress: Progress | None = None) -> dict[str, pd.DataFrame]:
        step = progress or (lambda fraction, label: None)
        tables: dict[str, pd.DataFrame] = {}
        step(0.05, "skills")
        tables["skills"] = self.skills()
        step(0.10, "people")
        tables["people"] = self.people()
        step(0.20, "memberships")
        tables["memberships"], tables["membership_events"] = self.memberships()
        step(0.25, "person_skills")
        tables["person_skills"] = self.person_skills(self._member_idx)
        member_ids = set(self._members.person_id)
        ms = tables["person_skills"][tables["person_skills"].person_id.isin(member_ids)]
        member_skills = ms.groupby("person_id").skill_id.apply(list).to_dict()
        step(0.35, "recognitions")
        tables["recognitions"] = self.recognitions()
        step(0.40, "activities")
        tables["activities"] = self.activities(member_skills, tables["recognitions"])
        step(0.60, "capacity")
        tables["capacity"] = self.capacity()
        step(0.65, "events")
        tables["events"], tables["attendance"] = self.events()
        step(0.70, "interviews")
        tables["interviews"], tables["interview_findings"] = self.interviews(member_skills)
        tables["target_profile"] = self.target_profile(tables["person_skills"])
        tables["people"] = self._people
        return tables


def _month_start(day: date) -> pd.Timestamp:
    return pd.Timestamp(day.year, day.month, 1)


# The tables a tier fills: every core table but settings, the logs, the charter and roles.
DATA_TABLES = tuple(t for t in TABLES if t not in ("settings", "audit_log", "charter", "role_map"))


def load_tables(
    db: Database,
    tables: dict[str, pd.DataFrame],
    *,
    replace: bool = True,
    actor: str | None = None,
    lang: str = "en",
    label: str = "demo",
) -> dict[str, int]:
    """Bulk-load DataFrames into their tables in one transaction (Arrow scan, not row by row)."""
    counts = {}
    with db.transaction() as cur:
        if replace:
            for name in reversed(DATA_TABLES):
                cur.execute(f"DELETE FROM {name}")
            cur.execute("DELETE FROM charter")
        for name in DATA_TABLES:
            frame = tables[name]
            columns = ", ".join(frame.columns)
            cur.register("incoming", frame)
            cur.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM incoming")
            cur.unregister("incoming")
            counts[name] = len(frame)
        cur.execute(
            "INSERT INTO charter (body, author) VALUES (?, ?)", [default_charter(lang), "system"]
        )
        db.audit("demo_load", actor=actor, kind=label, inserted=sum(counts.values()), cur=cur)
    db.checkpoint()
    return counts


def generate(
    db: Database,
    tier: str = "demo",
    *,
    seed: int = SEED,
    as_of: date | None = None,
    lang: str = "en",
    progress: Progress | None = None,
    actor: str | None = "system",
) -> dict[str, float]:
    """Generate a tier and load it, replacing the data tables; returns timings in seconds."""
    started = time.perf_counter()
    tables = DemoBank(tier, seed=seed, as_of=as_of, lang=lang).build(progress)
    built = time.perf_counter()
    if progress:
        progress(0.8, "loading")
    load_tables(db, tables, actor=actor, lang=lang, label=f"demo:{tier}")
    if progress:
        progress(1.0, "done")
    return {"generate_s": built - started, "load_s": time.perf_counter() - built}


_seed_lock = threading.Lock()


def seed_if_empty(
    db: Database, tier: str = "demo", *, lang: str = "en", progress: Progress | None = None
) -> bool:
    """Fill an empty database with a tier once, even when several sessions ask at once."""
    with _seed_lock:
        if db.scalar("SELECT count(*) FROM people"):
            return False
        generate(db, tier, lang=lang, progress=progress)
        return True
