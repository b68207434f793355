"""My page: a member's own file — contributions (log one, confirm what the club recorded),
skills (confirm, propose), engagement in their own terms, renewal readiness, onboarding steps
and what is coming up. A curator opens it for a member (`?member=ID`) and sees what the member
sees; what they log there is verified at once."""

import plotly.graph_objects as go
import streamlit as st

from lib import charts
from lib.conferences.matching import calls_for_member
from lib.contributions import renewal
from lib.engagement.calibration import rate_in_force
from lib.filters import Filters
from lib.membership import member_file, proposals, self_service
from lib.settings import current_settings
from pages.components import contribution_forms as forms
from pages.components import contribution_views as views
from pages.components import member_views, ui, workbench
from pages.components.ui import t

viewer = ui.page_viewer("my_page")
db = ui.database()
filters = ui.filters()
as_of = filters.as_of
settings = current_settings(db)
FLASH = forms.FLASH


def pick_member() -> str | None:
    """Staff choose the member (also from `?member=ID`); a member is always themselves."""
    if viewer.is_member:
        return viewer.person_id
    roster = ui.cached(member_file.club_roster, db, viewer, Filters(as_of=as_of))
    current = roster[roster["status"].isin(["onboarding", "active", "paused"])]
    labels = dict(
        zip(
            current["person_id"],
            [
                workbench.person_label(p, n)
                for p, n in zip(current["person_id"], current["name"], strict=True)
            ],
            strict=True,
        )
    )
    wanted = st.query_params.get("member")
    if wanted in labels and wanted != st.session_state.get("my_page_from_url"):
        st.session_state["my_page_member"] = st.session_state["my_page_from_url"] = wanted
    chosen = st.selectbox(
        t("members.pick_member"),
        list(labels),
        index=None,
        format_func=lambda pid: labels.get(pid, pid),
        placeholder=t("members.pick_placeholder"),
        key="my_page_member",
    )
    if chosen:
        st.query_params["member"] = chosen
    return chosen


def heading(person: str) -> dict:
    profile = ui.cached(self_service.own_profile, db, viewer, person)
    if viewer.is_member:
        st.title(t("self_service.title"))
    else:
        st.title(t("self_service.title_staff", name=profile["name"] or person))
    facts = [profile.get(k) for k in ("department", "team", "position")]
    facts.append(member_views.status_name(profile.get("status")))
    st.caption(" · ".join(ui.markdown_escape(f) for f in facts if isinstance(f, str) and f))
    return profile


def renewal_block(person: str) -> None:
    """Where the member stands for renewal over the rolling window, and why."""
    found = ui.cached(renewal.renewal_readiness, db, viewer, filters)
    mine = found[found["person_id"] == person]
    st.subheader(t("self_service.renewal_heading", days=settings["renewal_window_days"]))
    if mine.empty:
        st.caption(t("self_service.renewal_none"))
        return
    row = mine.iloc[0]
    views.readiness_badge(row["readiness"])
    tiles = [
        (t("self_service.tile_contributions"), ui.fmt_number(row["contributions"])),
        (
            t("self_service.tile_verified"),
            ui.fmt_percent(row["verified_share"]) if row["contributions"] else "—",
        ),
        (t("self_service.tile_ratio"), ui.fmt_number(row["ratio"], 2)),
    ]
    for column, (label, value) in zip(st.columns(3), tiles, strict=True):
        column.metric(label, value, border=True)
    if row["by_kind"]:
        st.markdown(ui.markdown_escape(views.by_kind_text(row["by_kind"])))
    for reason in row["reasons"]:
        st.markdown(f"- {t(f'self_service.my_reason_{reason}')}")
    st.caption(
        t(
            "self_service.renewal_caption",
            points=ui.fmt_number(row["points"], 1),
            expected=ui.fmt_number(row["expected"], 1),
        )
    )


def contributions_tab(person: str) -> None:
    renewal_block(person)
    forms.log_form(db, viewer, person, as_of)
    forms.confirm_block(db, viewer, person, as_of, settings["renewal_window_days"])
    forms.contributions_block(db, viewer, person, as_of)


# -- skills ------------------------------------------------------------------------------
def skills_tab(person: str) -> None:
    st.caption(t("self_service.skills_caption", days=settings["stale_days"]))
    skills = ui.cached(self_service.own_skills, db, viewer, filters, person)
    if skills.empty:
        st.info(t("self_service.no_skills"))
    else:
        shown = skills.drop(columns=["skill_id"])
        event = views.show(
            db,
            shown,
            "my_skills",
            renamed={"source": "claim_source"},
            key="my_skills_table",
            on_select="rerun",
            selection_mode="multi-row",
        )
        chosen = skills.iloc[event.selection.rows]["skill_id"].tolist()
        if viewer.is_member and st.button(
            t("self_service.confirm_skills", count=len(chosen)),
            disabled=not chosen,
            key="confirm_skills",
            icon=":material/verified:",
        ):
            views.attempt(
                lambda: proposals.confirm_own_skills(db, viewer, chosen, as_of=as_of),
                t("self_service.done_confirm_skills", count=len(chosen)),
                FLASH,
            )
    if viewer.is_member:
        propose_form()
    asked = ui.cached(proposals.own_proposals, db, viewer, person)
    if len(asked):
        st.markdown(f"**{t('self_service.proposals_heading')}**")
        shown = asked.drop(columns=["person_id", "skill_id"])
        views.show(db, shown, None, renamed={"status": "proposal_status"}, key="my_proposals")


def propose_form() -> None:
    with st.form("propose_skill", clear_on_submit=True):
        st.markdown(f"**{t('self_service.propose_heading')}**")
        left, right = st.columns([3, 1])
        skill = left.text_input(
            t("self_service.propose_skill"), help=t("self_service.propose_help")
        )
        level = right.number_input(t("members.field_level"), 1, 5, 3)
        note = st.text_input(t("self_service.propose_note"))
        sent = st.form_submit_button(t("self_service.propose"), icon=":material/add_task:")
    if sent:
        views.attempt(
            lambda: proposals.propose_skill(db, viewer, skill, int(level), as_of=as_of, note=note),
            t("self_service.done_propose"),
            FLASH,
        )


# -- engagement ----------------------------------------------------------------------------
def engagement_tab(person: str) -> None:
    score = ui.cached(self_service.own_score, db, viewer, filters, person)
    window = settings["window_days"]
    if score is None:
        st.info(t("self_service.not_scored"))
        return
    tiles = [
        (t("self_service.tile_points"), ui.fmt_number(score["points"], 1)),
        (t("self_service.tile_hours"), ui.fmt_number(score["hours_available"], 1)),
        (t("self_service.tile_expected"), ui.fmt_number(score["expected"], 1)),
        (t("self_service.tile_index"), ui.fmt_number(score["index"], 2)),
    ]
    st.badge(
        t("self_service.tile_level_is", level=t(f"engagement.level_{score['level']}")),
        icon=":material/trending_up:",
    )
    for column, (label, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, value, border=True)
    rate = rate_in_force(db, as_of, settings).value
    st.markdown(
        t(
            "self_service.engagement_explained",
            window=window,
            hours=ui.fmt_number(score["hours_available"], 1),
            rate=ui.fmt_number(rate, 2),
            expected=ui.fmt_number(score["expected"], 1),
            points=ui.fmt_number(score["points"], 1),
            index=ui.fmt_number(score["index"], 2),
        )
    )
    if score["capacity_flag"] != "reported":
        st.caption(t(f"self_service.capacity_{score['capacity_flag']}"))
    st.markdown(f"**{t('self_service.what_counts_heading')}**")
    st.caption(t("self_service.what_counts_caption", half_life=settings["half_life_days"]))
    counts = ui.cached(self_service.what_counts, db, viewer, filters, person)
    views.show(db, counts, "my_engagement_by_kind", key="what_counts")
    trend_chart(person)
    st.caption(t("self_service.no_ranking"))


def trend_chart(person: str) -> None:
    trend = ui.cached(self_service.own_trend, db, viewer, filters, person)
    st.markdown(f"**{t('self_service.trend_heading')}**")
    fig = go.Figure(
        go.Bar(
            x=trend["month"],
            y=trend["points"],
            marker_color=charts.PALETTE[0],
            name=t("self_service.tile_points"),
            customdata=trend["activities"],
            hovertemplate=t("self_service.trend_hover") + "<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis_title=t("common.month"), yaxis_title=t("self_service.trend_axis"), showlegend=False
    )
    charts.month_ticks(fig, trend["month"], ui.lang())
    st.plotly_chart(ui.style(fig, 300), key="my_trend")


# -- ahead ---------------------------------------------------------------------------------
def ahead_tab(person: str) -> None:
    st.markdown(f"**{t('self_service.steps_heading')}**")
    steps = ui.cached(self_service.own_open_steps, db, viewer, filters, person)
    if steps.empty:
        st.caption(t("self_service.no_steps"))
    else:
        names = [
            member_views.step_name("onboarding", s, title)
            for s, title in zip(steps["step_id"], steps["title"], strict=True)
        ]
        views.show(db, steps.assign(title=names).drop(columns="step_id"), None, key="my_steps")
    st.markdown(f"**{t('self_service.events_heading')}**")
    events = ui.cached(self_service.upcoming_events, db, viewer, filters)
    if events.empty:
        st.caption(t("self_service.no_events"))
    else:
        shown = events.drop(columns="event_id")
        views.show(db, shown, None, renamed={"kind": "event_kind"}, key="my_events")
    st.markdown(f"**{t('self_service.calls_heading')}**")
    st.caption(t("self_service.calls_caption"))
    calls = ui.cached(calls_for_member, db, viewer, filters, person)
    if calls.empty:
        st.caption(t("self_service.no_calls"))
    else:
        views.show(db, calls.drop(columns="conference_id"), "my_calls", key="my_calls")


person = pick_member()
if person is None:
    st.title(t("nav.member_page"))
    st.info(t("self_service.pick_hint"))
    st.stop()
heading(person)
views.flashed(FLASH)
names = ["contributions", "skills", "engagement", "ahead"]
tabs = dict(zip(names, st.tabs([t(f"self_service.tab_{n}") for n in names]), strict=True))
with tabs["contributions"]:
    contributions_tab(person)
with tabs["skills"]:
    skills_tab(person)
with tabs["engagement"]:
    engagement_tab(person)
with tabs["ahead"]:
    ahead_tab(person)
