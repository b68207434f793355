"""Errors people can cause: a message key and its parameters, translated at the boundary.

The core raises `Refusal("errors.unknown_skill", skill=name)`; a page shows
`refusal.text(lang)` escaped, the CLI prints the English text as one line. `str()` of a refusal
is its English text, so logs and tests read naturally.
"""

from __future__ import annotations

from typing import Any

from lib import i18n


class Translatable:
    """Mixin for exceptions that carry a locale key and parameters instead of prose."""

    key: str
    params: dict[str, Any]

    def text(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """The message in `lang`, parameters formatted for that language."""
        return i18n.t(self.key, lang, **_localised(self.params, lang))


class Term(str):
    """A parameter that is itself a locale key (a role, a permission): translated with the
    message."""

    __slots__ = ()


def _localised(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Numbers in messages follow the language (1,000 vs 1 000), terms are translated, other
    values stay as given."""
    shown = {}
    for name, value in params.items():
        if isinstance(value, Term):
            shown[name] = i18n.t(str(value), lang)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            shown[name] = value
        elif isinstance(value, int):
            shown[name] = i18n.fmt_number(value, lang)
        else:
            shown[name] = i18n.fmt_number(value, lang, 2)
    return shown


class Refusal(Translatable, ValueError):
    """Bad input or an illegal change: nothing was written, the message says why."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params
        super().__init__(self.text())


def message(exc: BaseException, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The text to show a person for an error: translated when it carries a key."""
    if isinstance(exc, Translatable):
        return exc.text(lang)
    return str(exc)
