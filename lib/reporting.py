"""Every named report of the product (the CLI's `report`, the Data page's exports): importing
the modules that declare reports registers them with `lib.io.reports.report`."""

from __future__ import annotations

from lib import metrics  # noqa: F401
from lib.conferences import reports as conference_reports  # noqa: F401
from lib.engagement import scoring  # noqa: F401
from lib.expertise import reports as expertise_reports  # noqa: F401
from lib.insights import interviews  # noqa: F401
from lib.io.reports import Report, registered
from lib.planning import report as planning_report  # noqa: F401
from lib.recruitment import reports as recruitment_reports  # noqa: F401


def all_reports() -> dict[str, Report]:
    """Every report by name."""
    return registered()
