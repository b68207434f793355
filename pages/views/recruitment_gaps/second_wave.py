"""The second-wave planner: its controls, the shortlist with every pick's reason, the greedy
choice against a naive top-K, and coverage after the wave."""

import pandas as pd
import plotly.express as px
import streamlit as st

from lib import access, formatting
from lib.context import RequestContext
from lib.naming import person_label_map
from lib.recruitment.pool import shortlist_candidates
from lib.recruitment.shortlist import shortlist_second_wave
from pages.components import ui, workbench
from pages.components.inputs import number_text
from pages.components.kpis import Tile, kpi_row
from pages.components.ui import t
from pages.views.recruitment_gaps.common import downloads, show_table


def shortfall_sentence(facts: dict) -> str:
    """Why the wave has fewer names than asked for, in the viewer's language."""
    return t(
        f"gaps.shortfall_{facts['shortfall']}",
        picked=facts["picked"],
        size=facts["size"],
        cap=facts["max_per_department"],
        hours=ui.fmt_number(facts["min_hours"], 1),
    )


def with_reasons(frame: pd.DataFrame) -> pd.DataFrame:
    """The shortlist with each pick's reason written in the viewer's language."""
    reasons = [pick_reason(row) for _, row in frame.iterrows()]
    return frame.assign(reason=reasons)


def pick_reason(row: pd.Series) -> str:
    """'closes: X, Y; adds unique: Z' (or why a bench pick strengthens the bench) in the
    viewer's language."""
    if row.get("basis") == "bench":
        parts = [
            t("gaps.reason_near", skills=", ".join(row["near_gaps"])) if row["near_gaps"] else "",
            t("gaps.reason_rare", skills=", ".join(row["rare_skills"]))
            if row["rare_skills"]
            else "",
            t("gaps.reason_events", count=int(row["events_attended"]))
            if row["events_attended"]
            else "",
        ]
        found = "; ".join(part for part in parts if part)
        return t("gaps.reason_bench") + (f": {found}" if found else "")
    parts = [t("gaps.reason_pinned")] if row.get("pinned") else []
    if row["closes"]:
        parts.append(t("gaps.reason_closes", skills=", ".join(row["closes"])))
    if len(row.get("adds_unique", [])):
        parts.append(t("gaps.reason_unique", skills=", ".join(row["adds_unique"])))
    if not row["closes"] and not len(row.get("adds_unique", [])):
        parts.append(t("gaps.reason_nothing"))
    return "; ".join(parts)


def wave_tab(ctx: RequestContext) -> None:
    st.subheader(t("gaps.wave_heading"))
    st.caption(t("gaps.wave_caption"))
    if not access.can(ctx.viewer, "see_shortlist"):
        st.info(t("gaps.shortlist_restricted"))
        return
    choices = wave_controls(ctx)
    try:
        result = ui.cached(
            shortlist_second_wave,
            ctx.db,
            ctx.viewer,
            ctx.filters,
            size=int(choices["size"]),
            max_per_department=int(choices["cap"]) or None,
            min_hours=float(choices["min_hours"]),
            include_alumni=choices["alumni"],
            pinned=tuple(choices["pinned"]),
            excluded=tuple(choices["excluded"]),
        )
    except ValueError as exc:
        ui.show_error(exc)
        return
    wave_results(ctx, result)


def wave_controls(ctx: RequestContext) -> dict:
    """Size, cap per department, hours, alumni, and people pinned in or kept out."""
    controls = st.columns(4)
    size = controls[0].slider(t("gaps.size_label"), 1, 50, 20, key="wave_size", bind="query-params")
    cap = controls[1].number_input(
        t("gaps.cap_label"),
        min_value=0,
        max_value=50,
        value=0,
        step=1,
        key="dept_cap",
        bind="query-params",
        help=t("gaps.cap_help"),
    )
    min_hours = number_text(
        t("gaps.min_hours_label"),
        float(ctx.settings["shortlist_min_hours"]),
        key="min_hours",
        digits=1,
        maximum=168.0,
        help=t("gaps.min_hours_help"),
        container=controls[2],
    )
    alumni = controls[3].checkbox(
        t("gaps.alumni_label"), key="reinvite_alumni", help=t("gaps.alumni_help")
    )
    candidates = ui.cached(
        shortlist_candidates,
        ctx.db,
        ctx.viewer,
        ctx.filters,
        min_hours=float(min_hours),
        include_alumni=alumni,
    )
    labels = person_label_map(candidates)
    chosen = [*st.session_state.get("pinned", []), *st.session_state.get("excluded", [])]
    options = list(dict.fromkeys([*candidates["person_id"], *chosen]))
    pick_left, pick_right = st.columns(2)
    pinned = pick_left.multiselect(
        t("gaps.pinned_label"),
        options,
        key="pinned",
        format_func=lambda pid: labels.get(pid, pid),
        placeholder=t("gaps.people_placeholder"),
    )
    excluded = pick_right.multiselect(
        t("gaps.excluded_label"),
        options,
        key="excluded",
        format_func=lambda pid: labels.get(pid, pid),
        placeholder=t("gaps.people_placeholder"),
    )
    return {
        "size": size,
        "cap": cap,
        "min_hours": min_hours,
        "alumni": alumni,
        "pinned": pinned,
        "excluded": excluded,
    }


def wave_results(ctx: RequestContext, result) -> None:
    facts = result.summary
    lang = ui.lang()
    better = facts["gap_closed"] - facts["naive_gap_closed"]
    kpi_row(
        [
            Tile(t("gaps.kpi_pool"), ui.fmt_number(facts["pool_size"]), t("gaps.help_pool")),
            Tile(
                t("gaps.kpi_gap_after_wave"),
                ui.fmt_number(facts["weighted_gap_after"], 1),
                t("gaps.help_gap_after_wave"),
                delta=formatting.signed(-facts["gap_closed"], lang, 1),
                delta_color="inverse",
            ),
            Tile(
                t("gaps.kpi_greedy_closed"),
                ui.fmt_number(facts["gap_closed"], 1),
                t("gaps.help_greedy"),
                delta=formatting.signed(better, lang, 1),
            ),
            Tile(
                t("gaps.kpi_naive_closed"),
                ui.fmt_number(facts["naive_gap_closed"], 1),
                t("gaps.help_naive_closed"),
            ),
        ]
    )
    if facts["bench_picks"]:
        st.info(
            t(
                "gaps.bench_used",
                closing=facts["closing_picks"],
                picked=facts["picked"],
                bench=facts["bench_picks"],
            )
        )
    if facts["shortfall"]:
        st.warning(shortfall_sentence(facts))
    picks_section(ctx, result)
    compare_section(result)
    after_section(result)


def picks_section(ctx: RequestContext, result) -> None:
    """The shortlist itself, each pick with its reason."""
    facts = result.summary
    picks = with_reasons(result.picks)
    st.subheader(t("gaps.picks_heading"))
    show_table(
        picks,
        [
            "rank",
            "name",
            "department",
            "basis",
            "gain",
            "reason",
            "pinned",
            "position",
            "hours_available",
            "person_id",
        ],
        "second_wave_shortlist",
        note=shortfall_sentence(facts) if facts["shortfall"] else None,
    )
    workbench.invite_from_shortlist(ctx.db, ctx.viewer, picks)


def compare_section(result) -> None:
    """The gap today, after the shortlist and after a naive top-K, with the naive list."""
    facts = result.summary
    compare = pd.DataFrame(
        {
            "plan": [t("gaps.plan_today"), t("gaps.plan_greedy"), t("gaps.plan_naive")],
            "weighted_gap": [
                facts["weighted_gap_before"],
                facts["weighted_gap_after"],
                facts["weighted_gap_before"] - facts["naive_gap_closed"],
            ],
        }
    )
    left, right = st.columns([1, 2])
    with left:
        st.subheader(t("gaps.compare_heading"))
        fig = px.bar(
            compare,
            x="plan",
            y="weighted_gap",
            text_auto=".1f",
            labels={"plan": "", "weighted_gap": t("gaps.col_weighted_gap")},
        )
        st.plotly_chart(ui.style(fig, 320), key="gaps_compare_chart")
    with right:
        st.subheader(t("gaps.naive_heading"))
        naive = show_table(
            with_reasons(result.naive),
            ["rank", "name", "department", "gap_closed", "reason"],
            None,
        )
    downloads(naive, "naive_top_k")


def after_section(result) -> None:
    st.subheader(t("gaps.after_heading"))
    after = result.coverage_after
    show_table(
        after[(after["gap_before"] > 0) | (after["added"] > 0)],
        [
            "skill",
            "category",
            "priority",
            "min_people",
            "coverage_before",
            "added",
            "coverage_after",
            "gap_before",
            "gap_after",
        ],
        "coverage_after_wave",
    )
