"""Data in: read → map columns → validate every row → stage → upsert in one transaction.

Each import kind is one entry of KINDS: its fields, key, types, ranges and references — the
import API of SPEC.md §1. Validation collects every problem (row as in the file, column, value,
reason) before anything is written. Modes: `dry-run` (report only), `strict` (any problem →
nothing written) and `skip-bad` (good rows written, bad rows returned with a reason). Rows are
upserted by key, so importing the same file twice changes nothing; each write is one
transaction with its audit_log row.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from lib import access, i18n
from lib.i18n import t
from lib.io.fileread import RawTable, check_size, read_table
from lib.store.db import Database

MODES = ("dry-run", "strict", "skip-bad")
# fmt: off
STATUSES = ("candidate", "onboarding", "active", "paused", "alumni")
SOURCES = ("self", "interview", "activity", "curator", "peer")
ACTIVITY_KINDS = ("talk_external", "talk_internal", "article", "mentoring", "product_launch",
                  "event_hosting", "onboarding_buddy", "community_session", "media")
EVENT_KINDS = ("meetup", "generation_session", "demo_day", "onboarding_day", "offsite",
               "conference")
ATTENDANCE_ROLES = ("attendee", "speaker", "organiser")
RECOGNITION_KINDS = ("merch", "award", "thanks", "sponsored_conference")
THEMES = ("barrier", "need", "motivation", "idea", "value")
PRIORITIES = ("must", "should", "could")
# fmt: on

# Longest accepted cell per type; anything longer is a problem, not silently cut.
MAX_LENGTH = {"id": 64, "text": 500, "email": 254, "uri": 500, "long": 8000, "list": 8000}
LIST_SPLIT = re.compile(r"\s*(?:\r\n|\n|\r|;|\|)\s*")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAK = re.compile(r"[\r\n\t]")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URI = re.compile(r"^(?:https?://|urn:)\S+$", re.IGNORECASE)
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t", "да", "д", "истина", "x", "+"})
MAX_SUGGESTIONS = 300
FALSE_WORDS = frozenset({"0", "false", "no", "n", "f", "нет", "н", "ложь", "-"})


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
          F("source", "choice", choices=SOURCES, default="self"),
          F("confirmed_on", "date"), F("evidence", "long")),
    _kind("activities", ("activity_id",),
          F("activity_id", "id", required=True), PERSON,
          F("occurred_on", "date", required=True),
          F("kind", "choice", required=True, choices=ACTIVITY_KINDS), F("title"),
          F("audience", "int", low=0, high=10_000_000), F("hours", "float", low=0, high=1000),
          F("skills", "skills")),
    _kind("capacity", ("person_id", "month"),
          PERSON, F("month", "month", required=True),
          F("hours_available", "float", low=0, high=744), F("load_pct", "float", low=0, high=200)),
    _kind("events", ("event_id",),
          F("event_id", "id", required=True), F("date", "date", required=True),
          F("kind", "choice", required=True, choices=EVENT_KINDS), F("title"),
          F("budget", "float", low=0, high=1e12)),
    _kind("attendance", ("event_id", "person_id"),
          F("event_id", "id", required=True, ref="events"), PERSON,
          F("role", "choice", choices=ATTENDANCE_ROLES, default="attendee")),
    _kind("recognitions", ("person_id", "date", "kind"),
          PERSON, F("date", "date", required=True),
          F("kind", "choice", required=True, choices=RECOGNITION_KINDS), F("note", "long"),
          F("cost", "float", low=0, high=1e9)),
    _kind("interviews", ("interview_id",),
          F("interview_id", "id", required=True), F("person_id", "id", ref="people"),
          F("conducted_on", "date"), F("interviewer"), F("segment"),
          F("consent", "bool", default=False), F("summary", "long")),
    _kind("interview_findings", ("interview_id", "theme", "code"),
          F("interview_id", "id", required=True, ref="interviews"),
          F("theme", "choice", required=True, choices=THEMES), F("code", "id", required=True),
          F("quote", "long"), F("sentiment", "float", low=-1, high=1), F("skills", "skills")),
    _kind("target_profile", ("skill_id",),
          F("skill_id", "skill", required=True),
          F("min_people", "int", low=1, high=10_000, default=1),
          F("min_level", "int", low=1, high=5, default=3),
          F("priority", "choice", choices=PRIORITIES, default="should"), F("rationale", "long")),
)}
# fmt: on
REFERENCE_KEYS = {"people": "person_id", "events": "event_id", "interviews": "interview_id"}

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
}
ID_HEADERS = ("id", "code", "код", "идентификатор")


def synonyms(kind: str, field: str) -> list[str]:
    """Spellings of a field: those of this kind's field first, then the shared ones."""
    found = [SYNONYMS.get(f"{kind}.{field}", ""), SYNONYMS.get(field, "")]
    return [s for s in "|".join(found).split("|") if s]


def kind_for(name: str, lang: str = "en") -> Kind:
    if name not in KINDS:
        raise ValueError(t("data.err_unknown_kind", lang, kind=name, kinds=", ".join(KINDS)))
    return KINDS[name]


# -- column mapping ----------------------------------------------------------------------
def header_key(text: str) -> str:
    """A header reduced to lower-case letters and digits, for matching spellings."""
    return re.sub(r"[\W_]+", "", str(text).casefold().replace("ё", "е"))


def guess_field(kind: Kind, column: str, taken: set[str]) -> str | None:
    """The field a source column most likely holds: its name, a synonym, or a close match."""
    key = header_key(column)
    free = [name for name in kind.names if name not in taken]
    for name in free:
        if key == header_key(name):
            return name
    for name in free:
        if key in {header_key(s) for s in synonyms(kind.name, name)}:
            return name
    if key in {header_key(h) for h in ID_HEADERS} and kind.key[0] in free:
        return kind.key[0]
    spellings = {header_key(s): name for name in free for s in (name, *synonyms(kind.name, name))}
    match = process.extractOne(key, list(spellings), scorer=fuzz.ratio, score_cutoff=88)
    return spellings[match[0]] if match else None


def propose_mapping(
    kind: Kind,
    columns: list[str],
    *,
    explicit: dict[str, str | None] | None = None,
    remembered: dict[str, str] | None = None,
    lang: str = "en",
) -> dict[str, str | None]:
    """Source column → field (None = ignored): explicit choices first, then the user's last
    mapping for this kind, then guesses from the column names."""
    explicit = dict(explicit or {})
    for column, target in explicit.items():
        if column not in columns:
            raise ValueError(
                t("data.err_map_column", lang, column=column, columns=", ".join(columns))
            )
        if target is not None and target not in kind.names:
            raise ValueError(
                t(
                    "data.err_map_field",
                    lang,
                    field=target,
                    kind=kind.name,
                    fields=", ".join(kind.names),
                )
            )
    mapping: dict[str, str | None] = {c: explicit[c] for c in columns if c in explicit}
    taken = {f for f in mapping.values() if f}
    for column, target in (remembered or {}).items():
        usable = column in columns and column not in mapping and target in kind.names
        if usable and target not in taken:
            mapping[column] = target
            taken.add(target)
    for column in columns:
        if column not in mapping:
            mapping[column] = guess_field(kind, column, taken)
            if mapping[column]:
                taken.add(mapping[column])
    return {c: mapping[c] for c in columns}


def parse_map_option(text: str | list[str] | None) -> dict[str, str | None]:
    """`"EmployeeNumber=person_id,Department=department"` → mapping; `=ignore` drops a column."""
    parts = text if isinstance(text, list) else [text or ""]
    mapping: dict[str, str | None] = {}
    for part in parts:
        for item in (p for p in part.split(",") if p.strip()):
            if "=" not in item:
                raise ValueError(t("data.err_map_syntax", "en", item=item.strip()))
            source, target = item.rsplit("=", 1)
            target = target.strip()
            mapping[source.strip()] = None if target.lower() in {"", "ignore", "-"} else target
    return mapping


def check_mapping(kind: Kind, raw: RawTable, mapping: dict[str, str | None], lang: str) -> None:
    """Every required field mapped once; a lone column hints at the wrong delimiter."""
    targets = [f for f in mapping.values() if f]
    repeated = sorted({f for f in targets if targets.count(f) > 1})
    if repeated:
        raise ValueError(t("data.err_map_twice", lang, fields=", ".join(repeated)))
    missing = [f for f in kind.required if f not in targets]
    if not missing:
        return
    if len(raw.columns) == 1:
        raise ValueError(t("data.err_one_column", lang, column=raw.columns[0][:80]))
    raise ValueError(
        t(
            "data.err_missing_columns",
            lang,
            fields=", ".join(missing),
            columns=", ".join(raw.columns),
        )
    )


def remembered_mapping(db: Database, kind: str, actor: str) -> dict[str, str]:
    """The mapping this user last imported this kind with."""
    found = db.scalar(
        "SELECT mapping FROM import_mappings WHERE kind = ? AND actor = ?", [kind, actor]
    )
    return json.loads(found) if found else {}


# -- validation ----------------------------------------------------------------------------
Problems = dict[int, str]


@dataclass
class Context:
    """What validation looks things up in: existing keys and the skill taxonomy."""

    db: Database
    lang: str
    refs: dict[str, set[str]] = field(default_factory=dict)
    skills: SkillIndex | None = None

    def known(self, table: str) -> set[str]:
        if table not in self.refs:
            column = REFERENCE_KEYS[table]
            self.refs[table] = {r[0] for r in self.db.rows(f"SELECT {column} FROM {table}")}
        return self.refs[table]

    def skill_index(self) -> SkillIndex:
        if self.skills is None:
            self.skills = SkillIndex(self.db)
        return self.skills


class SkillIndex:
    """Skills by id, name and alias (case-insensitive), with a typo-tolerant suggestion."""

    def __init__(self, db: Database):
        self.by_id: dict[str, str] = {}
        self.by_name: dict[str, set[str]] = {}
        self.by_alias: dict[str, set[str]] = {}
        self.labels: dict[str, str] = {}
        for skill_id, name, aliases in db.rows("SELECT skill_id, name, aliases FROM skills"):
            self.by_id[skill_id.casefold()] = skill_id
            self.by_name.setdefault(name.casefold(), set()).add(skill_id)
            self.labels.setdefault(name, skill_id)
            for alias in aliases or []:
                self.by_alias.setdefault(alias.casefold(), set()).add(skill_id)
                self.labels.setdefault(alias, skill_id)
        self._choices = list(self.labels)
        self._suggested = 0

    def resolve(self, value: str, lang: str) -> tuple[str | None, str | None]:
        """(skill_id, None) when the value names one skill, else (None, the reason)."""
        folded = value.casefold()
        if folded in self.by_id:
            return self.by_id[folded], None
        found = self.by_name.get(folded) or self.by_alias.get(folded)
        if found and len(found) == 1:
            return next(iter(found)), None
        if found:
            return None, t("data.problem_ambiguous_skill", lang, ids=", ".join(sorted(found)))
        return None, t("data.problem_unknown_skill", lang) + self.suggestion(value, lang)

    def suggestion(self, value: str, lang: str) -> str:
        """' Did you mean …?' for the first few hundred unknown names (a file full of junk
        must not cost a fuzzy search per row)."""
        if self._suggested >= MAX_SUGGESTIONS:
            return ""
        self._suggested += 1
        match = process.extractOne(value, self._choices, scorer=fuzz.WRatio, score_cutoff=80)
        if not match:
            return ""
        label = match[0]
        return " " + t("data.did_you_mean", lang, suggestion=f"{label} ({self.labels[label]})")


def _where(mask: pd.Series | np.ndarray, reason: str) -> Problems:
    return dict.fromkeys(np.flatnonzero(np.asarray(mask)).tolist(), reason)


def _check_text(field: Field, cells: pd.Series, ctx: Context) -> tuple[pd.Series, Problems]:
    limit = MAX_LENGTH.get(field.type, MAX_LENGTH["text"])
    lengths = cells.str.len()
    problems: Problems = {}
    for pos in np.flatnonzero((lengths > limit).to_numpy()).tolist():
        problems[pos] = t("data.problem_too_long", ctx.lang, limit=limit, length=lengths.iat[pos])
    bad_chars = cells.str.contains(CONTROL)
    if field.type == "id":
        bad_chars |= cells.str.contains(LINE_BREAK)
    problems.update(_where(bad_chars, t("data.problem_control", ctx.lang)))
    if field.type == "email":
        problems.update(_where(~cells.str.match(EMAIL), t("data.problem_not_email", ctx.lang)))
    if field.type == "uri":
        problems.update(_where(~cells.str.match(URI), t("data.problem_not_uri", ctx.lang)))
    return cells.astype(object), problems


def parse_numbers(cells: pd.Series, percent: bool = False) -> pd.Series:
    """Numbers written the way people write them: spaces between thousands, decimal comma."""
    text = cells.str.replace(r"[\s\u00a0\u202f']", "", regex=True)
    if percent:
        text = text.str.removesuffix("%")
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    comma_last = text.str.rfind(",") > text.str.rfind(".")
    text = text.where(~both, text.where(comma_last, text.str.replace(",", "", regex=False)))
    text = text.where(~(both & comma_last), text.str.replace(".", "", regex=False))
    text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


def _check_number(field: Field, cells: pd.Series, ctx: Context) -> tuple[pd.Series, Problems]:
    numbers = parse_numbers(cells, percent=field.type == "float")
    finite = np.isfinite(numbers.to_numpy(dtype=float, na_value=np.nan))
    if field.type == "int":
        whole = finite & (np.mod(numbers.fillna(0.5).to_numpy(dtype=float), 1) == 0)
        problems = _where(~whole, t("data.problem_not_integer", ctx.lang))
    else:
        problems = _where(~finite, t("data.problem_not_number", ctx.lang))
    low = -np.inf if field.low is None else field.low
    high = np.inf if field.high is None else field.high
    outside = finite & ((numbers < low) | (numbers > high)).to_numpy(dtype=bool, na_value=False)
    reason = t("data.problem_range", ctx.lang, low=_plain(field.low), high=_plain(field.high))
    for pos in np.flatnonzero(outside).tolist():
        problems.setdefault(pos, reason)
    values = numbers.where(finite)
    typed = values.round().astype("Int64") if field.type == "int" else values.astype("Float64")
    return typed, problems


def _plain(number: float | None) -> str:
    if number is None:
        return "∞"
    return f"{number:,.0f}".replace(",", " ") if float(number).is_integer() else str(number)


def parse_dates(cells: pd.Series) -> pd.Series:
    """ISO dates (optionally with a time) and dd.mm.yyyy; anything else is NaT."""
    iso = cells.where(cells.str.match(r"^\d{4}-\d{2}-\d{2}(?:[ T][\d:.]+)?$"))
    dotted = cells.where(cells.str.match(r"^\d{1,2}\.\d{1,2}\.\d{4}$"))
    parsed = pd.to_datetime(iso.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    parsed = parsed.fillna(pd.to_datetime(dotted, format="%d.%m.%Y", errors="coerce"))
    return parsed.where((parsed.dt.year >= 1900) & (parsed.dt.year <= 2100))


def _check_date(field: Field, cells: pd.Series, ctx: Context) -> tuple[pd.Series, Problems]:
    if field.type == "month":
        short = cells.str.replace(r"^(\d{4})-(\d{1,2})$", r"\1-\2-01", regex=True)
        short = short.str.replace(r"^(\d{1,2})\.(\d{4})$", r"01.\1.\2", regex=True)
        short = short.str.replace(r"^(\d{4}-)(\d)(-01)$", r"\g<1>0\2\3", regex=True)
        parsed = parse_dates(short)
        parsed = parsed.dt.to_period("M").dt.to_timestamp()
        reason = t("data.problem_not_month", ctx.lang)
    else:
        parsed = parse_dates(cells)
        reason = t("data.problem_not_date", ctx.lang)
    return parsed, _where(parsed.isna(), reason)


def _check_bool(field: Field, cells: pd.Series, ctx: Context) -> tuple[pd.Series, Problems]:
    folded = cells.str.casefold()
    values = pd.Series(pd.NA, index=cells.index, dtype="boolean")
    values[folded.isin(TRUE_WORDS)] = True
    values[folded.isin(FALSE_WORDS)] = False
    return values, _where(values.isna(), t("data.problem_not_bool", ctx.lang))


def choice_labels(field: Field) -> dict[str, str]:
    """Spellings of each choice: the code itself and its label in every language."""
    spellings = {header_key(c): c for c in field.choices}
    if field.labels:
        for lang in i18n.LANGUAGES:
            catalogue = i18n.catalogue(lang)
            for choice in field.choices:
                label = catalogue.get(f"{field.labels}.{choice}")
                if label:
                    spellings.setdefault(header_key(label), choice)
    return spellings


def _check_choice(field: Field, cells: pd.Series, ctx: Context) -> tuple[pd.Series, Problems]:
    spellings = choice_labels(field)
    values = cells.map({c: spellings.get(header_key(c)) for c in cells.unique()})
    reasons: dict[str, str] = {}
    problems: Problems = {}
    for pos in np.flatnonzero(values.isna().to_numpy()).tolist():
        cell = cells.iat[pos]
        if cell not in reasons:
            reasons[cell] = t("data.problem_not_choice", ctx.lang, choices=", ".join(field.choices))
            match = process.extractOne(cell, field.choices, score_cutoff=70)
            if match:
                reasons[cell] += " " + t("data.did_you_mean", ctx.lang, suggestion=match[0])
        problems[pos] = reasons[cell]
    return values.astype(object), problems


def split_list(cell: str) -> list[str]:
    """A list cell: items separated by new lines, `;` or `|`, blanks and repeats dropped."""
    return list(dict.fromkeys(p for p in LIST_SPLIT.split(cell.strip()) if p))


def _check_list(field: Field, cells: pd.Series, ctx: Context) -> tuple[pd.Series, Problems]:
    _, problems = _check_text(field, cells, ctx)
    return cells.map(split_list).astype(object), problems


def _check_skill(field: Field, cells: pd.Series, ctx: Context) -> tuple[pd.Series, Problems]:
    index = ctx.skill_index()
    resolved: dict[str, tuple[str | None, str | None]] = {}
    values, problems = [], {}
    many = field.type == "skills"
    for pos, cell in enumerate(cells.tolist()):
        if not cell:
            values.append(None)
            continue
        names = split_list(cell) if many else [cell]
        ids, reasons = [], []
        for name in names:
            if name not in resolved:
                resolved[name] = index.resolve(name, ctx.lang)
            skill_id, reason = resolved[name]
            if skill_id:
                ids.append(skill_id)
            else:
                reasons.append(f"{name}: {reason}" if many else reason)
        if reasons:
            problems[pos] = "; ".join(reasons)
        values.append(list(dict.fromkeys(ids)) if many else (ids[0] if ids else None))
    return pd.Series(values, index=cells.index, dtype=object), problems


CHECKS = {
    "id": _check_text,
    "text": _check_text,
    "long": _check_text,
    "email": _check_text,
    "uri": _check_text,
    "int": _check_number,
    "float": _check_number,
    "date": _check_date,
    "month": _check_date,
    "bool": _check_bool,
    "choice": _check_choice,
    "list": _check_list,
    "skill": _check_skill,
    "skills": _check_skill,
}


@dataclass
class Validated:
    """Parsed values of every mapped field, and every problem found, by row position."""

    values: pd.DataFrame
    problems: list[tuple[int, str, str, str]]

    @property
    def bad_positions(self) -> set[int]:
        return {p[0] for p in self.problems}


def validate(
    db: Database, kind: Kind, raw: RawTable, mapping: dict[str, str | None], lang: str = "en"
) -> Validated:
    """Check every row of the file against the kind; collect all problems."""
    ctx = Context(db, lang)
    source = {f: c for c, f in mapping.items() if f}
    values: dict[str, pd.Series] = {}
    problems: list[tuple[int, str, str, str]] = []

    def flag(found: Problems, column: str) -> None:
        for pos, reason in found.items():
            problems.append((pos, column, raw.frame[column].iat[pos], reason))

    for name in kind.key + tuple(n for n in kind.names if n not in kind.key):
        spec = kind.field(name)
        if name not in source:
            if name in kind.key:
                values[name] = pd.Series([spec.default] * len(raw.frame), dtype=object)
            continue
        column = source[name]
        cells = raw.frame[column].fillna("").astype(str).str.strip()
        blank = (cells == "").to_numpy()
        parsed, found = CHECKS[spec.type](spec, cells, ctx)
        found = {pos: reason for pos, reason in found.items() if not blank[pos]}
        if spec.required and spec.default is None:
            found.update(_where(blank, t("data.problem_required", lang)))
        parsed = parsed.astype(object).where(~blank, spec.default)
        if spec.ref:
            found.update(_unknown_refs(spec, parsed, found, ctx))
        flag(found, column)
        values[name] = parsed
    frame = pd.DataFrame(values)
    problems += _order_problems(kind, frame, source, raw, lang)
    problems += _duplicate_keys(kind, frame, source, raw, lang)
    order = {column: i for i, column in enumerate(raw.columns)}
    problems.sort(key=lambda p: (p[0], order.get(p[1], -1)))
    return Validated(frame, problems)


def _unknown_refs(spec: Field, parsed: pd.Series, found: Problems, ctx: Context) -> Problems:
    known = ctx.known(spec.ref)
    reason = t(f"data.problem_unknown_{spec.ref}", ctx.lang)
    return {
        pos: reason
        for pos, value in enumerate(parsed.tolist())
        if value is not None and pos not in found and value not in known
    }


def _order_problems(kind, frame, source, raw, lang) -> list[tuple[int, str, str, str]]:
    found = []
    for first, second in kind.ordered:
        if first in frame and second in frame:
            a, b = pd.to_datetime(frame[first]), pd.to_datetime(frame[second])
            for pos in np.flatnonzero((b < a).to_numpy(dtype=bool, na_value=False)).tolist():
                column = source[second]
                reason = t("data.problem_order", lang, first=first, second=second)
                found.append((pos, column, raw.frame[column].iat[pos], reason))
    return found


def _duplicate_keys(kind, frame, source, raw, lang) -> list[tuple[int, str, str, str]]:
    """Rows whose key repeats an earlier row of the same file."""
    keys = frame[list(kind.key)].astype(str)
    complete = frame[list(kind.key)].notna().all(axis=1).to_numpy()
    repeats = keys.duplicated(keep="first").to_numpy() & complete
    if not repeats.any():
        return []
    first_row = {}
    for pos, key in enumerate(map(tuple, keys.to_numpy().tolist())):
        if complete[pos]:
            first_row.setdefault(key, raw.rows[pos])
    column = source.get(kind.key[0], kind.key[0])
    found = []
    for pos in np.flatnonzero(repeats).tolist():
        key = tuple(keys.iloc[pos])
        value = " | ".join(key)
        found.append((pos, column, value, t("data.problem_duplicate", lang, row=first_row[key])))
    return found


# -- import ----------------------------------------------------------------------------
@dataclass
class ImportReport:
    """What an import found and did: every problem, the rejected rows, the counts."""

    kind: str
    mode: str
    file_name: str
    sha256: str
    rows: int
    mapping: dict[str, str | None]
    problems: pd.DataFrame
    rejects: pd.DataFrame
    inserted: int = 0
    updated: int = 0
    written: bool = False
    seconds: float = 0.0
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    @property
    def ignored(self) -> list[str]:
        return [column for column, target in self.mapping.items() if not target]

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    @property
    def good(self) -> int:
        return self.rows - self.rejected

    @property
    def unchanged(self) -> int:
        return self.good - self.inserted - self.updated if self.written else 0

    def summary(self, lang: str = "en", label: str | None = None) -> str:
        """One line for people: what was checked and what was written."""
        values = {
            "kind": label or self.kind,
            "rows": self.rows,
            "good": self.good,
            "problems": len(self.problems),
            "rejected": self.rejected,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.written:
            return t("data.summary_written", lang, **values)
        if self.mode == "dry-run":
            return t("data.summary_dry_run", lang, **values)
        return t("data.summary_refused", lang, **values)


def import_file(
    db: Database,
    viewer: access.Viewer,
    kind: str,
    path: str | Path,
    *,
    mapping: dict[str, str | None] | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    mode: str = "dry-run",
    lang: str = "en",
) -> ImportReport:
    """Read a file from disk and import it (see `import_table`)."""
    access.require(viewer, "edit_data")
    path = Path(path)
    if not path.is_file():
        raise ValueError(t("data.err_no_file", lang, path=str(path)))
    check_size(path.stat().st_size, lang)
    raw = read_table(path.read_bytes(), path.name, sheet=sheet, encoding=encoding, lang=lang)
    return import_table(db, viewer, kind, raw, mapping=mapping, mode=mode, lang=lang)


def import_table(
    db: Database,
    viewer: access.Viewer,
    kind: str,
    raw: RawTable,
    *,
    mapping: dict[str, str | None] | None = None,
    mode: str = "dry-run",
    lang: str = "en",
) -> ImportReport:
    """Validate a read file against a kind and, unless it is a dry run, upsert its rows.

    `mapping` names the field of any source column (None ignores it); the other columns are
    mapped from this user's last mapping or guessed from their names."""
    access.require(viewer, "edit_data")
    started = time.perf_counter()
    spec = kind_for(kind, lang)
    if mode not in MODES:
        raise ValueError(t("data.err_mode", lang, mode=mode, modes=", ".join(MODES)))
    remembered = remembered_mapping(db, spec.name, viewer.actor)
    chosen = propose_mapping(spec, raw.columns, explicit=mapping, remembered=remembered, lang=lang)
    check_mapping(spec, raw, chosen, lang)
    checked = validate(db, spec, raw, chosen, lang)
    report = ImportReport(
        kind=spec.name,
        mode=mode,
        file_name=raw.file_name,
        sha256=raw.sha256,
        rows=len(raw.frame),
        mapping=chosen,
        problems=_problem_frame(checked, raw),
        rejects=_reject_frame(checked, raw),
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sheet=raw.sheet,
    )
    if mode == "skip-bad" or (mode == "strict" and not checked.problems):
        good = checked.values.drop(index=list(checked.bad_positions))
        report.inserted, report.updated = apply_rows(db, viewer, spec, good, report)
        report.written = True
    report.seconds = time.perf_counter() - started
    return report


def _problem_frame(checked: Validated, raw: RawTable) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (raw.rows[pos], column, _shown(value), reason)
            for pos, column, value, reason in checked.problems
        ],
        columns=["row", "column", "value", "reason"],
    )


def _shown(value: object, limit: int = 120) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _reject_frame(checked: Validated, raw: RawTable) -> pd.DataFrame:
    """The bad rows exactly as in the file, with their row number and every reason."""
    reasons: dict[int, list[str]] = {}
    for pos, column, _, reason in checked.problems:
        reasons.setdefault(pos, []).append(f"{column}: {reason}")
    positions = sorted(reasons)
    frame = raw.frame.iloc[positions].reset_index(drop=True)
    frame.insert(0, "row", [raw.rows[p] for p in positions])
    frame["reason"] = ["; ".join(reasons[p]) for p in positions]
    return frame


# -- writing -----------------------------------------------------------------------------
def _typed(spec: Kind, frame: pd.DataFrame) -> pd.DataFrame:
    """Staging columns with types DuckDB reads unambiguously (NULL, not NaN)."""
    out = {}
    for name in frame.columns:
        kind = spec.field(name).type
        column = frame[name].where(frame[name].notna(), None)
        if kind in ("date", "month"):
            out[name] = pd.to_datetime(column).dt.date.astype(object).where(column.notna(), None)
        elif kind == "int":
            out[name] = pd.array(column.tolist(), dtype="Int64")
        elif kind == "float":
            out[name] = pd.array(column.tolist(), dtype="Float64")
        elif kind == "bool":
            out[name] = pd.array(column.tolist(), dtype="boolean")
        else:
            out[name] = column.astype(object)
    return pd.DataFrame(out)


def apply_rows(
    db: Database, viewer: access.Viewer, spec: Kind, good: pd.DataFrame, report: ImportReport
) -> tuple[int, int]:
    """Upsert the good rows by key in one transaction with the audit row and the remembered
    mapping; returns (inserted, updated). Any failure rolls everything back."""
    access.require(viewer, "edit_data")
    columns = list(good.columns)
    with db.transaction() as cur:
        _stage(cur, spec, _typed(spec, good), columns)
        inserted, updated = _count_changes(cur, spec, columns)
        _update_changed(cur, spec, columns)
        _insert_new(cur, spec, columns)
        cur.execute("DROP TABLE import_stage")
        _remember_mapping(cur, spec.name, viewer.actor, report.mapping)
        db.audit(
            "import",
            actor=viewer.actor,
            kind=spec.name,
            cur=cur,
            file_name=report.file_name,
            sha256=report.sha256,
            inserted=inserted,
            updated=updated,
            rejected=report.rejected,
            detail=json.dumps({"mode": report.mode, "rows": report.rows}),
        )
    return inserted, updated


def _names(columns: list[str], prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{c}"' for c in columns)


def _key_match(spec: Kind) -> str:
    return " AND ".join(f't."{k}" = s."{k}"' for k in spec.key)


def _changed(spec: Kind, columns: list[str]) -> str:
    values = [c for c in columns if c not in spec.key]
    if not values:
        return "FALSE"
    return "(" + " OR ".join(_differs(spec.field(c)) for c in values) + ")"


def _differs(field: Field) -> str:
    """SQL that is true when the staged value differs; an empty list equals a blank cell."""
    staged, stored = f's."{field.name}"', f't."{field.name}"'
    if field.type in ("list", "skills"):
        staged = f"coalesce({staged}, []::VARCHAR[])"
        stored = f"coalesce({stored}, []::VARCHAR[])"
    return f"{staged} IS DISTINCT FROM {stored}"


def _stage(cur, spec: Kind, frame: pd.DataFrame, columns: list[str]) -> None:
    """The good rows in a temporary table typed like the target table."""
    cur.execute(
        f"CREATE TEMP TABLE import_stage AS SELECT {_names(columns)} FROM {spec.table} LIMIT 0"
    )
    cur.register("import_rows", frame)
    try:
        cur.execute(
            f"INSERT INTO import_stage ({_names(columns)}) SELECT {_names(columns)} "
            "FROM import_rows"
        )
    finally:
        cur.unregister("import_rows")


def _count_changes(cur, spec: Kind, columns: list[str]) -> tuple[int, int]:
    inserted = cur.execute(
        f"SELECT count(*) FROM import_stage AS s WHERE NOT EXISTS "
        f"(SELECT 1 FROM {spec.table} AS t WHERE {_key_match(spec)})"
    ).fetchone()[0]
    updated = cur.execute(
        f"SELECT count(*) FROM import_stage AS s JOIN {spec.table} AS t ON {_key_match(spec)} "
        f"WHERE {_changed(spec, columns)}"
    ).fetchone()[0]
    return int(inserted), int(updated)


def _update_changed(cur, spec: Kind, columns: list[str]) -> None:
    values = [c for c in columns if c not in spec.key]
    if not values:
        return
    assignments = ", ".join(f'"{c}" = s."{c}"' for c in values)
    cur.execute(
        f"UPDATE {spec.table} AS t SET {assignments} FROM import_stage AS s "
        f"WHERE {_key_match(spec)} AND {_changed(spec, columns)}"
    )


def _insert_new(cur, spec: Kind, columns: list[str]) -> None:
    cur.execute(
        f"INSERT INTO {spec.table} ({_names(columns)}) SELECT {_names(columns, 's.')} "
        f"FROM import_stage AS s WHERE NOT EXISTS "
        f"(SELECT 1 FROM {spec.table} AS t WHERE {_key_match(spec)})"
    )


def _remember_mapping(cur, kind: str, actor: str, mapping: dict[str, str | None]) -> None:
    cur.execute("DELETE FROM import_mappings WHERE kind = ? AND actor = ?", [kind, actor])
    cur.execute(
        "INSERT INTO import_mappings (kind, actor, mapping) VALUES (?, ?, ?)",
        [kind, actor, json.dumps(mapping, ensure_ascii=False)],
    )


def recent_imports(db: Database, viewer: access.Viewer, limit: int = 50) -> pd.DataFrame:
    """The latest audit_log entries, newest first (staff only: they name people)."""
    access.require(viewer, "edit_data")
    return db.df(
        "SELECT logged_at, actor, action, kind, file_name, sha256, inserted, updated, rejected, "
        "detail FROM audit_log ORDER BY entry_id DESC LIMIT ?",
        [int(limit)],
    )


def field_guide(kind: str) -> pd.DataFrame:
    """The fields of a kind for people choosing a mapping: type, required, range, choices."""
    spec = kind_for(kind)
    rows = []
    for f in spec.fields:
        span = "" if f.low is None else f"{_plain(f.low)}–{_plain(f.high)}"
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
