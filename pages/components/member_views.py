"""How the workbench's tables read: every column under a header in the reader's language, dates,
money and numbers formatted for that language, blanks as "—", and stored words (statuses, exit
reasons, recognition, event and activity kinds, roles, themes, sources) named, not coded. The
same view draws a table, writes its downloads and describes one record in a picker."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from lib import formatting, i18n
from lib.formatting import Format
from lib.io.presentation import TableView, labelled
from lib.membership import records
from lib.store.db import Database
from pages.components import tables, ui
from pages.components.ui import t

Label = Callable[[Any], str]

FORMATS: dict[str, Format] = {
    **dict.fromkeys(
        (
            "changed_on",
            "joined_on",
            "left_on",
            "confirmed_on",
            "date",
            "due_on",
            "done_on",
            "rejected_on",
            "occurred_on",
            "conducted_on",
            "started_on",
        ),
        Format.DATE,
    ),
    "cost": Format.MONEY,
    "budget": Format.MONEY,
    "wave": Format.INTEGER,
    "level": Format.INTEGER,
    "age_days": Format.INTEGER,
    "holders": Format.INTEGER,
    "audience": Format.INTEGER,
    "days_overdue": Format.INTEGER,
    "hours": Format.DECIMAL1,
    "sentiment": Format.SIGNED2,
    "skills": Format.LIST,
}
# The `kind` column means a different vocabulary in each record table.
KIND_PREFIX = {
    "recognitions": "engagement.recognition_",
    "events": "engagement.event_",
    "activities": "map.kind_",
}


def known(key: str, fallback: Any) -> str:
    """The translation of `key`, or the stored value itself when it has none (free text that
    came in through an import)."""
    return t(key) if key in i18n.catalogue(ui.lang()) else str(fallback)


def status_name(status: Any) -> str:
    return t(f"status.{status}") if isinstance(status, str) else t("members.not_in_club")


def exit_reason_name(reason: Any) -> str:
    """A recorded exit reason in words: the workbench's codes translated, imported text as is."""
    if not isinstance(reason, str) or not reason.strip():
        return formatting.BLANK
    return known(f"members.exit_{reason}", reason)


def step_name(checklist: str, step_id: Any, fallback: Any) -> str:
    """A checklist step's title in the reader's language (the stored title when untranslated)."""
    key = f"charter.step_{step_id}" if checklist == "onboarding" else f"members.step_{step_id}"
    return known(key, fallback)


def coded(prefix: str) -> Label:
    """A stored word named through its locale key `prefix + word` (as stored when untranslated)."""
    return lambda value: known(f"{prefix}{value}", value)


def skill_label(db: Database) -> Label:
    """Skill ids named by the taxonomy (a list of ids as a list of names)."""
    names = ui.cached(records.skill_names, db)

    def name(value: Any) -> Any:
        if isinstance(value, str):
            return names.get(value, value)
        return [names.get(str(item), str(item)) for item in list(value)]

    return name


def codes_for(kind: str | None = None, db: Database | None = None) -> dict[str, Label]:
    """The named stored words of the workbench's tables; `kind` says what `kind` means."""
    codes: dict[str, Label] = {
        "status": status_name,
        "from_status": status_name,
        "to_status": status_name,
        "exit_reason": exit_reason_name,
        "source": coded("map.source_"),
        "role": coded("members.role_"),
        "theme": coded("interviews.theme_"),
        "code": lambda code: known(f"interviews.code_{code}", str(code).replace("_", " ")),
        "priority": coded("gaps.priority_"),
        "critical": coded("members.critical_"),
        "checklist": coded("members.checklist_"),
        "stale": lambda stale: t("members.stale") if stale else t("members.fresh"),
        "overdue": lambda overdue: t("members.yes") if overdue else t("members.no"),
    }
    if kind in KIND_PREFIX:
        codes["kind"] = coded(KIND_PREFIX[kind])
    if db is not None:
        codes["skills"] = skill_label(db)
    return codes


def header(column: str) -> str:
    """A column's header: the workbench's column name, else its form field's label."""
    catalogue = i18n.catalogue(ui.lang())
    for key in (f"members.col_{column}", f"members.field_{column}"):
        if key in catalogue:
            return t(key)
    raise KeyError(column)


def view(
    frame: pd.DataFrame,
    *,
    kind: str | None = None,
    db: Database | None = None,
    codes: Mapping[str, Label] | None = None,
    formats: Mapping[str, Format] | None = None,
) -> TableView:
    """The table view of a workbench frame (`kind`: the record table it comes from)."""
    return TableView(
        headers={c: header(c) for c in frame.columns},
        formats={**{c: f for c, f in FORMATS.items() if c in frame.columns}, **(formats or {})},
        codes={**codes_for(kind, db), **(codes or {})},
    )


def show(
    frame: pd.DataFrame,
    name: str | None,
    *,
    kind: str | None = None,
    db: Database | None = None,
    codes: Mapping[str, Label] | None = None,
    formats: Mapping[str, Format] | None = None,
    **options: Any,
) -> Any:
    """A workbench table through the shared table view (downloads unless `name` is None)."""
    shown = view(frame, kind=kind, db=db, codes=codes, formats=formats)
    return tables.show_table(frame, name, shown, **options)


def summary(row: Mapping[str, Any], kind: str, db: Database | None = None, limit: int = 160) -> str:
    """One stored record in a line, each value as its table shows it."""
    frame = pd.DataFrame([dict(row)])
    shown = view(frame, kind=kind, db=db)
    named = labelled(frame, shown).iloc[0]
    lang, currency = ui.lang(), ui.currency()
    parts = []
    for column, value in named.items():
        if formatting.is_blank(value) or (isinstance(value, list | tuple) and not value):
            continue
        kind_of = shown.formats.get(column, Format.LIST)
        parts.append(formatting.cell(value, kind_of, lang, currency))
    text = " · ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dialog_table(frame: pd.DataFrame, key: str, **options: Any) -> None:
    """The rows a dialog is about to change, read like every other table (no downloads)."""
    if frame.empty:
        return
    show(frame, None, key=key, **options)
