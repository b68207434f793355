"""Translations and locale-aware formatting: every user-visible string comes from here."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from babel import Locale

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language, keyed 'section.key': `locales/<lang>/*.toml`, one file per
    domain; a section appears in one file only."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with open(path, "rb") as handle:
            found = _flatten(tomllib.load(handle))
        clash = set(found) & set(merged)
        if clash:
            raise KeyError(f"{path.name} repeats {sorted(clash)[:3]}")
        merged.update(found)
    return merged


def language_for(locale: str | None) -> str:
    """The supported language closest to a browser locale such as 'ru-RU'."""
    if locale:
        prefix = locale.replace("_", "-").split("-")[0].lower()
        if prefix in LANGUAGES:
            return prefix
    return DEFAULT_LANGUAGE


# A text that reads differently by number is a table of plural forms (CLDR categories):
# `key = { one = "{count} skill", other = "{count} skills" }`; Russian adds `few` and `many`.
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


def plural_form(count: float, lang: str) -> str:
    """The CLDR plural category of `count` in `lang` ('one', 'few', 'many', 'other' …)."""
    return Locale.parse(lang).plural_form(abs(count))


def plural_keys(messages: dict[str, str]) -> dict[str, set[str]]:
    """Keys of plural texts and the forms each gives, in one language's catalogue."""
    found: dict[str, set[str]] = {}
    for name in messages:
        base, _, form = name.rpartition(".")
        if form in PLURAL_FORMS and f"{base}.other" in messages:
            found.setdefault(base, set()).add(form)
    return found


def _lookup(key: str, lang: str, count) -> str | None:
    messages = catalogue(lang)
    text = messages.get(key)
    if text is None and f"{key}.other" in messages:
        form = plural_form(count, lang) if isinstance(count, int | float) else "other"
        text = messages.get(f"{key}.{form}", messages[f"{key}.other"])
    return text


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The text for `key` in `lang` (English when missing there), formatted with `values`; a
    plural text takes the form that `values['count']` needs."""
    count = values.get("count")
    text = _lookup(key, lang, count)
    if text is None:
        text = _lookup(key, DEFAULT_LANGUAGE, count) or key
    return text.format(**values) if values else text
