"""Community charter: the club's mission, goals, rules and rituals, every version of it,
editing for curators, and each new member's onboarding checklist."""

import pandas as pd
import streamlit as st

from lib import access, formatting, i18n
from lib.access import AccessDenied
from lib.insights import charter, onboarding
from lib.naming import person_label_map
from pages.components import ui
from pages.components.ui import t

DIFF_LANGUAGE = "diff"

DATE_FORMAT = "localized"

viewer = ui.page_viewer("charter")
db = ui.database()
filters = ui.filters()
staff = access.can(viewer, "see_onboarding")


def when(value) -> str:
    return formatting.day(pd.Timestamp(value).date(), ui.lang()) if pd.notna(value) else "—"


def version_line(row: dict) -> str:
    return t(
        "charter.version_line",
        version=row["version"],
        author=row["author"] or "—",
        date=when(row["saved_at"]),
    )


def done(message: str) -> None:
    """After a change: drop cached answers and rerun, showing `message` once."""
    ui.clear_caches()
    st.session_state["charter_flash"] = message
    st.rerun()


def step_name(step_id: str, fallback: str) -> str:
    key = f"charter.step_{step_id}"
    return t(key) if key in i18n.catalogue(ui.lang()) else fallback


def columns_config(frame: pd.DataFrame) -> dict:
    config = {}
    for column in frame.columns:
        label = t(f"charter.col_{column}")
        if column == "progress":
            config[column] = st.column_config.ProgressColumn(
                label, format="percent", min_value=0.0, max_value=1.0
            )
        elif column in ("done", "overdue"):
            config[column] = st.column_config.CheckboxColumn(label)
        elif column == "saved_at":
            config[column] = st.column_config.DatetimeColumn(label, format=DATE_FORMAT)
        elif column.endswith("_on") or column == "next_due":
            config[column] = st.column_config.DateColumn(label, format=DATE_FORMAT)
        else:
            config[column] = st.column_config.Column(label)
    return config


# -- sections --------------------------------------------------------------------------------
def charter_section(current: dict | None) -> None:
    if current is None:
        st.info(t("charter.none"))
        return
    st.caption(version_line(current))
    with st.container(border=True):
        st.markdown(charter.safe_markdown(current["body"]))


def versions_section(current: dict | None) -> None:
    versions = charter.charter_versions(db)
    if versions.empty:
        st.info(t("charter.none"))
        return
    rows = {int(r["version"]): r for r in versions.to_dict("records")}
    picked = st.selectbox(
        t("charter.pick_version"),
        list(rows),
        format_func=lambda v: version_line(rows[v]),
        key="charter_version",
    )
    chosen = charter.charter_version(db, picked)
    if current is not None and picked != current["version"]:
        with st.expander(t("charter.diff")):
            st.code(charter.charter_diff(chosen, current), language=DIFF_LANGUAGE)
    else:
        st.caption(t("charter.is_current"))
    with st.container(border=True):
        st.markdown(charter.safe_markdown(chosen["body"]))
    st.subheader(t("charter.versions_table"))
    st.dataframe(versions, hide_index=True, column_config=columns_config(versions))
    ui.downloads(versions, "charter_versions")


def edit_section(current: dict | None) -> None:
    st.caption(t("charter.edit_help"))
    with st.form("charter_edit"):
        body = st.text_area(t("charter.body"), value=current["body"] if current else "", height=480)
        submitted = st.form_submit_button(t("charter.save"), type="primary")
    if submitted:
        try:
            version = charter.save_charter(db, viewer, body)
        except (ValueError, AccessDenied) as exc:
            ui.show_error(exc)
        else:
            done(t("charter.saved", version=version))
    with st.expander(t("charter.preview")):
        st.markdown(charter.safe_markdown(body))


def onboarding_section() -> None:
    st.caption(t("charter.onboarding_caption"))
    progress = ui.cached(onboarding.onboarding_progress, db, viewer, filters)
    if progress.empty:
        st.info(t("charter.no_onboarding"))
        return
    summary = onboarding.onboarding_summary(progress)
    tiles = st.columns(3)
    tiles[0].metric(
        t("charter.onboarding_members", days=onboarding.RECENT_DAYS),
        ui.fmt_number(len(summary)),
        border=True,
    )
    tiles[1].metric(
        t("charter.onboarding_overdue_members"),
        ui.fmt_number(int((summary.overdue_steps > 0).sum())),
        border=True,
    )
    tiles[2].metric(
        t("charter.onboarding_overdue_steps"),
        ui.fmt_number(int(summary.overdue_steps.sum())),
        border=True,
    )
    steps = {r["step_id"]: r["title"] for r in onboarding.onboarding_steps(db).to_dict("records")}
    shown = summary.assign(
        status=summary["status"].map(lambda s: t(f"status.{s}")),
        progress=summary.steps_done / summary.steps_total,
        next_step=summary["next_step"].map(
            lambda s: step_name(s, steps.get(s, s)) if isinstance(s, str) else "—"
        ),
    )
    st.dataframe(
        shown.drop(columns="person_id"), hide_index=True, column_config=columns_config(shown)
    )
    ui.downloads(summary, "onboarding_progress")
    member_checklist(progress, summary, steps)


def member_checklist(progress: pd.DataFrame, summary: pd.DataFrame, steps: dict) -> None:
    """One member's steps, with ticks by hand for what the data cannot show."""
    names = person_label_map(summary)
    person = st.selectbox(
        t("charter.pick_member"), list(names), format_func=names.get, key="onboarding_member"
    )
    mine = progress[progress.person_id == person]
    st.subheader(t("charter.checklist", name=names[person]))
    view = mine[["step_id", "due_on", "done", "done_on", "done_by", "overdue", "days_overdue"]]
    view = view.assign(
        step_id=[step_name(s, steps.get(s, s)) for s in view.step_id],
        done_by=view["done_by"].map(
            lambda b: t(f"charter.done_by_{b}") if isinstance(b, str) else "—"
        ),
    )
    st.dataframe(view, hide_index=True, column_config=columns_config(view))
    if not access.can(viewer, "edit_data"):
        return
    ticked = set(mine.loc[mine.done_by == "curator", "step_id"])
    with st.form("onboarding_tick"):
        left, middle, right = st.columns(3)
        step = left.selectbox(
            t("charter.col_step_id"),
            list(steps),
            format_func=lambda s: step_name(s, steps[s]),
        )
        day = middle.date_input(t("charter.tick_date"), value=ui.filters().as_of)
        note = right.text_input(t("charter.tick_note"))
        tick = st.form_submit_button(t("charter.tick"))
        untick = st.form_submit_button(t("charter.untick"), disabled=not ticked)
    try:
        if tick:
            onboarding.tick_step(db, viewer, person, step, done_on=day, note=note or None)
            done(t("charter.ticked"))
        elif untick:
            onboarding.untick_step(db, viewer, person, step)
            done(t("charter.unticked"))
    except (ValueError, AccessDenied) as exc:
        ui.show_error(exc)


# -- the page --------------------------------------------------------------------------------
st.title(t("charter.title"))
st.caption(t("charter.caption"))
if "charter_flash" in st.session_state:
    st.success(st.session_state.pop("charter_flash"))
current = charter.current_charter(db)

names = ["charter", "versions"]
if access.can(viewer, "edit_charter"):
    names.append("edit")
if staff:
    names.append("onboarding")
tabs = dict(zip(names, st.tabs([t(f"charter.tab_{n}") for n in names]), strict=True))
with tabs["charter"]:
    charter_section(current)
with tabs["versions"]:
    versions_section(current)
if "edit" in tabs:
    with tabs["edit"]:
        edit_section(current)
if "onboarding" in tabs:
    with tabs["onboarding"]:
        onboarding_section()
