"""Overview: in ten seconds, is the club alive and does it cover what the bank needs?"""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from lib import access
from lib.board import board_report, leadership, overview
from pages.components import ui
from pages.components.ui import t

viewer = ui.page_viewer("overview")
db = ui.database()
filters = ui.filters()

st.title(t("overview.title"))
st.caption(t("overview.caption"))

kpis = ui.cached(leadership.leadership_kpis, db, filters)


def shown(kpi: leadership.Kpi, value: float | None) -> str:
    if kpi.kind == "share":
        return ui.fmt_percent(value)
    return ui.fmt_number(value, 2 if kpi.kind == "ratio" else 0)


def change(kpi: leadership.Kpi) -> str | None:
    if kpi.change is None:
        return None
    sign = "+" if kpi.change > 0 else ""
    if kpi.kind == "share":
        return t("leadership.points_delta", sign=sign, value=ui.fmt_number(kpi.change * 100))
    return f"{sign}{shown(kpi, kpi.change)}"


st.subheader(t("leadership.kpis"))
rows = [kpis[:4], kpis[4:]]
for row in rows:
    columns = st.columns(4)
    for column, kpi in zip(columns, row, strict=False):
        column.metric(
            t(f"leadership.{kpi.key}"),
            shown(kpi, kpi.value),
            delta=change(kpi),
            delta_color="normal" if kpi.higher_is_better else "inverse",
            delta_arrow="off" if not kpi.change else "auto",
            delta_description=t(
                "leadership.vs_last_quarter" if not kpi.series else "leadership.vs_period_start"
            ),
            help=t(f"leadership.{kpi.key}_help"),
            chart_data=[round(v, 3) for v in kpi.series if v == v] or None,
            chart_type="area",
            border=True,
        )

summary = ui.cached(leadership.summary_lines, db, filters, kpis, ui.lang())
left, right = st.columns([3, 2])
with left, st.container(border=True):
    st.markdown(f"**{t('leadership.summary')}**")
    st.markdown("\n".join(f"- {ui.markdown_escape(line)}" for line in summary))
with right, st.container(border=True):
    st.markdown(f"**{t('leadership.next_events')}**")
    upcoming = ui.cached(leadership.next_events, db, filters)
    if upcoming.empty:
        st.caption(t("leadership.no_events"))
    for event in upcoming.itertuples():
        st.markdown(f"{ui.fmt_date(event.date)} — {ui.markdown_escape(event.title)}")
    st.markdown(f"**{t('leadership.explain')}**")
    for key in dict.fromkeys(k.page for k in kpis):
        if access.can_open(viewer, key):
            st.page_link(
                access.PAGE_BY_KEY[key].file,
                label=t(f"nav.{key}"),
                icon=access.PAGE_BY_KEY[key].icon,
            )

members = ui.cached(overview.members_by_status_wave, db, filters)
skills = ui.cached(overview.skills_by_category, db, held_only=True)
monthly = ui.cached(overview.activities_per_month, db, filters)


def members_figure(template: str | None = None) -> go.Figure:
    labelled = members.assign(
        status=members["status"].map(lambda s: t(f"status.{s}")),
        wave=members["wave"].map(lambda w: t("filters.wave_value", wave=w)),
    )
    fig = px.bar(
        labelled,
        x="wave",
        y="members",
        color="status",
        barmode="stack",
        color_discrete_map=ui.status_colors(),
        template=template,
        labels={
            "wave": t("filters.wave"),
            "members": t("common.members"),
            "status": t("common.status"),
        },
    )
    return ui.style(fig)


def skills_figure(template: str | None = None) -> go.Figure:
    fig = px.bar(
        skills,
        x="skills",
        y="category",
        orientation="h",
        template=template,
        color_discrete_sequence=ui.PALETTE,
        labels={"skills": t("common.skills"), "category": t("common.category")},
    )
    fig.update_yaxes(categoryorder="total ascending")
    return ui.style(fig)


def activity_figure(template: str | None = None) -> go.Figure:
    fig = px.line(
        monthly,
        x="month",
        y=["activities", "contributors"],
        markers=True,
        template=template,
        color_discrete_sequence=ui.PALETTE,
        labels={"month": t("common.month"), "value": "", "variable": ""},
    )
    fig.for_each_trace(lambda tr: tr.update(name=t(f"common.{tr.name}")))
    return ui.style(fig)


left, right = st.columns(2)
with left:
    st.subheader(t("overview.members_chart"))
    if members.empty:
        st.info(t("common.no_data"))
    else:
        st.plotly_chart(members_figure(), key="members_chart")
with right:
    st.subheader(t("overview.skills_chart"))
    st.plotly_chart(skills_figure(), key="skills_chart")

st.subheader(t("overview.activity_chart"))
if monthly.empty:
    st.info(t("common.no_data"))
else:
    st.plotly_chart(activity_figure(), key="activity_chart")
    ui.downloads(monthly, "activities_per_month")


# Figures for the report get an explicit template: the app's charts take Streamlit's theme.
REPORT_TEMPLATE = "plotly_white"


def board_document() -> str:
    """The overview as a self-contained HTML report."""
    tiles = [
        board_report.Tile(t(f"leadership.{k.key}"), shown(k, k.value), change(k) or "")
        for k in kpis
    ]
    scope = t(
        "leadership.scope_filtered"
        if filters.departments or filters.waves
        else "leadership.scope_all"
    )
    meta = t(
        "leadership.report_meta",
        date=ui.fmt_date(filters.as_of),
        period=t("filters.period_value", months=filters.period_months),
        scope=scope,
    )
    figures = [(t("overview.skills_chart"), skills_figure(REPORT_TEMPLATE))]
    if not members.empty:
        figures.insert(0, (t("overview.members_chart"), members_figure(REPORT_TEMPLATE)))
    if not monthly.empty:
        figures.append((t("overview.activity_chart"), activity_figure(REPORT_TEMPLATE)))
    return board_report.board_html(
        t("leadership.report_title"), meta, tiles, summary, figures, ui.lang()
    )


def report_html() -> bytes:
    db.audit("export", actor=viewer.actor, kind="leadership_report", detail="html")
    return board_document().encode("utf-8")


def report_pdf() -> bytes:
    db.audit("export", actor=viewer.actor, kind="leadership_report", detail="pdf")
    return board_report.html_to_pdf(board_document())


st.subheader(t("leadership.report"))
html_col, pdf_col, _ = st.columns([1, 1, 3])
html_col.download_button(
    t("leadership.report_html"),
    report_html,
    "leadership-report.html",
    "text/html",
    on_click="ignore",
    icon=":material/description:",
)
pdf_col.download_button(
    t("leadership.report_pdf"),
    report_pdf,
    "leadership-report.pdf",
    "application/pdf",
    on_click="ignore",
    icon=":material/picture_as_pdf:",
)
