"""Named reports shared by the CLI and the pages: each returns a DataFrame for a viewer.

Modules register their reports with the `report` decorator; `lib/reporting.py` imports every
module that has reports, lists them and runs them for a viewer: reports are the team's, except
those declared `members=True`, which answer a member for themselves only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Report:
    name: str
    run: Callable[..., pd.DataFrame]
    description: str
    members: bool = False


_REGISTRY: dict[str, Report] = {}


def report(name: str, description: str, *, members: bool = False):
    """Register `fn(db, viewer, **options) -> DataFrame` as report `name` (`members`: a member
    may run it, and it answers them for themselves)."""

    def register(fn):
        _REGISTRY[name] = Report(name, fn, description, members)
        return fn

    return register


def registered() -> dict[str, Report]:
    """The reports registered so far, by name."""
    return dict(sorted(_REGISTRY.items()))
