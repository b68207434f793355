"""The Overview's charts, drawn the same on the page and in the board report."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib import charts, i18n


def members_figure(members: pd.DataFrame, lang: str, template: str | None = None) -> go.Figure:
    """Members of each wave stacked by status, statuses in their colours."""
    labelled = members.assign(
        status=members["status"].map(lambda s: i18n.t(f"status.{s}", lang)),
        wave=members["wave"].map(lambda w: i18n.t("filters.wave_value", lang, wave=w)),
    )
    colours = {i18n.t(f"status.{s}", lang): c for s, c in charts.STATUS_COLORS.items()}
    return charts.stacked_bars(
        labelled,
        x="wave",
        y="members",
        stack="status",
        labels={
            "wave": i18n.t("filters.wave", lang),
            "members": i18n.t("common.members", lang),
            "status": i18n.t("common.status", lang),
        },
        colors=colours,
        lang=lang,
        template=template,
    )


def skills_figure(skills: pd.DataFrame, lang: str, template: str | None = None) -> go.Figure:
    """Skills per category, the largest category on top."""
    return charts.horizontal_bars(
        skills,
        category="category",
        value="skills",
        value_label=i18n.t("common.skills", lang),
        category_label="",
        lang=lang,
        template=template,
    )


def activity_figure(monthly: pd.DataFrame, lang: str, template: str | None = None) -> go.Figure:
    """Activities and contributors per month, months named in the reader's language."""
    return charts.monthly_lines(
        monthly,
        month="month",
        series={
            "activities": i18n.t("common.activities", lang),
            "contributors": i18n.t("common.contributors", lang),
        },
        lang=lang,
        template=template,
    )
