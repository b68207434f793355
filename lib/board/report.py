"""The board report: decisions needed first, then the Overview's tiles and summary, the gaps,
the bus-factor risks, the at-risk summary and the charts — aggregates only, in the reader's
language, as a `board_report.Report` ready for HTML or PDF."""

from __future__ import annotations

from lib import formatting, i18n
from lib.access import Viewer
from lib.board import figures
from lib.board.board_report import Report, Section, Tile
from lib.board.decisions import decisions_needed
from lib.board.leadership import Kpi, leadership_kpis, summary_lines
from lib.board.overview import activities_per_month, members_by_status_wave, skills_by_category
from lib.board.report_sections import at_risk_overview, bus_factor_risks, gaps_overview
from lib.filters import Filters
from lib.formatting import number, percent
from lib.insights.interviews import OTHER
from lib.store.db import Database

# Figures in the report get an explicit template: the app's charts take Streamlit's theme.
REPORT_TEMPLATE = "plotly_white"


def kpi_change(kpi: Kpi, lang: str) -> str:
    """A tile's change and what it is compared with, in the reader's words."""
    if kpi.change is None:
        return ""
    key = "leadership.vs_period_start" if kpi.series else "leadership.vs_last_quarter"
    return f"{kpi.metric.shown_change(kpi.change, lang)} {i18n.t(key, lang)}"


def _gaps_section(db: Database, filters: Filters, lang: str) -> Section:
    t = i18n.t
    headline, top = gaps_overview(db, filters)
    return Section(
        heading=t("leadership.report_gaps", lang),
        lead=t(
            "leadership.report_gaps_lead",
            lang,
            at_target=headline["at_target"],
            targets=headline["target_skills"],
            uncovered=headline["uncovered"],
            gap=number(headline["weighted_gap"], lang, 1),
        ),
        headers=[
            t("gaps.col_skill", lang),
            t("gaps.col_priority", lang),
            t("gaps.col_min_people", lang),
            t("gaps.col_coverage", lang),
            t("gaps.col_gap", lang),
        ],
        rows=[
            [
                row.skill,
                t(f"gaps.priority_{row.priority}", lang),
                number(row.min_people, lang),
                number(row.coverage, lang),
                number(row.gap, lang),
            ]
            for row in top.itertuples()
        ],
        numbers=(2, 3, 4),
        empty=t("leadership.report_no_gaps", lang),
    )


def _bus_section(db: Database, filters: Filters, lang: str) -> Section:
    t = i18n.t
    risks = bus_factor_risks(db, filters)
    return Section(
        heading=t("leadership.report_bus", lang),
        lead=t("leadership.report_bus_lead", lang, count=len(risks)),
        headers=[
            t("gaps.col_skill", lang),
            t("gaps.col_priority", lang),
            t("common.category", lang),
        ],
        rows=[
            [row.skill, t(f"gaps.priority_{row.priority}", lang), row.category or "—"]
            for row in risks.itertuples()
        ],
        empty=t("leadership.report_no_bus", lang),
    )


def _at_risk_section(db: Database, filters: Filters, lang: str) -> Section:
    t = i18n.t
    frame = at_risk_overview(db, filters)
    total = int(frame["at_risk"].sum()) if len(frame) else 0
    return Section(
        heading=t("leadership.report_at_risk", lang),
        lead=t("leadership.report_at_risk_lead", lang, count=total),
        headers=[
            t("filters.department", lang),
            t("leadership.report_col_scored", lang),
            t("leadership.report_col_at_risk", lang),
            t("leadership.report_col_share", lang),
        ],
        rows=[
            [
                t("leadership.report_other_departments", lang)
                if row.department == OTHER
                else row.department,
                number(row.scored, lang),
                number(row.at_risk, lang),
                percent(row.share, lang),
            ]
            for row in frame.itertuples()
        ],
        numbers=(1, 2, 3),
        note=t("leadership.report_at_risk_note", lang),
        empty=t("leadership.report_no_at_risk", lang),
    )


def build_report(
    db: Database, viewer: Viewer | None, filters: Filters, lang: str = i18n.DEFAULT_LANGUAGE
) -> Report:
    """The whole board report for the filters, in `lang`."""
    t = i18n.t
    kpis = leadership_kpis(db, filters)
    scope = (
        "leadership.scope_filtered"
        if filters.departments or filters.waves
        else "leadership.scope_all"
    )
    meta = t(
        "leadership.report_meta",
        lang,
        date=formatting.day(filters.as_of, lang),
        period=t("filters.period_value", lang, months=filters.period_months),
        scope=t(scope, lang),
    )
    decisions = [
        (d.text(lang), t("leadership.decision_backed", lang, page=t(f"nav.{d.page}", lang)))
        for d in decisions_needed(db, viewer, filters, kpis, lang)
    ]
    members = members_by_status_wave(db, filters)
    monthly = activities_per_month(db, filters)
    charts = []
    if not members.empty:
        charts.append(
            (
                t("overview.members_chart", lang),
                figures.members_figure(members, lang, REPORT_TEMPLATE),
            )
        )
    charts.append(
        (
            t("overview.skills_chart", lang),
            figures.skills_figure(skills_by_category(db), lang, REPORT_TEMPLATE),
        )
    )
    if not monthly.empty:
        charts.append(
            (
                t("overview.activity_chart", lang),
                figures.activity_figure(monthly, lang, REPORT_TEMPLATE),
            )
        )
    return Report(
        title=t("leadership.report_title", lang),
        meta=meta,
        decisions_heading=t("leadership.decisions", lang),
        decisions=decisions,
        no_decisions=t("leadership.decisions_none", lang),
        tiles=[
            Tile(k.metric.title(lang), k.metric.shown(k.value, lang), kpi_change(k, lang))
            for k in kpis
        ],
        summary=summary_lines(db, filters, kpis, lang),
        sections=[
            _gaps_section(db, filters, lang),
            _bus_section(db, filters, lang),
            _at_risk_section(db, filters, lang),
        ],
        charts=charts,
        lang=lang,
    )
