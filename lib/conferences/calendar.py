"""Conferences from an iCalendar (.ics) file: each VEVENT becomes one row of the `conferences`
import kind, so it is mapped, validated and written like a CSV row.

The file is checked line by line before anything is read from it (unfolded lines, every
content line `NAME[;PARAMS]:VALUE`, BEGIN/END pairs), then parsed with `icalendar`. A broken
line, an unknown time zone or an unreadable date refuses the whole file with the line it is
on, so nothing is half-imported. Dates: an all-day event ends the day before its DTEND; a time
with a TZID counts on its own zone's calendar (the venue's day), a UTC time on the club's zone.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from lib.errors import Refusal

CLUB_ZONE = ZoneInfo("Europe/Moscow")
COLUMNS = [
    "conference_id",
    "name",
    "city",
    "online",
    "starts_on",
    "ends_on",
    "topics",
    "url",
    "cfp_opens",
    "cfp_closes",
    "audience",
    "cost",
]
# Extension properties a conference calendar may carry for what iCalendar has no name for.
EXTENSIONS = {
    "X-CFP-OPENS": "cfp_opens",
    "X-CFP-CLOSES": "cfp_closes",
    "X-AUDIENCE": "audience",
    "X-COST": "cost",
}
ONLINE_WORDS = frozenset({"online", "онлайн", "virtual", "remote", "zoom"})
CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+(?:;[^\r\n]*?)?:")
BASIC_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
MAX_ID = 64


def is_calendar(data: bytes, file_name: str) -> bool:
    """An .ics file, by its name or by its first line."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    return file_name.lower().endswith(".ics") or head.startswith(b"BEGIN:VCALENDAR")


def calendar_records(text: str) -> list[tuple[int, list[str]]]:
    """The header and one row per event, each with the line number where the event begins."""
    lines = unfolded(text)
    starts = _check_structure(lines)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise Refusal("conferences.err_ics_broken", reason=str(exc)[:200]) from exc
    events = list(calendar.walk("VEVENT"))
    if len(events) != len(starts):
        raise Refusal("conferences.err_ics_nesting", line=starts[0] if starts else 1)
    if not events:
        raise Refusal("conferences.err_ics_no_events")
    return [(0, list(COLUMNS))] + [
        (line, event_cells(event, line)) for line, event in zip(starts, events, strict=True)
    ]


def unfolded(text: str) -> list[tuple[int, str]]:
    """Logical lines with the number of the physical line each starts on (RFC 5545 §3.1:
    a line starting with a space or tab continues the one before)."""
    logical: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t"):
            if not logical:
                raise Refusal("conferences.err_ics_line", line=number, text=_shown(line))
            start, before = logical[-1]
            logical[-1] = (start, before + line[1:])
        elif line.strip():
            logical.append((number, line))
    return logical


def _check_structure(lines: list[tuple[int, str]]) -> list[int]:
    """Every line has a name and a colon, components open and close in pairs, the file is
    one VCALENDAR; returns the line of each VEVENT's BEGIN."""
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise Refusal("conferences.err_ics_not_calendar")
    stack: list[tuple[str, int]] = []
    starts = []
    for number, line in lines:
        if not CONTENT_LINE.match(line):
            raise Refusal("conferences.err_ics_line", line=number, text=_shown(line))
        name, _, value = line.partition(":")
        name, value = name.upper(), value.strip().upper()
        if name == "BEGIN":
            if value == "VEVENT":
                if any(component == "VEVENT" for component, _ in stack):
                    raise Refusal("conferences.err_ics_nesting", line=number)
                starts.append(number)
            stack.append((value, number))
        elif name == "END":
            if not stack or stack[-1][0] != value:
                raise Refusal("conferences.err_ics_nesting", line=number)
            stack.pop()
            if not stack and number != lines[-1][0]:
                raise Refusal("conferences.err_ics_after_end", line=lines[-1][0])
    if stack:
        raise Refusal("conferences.err_ics_unclosed", component=stack[-1][0], line=stack[-1][1])
    return starts


def event_cells(event: icalendar.Event, line: int) -> list[str]:
    """One event as the text cells of COLUMNS."""
    if event.errors:
        prop, reason = event.errors[0]
        raise Refusal("conferences.err_ics_value", line=line, name=prop or "?", reason=reason)
    starts = _day(event, "DTSTART", line)
    ends = _end_day(event, starts, line)
    place = _text(event.get("LOCATION"))
    online = place.casefold() in ONLINE_WORDS
    cells = {
        "conference_id": _conference_id(event, starts),
        "name": _text(event.get("SUMMARY")),
        "city": "" if online else place,
        "online": "true" if online else "false",
        "starts_on": starts.isoformat() if starts else "",
        "ends_on": ends.isoformat() if ends else "",
        "topics": "; ".join(_categories(event)),
        "url": _text(event.get("URL")),
    }
    for prop, column in EXTENSIONS.items():
        value = _text(event.get(prop))
        found = BASIC_DATE.match(value)
        cells[column] = "-".join(found.groups()) if found else value
    return [cells[column] for column in COLUMNS]


def _day(event: icalendar.Event, prop: str, line: int) -> date | None:
    """The calendar day of a DTSTART/DTEND: the venue's day for a zoned time, the club's day
    for a UTC one, as written for a floating time or an all-day date."""
    if prop not in event:
        return None
    value = event.decoded(prop)
    if not isinstance(value, date):
        raise Refusal("conferences.err_ics_value", line=line, name=prop, reason=str(value)[:80])
    if not isinstance(value, datetime):
        return value
    zone = event[prop].params.get("TZID")
    if zone and value.tzinfo is None:
        raise Refusal("conferences.err_ics_zone", line=line, zone=zone)
    if value.tzinfo is not None and value.utcoffset() == timedelta(0) and not zone:
        value = value.astimezone(CLUB_ZONE)
    return value.date()


def _end_day(event: icalendar.Event, starts: date | None, line: int) -> date | None:
    """The last day: DTEND (exclusive for all-day events) or DTSTART + DURATION."""
    if "DTEND" in event:
        ends = _day(event, "DTEND", line)
        all_day = not isinstance(event.decoded("DTEND"), datetime)
    elif "DURATION" in event and starts is not None:
        duration = event.decoded("DURATION")
        all_day = not isinstance(event.decoded("DTSTART"), datetime)
        ends = starts + timedelta(days=duration.days)
    else:
        return starts
    if all_day and starts is not None and ends is not None and ends > starts:
        ends -= timedelta(days=1)
    return ends


def _categories(event: icalendar.Event) -> list[str]:
    found = event.get("CATEGORIES")
    groups = found if isinstance(found, list) else [found] if found is not None else []
    words = [str(word).strip() for group in groups for word in getattr(group, "cats", [group])]
    return list(dict.fromkeys(w for w in words if w))


def _conference_id(event: icalendar.Event, starts: date | None) -> str:
    """The event's UID when it fits an id, else a stable digest of it (or of name and date)."""
    uid = _text(event.get("UID"))
    if uid and len(uid) <= MAX_ID:
        return uid
    basis = uid or f"{_text(event.get('SUMMARY'))}|{starts}"
    return "ics-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _shown(line: str) -> str:
    return line if len(line) <= 60 else line[:60] + "…"
