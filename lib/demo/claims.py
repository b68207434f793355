"""The demo bank's expertise: a skill taxonomy with aliases in both languages, the skills
employees claim (members more and higher, by department affinity, with sources and evidence),
and a target profile the club does not fully cover."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.demo import catalogue as cat
from lib.demo.bank import DemoBank
from lib.vocabulary import ClaimSource, MembershipStatus, Priority

# What backs a claim, by source; self-assessments carry none.
EVIDENCE = {
    ClaimSource.CURATOR: ("Confirmed by the club curator", "Подтверждено куратором клуба"),
    ClaimSource.ACTIVITY: (
        "Shown in club talks and sessions",
        "Подтверждено выступлениями в клубе",
    ),
    ClaimSource.PEER: ("Endorsed by a colleague", "Подтверждено коллегой"),
    ClaimSource.INTERVIEW: ("Named in an in-depth interview", "Названо в глубинном интервью"),
}


def taxonomy(bank: DemoBank) -> pd.DataFrame:
    """The skills table; the bank keeps it with each skill's category key and rank."""
    rows = []
    for category, entries in cat.SKILLS.items():
        for rank, (en, ru, aliases) in enumerate(entries):
            rows.append((category, en, ru, aliases, rank))
    if bank.tier.skills < len(rows):  # a small taxonomy keeps every category's basics
        rows.sort(key=lambda r: r[4])
    base = list(rows)
    variant = 0
    while len(rows) < bank.tier.skills:
        v_en, v_ru = cat.SKILL_VARIANTS[variant // len(base) % len(cat.SKILL_VARIANTS)]
        category, en, ru, aliases, rank = base[variant % len(base)]
        rows.append((category, f"{en} ({v_en})", f"{ru} ({v_ru})", [], rank + 3))
        variant += 1
    rows = rows[: bank.tier.skills]
    frame = pd.DataFrame(rows, columns=["cat_key", "name_en", "name_ru", "aliases", "rank"])
    frame["skill_id"] = [f"SK{i + 1:04d}" for i in range(len(frame))]
    frame["name"] = frame["name_ru"] if bank.lang == "ru" else frame["name_en"]
    other = frame["name_en"] if bank.lang == "ru" else frame["name_ru"]
    frame["aliases"] = [
        sorted({*a, o} - {n})
        for a, o, n in zip(frame["aliases"], other, frame["name"], strict=False)
    ]
    frame["category"] = [cat.CATEGORIES[c][bank.li] for c in frame["cat_key"]]
    frame["description"] = [
        f"{n} — {c}" for n, c in zip(frame["name"], frame["category"], strict=False)
    ]
    frame["external_uri"] = [
        f"https://skills.example.org/taxonomy/{sid.lower()}" for sid in frame["skill_id"]
    ]
    bank.skills = frame
    return frame[["skill_id", "name", "category", "description", "aliases", "external_uri"]]


def person_skills(bank: DemoBank, member_idx: np.ndarray) -> pd.DataFrame:
    """Claims of the whole pool: members hold more skills at higher levels; the category
    follows the department's affinities, the skill within it favours the common ones."""
    n, rng = bank.tier.employees, bank.rng
    skills = bank.skills
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
    claim_cat = (draw[:, None] > cum[bank.dept[owner]]).sum(axis=1)
    claim_cat = np.minimum(claim_cat, len(cat_keys) - 1)
    skill_pick = np.empty(len(owner), dtype=np.int64)
    skill_cat = skills["cat_key"].map(cat_keys.index).to_numpy()
    for c in range(len(cat_keys)):
        pool = np.flatnonzero(skill_cat == c)
        if len(pool) == 0:
            pool = np.arange(len(skills))
        weights = 1.0 / (skills["rank"].to_numpy()[pool] + 1.5) ** 1.1
        where = np.flatnonzero(claim_cat == c)
        skill_pick[where] = pool[rng.choice(len(pool), size=len(where), p=weights / weights.sum())]
    levels = np.clip(np.round(rng.normal(2.3, 0.9, len(owner))), 1, 5)
    levels[is_member[owner]] = np.clip(np.round(rng.normal(3.3, 0.9, is_member[owner].sum())), 1, 5)
    sources = np.array(
        [
            ClaimSource.SELF,
            ClaimSource.CURATOR,
            ClaimSource.PEER,
            ClaimSource.INTERVIEW,
            ClaimSource.ACTIVITY,
        ]
    )
    src = rng.choice(5, size=len(owner), p=[0.62, 0.14, 0.14, 0.05, 0.05])
    src[~is_member[owner]] = rng.choice(3, size=(~is_member[owner]).sum(), p=[0.8, 0.1, 0.1])
    age = rng.exponential(220, len(owner)).astype(int)
    confirmed = np.datetime64(bank.as_of) - age.astype("timedelta64[D]")
    frame = pd.DataFrame(
        {
            "person_id": bank.ids[owner],
            "skill_id": skills["skill_id"].to_numpy()[skill_pick],
            "level": levels.astype(int),
            "source": sources[src],
            "confirmed_on": confirmed,
            "evidence": [EVIDENCE.get(source, (None, None))[bank.li] for source in sources[src]],
        }
    )
    frame = frame.drop_duplicates(["person_id", "skill_id"]).reset_index(drop=True)
    return frame


def target_profile(bank: DemoBank, person_skills: pd.DataFrame) -> pd.DataFrame:
    """Skills the club must cover, some of them held by too few members today."""
    rng = bank.rng
    members = set(bank.members.person_id[bank.members.status == MembershipStatus.ACTIVE])
    held = person_skills[person_skills.person_id.isin(members)]
    skills = bank.skills
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
    chosen = rng.choice(len(skills), bank.tier.targets, replace=False, p=weight / weight.sum())
    priority = rng.choice(list(Priority), len(chosen), p=[0.35, 0.4, 0.25])
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
        Priority.MUST: (
            "Critical for the bank's technology roadmap",
            "Критично для технологической стратегии банка",
        ),
        Priority.SHOULD: (
            "Needed for talks and products next year",
            "Нужно для выступлений и продуктов в следующем году",
        ),
        Priority.COULD: (
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
            "rationale": [rationale[p][bank.li] for p in priority],
        }
    )
