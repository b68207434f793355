"""Translations and locale-aware formatting: every user-visible string comes from here."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

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


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The text for `key` in `lang` (English when missing there), formatted with `values`."""
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text
