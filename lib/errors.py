"""Errors people can cause: a message key and its parameters, translated at the boundary.

The core raises `Refusal("errors.unknown_skill", skill=name)`; a page shows
`refusal.text(lang)` escaped, the CLI prints the English text as one line. `str()` of a refusal
is its English text, so logs and tests read naturally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lib import formatting, i18n

PROBLEMS_SHOWN = 10


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
            shown[name] = formatting.number(value, lang)
        else:
            shown[name] = formatting.number(value, lang, 2)
    return shown


class Refusal(Translatable, ValueError):
    """Bad input or an illegal change: nothing was written, the message says why."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params
        super().__init__(self.text())


class Problems(Refusal):
    """Several refusals found at once (rows of an edited table, people who cannot be pinned),
    each translated on its own: the first `limit`, then how many more. With a `key`, they fill
    its `{problems}` placeholder; without one, they are the message, a line each."""

    def __init__(
        self,
        problems: Sequence[Refusal],
        key: str | None = None,
        *,
        separator: str = "\n",
        limit: int = PROBLEMS_SHOWN,
    ):
        self.problems = list(problems)
        self.separator = separator
        self.limit = limit
        self.heading = key
        first = self.problems[0] if self.problems else None
        super().__init__(key or (first.key if first else "errors.more_problems"))

    def text(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        shown = [problem.text(lang) for problem in self.problems[: self.limit]]
        hidden = len(self.problems) - len(shown)
        if hidden:
            shown.append(
                i18n.t("errors.more_problems", lang, count=formatting.number(hidden, lang))
            )
        joined = self.separator.join(shown)
        return i18n.t(self.heading, lang, problems=joined) if self.heading else joined


def message(exc: BaseException, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The text to show a person for an error: translated when it carries a key."""
    if isinstance(exc, Translatable):
        return exc.text(lang)
    return str(exc)
