"""The import API of SPEC.md §1: each import kind's table, key and fields with their types,
ranges, choices and references, and the spellings real exports use for those fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from lib.errors import Refusal
from lib.vocabulary import (
    ActivityKind,
    AttendanceRole,
    ClaimSource,
    EventKind,
    FindingTheme,
    MembershipStatus,
    Priority,
    RecognitionKind,
    SubmissionStatus,
    values,
)

STATUSES = values(MembershipStatus)


@dataclass(frozen=True)
class Field:
    """One importable column: its type, whether it is required, range, choices, reference."""

    name: str
    type: str = "text"
    required: bool = False
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    ref: str | None = None
    default: object = None
    labels: str | None = None


@dataclass(frozen=True)
class Kind:
    """An import kind: the table it fills, its key and its fields."""

    name: str
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    ordered: tuple[tuple[str, str], ...] = ()

    @property
    def table(self) -> str:
        return self.name

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required(self) -> list[str]:
        """Fields a file must map: the required ones and any key field without a default."""
        return [
            f.name for f in self.fields if (f.required or f.name in self.key) and f.default is None
        ]


def _kind(name: str, key: tuple[str, ...], *fields: Field, ordered=()) -> Kind:
    return Kind(name, key, fields, ordered)


F = Field
PERSON = F("person_id", "id", required=True, ref="people")
# The import API: one entry per kind — key, then every field with its type, range and rules.
# fmt: off
KINDS: dict[str, Kind] = {k.name: k for k in (
    _kind("people", ("person_id",),
          F("person_id", "id", required=True), F("name"), F("email", "email"),
          F("department"), F("team"), F("position"), F("grade"), F("location"),
          F("hired_on", "date"), F("manager_id", "id"), F("employed", "bool", default=True)),
    _kind("memberships", ("person_id",),
          PERSON, F("wave", "int", low=1, high=99),
          F("status", "choice", required=True, choices=STATUSES, labels="status"),
          F("joined_on", "date"), F("left_on", "date"), F("exit_reason", "long"),
          ordered=(("joined_on", "left_on"),)),
    _kind("membership_events", ("person_id", "changed_on", "to_status"),
          PERSON, F("changed_on", "date", required=True),
          F("from_status", "choice", choices=STATUSES, labels="status"),
          F("to_status", "choice", required=True, choices=STATUSES, labels="status"),
          F("note", "long")),
    _kind("skills", ("skill_id",),
          F("skill_id", "id", required=True), F("name", required=True), F("category"),
          F("description", "long"), F("aliases", "list"), F("external_uri", "uri")),
    _kind("person_skills", ("person_id", "skill_id", "source"),
          PERSON, F("skill_id", "skill", required=True),
          F("level", "int", required=True, low=1, high=5),
          F("source", "choice", choices=values(ClaimSource), default="self"),
          F("confirmed_on", "date"), F("evidence", "long")),
    _kind("activities", ("activity_id",),
          F("activity_id", "id", required=True), PERSON,
          F("occurred_on", "date", required=True),
          F("kind", "choice", required=True, choices=values(ActivityKind)), F("title"),
          F("audience", "int", low=0, high=10_000_000), F("hours", "float", low=0, high=1000),
          F("skills", "skills")),
    _kind("capacity", ("person_id", "month"),
          PERSON, F("month", "month", required=True),
          F("hours_available", "float", low=0, high=744), F("load_pct", "float", low=0, high=200)),
    _kind("events", ("event_id",),
          F("event_id", "id", required=True), F("date", "date", required=True),
          F("kind", "choice", required=True, choices=values(EventKind)), F("title"),
          F("budget", "float", low=0, high=1e12)),
    _kind("attendance", ("event_id", "person_id"),
          F("event_id", "id", required=True, ref="events"), PERSON,
          F("role", "choice", choices=values(AttendanceRole), default="attendee")),
    _kind("recognitions", ("person_id", "date", "kind"),
          PERSON, F("date", "date", required=True),
          F("kind", "choice", required=True, choices=values(RecognitionKind)), F("note", "long"),
          F("cost", "float", low=0, high=1e9)),
    _kind("interviews", ("interview_id",),
          F("interview_id", "id", required=True), F("person_id", "id", ref="people"),
          F("conducted_on", "date"), F("interviewer"), F("segment"),
          F("consent", "bool", default=False), F("summary", "long")),
    _kind("interview_findings", ("interview_id", "theme", "code"),
          F("interview_id", "id", required=True, ref="interviews"),
          F("theme", "choice", required=True, choices=values(FindingTheme)),
          F("code", "id", required=True),
          F("quote", "long"), F("sentiment", "float", low=-1, high=1), F("skills", "skills")),
    _kind("target_profile", ("skill_id",),
          F("skill_id", "skill", required=True),
          F("min_people", "int", low=1, high=10_000, default=1),
          F("min_level", "int", low=1, high=5, default=3),
          F("priority", "choice", choices=values(Priority), default="should"),
          F("rationale", "long")),
    _kind("conferences", ("conference_id",),
          F("conference_id", "id", required=True), F("name", required=True), F("city"),
          F("online", "bool", default=False), F("starts_on", "date"), F("ends_on", "date"),
          F("audience", "int", low=0, high=10_000_000), F("topics", "list"),
          F("cfp_opens", "date"), F("cfp_closes", "date"), F("url", "uri"),
          F("cost", "float", low=0, high=1e9),
          ordered=(("cfp_opens", "cfp_closes"), ("starts_on", "ends_on"))),
    _kind("submissions", ("submission_id",),
          F("submission_id", "id", required=True),
          F("conference_id", "id", required=True, ref="conferences"),
          F("title", required=True), F("abstract", "long"), F("skills", "skills"),
          F("status", "choice", choices=values(SubmissionStatus), default="idea",
            labels="conferences.status"),
          F("reviewer"), F("created_on", "date"), F("submitted_on", "date"),
          F("decided_on", "date"), F("delivered_on", "date")),
    _kind("submission_speakers", ("submission_id", "person_id"),
          F("submission_id", "id", required=True, ref="submissions"),
          F("person_id", "id", required=True, ref="memberships")),
)}
# fmt: on
REFERENCE_KEYS = {
    "people": "person_id",
    "events": "event_id",
    "interviews": "interview_id",
    "conferences": "conference_id",
    "submissions": "submission_id",
    "memberships": "person_id",
}

# Column names real exports use for our fields (English, Russian and HR-system spellings),
# separated by `|`; a synonym only counts for a kind that has the field.
SYNONYMS = {
    "person_id": (
        "employee id|employee number|employee no|personnel number|staff id|"
        "табельный номер|таб номер|таб. №|табельный|id сотрудника|код сотрудника|person"
    ),
    "name": (
        "full name|employee name|фио|ф.и.о.|имя|сотрудник|preferred label|preferredlabel|"
        "skill|skill name|навык|название навыка"
    ),
    "email": "e-mail|mail|email address|почта|электронная почта|e-mail адрес",
    "department": "dept|division|подразделение|департамент|дирекция|блок",
    "team": "команда|отдел|группа|unit",
    "position": "job title|должность|позиция",
    "grade": "грейд|разряд|band",
    "location": "city|office|город|офис|локация|местоположение",
    "hired_on": (
        "hire date|date of hire|start date|дата приема|дата приёма|дата найма|"
        "дата приема на работу|дата трудоустройства"
    ),
    "manager_id": (
        "manager|line manager|руководитель|табельный номер руководителя|"
        "таб номер руководителя|id руководителя"
    ),
    "employed": "active|is active|работает|действующий сотрудник",
    "wave": "волна",
    "status": "статус",
    "joined_on": "joined|join date|дата вступления|дата входа",
    "left_on": "left|leave date|дата выхода",
    "exit_reason": "reason|причина выхода|причина",
    "changed_on": "date|дата|дата изменения",
    "from_status": "previous status|old status|из статуса|прежний статус",
    "to_status": "new status|в статус|новый статус",
    "note": "comment|комментарий|примечание",
    "skill_id": "skill code|skill id|код навыка",
    "person_skills.skill_id": "skill|skill name|навык|название навыка",
    "target_profile.skill_id": "skill|skill name|навык|название навыка",
    "category": "group|skill group|skill type|категория|группа навыков",
    "description": "описание",
    "aliases": "synonyms|alt labels|altlabels|alternative labels|синонимы|алиасы|другие названия",
    "external_uri": "uri|concept uri|concepturi|url|link|ссылка",
    "level": "уровень|proficiency",
    "source": "источник",
    "confirmed_on": "confirmed|дата подтверждения",
    "evidence": "подтверждение|доказательство",
    "occurred_on": "date|дата|дата активности",
    "kind": "type|тип|вид",
    "title": "название|тема выступления|заголовок",
    "audience": "аудитория|охват|слушатели",
    "hours": "часы|трудозатраты",
    "skills": "навыки|skill ids",
    "month": "месяц|period|период",
    "hours_available": "available hours|доступно часов|свободные часы",
    "load_pct": "load|workload|загрузка|загрузка %",
    "event_id": "event|мероприятие|id мероприятия",
    "date": "дата",
    "budget": "бюджет",
    "role": "роль",
    "cost": "стоимость|сумма",
    "interview_id": "interview|интервью|id интервью",
    "conducted_on": "date|дата|дата интервью",
    "interviewer": "интервьюер",
    "segment": "сегмент",
    "consent": "согласие",
    "summary": "резюме|итог",
    "theme": "тема",
    "code": "код",
    "quote": "цитата",
    "sentiment": "тональность",
    "min_people": "minimum people|required people|минимум людей",
    "min_level": "target level|минимальный уровень|целевой уровень",
    "priority": "приоритет",
    "rationale": "why|обоснование|почему",
    "conference_id": "conference|конференция|id конференции|uid",
    "city": "город|location|место проведения",
    "online": "онлайн|virtual|remote",
    "starts_on": "start|start date|date|dtstart|дата начала|начало|дата",
    "ends_on": "end|end date|dtend|дата окончания|окончание",
    "topics": "темы|треки|tracks|themes|categories",
    "cfp_opens": "cfp open|cfp opens|call opens|приём заявок с|начало приёма докладов",
    "cfp_closes": "cfp deadline|deadline|cfp closes|дедлайн|приём заявок до",
    "url": "link|website|site|сайт|ссылка",
    "submission_id": "submission|заявка|id заявки",
    "abstract": "аннотация|description|описание",
    "reviewer": "рецензент|ревьюер",
    "submitted_on": "submitted|дата подачи",
    "decided_on": "decision date|дата решения",
    "delivered_on": "delivered|дата выступления",
}
ID_HEADERS = ("id", "code", "код", "идентификатор")


def synonyms(kind: str, field: str) -> list[str]:
    """Spellings of a field: those of this kind's field first, then the shared ones."""
    found = [SYNONYMS.get(f"{kind}.{field}", ""), SYNONYMS.get(field, "")]
    return [s for s in "|".join(found).split("|") if s]


def kind_for(name: str) -> Kind:
    """The import kind of that name, or a refusal listing the kinds."""
    if name not in KINDS:
        raise Refusal("data.err_unknown_kind", kind=name, kinds=", ".join(KINDS))
    return KINDS[name]


def header_key(text: str) -> str:
    """A header or label reduced to lower-case letters and digits, for matching spellings."""
    return re.sub(r"[\W_]+", "", str(text).casefold().replace("ё", "е"))


def plain_number(number: float | None) -> str:
    """A range bound as people read it: thousands spaced, no needless decimals, ∞ if open."""
    if number is None:
        return "∞"
    return f"{number:,.0f}".replace(",", " ") if float(number).is_integer() else str(number)


def field_guide(kind: str) -> pd.DataFrame:
    """The fields of a kind for people choosing a mapping: type, required, range, choices."""
    spec = kind_for(kind)
    rows = []
    for f in spec.fields:
        span = "" if f.low is None else f"{plain_number(f.low)}–{plain_number(f.high)}"
        rows.append(
            {
                "field": f.name,
                "type": f.type,
                "required": f.name in spec.required,
                "key": f.name in spec.key,
                "range": span or ", ".join(f.choices),
                "default": "" if f.default is None else str(f.default),
            }
        )
    return pd.DataFrame(rows)
