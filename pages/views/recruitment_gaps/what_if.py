"""What if members leave: the coverage and gaps that remain without the chosen members."""

import streamlit as st

from lib import formatting
from lib.context import RequestContext
from lib.naming import person_label_map
from lib.recruitment.risks import member_flags, what_if_leaves, what_if_summary
from pages.components import ui
from pages.components.kpis import Tile, kpi_row
from pages.components.ui import t
from pages.views.recruitment_gaps.common import show_table


def what_if_tab(ctx: RequestContext) -> None:
    st.subheader(t("gaps.what_if_heading"))
    st.caption(t("gaps.what_if_caption"))
    leaving = leaving_picker(ctx)
    what_if = ui.cached(what_if_leaves, ctx.db, ctx.filters, tuple(sorted(leaving)))
    effect = what_if_summary(what_if)
    change = effect["weighted_gap_after"] - effect["weighted_gap_before"]
    kpi_row(
        [
            Tile(
                t("gaps.kpi_losing"),
                ui.fmt_number(effect["skills_losing_holders"]),
                t("gaps.help_losing"),
            ),
            Tile(
                t("gaps.kpi_falls_below"),
                ui.fmt_number(effect["falls_below"]),
                t("gaps.help_falls_below"),
            ),
            Tile(
                t("gaps.kpi_lost_entirely"),
                ui.fmt_number(effect["lost_entirely"]),
                t("gaps.help_lost_entirely"),
            ),
            Tile(
                t("gaps.kpi_weighted_gap_after"),
                ui.fmt_number(effect["weighted_gap_after"], 1),
                t("gaps.help_gap_after"),
                delta=formatting.signed(change, ui.lang(), 1),
                delta_color="inverse",
            ),
        ]
    )
    changed = what_if[what_if["coverage_after"] < what_if["coverage_before"]]
    if not leaving:
        st.info(t("gaps.what_if_empty"))
    elif changed.empty:
        st.success(t("gaps.what_if_no_change"))
    else:
        show_table(
            changed,
            [
                "skill",
                "category",
                "priority",
                "min_people",
                "coverage_before",
                "coverage_after",
                "falls_below",
                "weighted_gap_before",
                "weighted_gap_after",
                "leaving",
            ],
            "what_if_leaves",
        )


def leaving_picker(ctx: RequestContext) -> list[str]:
    """The members to take out, chosen by name or added as a group (at risk, over capacity)
    where the viewer may see those flags."""
    flags = ui.cached(member_flags, ctx.db, ctx.viewer, ctx.filters)
    names = person_label_map(flags)

    def add_to_leaving(column: str) -> None:
        chosen = set(st.session_state.get("leaving") or [])
        chosen |= set(flags.loc[flags[column].fillna(False).astype(bool), "person_id"])
        st.session_state["leaving"] = sorted(chosen, key=lambda pid: names.get(pid, pid))

    buttons = st.container(horizontal=True)
    if flags["at_risk"].notna().any():
        buttons.button(
            t("gaps.add_at_risk"),
            on_click=add_to_leaving,
            args=("at_risk",),
            icon=":material/trending_down:",
        )
    if flags["over_capacity"].notna().any():
        buttons.button(
            t("gaps.add_over_capacity"),
            on_click=add_to_leaving,
            args=("over_capacity",),
            icon=":material/work_history:",
        )
    buttons.button(
        t("gaps.clear_leaving"),
        on_click=lambda: st.session_state.update(leaving=[]),
        icon=":material/clear_all:",
    )
    st.session_state["leaving"] = [
        pid for pid in st.session_state.get("leaving") or [] if pid in names
    ]
    return st.multiselect(
        t("gaps.leaving_label"),
        list(names),
        key="leaving",
        format_func=lambda pid: names.get(pid, pid),
        placeholder=t("gaps.leaving_placeholder"),
    )
