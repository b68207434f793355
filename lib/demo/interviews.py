"""The demo bank's in-depth interviews: mostly founding-wave members in early 2023, the rest in
the last months, each coded with findings whose frequency depends on the member's segment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.demo import catalogue as cat
from lib.demo import findings_catalogue as fc
from lib.demo.bank import DemoBank
from lib.vocabulary import FindingTheme as Theme

RESEARCH_START = np.datetime64("2023-01-16")
# Motivations, values and ideas often name the expertise the member is proud of.
NAMING_SKILLS = (Theme.MOTIVATION, Theme.VALUE, Theme.IDEA)
INTERVIEW_COLUMNS = [
    "interview_id",
    "person_id",
    "conducted_on",
    "interviewer",
    "segment",
    "consent",
    "summary",
]
FINDING_COLUMNS = ["interview_id", "theme", "code", "quote", "sentiment", "skills"]


def interviews(
    bank: DemoBank, member_skills: dict[str, list[str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The interviews and their coded findings."""
    rng = bank.rng
    picks, founding = _interviewees(bank)
    pos = {p: i for i, p in enumerate(bank.ids)}
    seg_of_grade = {g: s for s, grades in fc.SEGMENTS for g in grades}
    segment_order = [s for s, _ in fc.SEGMENTS]
    rows, findings = [], []
    for i, pid in enumerate(picks):
        segment = seg_of_grade[cat.GRADES[bank.grade[pos[pid]]][0]]
        if i < founding:
            when = RESEARCH_START + np.timedelta64(int(rng.integers(0, 130)), "D")
        else:
            when = np.datetime64(bank.as_of) - np.timedelta64(int(rng.integers(10, 200)), "D")
        iid = f"INT{i + 1:04d}"
        codes = _codes(bank, segment_order.index(segment))
        findings += _coded(bank, iid, codes, member_skills.get(pid) or [])
        main_code = codes[0][1].replace("_", " ")
        summary = (
            f"{len(codes)} findings; main theme: {main_code}"
            if bank.li == 0
            else f"Выводов: {len(codes)}; главная тема: {main_code}"
        )
        consent = bool(rng.random() < 0.9)
        rows.append((iid, pid, when, fc.INTERVIEWERS[i % 3], segment, consent, summary))
    return (
        pd.DataFrame(rows, columns=INTERVIEW_COLUMNS),
        pd.DataFrame(findings, columns=FINDING_COLUMNS),
    )


def _interviewees(bank: DemoBank) -> tuple[list[str], int]:
    """Who was interviewed: three quarters from the founding wave, first; and how many."""
    rng, m = bank.rng, bank.members
    n = min(bank.tier.interviews, len(m))
    wave1 = m[m.wave == 1]
    founding = min(len(wave1), int(n * 0.75))
    picks = list(rng.choice(wave1.person_id.to_numpy(), founding, replace=False))
    rest = m[~m.person_id.isin(picks)].person_id.to_numpy()
    picks += list(rng.choice(rest, n - founding, replace=False))
    return picks, founding


def _codes(bank: DemoBank, segment: int) -> list[tuple[str, str, str, float]]:
    """(theme, code, quote, sentiment) found in one interview; at least the main barrier."""
    codes = []
    for theme, entries in fc.FINDINGS.items():
        for code, q_en, q_ru, sentiment, by_seg in entries:
            if bank.rng.random() < by_seg[segment] * 0.8:
                codes.append((theme, code, (q_en, q_ru)[bank.li], sentiment))
    if not codes:
        first = fc.FINDINGS[Theme.BARRIER][0]
        codes.append((Theme.BARRIER, first[0], first[1 + bank.li], first[3]))
    return codes


def _coded(
    bank: DemoBank, iid: str, codes: list[tuple[str, str, str, float]], held: list[str]
) -> list[tuple]:
    """Finding rows of one interview: sentiment varied a little, sometimes a named skill."""
    rng = bank.rng
    rows = []
    for theme, code, quote, sentiment in codes:
        mentions = None
        if held and theme in NAMING_SKILLS and rng.random() < 0.5:
            mentions = [held[int(rng.integers(0, len(held)))]]
        shade = round(float(np.clip(sentiment + rng.normal(0, 0.15), -1, 1)), 2)
        rows.append((iid, theme, code, quote, shade, mentions))
    return rows
