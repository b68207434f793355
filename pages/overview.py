"""Overview: in ten seconds, what to decide, is the club alive, does it cover what the bank
needs?"""

import streamlit as st

from lib import access
from lib.board import board_report, decisions, figures, leadership, overview
from lib.board.report import build_report
from lib.formatting import Format
from pages.components import ui
from pages.components.kpis import kpi_row, metric_tile
from pages.components.tables import Columns, downloads
from pages.components.ui import t

MONTHLY = Columns(
    "common.",
    formats={"month": Format.MONTH, "activities": Format.INTEGER, "contributors": Format.INTEGER},
)

viewer = ui.page_viewer("overview")
db = ui.database()
filters = ui.filters()
lang = ui.lang()

st.title(t("overview.title"))
st.caption(t("overview.caption"))

kpis = ui.cached(leadership.leadership_kpis, db, filters)

# -- decisions needed ----------------------------------------------------------------------
needed = ui.cached(decisions.decisions_needed, db, viewer, filters, kpis, lang)
with st.container(border=True):
    st.markdown(f"**{t('leadership.decisions')}**")
    if not needed:
        st.caption(t("leadership.decisions_none"))
    for rank, decision in enumerate(needed, start=1):
        text, link = st.columns([3, 1], vertical_alignment="center")
        text.markdown(f"{rank}. {ui.markdown_escape(decision.text(lang))}")
        if access.can_open(viewer, decision.page):
            link.page_link(
                access.PAGE_BY_KEY[decision.page].file,
                label=t(f"nav.{decision.page}"),
                icon=access.PAGE_BY_KEY[decision.page].icon,
            )

# -- the tiles -----------------------------------------------------------------------------
st.subheader(t("leadership.kpis"))
kpi_row(
    [
        metric_tile(
            kpi.key,
            kpi.value,
            change=kpi.change,
            delta_description=t(
                "leadership.vs_period_start" if kpi.series else "leadership.vs_last_quarter"
            ),
            trend=kpi.series,
        )
        for kpi in kpis
    ]
)

summary = ui.cached(leadership.summary_lines, db, filters, kpis, lang)
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
    for key in dict.fromkeys(k.metric.page for k in kpis):
        if access.can_open(viewer, key):
            st.page_link(
                access.PAGE_BY_KEY[key].file,
                label=t(f"nav.{key}"),
                icon=access.PAGE_BY_KEY[key].icon,
            )

# -- the charts ----------------------------------------------------------------------------
members = ui.cached(overview.members_by_status_wave, db, filters)
skills = ui.cached(overview.skills_by_category, db, held_only=True)
monthly = ui.cached(overview.activities_per_month, db, filters)

left, right = st.columns(2)
with left:
    st.subheader(t("overview.members_chart"))
    if members.empty:
        st.info(t("common.no_data"))
    else:
        st.plotly_chart(figures.members_figure(members, lang), key="members_chart")
with right:
    st.subheader(t("overview.skills_chart"))
    st.plotly_chart(figures.skills_figure(skills, lang), key="skills_chart")

st.subheader(t("overview.activity_chart"))
if monthly.empty:
    st.info(t("common.no_data"))
else:
    st.plotly_chart(figures.activity_figure(monthly, lang), key="activity_chart")
    downloads(monthly, "activities_per_month", MONTHLY)


# -- the board report ----------------------------------------------------------------------
def report_html() -> bytes:
    db.audit("export", actor=viewer.actor, kind="leadership_report", detail="html")
    report = ui.cached(build_report, db, viewer, filters, lang)
    return board_report.board_html(report).encode("utf-8")


def report_pdf() -> bytes:
    db.audit("export", actor=viewer.actor, kind="leadership_report", detail="pdf")
    report = ui.cached(build_report, db, viewer, filters, lang)
    return board_report.html_to_pdf(board_report.board_html(report))


st.subheader(t("leadership.report"))
writer_note = ui.writer_note()
if writer_note:
    st.caption(writer_note)
else:
    html_col, pdf_col, _ = st.columns([1, 1, 2])
    html_col.download_button(
        t("leadership.report_html"),
        report_html,
        "leadership-report.html",
        "text/html",
        on_click="ignore",
        icon=":material/description:",
    )
    pdf_missing = board_report.pdf_unavailable()
    pdf_col.download_button(
        t("leadership.report_pdf"),
        report_pdf,
        "leadership-report.pdf",
        "application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        disabled=pdf_missing is not None,
    )
    if pdf_missing is not None:
        st.caption(ui.markdown_escape(pdf_missing.text(lang)))
