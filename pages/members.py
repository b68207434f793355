"""Members: the curator's workbench — each member's file with the moves that apply to them, the
roster for changes to many at once, the skill claims to review and the records kept by hand.
Every change is shown before it is made, logged with its before and after, and the last one can
be undone from its confirmation."""

import pandas as pd
import streamlit as st

from lib import access, formatting
from lib.filters import Filters
from lib.membership import checklists, claims, lifecycle, member_file
from lib.settings import current_settings
from lib.vocabulary import CURRENT_STATUSES, MembershipStatus, values
from pages.components import contribution_review, member_views, record_forms, ui, workbench
from pages.components.ui import t

WHERE = "members"
QUEUE_SHOWN = 500
STATUSES = values(MembershipStatus)
ROSTER_ACTIONS = ("onboard", "activate", "pause", "resume", "offboard")

viewer = ui.page_viewer("members")
db = ui.database()
filters = ui.filters()
as_of = filters.as_of
whole_club = Filters(as_of=as_of)


header = member_views.header
show = member_views.show


# -- the member's file ---------------------------------------------------------------------
def pick_person() -> str | None:
    """The member whose file is open: chosen here or given in the URL (`?member=ID`, the link
    from the expertise map); the choice is written back to the URL so it can be shared."""
    roster = ui.cached(member_file.club_roster, db, viewer, whole_club)
    labels = {
        row.person_id: f"{workbench.person_label(row.person_id, row.name)} · "
        f"{workbench.status_name(row.status)}"
        for row in roster.itertuples()
    }
    wanted = st.query_params.get("member")
    if wanted and wanted not in labels:
        names = member_file.person_names(db, [wanted])
        if wanted in names:
            label = workbench.person_label(wanted, names[wanted])
            labels = {wanted: f"{label} · {t('members.not_in_club')}", **labels}
    if wanted in labels and wanted != st.session_state.get("member_from_url"):
        st.session_state["member"] = st.session_state["member_from_url"] = wanted
    chosen = st.selectbox(
        t("members.pick_member"),
        list(labels),
        index=None,
        format_func=lambda pid: labels.get(pid, pid),
        placeholder=t("members.pick_placeholder"),
        key="member",
    )
    if chosen:
        st.query_params["member"] = chosen
    return chosen


def identity(file: member_file.MemberFile) -> None:
    """Who they are and where they stand in the club, in two lines."""
    person = file.person
    st.subheader(person["name"] or person["person_id"])
    facts = [person[k] for k in ("department", "team", "position", "grade", "location")]
    st.caption(" · ".join(str(f) for f in [person["person_id"], *facts] if isinstance(f, str)))
    standing = [
        (t("members.facts_status"), workbench.status_name(person["status"])),
        (t("members.facts_wave"), formatting.number(person["wave"], ui.lang())),
        (t("members.facts_joined"), formatting.day(person["joined_on"], ui.lang())),
        (t("members.facts_left"), formatting.day(person["left_on"], ui.lang())),
    ]
    if access.can(viewer, "see_exit_reasons") and isinstance(person["exit_reason"], str):
        standing.append(
            (t("members.facts_exit"), workbench.exit_reason_name(person["exit_reason"]))
        )
    st.markdown(" · ".join(f"**{name}:** {ui.markdown_escape(value)}" for name, value in standing))


def own_page_link(file: member_file.MemberFile) -> None:
    """The member's own page as they see it, for a current member."""
    if file.person["status"] in ("onboarding", "active", "paused"):
        spec = access.PAGE_BY_KEY["my_page"]
        st.page_link(
            spec.file,
            label=t("members.open_own_page"),
            icon=spec.icon,
            query_params={"member": file.person["person_id"]},
        )


def action_buttons(file: member_file.MemberFile) -> None:
    """The lifecycle moves that apply to this person, and check-in and recognition for members."""
    person = file.person["person_id"]
    moves = [a for a in file.actions if access.can(viewer, lifecycle.TRANSITIONS[a].permission)]
    current = file.person["status"] in CURRENT_STATUSES
    buttons = [*moves, *(["check_in", "recognise"] if current else [])]
    for column, action in zip(st.columns(max(len(buttons), 1)), buttons, strict=False):
        text = t(f"members.action_{action}") if action in moves else t(f"members.{action}")
        if column.button(text, key=f"file_{action}", use_container_width=True):
            if action in moves:
                wave = ui.cached(lifecycle.recruiting_wave, db) if action == "invite" else None
                workbench.propose("move", WHERE, action=action, people=[person], wave=wave)
            else:
                workbench.propose(action, WHERE, people=[person])


def engagement_block(file: member_file.MemberFile) -> None:
    """Points and index against the workload behind them (capacity for roles that see it)."""
    st.markdown(f"**{t('members.engagement_heading')}**")
    score = file.engagement
    if score is None:
        st.caption(t("members.no_engagement"))
        return
    if score["at_risk"]:
        st.badge(t("members.at_risk_yes"), icon=":material/warning:", color="orange")
    tiles = [
        (header("points"), ui.fmt_number(score["points"], 1)),
        (header("index"), ui.fmt_number(score["index"], 2)),
        (header("level_name"), t(f"engagement.level_{score['level']}")),
    ]
    if "hours_available" in score:
        tiles += [
            (header("hours_available"), ui.fmt_number(score["hours_available"], 1)),
            (header("expected"), ui.fmt_number(score["expected"], 1)),
            (header("capacity_flag"), t(f"engagement.capacity_{score['capacity_flag']}")),
        ]
    for row in (tiles[:3], tiles[3:]):
        for column, (name, value) in zip(st.columns(3), row, strict=False):
            column.metric(name, value, border=True)
    st.caption(t("members.engagement_caption"))


def steps_block(file: member_file.MemberFile) -> None:
    """Open onboarding and offboarding steps, with a tick for what the data cannot show."""
    st.markdown(f"**{t('members.steps_heading')}**")
    steps = file.open_steps
    if steps.empty:
        st.caption(t("members.no_steps"))
        return
    names = [
        member_views.step_name(row.checklist, row.step_id, row.title) for row in steps.itertuples()
    ]
    shown = steps.drop(columns="title").assign(step_id=names)
    show(shown, None, key="file_steps")
    tick_form(file.person["person_id"], steps, names)


@st.fragment
def tick_form(person: str, steps: pd.DataFrame, names: list[str]) -> None:
    """Mark one open step as done; reruns alone until it is sent."""
    options = dict(zip(steps.checklist + ":" + steps.step_id, names, strict=True))
    with st.form("file_tick"):
        chosen = st.selectbox(t("members.tick_step"), list(options), format_func=options.get)
        left, right = st.columns([1, 2])
        day = left.date_input(t("members.tick_date"), value=as_of)
        note = right.text_input(t("members.note"))
        ticked = st.form_submit_button(t("members.tick"), icon=":material/task_alt:")
    if ticked:
        checklist, step = chosen.split(":", 1)
        workbench.attempt(
            lambda: checklists.tick_step(
                db, viewer, person, checklist, step, done_on=day, note=note
            ),
            lambda entry: t("members.done_tick", entry=entry),
            WHERE,
        )


def check_ins_block(file: member_file.MemberFile) -> None:
    st.markdown(f"**{t('members.check_ins_heading')}**")
    open_ones = file.check_ins
    if open_ones.empty:
        st.caption(t("members.no_check_ins"))
        return
    show(open_ones, None, key="file_check_ins")
    days = [pd.Timestamp(d).date() for d in open_ones["due_on"]]
    with st.form("file_check_in_held"):
        left, right = st.columns(2)
        due = left.selectbox(t("members.check_in_pick"), days, format_func=ui.fmt_date)
        held = right.date_input(t("members.tick_date"), value=as_of)
        sent = st.form_submit_button(t("members.check_in_held"))
    if sent:
        workbench.attempt(
            lambda: checklists.complete_check_in(db, viewer, file.person["person_id"], due, held),
            lambda entry: t("members.done_check_in_held", entry=entry),
            WHERE,
        )


def skills_block(file: member_file.MemberFile) -> None:
    st.markdown(f"**{t('members.skills_heading')}**")
    if file.skills.empty:
        st.caption(t("members.no_skills"))
    else:
        show(file.skills.drop(columns="skill_id"), None, key="file_skills")
    if not file.rejected.empty:
        with st.expander(t("members.rejected_heading", count=len(file.rejected))):
            show(file.rejected.drop(columns="skill_id"), None, key="file_rejected")


def history_block(file: member_file.MemberFile) -> None:
    st.markdown(f"**{t('members.history_heading')}**")
    if file.history.empty:
        st.caption(t("members.no_history"))
        return
    show(file.history, None, key="file_history")


def rituals_block(file: member_file.MemberFile) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('members.recognitions_heading')}**")
        if file.recognitions.empty:
            st.caption(t("members.no_recognitions"))
        else:
            show(file.recognitions, None, kind="recognitions", key="file_recognitions")
    with right:
        st.markdown(f"**{t('members.events_heading')}**")
        if file.events.empty:
            st.caption(t("members.no_events"))
        else:
            show(file.events, None, kind="events", key="file_events")


def file_section() -> None:
    person = pick_person()
    if person is None:
        st.info(t("members.pick_hint"))
        return
    try:
        file = ui.cached(member_file.member_file, db, viewer, person, whole_club)
    except workbench.USER_ERRORS as exc:
        ui.show_error(exc)
        return
    identity(file)
    own_page_link(file)
    action_buttons(file)
    engagement_block(file)
    left, right = st.columns(2)
    with left:
        history_block(file)
        skills_block(file)
    with right:
        steps_block(file)
        check_ins_block(file)
    rituals_block(file)


# -- the roster ------------------------------------------------------------------------------
def roster_section() -> None:
    """Everyone in the filtered club; a selection of rows gets one lifecycle move at a time."""
    st.caption(t("members.roster_caption"))
    roster = ui.cached(member_file.club_roster, db, viewer, filters)
    statuses = st.multiselect(
        t("members.status_filter"),
        STATUSES,
        default=[str(s) for s in CURRENT_STATUSES],
        format_func=workbench.status_name,
        key="roster_statuses",
    )
    shown = roster[roster["status"].isin(statuses)] if statuses else roster
    shown = shown.reset_index(drop=True)
    if not access.can(viewer, "see_exit_reasons"):
        shown = shown.drop(columns="exit_reason")
    event = show(
        shown,
        "club_roster",
        key="roster_table",
        on_select="rerun",
        selection_mode="multi-row",
    )
    chosen = shown.iloc[event.selection.rows]["person_id"].tolist()
    st.caption(t("members.selected", count=len(chosen)))
    buttons = [*ROSTER_ACTIONS, "check_in"]
    for column, action in zip(st.columns(len(buttons)), buttons, strict=True):
        text = t(f"members.action_{action}") if action in ROSTER_ACTIONS else t("members.check_in")
        if column.button(text, disabled=not chosen, key=f"roster_{action}"):
            if action in ROSTER_ACTIONS:
                workbench.propose("move", WHERE, action=action, people=chosen)
            else:
                workbench.propose("check_in", WHERE, people=chosen)


# -- skill claims ----------------------------------------------------------------------------
def claims_section() -> None:
    """The review queue; a selection of claims is confirmed, re-levelled or rejected."""
    days = current_settings(db)["stale_days"]
    st.caption(t("members.claims_caption", days=days))
    queue = ui.cached(claims.claims_queue, db, viewer, filters)
    tiles = [
        (t("members.claims_in_queue"), len(queue)),
        (t("members.claims_proposed"), int(queue["proposal"].sum())),
        (t("members.claims_never"), int((queue["confirmed_on"].isna() & ~queue["proposal"]).sum())),
        (t("members.claims_critical"), int(queue["priority"].notna().sum())),
        (t("members.claims_sole"), int(queue["sole_holder"].sum())),
    ]
    for column, (name, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(name, ui.fmt_number(value), border=True)
    if queue.empty:
        st.info(t("members.claims_none"))
    else:
        review_queue(queue)
    add_claim_form()


def review_queue(queue: pd.DataFrame) -> None:
    shown = queue.head(QUEUE_SHOWN)
    if len(queue) > QUEUE_SHOWN:
        st.caption(t("members.claims_shown", shown=QUEUE_SHOWN, total=ui.fmt_number(len(queue))))
    columns = ["name", "skill", "level", "source", "proposal", "confirmed_on", "age_days"]
    columns += ["critical", "priority", "holders", "status", "department", "evidence"]
    event = show(
        shown[columns],
        "claims_queue",
        codes={"proposal": lambda asked: t("members.yes") if asked else t("members.no")},
        key="claims_table",
        on_select="rerun",
        selection_mode="multi-row",
    )
    chosen = shown.iloc[event.selection.rows]
    picked = chosen[["person_id", "name", "skill_id", "skill", "level", "source", "confirmed_on"]]
    st.caption(t("members.selected", count=len(chosen)))
    verbs = {"confirm": bool(len(chosen)), "level": len(chosen) == 1, "reject": bool(len(chosen))}
    for column, (verb, allowed) in zip(st.columns(len(verbs)), verbs.items(), strict=True):
        help_text = t("members.claims_one_for_level") if verb == "level" else None
        if column.button(
            t(f"members.claims_{verb}"), disabled=not allowed, key=f"claims_{verb}", help=help_text
        ):
            workbench.propose("claims", WHERE, verb=verb, claims=picked.to_dict("records"))


@st.fragment
def add_claim_form() -> None:
    """A curator's claim with its evidence; the skill may be typed as a name or an alias."""
    st.subheader(t("members.add_claim_heading"))
    roster = ui.cached(member_file.club_roster, db, viewer, whole_club)
    names = {
        pid: workbench.person_label(pid, name)
        for pid, name in zip(roster["person_id"], roster["name"], strict=True)
    }
    with st.form("add_claim"):
        left, middle, right = st.columns([2, 2, 1])
        ids, open_file = list(names), st.session_state.get("member")
        person = left.selectbox(
            t("members.field_person_id"),
            ids,
            index=ids.index(open_file) if open_file in names else 0,
            format_func=names.get,
            key="claim_person",
        )
        skill = middle.text_input(t("members.add_claim_skill"), key="claim_skill")
        level = right.number_input(t("members.field_level"), 1, 5, 3, key="claim_level")
        evidence = st.text_area(t("members.field_evidence"), key="claim_evidence")
        sent = st.form_submit_button(t("members.add_claim"), icon=":material/add:")
    if sent:
        workbench.attempt(
            lambda: claims.add_claim(
                db,
                viewer,
                person,
                skill,
                int(level),
                evidence=evidence,
                as_of=as_of,
                lang=ui.lang(),
            ),
            lambda entry: t("members.done_claim_add", entry=entry),
            WHERE,
        )


# -- the page --------------------------------------------------------------------------------
st.title(t("members.title"))
st.caption(t("members.caption"))
workbench.last_action(db, viewer, WHERE)
names = ["file", "roster", "claims", "contributions", "renewal", "records"]
tabs = dict(zip(names, st.tabs([t(f"members.tab_{n}") for n in names]), strict=True))
with tabs["file"]:
    file_section()
with tabs["roster"]:
    roster_section()
with tabs["claims"]:
    claims_section()
with tabs["contributions"]:
    contribution_review.verification_section(db, viewer, filters, WHERE)
with tabs["renewal"]:
    contribution_review.renewal_section(db, viewer, filters)
with tabs["records"]:
    record_forms.records_section(db, viewer, WHERE, st.session_state.get("member"))
workbench.pending_dialog(db, viewer, WHERE)
