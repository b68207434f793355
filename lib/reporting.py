"""Every named report of the product (the CLI's `report`, the Data page's exports): importing
the modules that declare reports registers them with `lib.io.reports.report`; `run_report` is
the one way to run one for a viewer."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lib import access, metrics  # noqa: F401
from lib.conferences import reports as conference_reports  # noqa: F401
from lib.contributions import renewal  # noqa: F401
from lib.engagement import scoring  # noqa: F401
from lib.errors import Refusal
from lib.expertise import reports as expertise_reports  # noqa: F401
from lib.insights import interviews  # noqa: F401
from lib.io.reports import Report, registered
from lib.planning import report as planning_report  # noqa: F401
from lib.recruitment import reports as recruitment_reports  # noqa: F401
from lib.store.db import Database


def all_reports() -> dict[str, Report]:
    """Every report by name."""
    return registered()


def run_report(
    db: Database, viewer: access.Viewer | None, name: str, **options: Any
) -> pd.DataFrame:
    """Run report `name` for a viewer: the team's roles may run every report (each applies
    their rights), a member only those declared for members."""
    reports = all_reports()
    if name not in reports:
        raise Refusal("cli.err_unknown_report", name=name, reports=", ".join(reports))
    chosen = reports[name]
    access.require(viewer, "export")
    if not chosen.members:
        access.require(viewer, "run_reports")
    return chosen.run(db, viewer, **options)
