"""Validation: every cell of a mapped file checked against its field — type, length, range,
choice, skill and reference — plus order and duplicate-key checks across a row and the file.

Problems are per-row texts in the user's language, shown in tables and downloads; nothing is
raised for a bad row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from lib import i18n
from lib.i18n import t
from lib.io.fileread import RawTable
from lib.io.kinds import REFERENCE_KEYS, Field, Kind, header_key, plain_number
from lib.store.db import Database

# Longest accepted cell per type; anything longer is a problem, not silently cut. Identifiers
# from other systems (taxonomy URIs, HR keys, logins with / : # @) are taken as they are.
MAX_LENGTH = {"id": 255, "text": 500, "email": 254, "uri": 500, "long": 8000, "list": 8000}
LIST_SPLIT = re.compile(r"\s*(?:\r\n|\n|\r|;|\|)\s*")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# In an identifier also line breaks, tabs, C1 controls and invisible direction marks.
LINE_BREAK = re.compile(r"[\r\n\t\x80-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URI = re.compile(r"^(?:https?://|urn:)\S+$", re.IGNORECASE)
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t", "да", "д", "истина", "x", "+"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "f", "нет", "н", "ложь", "-"})
MAX_SUGGESTIONS = 300

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
    reason = t(
        "data.problem_range", ctx.lang, low=plain_number(field.low), high=plain_number(field.high)
    )
    for pos in np.flatnonzero(outside).tolist():
        problems.setdefault(pos, reason)
    values = numbers.where(finite)
    typed = values.round().astype("Int64") if field.type == "int" else values.astype("Float64")
    return typed, problems


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
