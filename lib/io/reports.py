"""Named reports shared by the CLI and the pages: each returns a DataFrame for a viewer.

Modules register their reports with the `report` decorator; `lib/reporting.py` imports every
module that has reports and lists them.
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


_REGISTRY: dict[str, Report] = {}


def report(name: str, description: str):
    """Register `fn(db, viewer, **options) -> DataFrame` as report `name`."""

    def register(fn):
        _REGISTRY[name] = Report(name, fn, description)
        return fn

    return register


def registered() -> dict[str, Report]:
    """The reports registered so far, by name."""
    return dict(sorted(_REGISTRY.items()))
