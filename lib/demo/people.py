"""The demo bank's employee pool: who works where, at which grade, under which manager."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from lib.demo import catalogue as cat
from lib.demo.bank import DemoBank


def people(bank: DemoBank) -> pd.DataFrame:
    """The employee pool: departments, grades and locations by their shares, names in the
    bank's language, hire dates, positions and managers; everyone employed today."""
    n, rng, li = bank.tier.employees, bank.rng, bank.li
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
    hired_days = rng.integers(0, (bank.as_of - date(2005, 1, 1)).days - 60, n)
    hired = np.datetime64("2005-01-01") + hired_days.astype("timedelta64[D]")
    ids = np.array([f"E{i + 1:06d}" for i in range(n)])
    positions = [_position(bank, dept[i], grade[i], team[i]) for i in range(n)]
    manager = _managers(bank, dept, grade, ids)
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
    bank.dept, bank.grade, bank.ids = dept, grade, ids
    bank.people = frame
    return frame


def _position(bank: DemoBank, d: int, g: int, team: int) -> str:
    noun = cat.ROLE_NOUNS[cat.DEPARTMENTS[d][0]][bank.li]
    dept = cat.DEPARTMENTS[d][1 + bank.li]
    team_name = cat.TEAMS[team][bank.li]
    if bank.li == 0:
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


def _managers(bank: DemoBank, dept: np.ndarray, grade: np.ndarray, ids: np.ndarray) -> list:
    """A manager of grade 3 or higher from each employee's department; bosses have none."""
    manager = np.full(len(ids), None, dtype=object)
    for d in range(len(cat.DEPARTMENTS)):
        in_dept = np.flatnonzero(dept == d)
        bosses = in_dept[grade[in_dept] >= 3]
        if len(bosses) == 0:
            continue
        picks = bosses[bank.rng.integers(0, len(bosses), len(in_dept))]
        manager[in_dept] = ids[picks]
        manager[bosses] = None
    return list(manager)
