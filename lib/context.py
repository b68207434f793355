"""The request context: everything a page run hands the core, built once per run.

Database, viewer, filters (with the analysis day), language, a settings snapshot and the data
version. Every "today" in the core comes from `as_of` here (or the filters it carries), so
`EXPERTISE_AS_OF` replays a past day everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lib.access import Viewer
from lib.filters import Filters
from lib.i18n import DEFAULT_LANGUAGE
from lib.settings import current_settings
from lib.store.db import Database


@dataclass(frozen=True)
class RequestContext:
    db: Database
    viewer: Viewer | None
    filters: Filters = field(default_factory=Filters)
    lang: str = DEFAULT_LANGUAGE
    settings: dict[str, Any] = field(default_factory=dict, repr=False)
    data_version: int = 0

    @property
    def as_of(self) -> date:
        return self.filters.as_of

    @property
    def actor(self) -> str | None:
        return self.viewer.actor if self.viewer else None


def build_context(
    db: Database,
    viewer: Viewer | None,
    filters: Filters | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> RequestContext:
    """Read the settings and the data version once for a whole run."""
    return RequestContext(
        db=db,
        viewer=viewer,
        filters=filters or Filters(),
        lang=lang,
        settings=current_settings(db),
        data_version=db.data_version(),
    )
