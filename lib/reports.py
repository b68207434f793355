"""Named reports shared by the CLI and the pages: each returns a DataFrame for a viewer.

Modules register their reports with the `report` decorator; `all_reports()` imports them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

REPORT_MODULES = ("lib.graph", "lib.gaps", "lib.scoring", "lib.insights", "lib.planner")


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
    for module in REPORT_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return dict(sorted(_REGISTRY.items()))
