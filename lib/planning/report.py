"""The `plan` report for the command line and exports."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lib import access, i18n
from lib.access import Viewer
from lib.filters import Filters
from lib.io.reports import report
from lib.planning.plan import (
    DEFAULT_BUDGET,
    DEFAULT_HOURS,
    TARGETS_PERMISSION,
    assemble_plan,
    plan_inputs,
    plan_table,
)
from lib.planning.situation import suggested_weights
from lib.store.db import Database


@report("plan", "Action plan for the suggested goal weights, default budget and curator hours")
def plan_report(db: Database, viewer: Viewer | None, **options: Any) -> pd.DataFrame:
    """The plan for the situation's suggested weights, DEFAULT_BUDGET and DEFAULT_HOURS; target
    members' names only for staff."""
    lang = options.get("lang") or i18n.DEFAULT_LANGUAGE
    filters = Filters(as_of=options["as_of"]) if options.get("as_of") else Filters()
    inputs = plan_inputs(db, viewer, filters)
    plan = assemble_plan(
        inputs,
        weights=suggested_weights(inputs.situation),
        budget=options.get("budget") or DEFAULT_BUDGET,
        hours=options.get("hours") or DEFAULT_HOURS,
        lang=lang,
    )
    out = plan_table(plan)
    out["cost"] = out["cost"].round(0)
    for column in ("hours", "effect_per_person", "expected_effect", "value"):
        out[column] = out[column].round(2)
    if access.can(viewer, TARGETS_PERMISSION):
        names = plan.targets.groupby("mechanic_id")["name"].agg("; ".join)
        out["targets"] = plan.lines["mechanic_id"].map(names).fillna("").to_numpy()
    return out
