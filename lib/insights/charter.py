"""The community charter: versioned markdown with mission, goals, rules and rituals.

Every save is a new version with its author and time; the text is rendered as markdown
with raw HTML neutralised, so whatever a curator types shows as text.
"""

from __future__ import annotations

import difflib
import html
import re

import pandas as pd

from lib import access
from lib.access import Viewer
from lib.errors import Refusal
from lib.store.db import Database

MAX_CHARTER_CHARS = 50_000
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_LINK_TARGET = re.compile(r"(\]\(\s*<?)([^)\s>]*)")
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")

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
    """The starting charter in `lang` (English when there is none in that language)."""
    return DEFAULT_CHARTER.get(lang, DEFAULT_CHARTER["en"])


def current_charter(db: Database) -> dict | None:
    """The latest saved version, or None when the club has no charter yet."""
    found = db.df(
        "SELECT version, body, author, saved_at FROM charter ORDER BY version DESC LIMIT 1"
    )
    return None if found.empty else found.iloc[0].to_dict()


def charter_versions(db: Database) -> pd.DataFrame:
    """Every saved version, newest first, without the text."""
    return db.df("SELECT version, author, saved_at FROM charter ORDER BY version DESC")


def charter_version(db: Database, version: int) -> dict:
    """One saved version: version, body, author, saved_at."""
    found = db.df(
        "SELECT version, body, author, saved_at FROM charter WHERE version = ?", [int(version)]
    )
    if found.empty:
        raise Refusal("charter.err_no_version", version=str(version))
    return found.iloc[0].to_dict()


def save_charter(db: Database, viewer: Viewer, body: str) -> int:
    """Save a new version of the charter (curators and admins); returns its number."""
    access.require(viewer, "edit_charter")
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise Refusal("charter.err_empty")
    if len(text) > MAX_CHARTER_CHARS:
        raise Refusal("charter.err_too_long", limit=MAX_CHARTER_CHARS)
    current = current_charter(db)
    if current is not None and current["body"] == text:
        raise Refusal("charter.err_unchanged")
    with db.transaction() as cur:
        version = cur.execute(
            "INSERT INTO charter (body, author) VALUES (?, ?) RETURNING version",
            [text, viewer.actor],
        ).fetchone()[0]
        db.audit(
            "charter_save",
            actor=viewer.actor,
            kind="charter",
            detail=f"version {version}",
            inserted=1,
            cur=cur,
        )
    return int(version)


def safe_markdown(body: str) -> str:
    """Markdown with raw HTML neutralised: every `<` outside code is escaped so tags show
    as text, and links to script or data URLs lose their target."""
    lines, fence = [], None
    for line in (body or "").splitlines(keepends=True):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            lines.append(line)
        elif opening:
            fence = opening.group(1)
            lines.append(line)
        else:
            lines.append(_safe_inline(line))
    return "".join(lines)


def _safe_inline(line: str) -> str:
    """Escape `<` and defuse script links outside inline code spans of one line."""
    parts, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        parts.append(_defuse(line[last : span.start()]))
        parts.append(span.group(0))
        last = span.end()
    parts.append(_defuse(line[last:]))
    return "".join(parts)


def _defuse(text: str) -> str:
    return _LINK_TARGET.sub(_safe_target, text).replace("<", "&lt;")


def _safe_target(link: re.Match) -> str:
    """A link target, or '#' when it decodes to a script or data URL."""
    target = re.sub(r"[\s\x00-\x1f]", "", html.unescape(link.group(2))).lower()
    return link.group(1) + ("#" if target.startswith(_UNSAFE_SCHEMES) else link.group(2))


def charter_diff(older: dict, newer: dict) -> str:
    """A unified diff between two versions (dicts with version and body)."""
    return "".join(
        difflib.unified_diff(
            str(older["body"]).splitlines(keepends=True),
            str(newer["body"]).splitlines(keepends=True),
            fromfile=f"v{older['version']}",
            tofile=f"v{newer['version']}",
        )
    )
