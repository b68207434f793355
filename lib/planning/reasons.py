"""Why each line is in a plan, in the reader's language: the goals it serves, whom it
targets, what it should bring and what it costs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from lib import formatting, i18n
from lib.planning.catalogue import GOALS, goal_name, mechanic_name, rule_name
from lib.planning.evidence import EFFECT_DAYS, MEASURED


def line_reason(
    line: Mapping[str, Any], weights: Mapping[str, float], strengths: Mapping[str, float], lang: str
) -> str:
    """Why a line is in the plan: the goals it serves, whom it targets, what it should bring
    and what it costs."""
    served = sorted(
        ((weights[g] * strengths[g], g) for g in GOALS if weights[g] * strengths[g] > 0),
        reverse=True,
    )
    goals = ", ".join(
        i18n.t(
            "plan.reason_goal",
            lang,
            goal=goal_name(g, lang),
            strength=formatting.number(strengths[g], lang, 1),
            weight=formatting.number(weights[g], lang, 1),
        )
        for _, g in served[:3]
    )
    source = (
        i18n.t("plan.reason_measured", lang, cases=formatting.number(line["cases"], lang))
        if line["effect_source"] == MEASURED
        else i18n.t("plan.reason_default", lang)
    )
    parts = [
        i18n.t("plan.reason_goals", lang, goals=goals),
        i18n.t(
            "plan.reason_targets",
            lang,
            people=formatting.number(line["people"], lang),
            eligible=formatting.number(line["eligible"], lang),
            group=rule_name(line["target_rule"], lang),
        ),
        i18n.t(
            "plan.reason_effect",
            lang,
            effect=formatting.number(line["expected_effect"], lang, 1),
            each=formatting.number(line["effect_per_person"], lang, 1),
            days=EFFECT_DAYS,
            source=source,
        ),
        i18n.t(
            "plan.reason_cost",
            lang,
            cost=formatting.number(line["cost"], lang),
            hours=formatting.number(line["hours"], lang, 1),
        ),
    ]
    if line.get("pinned"):
        parts.insert(0, i18n.t("plan.reason_pinned", lang))
    return " ".join(parts)


def explain_lines(lines: pd.DataFrame, strengths: pd.DataFrame, weights: dict, lang: str) -> None:
    """Name each chosen line, its target group and goals, and give its reason."""
    lines["mechanic"] = [
        mechanic_name(m, n, lang) for m, n in zip(lines["mechanic_id"], lines["name"], strict=True)
    ]
    lines["target_group"] = [rule_name(r, lang) for r in lines["target_rule"]]
    lines["goals"] = [
        [goal_name(g, lang) for g in GOALS if weights[g] * strengths.loc[m, g] > 0]
        for m in lines["mechanic_id"]
    ]
    lines["reason"] = [
        line_reason(line, weights, strengths.loc[line["mechanic_id"]].to_dict(), lang)
        for line in lines.to_dict("records")
    ]
