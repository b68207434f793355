"""Speaking: conferences and their calls for papers, the members whose expertise fits them, the
pipeline of talk submissions by status and its results. Leadership sees the aggregates and
the accepted talks; planners, curators and administrators the whole pipeline; curators and
administrators change it (the forms are in components/speaking_forms.py)."""

import pandas as pd
import streamlit as st

from lib import access, charts
from lib.conferences import matching, pipeline, records
from lib.formatting import Format
from lib.io.presentation import TableView
from lib.vocabulary import SubmissionStatus
from pages.components import speaking_forms, ui
from pages.components.kpis import Tile, kpi_row
from pages.components.tables import code_label, show_table
from pages.components.ui import t

BOARD_STATUSES = records.LIVE_STATUSES
CARDS_PER_COLUMN = 8
FORMATS = {
    "starts_on": Format.DATE,
    "ends_on": Format.DATE,
    "cfp_opens": Format.DATE,
    "cfp_closes": Format.DATE,
    "created_on": Format.DATE,
    "submitted_on": Format.DATE,
    "decided_on": Format.DATE,
    "delivered_on": Format.DATE,
    "audience": Format.INTEGER,
    "cost": Format.MONEY,
    "days_to_close": Format.INTEGER,
    "submissions": Format.INTEGER,
    "fit": Format.DECIMAL2,
    "hours_available": Format.HOURS,
    "acceptance_rate": Format.PERCENT,
    "score": Format.INTEGER,
    "best_fit": Format.DECIMAL2,
    "calls": Format.INTEGER,
}
CODES = {
    "status": code_label("conferences.status."),
    "cfp_state": code_label("conferences.cfp_"),
    "priority": code_label("gaps.priority_"),
}


def header(column: str) -> str:
    return t(f"conferences.col_{column}")


def table(frame: pd.DataFrame, name: str | None, **options):
    view = TableView(
        headers={c: header(c) for c in frame.columns},
        formats=FORMATS,
        codes=CODES,
    )
    return show_table(frame, name, view, **options)


def kpis(calls: pd.DataFrame, counts: pd.DataFrame, by_quarter: pd.DataFrame) -> None:
    count = dict(zip(counts["status"], counts["submissions"], strict=True))
    live = sum(count[s] for s in BOARD_STATUSES if s != SubmissionStatus.ACCEPTED)
    decided = sum(count[s] for s in pipeline.DECIDED)
    accepted = sum(count[s] for s in pipeline.ACCEPTED)
    values = {
        "open_calls": ui.fmt_number(len(calls)),
        "closing_soon": ui.fmt_number(int(calls["closing_soon"].sum())),
        "in_preparation": ui.fmt_number(live),
        "accepted": ui.fmt_number(count[SubmissionStatus.ACCEPTED]),
        "acceptance": ui.fmt_percent(accepted / decided if decided else None),
        "delivered": ui.fmt_number(int(by_quarter["talks"].sum())),
    }
    kpi_row(
        [
            Tile(t(f"conferences.kpi_{key}"), value, t(f"conferences.kpi_{key}_help"))
            for key, value in values.items()
        ]
    )


# -- the pipeline ---------------------------------------------------------------------------
def card(row) -> None:
    with st.container(border=True):
        st.markdown(f"**{ui.markdown_escape(row.title)}**")
        st.caption(
            t(
                "conferences.card_line",
                conference=ui.markdown_escape(row.conference),
                speakers=ui.markdown_escape(", ".join(row.speakers) or "—"),
            )
        )
        if row.closing_soon:
            days = (pd.Timestamp(row.cfp_closes) - pd.Timestamp(as_of)).days
            st.badge(t("conferences.closes_in", days=days), icon=":material/alarm:", color="red")


def board(subs: pd.DataFrame) -> None:
    st.caption(t("conferences.board_caption", days=records.DEADLINE_DAYS))
    for column, status in zip(st.columns(len(BOARD_STATUSES)), BOARD_STATUSES, strict=True):
        mine = subs[subs["status"] == status].sort_values(["closing_soon", "starts_on"])
        mine = mine.iloc[::-1] if len(mine) else mine
        column.markdown(f"**{t(f'conferences.status.{status}')}** · {ui.fmt_number(len(mine))}")
        with column:
            for row in mine.head(CARDS_PER_COLUMN).itertuples():
                card(row)
            if len(mine) > CARDS_PER_COLUMN:
                st.caption(t("conferences.more_cards", count=len(mine) - CARDS_PER_COLUMN))


def pipeline_view(subs: pd.DataFrame, calls: pd.DataFrame) -> None:
    soon = calls[calls["closing_soon"]]
    if len(soon):
        st.warning(t("conferences.deadlines_heading", days=records.DEADLINE_DAYS, count=len(soon)))
        table(soon[["name", "cfp_closes", "days_to_close", "topics", "submissions"]], None)
    board(subs)
    st.subheader(t("conferences.all_submissions"))
    columns = ["submission_id", "conference", "starts_on", "title", "status", "speakers"]
    columns += ["skill_names", "reviewer", "cfp_closes", "closing_soon", "submitted_on"]
    table(subs[[*columns, "decided_on", "delivered_on", "activity_ids"]], "submissions")


# -- calls and matching -----------------------------------------------------------------------
def calls_view(conferences: pd.DataFrame) -> None:
    st.caption(t("conferences.calls_caption"))
    columns = ["conference_id", "name", "city", "online", "starts_on", "ends_on", "audience"]
    columns += ["topics", "cfp_opens", "cfp_closes", "cfp_state", "days_to_close", "cost"]
    table(conferences[[*columns, "submissions"]], "conferences")
    options = conferences.sort_values(["cfp_state", "days_to_close"], key=_open_first)
    names = dict(zip(options["conference_id"], options["name"], strict=True))
    chosen = st.selectbox(
        t("conferences.pick_conference"), list(names), format_func=names.get, key="cfp_conference"
    )
    if chosen:
        matches_view(chosen, names[chosen])


def _open_first(column: pd.Series) -> pd.Series:
    if column.name == "cfp_state":
        return column.map({"open": 0, "not_open": 1}).fillna(2)
    return column


def matches_view(conference_id: str, name: str) -> None:
    st.subheader(t("conferences.matches_heading", conference=name))
    found = ui.cached(matching.speaker_matches, db, viewer, filters, (conference_id,))
    if found.empty:
        st.info(t("conferences.no_matches"))
    else:
        st.caption(t("conferences.matches_caption"))
        columns = ["name", "department", "fit", "best_level", "fresh", "matched", "talks_12m"]
        columns += ["talks_in_pipeline", "hours_available", "submitted"]
        table(found[[c for c in columns if c in found]], f"matches_{conference_id}")
        if access.can(viewer, "edit_submissions"):
            speaking_forms.propose_talk(db, viewer, conference_id, found, as_of)
    gaps = ui.cached(matching.showcased_gaps, db, filters, (conference_id,))
    st.markdown(f"**{t('conferences.gaps_heading')}**")
    if gaps.empty:
        st.caption(t("conferences.no_gaps"))
    else:
        table(gaps.drop(columns="conference_id"), f"gaps_{conference_id}")


def member_view() -> None:
    """Members with open calls that fit them, best fit first, then one member's calls."""
    found = ui.cached(matching.member_calls, db, viewer, filters)
    if found.empty:
        st.info(t("conferences.no_calls_for_member"))
        return
    ranked = (
        found.groupby(["person_id", "name", "department"], as_index=False)
        .agg(calls=("conference_id", "nunique"), best_fit=("fit", "max"))
        .sort_values(["best_fit", "calls", "name"], ascending=[False, False, True])
    )
    st.caption(t("conferences.members_caption", count=len(ranked)))
    labels = dict(zip(ranked["person_id"], ranked["name"], strict=True))
    person = st.selectbox(
        t("conferences.pick_member"), list(labels), format_func=labels.get, key="cfp_member"
    )
    mine = found[found["person_id"] == person]
    columns = ["conference", "city", "starts_on", "cfp_closes", "days_to_close", "fit"]
    table(mine[[*columns, "matched", "submitted"]], f"calls_{person}")
    st.markdown(f"**{t('conferences.members_heading')}**")
    table(ranked.drop(columns="person_id"), "members_with_calls")


# -- results ----------------------------------------------------------------------------------
def results_view(counts: pd.DataFrame, by_quarter: pd.DataFrame) -> None:
    lang = ui.lang()
    left, right = st.columns(2)
    shown = counts.assign(status=counts["status"].map(lambda s: t(f"conferences.status.{s}")))
    left.markdown(f"**{t('conferences.status_chart')}**")
    left.plotly_chart(
        charts.horizontal_bars(
            shown,
            category="status",
            value="submissions",
            value_label=header("submissions"),
            category_label=header("status"),
            lang=lang,
        ),
        key="cfp_status_chart",
    )
    quarters = by_quarter.assign(kind=header("talks"), quarter=by_quarter["quarter"].map(quarter))
    right.markdown(f"**{t('conferences.quarter_chart')}**")
    right.plotly_chart(
        charts.stacked_bars(
            quarters,
            x="quarter",
            y="talks",
            stack="kind",
            labels={"quarter": header("quarter"), "talks": header("talks")},
            colors={},
            lang=lang,
        ),
        key="cfp_quarter_chart",
    )
    st.subheader(t("conferences.acceptance_heading"))
    left, right = st.columns(2)
    with left:
        by_conference = ui.cached(pipeline.acceptance_by_conference, db, viewer)
        table(by_conference.drop(columns="conference_id"), "acceptance_by_conference")
    with right:
        by_skill = ui.cached(pipeline.acceptance_by_skill, db, viewer)
        table(by_skill.drop(columns="skill_id"), "acceptance_by_skill")
    st.subheader(t("conferences.uncovered_heading", year=as_of.year))
    st.caption(t("conferences.uncovered_caption"))
    uncovered = ui.cached(pipeline.uncovered_target_skills, db, viewer, as_of)
    table(uncovered, "uncovered_target_skills")


def quarter(period: str) -> str:
    """'2026Q3' as the reader writes a quarter."""
    year, number = period.split("Q")
    return t("conferences.quarter_value", quarter=number, year=year)


def accepted_view(subs: pd.DataFrame) -> None:
    st.caption(t("conferences.accepted_caption"))
    columns = ["conference", "starts_on", "title", "status", "speakers", "skill_names"]
    table(subs[[*columns, "delivered_on"]], "accepted_talks")


# -- the page ---------------------------------------------------------------------------------
viewer = ui.page_viewer("conferences")
db = ui.database()
filters = ui.filters()
as_of = filters.as_of

st.title(t("conferences.title"))
st.caption(t("conferences.caption"))
speaking_forms.show_flash()
conferences = ui.cached(records.conference_list, db, as_of)
calls = conferences[conferences["cfp_state"] == "open"]
counts = ui.cached(pipeline.status_counts, db, viewer)
by_quarter = ui.cached(pipeline.delivered_per_quarter, db, viewer)
subs = ui.cached(records.submission_list, db, viewer, as_of)
kpis(calls, counts, by_quarter)

if access.can(viewer, "see_cfp_pipeline"):
    names = ["pipeline", "calls", "members", "results"]
else:
    names = ["accepted", "results"]
if access.can(viewer, "edit_submissions") or access.can(viewer, "edit_conferences"):
    names.append("edit")
labels = [t(f"conferences.tab_{n}") for n in names]
chosen = st.tabs(labels, key="speaking_tab", on_change="rerun", bind="query-params")
tabs = dict(zip(names, chosen, strict=True))
views = {
    "pipeline": lambda: pipeline_view(subs, calls),
    "calls": lambda: calls_view(conferences),
    "members": member_view,
    "accepted": lambda: accepted_view(subs),
    "results": lambda: results_view(counts, by_quarter),
    "edit": lambda: speaking_forms.edit_view(db, viewer, conferences, subs, as_of),
}
for name, tab in tabs.items():
    with tab:
        if tab.open:
            views[name]()
