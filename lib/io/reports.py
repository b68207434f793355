"""Named reports shared by the CLI and the pages: each returns a DataFrame for a viewer.

Modules register their reports with the `report` decorator; `all_reports()` imports them.
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


def all_reports() -> dict[str, Report]:
    """Every registered report; importing the domain modules registers theirs."""
    from lib.conferences import reports as conference_reports  # noqa: F401
    from lib.engagement import scoring  # noqa: F401
    from lib.expertise import reports as expertise_reports  # noqa: F401
    from lib.insights import interviews  # noqa: F401
    from lib.planning import report as planning_report  # noqa: F401
    from lib.recruitment import reports as recruitment_reports  # noqa: F401

    return dict(sorted(_REGISTRY.items()))
