"""The community charter: versioned markdown with mission, goals, rules and rituals."""

from __future__ import annotations

import pandas as pd

from lib.db import Database

DEFAULT_CHARTER = {
    "en": """# Ambassador club charter

## Mission
Ambassadors show the bank as a technology leader through their expertise and personal
brand, and are role models for colleagues in how they work and treat each other.

## Goals
- Represent the bank at external conferences and in the media.
- Share the wins of our teams and divisions inside the bank.
- Build new products together across divisions.
- Grow a community that runs itself, where being an ambassador is a status, not extra work.

## Why
- **The company** gains a visible expert voice and a pipeline of ideas.
- **Teams** get their work seen and learn from other divisions.
- **Members** build their personal brand, learn from peers and influence strategy.

## Who
Leaders and experts with unique skills who are ready to share them. The club grows in waves;
each wave closes the skills the bank needs most.

## How
Contribution is weighed against each member's professional workload: a busy executive with
two talks a quarter is as valued as anyone with more free time.

## Onboarding
1. Welcome meeting with a curator and a buddy from the club.
2. Fill in the expertise profile: skills, level, evidence.
3. Attend an onboarding day and one community session.
4. Agree on a first contribution within 60 days.

## Offboarding
1. An offboarding conversation with a curator: what worked, what did not.
2. Hand over open commitments and mentees.
3. Move to alumni status: alumni stay welcome at open events.

## Rituals
- Monthly meetup and quarterly generation session.
- Demo day twice a year; an annual offsite.
- Personal merch and public recognition for contributions.
""",
    "ru": """# Устав клуба амбассадоров

## Миссия
Амбассадоры показывают банк технологическим лидером через свою экспертизу и личный бренд
и становятся ролевыми моделями для коллег в работе и в отношениях.

## Цели
- Представлять банк на внешних конференциях и в СМИ.
- Делиться успехами команд и подразделений внутри банка.
- Вместе создавать новые продукты на стыке подразделений.
- Растить самоуправляемое сообщество, где амбассадорство — статус, а не дополнительная нагрузка.

## Зачем
- **Компании** — заметный экспертный голос и поток идей.
- **Командам** — видимость их работы и обмен опытом с другими блоками.
- **Участникам** — личный бренд, обучение у коллег и влияние на стратегию.

## Кто
Руководители и эксперты с уникальными навыками, готовые ими делиться. Клуб растёт волнами;
каждая волна закрывает навыки, которые банку нужнее всего.

## Как
Вклад оценивается с учётом профессиональной загрузки: занятой руководитель с двумя
докладами в квартал ценен не меньше коллеги, у которого больше свободного времени.

## Онбординг
1. Встреча-знакомство с куратором и бадди из клуба.
2. Заполнить профиль экспертизы: навыки, уровень, подтверждения.
3. Прийти на день онбординга и одну встречу клуба.
4. Договориться о первом вкладе в течение 60 дней.

## Офбординг
1. Беседа с куратором: что получилось, что нет.
2. Передать открытые обязательства и менти.
3. Перейти в статус выпускника: выпускники остаются желанными гостями открытых встреч.

## Ритуалы
- Ежемесячная встреча и ежеквартальная генерационная сессия.
- Демо-день дважды в год и ежегодная выездная встреча.
- Персональный мерч и публичное признание за вклад.
""",
}


def default_charter(lang: str = "en") -> str:
    return DEFAULT_CHARTER.get(lang, DEFAULT_CHARTER["en"])


def current_charter(db: Database) -> dict | None:
    """The latest saved version, or None when the club has no charter yet."""
    found = db.df(
        "SELECT version, body, author, saved_at FROM charter ORDER BY version DESC LIMIT 1"
    )
    return None if found.empty else found.iloc[0].to_dict()


def charter_versions(db: Database) -> pd.DataFrame:
    return db.df("SELECT version, author, saved_at FROM charter ORDER BY version DESC")
