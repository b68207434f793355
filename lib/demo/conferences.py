"""The demo bank's speaking calendar: a year of conferences behind the analysis day and half a
year ahead (a conference inside both gets two editions), with submissions in every status.

Draws from its own generator seeded from the bank's seed, so no other table changes. A
delivered talk is one of the members' existing `talk_external` activities around the
conference's days (the speaker, the skills and the link come from it); the others are drawn
for active members holding the skills the conference's topics name.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from lib.demo import conference_catalogue as cat
from lib.demo.bank import DemoBank
from lib.vocabulary import ActivityKind, MembershipStatus
from lib.vocabulary import SubmissionStatus as S

STREAM = 17  # this step's own random stream: (seed, STREAM)
HISTORY_DAYS = 365
AHEAD_DAYS = 200
DELIVERY_SLACK = 14
DATES = (
    "starts_on",
    "ends_on",
    "cfp_opens",
    "cfp_closes",
    "created_on",
    "submitted_on",
    "decided_on",
    "delivered_on",
)
# The statuses a submission can have in each phase of its conference, with their shares; the
# first submissions of a phase take each status in turn so every one of them appears.
PHASES = {
    "past": ((S.DELIVERED, S.REJECTED, S.WITHDRAWN, S.ACCEPTED), (0.55, 0.25, 0.1, 0.1)),
    "decided": ((S.SUBMITTED, S.ACCEPTED, S.REJECTED, S.WITHDRAWN), (0.3, 0.4, 0.2, 0.1)),
    "open": ((S.IDEA, S.DRAFT, S.REVIEW, S.SUBMITTED), (0.2, 0.3, 0.25, 0.25)),
    "early": ((S.IDEA, S.DRAFT), (0.6, 0.4)),
}


def editions(bank: DemoBank, rng: np.random.Generator) -> pd.DataFrame:
    """Every edition of the catalogue's conferences in the window, by date."""
    first, last = bank.as_of - timedelta(days=HISTORY_DAYS), bank.as_of + timedelta(days=AHEAD_DAYS)
    rows = []
    for key, en, ru, city_en, city_ru, month, day, days, audience, cost, topics in cat.CONFERENCES:
        for year in range(first.year, last.year + 1):
            starts = date(year, month, day)
            if not first <= starts <= last:
                continue
            closes = starts - timedelta(days=int(rng.integers(45, 76)))
            opens = closes - timedelta(days=int(rng.integers(60, 110)))
            rows.append(
                {
                    "key": key,
                    "name": f"{(en, ru)[bank.li]} {year}",
                    "city": (city_en, city_ru)[bank.li] or None,
                    "online": not city_en,
                    "starts_on": starts,
                    "ends_on": starts + timedelta(days=days - 1),
                    "audience": int(round(audience * rng.uniform(0.85, 1.15), -1)),
                    "topics": [cat.TOPICS_RU.get(t, t) if bank.li else t for t, _ in topics],
                    "topic_skills": [skill for _, skill in topics],
                    "cfp_opens": opens if rng.random() > 0.2 else None,
                    "cfp_closes": closes,
                    "url": f"https://{key}.example.org/{year}",
                    "cost": float(cost),
                }
            )
    frame = pd.DataFrame(rows).sort_values(["starts_on", "key"]).reset_index(drop=True)
    frame.insert(0, "conference_id", [f"CF{i + 1:03d}" for i in range(len(frame))])
    return frame


def _phase(conference, as_of: date) -> str:
    if conference.ends_on < as_of:
        return "past"
    if conference.cfp_closes < as_of:
        return "decided"
    if conference.cfp_opens is not None and conference.cfp_opens > as_of:
        return "early"
    return "open"


def submissions(
    bank: DemoBank, tables: dict[str, pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The conferences, submissions and submission_speakers tables."""
    rng = np.random.default_rng([bank.seed, STREAM])
    calendar = editions(bank, rng)
    names = dict(zip(bank.skills.skill_id, bank.skills.name, strict=True))
    by_english = dict(zip(bank.skills.name_en, bank.skills.skill_id, strict=True))
    claims = tables["person_skills"]
    active = set(bank.members.person_id[bank.members.status == MembershipStatus.ACTIVE])
    claims = claims[claims.person_id.isin(active)]
    talks = tables["activities"]
    talks = talks[talks.kind == ActivityKind.TALK_EXTERNAL]
    person_names = dict(zip(bank.people.person_id, bank.people.name, strict=True))
    used_talks: set[str] = set()
    turn = dict.fromkeys(PHASES, 0)
    subs, speakers = [], []
    for conference in calendar.itertuples(index=False):
        phase = _phase(conference, bank.as_of)
        topic_ids = [by_english[s] for s in conference.topic_skills if s in by_english]
        for _ in range(int(rng.integers(1, 4))):
            choices, shares = PHASES[phase]
            status = choices[turn[phase]] if turn[phase] < len(choices) else None
            status = status or choices[rng.choice(len(choices), p=shares)]
            turn[phase] += 1
            talk = None
            if status == S.DELIVERED:
                talk = _delivered_talk(conference, topic_ids, talks, used_talks, rng)
                status = S.DELIVERED if talk is not None else S.REJECTED
            who, skills = (
                ([talk.person_id], list(talk.skills))
                if talk is not None
                else _speakers(claims, topic_ids, active, rng)
            )
            submission_id = f"SUB{len(subs) + 1:04d}"
            subs.append(
                _submission(bank, rng, conference, submission_id, status, skills, names, talk)
            )
            reviewer = rng.choice(sorted(active - set(who)))
            subs[-1]["reviewer"] = person_names.get(reviewer) if status != S.IDEA else None
            speakers += [
                (submission_id, person, talk.activity_id if talk is not None else None)
                for person in who
            ]
    conferences = calendar.drop(columns=["key", "topic_skills"])
    submitted = pd.DataFrame(subs)
    for frame, columns in ((conferences, DATES[:4]), (submitted, DATES[4:])):
        for column in columns:
            frame[column] = pd.to_datetime(frame[column])
    return (
        conferences,
        submitted,
        pd.DataFrame(speakers, columns=["submission_id", "person_id", "activity_id"]),
    )


def _delivered_talk(conference, topic_ids: list[str], talks: pd.DataFrame, used: set[str], rng):
    """An unused external talk by a member around the conference's days — one on the
    conference's topics when there is one — or None."""
    first = np.datetime64(conference.starts_on - timedelta(days=DELIVERY_SLACK))
    last = np.datetime64(conference.ends_on + timedelta(days=DELIVERY_SLACK))
    days = talks.occurred_on.to_numpy().astype("datetime64[D]")
    near = talks[(days >= first) & (days <= last) & ~talks.activity_id.isin(used)]
    if near.empty:
        return None
    on_topic = near[near.skills.map(lambda skills: bool(set(skills) & set(topic_ids)))]
    near = on_topic if len(on_topic) else near
    talk = near.iloc[int(rng.integers(len(near)))]
    used.add(talk.activity_id)
    return talk


def _speakers(claims: pd.DataFrame, topic_ids: list[str], active: set[str], rng):
    """One speaker (two now and then) holding the topics' skills, by level; their skills."""
    held = claims[claims.skill_id.isin(topic_ids)]
    if held.empty:
        return [str(rng.choice(sorted(active)))], topic_ids[:1]
    people = held.groupby("person_id")["level"].max()
    weights = people.to_numpy(dtype=float) ** 2
    count = 2 if rng.random() < 0.2 and len(people) > 1 else 1
    who = list(rng.choice(people.index.to_numpy(), count, replace=False, p=weights / weights.sum()))
    skills = sorted(set(held[held.person_id.isin(who)].skill_id))[:2]
    return [str(p) for p in who], skills


def _submission(bank, rng, conference, submission_id, status, skills, names, talk) -> dict:
    """One submission's row with dates that fit its status and its conference."""
    as_of = bank.as_of
    opens = conference.cfp_opens or conference.cfp_closes - timedelta(days=90)
    created = min(opens + timedelta(days=int(rng.integers(0, 30))), as_of)
    late = min(conference.cfp_closes, as_of)
    submitted = None
    if status not in (S.IDEA, S.DRAFT, S.REVIEW):
        submitted = min(created + timedelta(days=int(rng.integers(5, 40))), late)
        submitted = max(submitted, created)
    decided = None
    if status in (S.ACCEPTED, S.REJECTED, S.DELIVERED):
        decided = min(conference.cfp_closes + timedelta(days=int(rng.integers(7, 30))), as_of)
    if status == S.WITHDRAWN and submitted is not None and rng.random() < 0.5:
        submitted = None
    main = names.get(skills[0], "") if skills else conference.topics[0]
    title = cat.TITLES[int(rng.integers(len(cat.TITLES)))][bank.li].format(skill=main)
    return {
        "submission_id": submission_id,
        "conference_id": conference.conference_id,
        "title": title,
        "abstract": cat.ABSTRACT[bank.li],
        "skills": list(skills),
        "status": str(status),
        "created_on": created,
        "submitted_on": submitted,
        "decided_on": decided,
        "delivered_on": talk.occurred_on if talk is not None else None,
    }
