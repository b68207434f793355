"""Recruitment gaps: the target profile against today's coverage, bus-factor risks, what-if
leaves, the second-wave planner with its shortlist, adjacent skills and the target editor."""

import pandas as pd
import plotly.express as px
import streamlit as st

from lib import access
from lib.naming import person_label_map
from lib.recruitment.adjacent import adjacent_members
from lib.recruitment.coverage import (
    coverage_by_skill,
    coverage_heatmap,
    gap_summary,
    gaps_by_category,
    gaps_by_department,
)
from lib.recruitment.pool import shortlist_candidates
from lib.recruitment.risks import (
    OVERLOAD_PCT,
    fragile_skills,
    member_flags,
    single_points,
    what_if_leaves,
    what_if_summary,
)
from lib.recruitment.shortlist import shortlist_second_wave
from lib.recruitment.target import save_target_profile, skill_choices, target_profile_table
from lib.settings import current_settings
from lib.vocabulary import Priority, values
from pages.components import ui, workbench
from pages.components.ui import t

viewer = ui.page_viewer("recruitment_gaps")
db = ui.database()
filters = ui.filters()
settings = current_settings(db)

HEADERS = {
    "skill": "gaps.col_skill",
    "category": "common.category",
    "priority": "gaps.col_priority",
    "min_level": "gaps.col_min_level",
    "min_people": "gaps.col_min_people",
    "coverage": "gaps.col_coverage",
    "gap": "gaps.col_gap",
    "weighted_gap": "gaps.col_weighted_gap",
    "holders": "gaps.col_holders",
    "rationale": "gaps.col_rationale",
    "target_skills": "gaps.col_target_skills",
    "below_target": "gaps.col_below_target",
    "required": "gaps.col_required",
    "filled": "gaps.col_filled",
    "coverage_share": "gaps.col_coverage_share",
    "share": "gaps.col_coverage_share",
    "department": "filters.department",
    "members": "common.members",
    "holdings": "gaps.col_holdings",
    "skills_covered": "gaps.col_skills_covered",
    "sole_holder_skills": "gaps.col_sole_holder_skills",
    "weighted_gap_if_absent": "gaps.col_weighted_gap_if_absent",
    "holder": "gaps.col_holder",
    "at_risk_holders": "gaps.col_at_risk_holders",
    "over_capacity_holders": "gaps.col_over_capacity_holders",
    "coverage_before": "gaps.col_coverage_before",
    "coverage_after": "gaps.col_coverage_after",
    "gap_before": "gaps.col_gap_before",
    "gap_after": "gaps.col_gap_after",
    "weighted_gap_before": "gaps.col_weighted_gap_before",
    "weighted_gap_after": "gaps.col_weighted_gap_after",
    "leaving": "gaps.col_leaving",
    "falls_below": "gaps.col_falls_below",
    "added": "gaps.col_added",
    "rank": "gaps.col_rank",
    "person_id": "gaps.col_person_id",
    "name": "gaps.col_name",
    "position": "gaps.col_position",
    "hours_available": "gaps.col_hours_available",
    "pinned": "gaps.col_pinned",
    "gain": "gaps.col_gain",
    "gap_closed": "gaps.col_gap_closed",
    "closes": "gaps.col_closes",
    "adds_unique": "gaps.col_adds_unique",
    "reason": "gaps.col_reason",
    "current_level": "gaps.col_current_level",
    "score": "gaps.col_score",
    "via": "gaps.col_via",
    "basis": "gaps.col_basis",
}
LIST_COLUMNS = {"holders", "leaving", "closes", "adds_unique", "via"}


def readable(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns people read, with localized headers and priority/basis values."""
    shown = frame[[c for c in columns if c in frame.columns]].copy()
    if "priority" in shown:
        shown["priority"] = shown["priority"].map(lambda p: t(f"gaps.priority_{p}"))
    if "basis" in shown:
        shown["basis"] = shown["basis"].map(lambda b: t(f"gaps.basis_{b}"))
    return shown.rename(columns={c: t(HEADERS[c]) for c in shown.columns})


def show_table(
    frame: pd.DataFrame, columns: list[str], name: str | None, note: str | None = None, **config
) -> pd.DataFrame:
    """A localized table with list cells, followed by its CSV and Excel downloads unless
    `name` is None (the caller places them); a `note` ends the downloaded file as its last
    row. Returns the table as shown."""
    shown = readable(frame, columns)
    column_config = {
        t(HEADERS[c]): st.column_config.ListColumn(t(HEADERS[c]))
        for c in LIST_COLUMNS
        if c in frame.columns and c in columns
    }
    column_config.update({t(HEADERS[c]): v for c, v in config.items()})
    st.dataframe(shown, hide_index=True, column_config=column_config)
    if name:
        noted = pd.DataFrame([{shown.columns[0]: note}]) if note else None
        ui.downloads(shown if noted is None else pd.concat([shown, noted]), name)
    return shown


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


st.title(t("gaps.title"))
st.caption(t("gaps.caption"))

coverage = ui.cached(coverage_by_skill, db, filters)
if coverage.empty:
    st.info(t("gaps.no_targets"))
summary = gap_summary(coverage)
tiles = st.columns(5)
for column, (label, value, helptext) in zip(
    tiles,
    [
        ("gaps.kpi_targets", ui.fmt_number(summary["target_skills"]), None),
        ("gaps.kpi_at_target", ui.fmt_number(summary["at_target"]), None),
        ("gaps.kpi_below_target", ui.fmt_number(summary["below_target"]), None),
        ("gaps.kpi_weighted_gap", ui.fmt_number(summary["weighted_gap"], 1), "gaps.help_gap"),
        ("gaps.kpi_single_points", ui.fmt_number(summary["single_points"]), "gaps.help_bus"),
    ],
    strict=True,
):
    column.metric(t(label), value, border=True, help=t(helptext) if helptext else None)

tab_labels = [
    t("gaps.tab_coverage"),
    t("gaps.tab_risks"),
    t("gaps.tab_what_if"),
    t("gaps.tab_second_wave"),
    t("gaps.tab_adjacent"),
    t("gaps.tab_target"),
]
tab_coverage, tab_risks, tab_what_if, tab_wave, tab_adjacent, tab_target = st.tabs(
    tab_labels, key="gaps_tab", on_change="rerun"
)

# -- coverage against the target -----------------------------------------------------------
if tab_coverage.open:
    with tab_coverage:
        st.subheader(t("gaps.coverage_heading"))
        st.caption(
            t(
                "gaps.coverage_formula",
                must=ui.fmt_number(settings["priority_weights"]["must"], 1),
                should=ui.fmt_number(settings["priority_weights"]["should"], 1),
                could=ui.fmt_number(settings["priority_weights"]["could"], 1),
            )
        )
        show_table(
            coverage,
            [
                "skill",
                "category",
                "priority",
                "min_level",
                "min_people",
                "coverage",
                "gap",
                "weighted_gap",
                "holders",
                "rationale",
            ],
            "target_coverage",
            weighted_gap=st.column_config.NumberColumn(t(HEADERS["weighted_gap"]), format="%.1f"),
        )
        by_category = gaps_by_category(coverage)
        st.subheader(t("gaps.by_category_heading"))
        left, right = st.columns(2)
        with left:
            if by_category.empty:
                st.info(t("common.no_data"))
            else:
                fig = px.bar(
                    by_category,
                    x="weighted_gap",
                    y="category",
                    orientation="h",
                    labels={
                        "weighted_gap": t("gaps.col_weighted_gap"),
                        "category": "",
                    },
                )
                fig.update_yaxes(categoryorder="total ascending")
                st.plotly_chart(ui.style(fig), key="gaps_by_category_chart")
        with right:
            show_table(
                by_category,
                ["category", "below_target", "required", "filled", "coverage_share"],
                None,
                coverage_share=st.column_config.ProgressColumn(
                    t(HEADERS["coverage_share"]), format="percent", min_value=0, max_value=1
                ),
            )
        ui.downloads(
            readable(
                by_category,
                [
                    "category",
                    "target_skills",
                    "below_target",
                    "required",
                    "filled",
                    "gap",
                    "weighted_gap",
                    "coverage_share",
                ],
            ),
            "gaps_by_category",
        )
        st.subheader(t("gaps.heatmap_heading"))
        st.caption(t("gaps.heatmap_caption"))
        cells = ui.cached(coverage_heatmap, db, filters)
        if cells.empty:
            st.info(t("common.no_data"))
        else:
            grid = cells.pivot(index="category", columns="department", values="share")
            fig = px.imshow(
                grid,
                text_auto=".0%",
                zmin=0,
                zmax=1,
                aspect="auto",
                color_continuous_scale=px.colors.sequential.Blues,
                labels={
                    "x": t("filters.department"),
                    "y": t("common.category"),
                    "color": t("gaps.col_coverage_share"),
                },
            )
            fig.update_coloraxes(colorbar_tickformat=".0%")
            fig.update_xaxes(side="top", tickangle=-30)
            st.plotly_chart(ui.style(fig, 460), key="gaps_heatmap")
            ui.downloads(
                readable(
                    cells,
                    ["category", "department", "skills_covered", "target_skills", "share"],
                ),
                "coverage_heatmap",
            )
        st.subheader(t("gaps.by_department_heading"))
        st.caption(t("gaps.by_department_caption"))
        show_table(
            ui.cached(gaps_by_department, db, filters),
            [
                "department",
                "members",
                "holdings",
                "skills_covered",
                "sole_holder_skills",
                "weighted_gap_if_absent",
            ],
            "gaps_by_department",
        )

# -- bus factor and fragile skills -------------------------------------------------------------
if tab_risks.open:
    with tab_risks:
        st.subheader(t("gaps.single_points_heading"))
        st.caption(t("gaps.single_points_caption"))
        sole = ui.cached(single_points, db, filters)
        if sole.empty:
            st.success(t("gaps.no_single_points"))
        else:
            show_table(
                sole,
                ["skill", "category", "priority", "min_level", "holder", "department"],
                "single_points",
            )
        st.subheader(t("gaps.fragile_heading"))
        st.caption(
            t(
                "gaps.fragile_caption",
                load=ui.fmt_number(OVERLOAD_PCT),
                hours=ui.fmt_number(settings["shortlist_min_hours"], 1),
            )
        )
        st.caption(t("gaps.risk_source_scoring"))
        fragile = ui.cached(fragile_skills, db, viewer, filters)
        if fragile.empty:
            st.success(t("gaps.no_fragile"))
        else:
            show_table(
                fragile,
                [
                    "skill",
                    "category",
                    "priority",
                    "min_level",
                    "coverage",
                    "gap",
                    "at_risk_holders",
                    "over_capacity_holders",
                    "holders",
                ],
                "fragile_skills",
            )
            if "holders" not in fragile:
                st.caption(t("gaps.fragile_restricted"))

# -- what if members leave ---------------------------------------------------------------------
if tab_what_if.open:
    with tab_what_if:
        st.subheader(t("gaps.what_if_heading"))
        st.caption(t("gaps.what_if_caption"))
        flags = ui.cached(member_flags, db, viewer, filters)
        names = person_label_map(flags)

        def add_to_leaving(column: str) -> None:
            chosen = set(st.session_state.get("leaving") or [])
            chosen |= set(flags.loc[flags[column].fillna(False).astype(bool), "person_id"])
            st.session_state["leaving"] = sorted(chosen, key=lambda pid: names.get(pid, pid))

        buttons = st.columns([3, 3, 1, 3])
        if flags["at_risk"].notna().any():
            buttons[0].button(
                t("gaps.add_at_risk"),
                on_click=add_to_leaving,
                args=("at_risk",),
                icon=":material/trending_down:",
            )
        if flags["over_capacity"].notna().any():
            buttons[1].button(
                t("gaps.add_over_capacity"),
                on_click=add_to_leaving,
                args=("over_capacity",),
                icon=":material/work_history:",
            )
        buttons[2].button(
            t("gaps.clear_leaving"),
            on_click=lambda: st.session_state.update(leaving=[]),
            icon=":material/clear_all:",
        )
        st.session_state["leaving"] = [
            pid for pid in st.session_state.get("leaving") or [] if pid in names
        ]
        leaving = st.multiselect(
            t("gaps.leaving_label"),
            list(names),
            key="leaving",
            format_func=lambda pid: names.get(pid, pid),
            placeholder=t("gaps.leaving_placeholder"),
        )
        what_if = ui.cached(what_if_leaves, db, filters, tuple(sorted(leaving)))
        effect = what_if_summary(what_if)
        tiles = st.columns(4)
        tiles[0].metric(t("gaps.kpi_losing"), ui.fmt_number(effect["skills_losing_holders"]))
        tiles[1].metric(t("gaps.kpi_falls_below"), ui.fmt_number(effect["falls_below"]))
        tiles[2].metric(t("gaps.kpi_lost_entirely"), ui.fmt_number(effect["lost_entirely"]))
        tiles[3].metric(
            t("gaps.kpi_weighted_gap_after"),
            ui.fmt_number(effect["weighted_gap_after"], 1),
            delta=ui.fmt_number(effect["weighted_gap_after"] - effect["weighted_gap_before"], 1),
            delta_color="inverse",
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

# -- the second-wave planner -----------------------------------------------------------------
default_hours = float(settings["shortlist_min_hours"])
if tab_wave.open:
    with tab_wave:
        st.subheader(t("gaps.wave_heading"))
        st.caption(t("gaps.wave_caption"))
        if not access.can(viewer, "see_shortlist"):
            st.info(t("gaps.shortlist_restricted"))
        else:
            controls = st.columns(4)
            size = controls[0].slider(
                t("gaps.size_label"), 1, 50, 20, key="wave_size", bind="query-params"
            )
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
            min_hours = controls[2].number_input(
                t("gaps.min_hours_label"),
                min_value=0.0,
                max_value=168.0,
                value=default_hours,
                step=1.0,
                format="%.1f",
                key="min_hours",
                help=t("gaps.min_hours_help"),
            )
            alumni = controls[3].checkbox(
                t("gaps.alumni_label"), key="reinvite_alumni", help=t("gaps.alumni_help")
            )
            candidates = ui.cached(
                shortlist_candidates,
                db,
                viewer,
                filters,
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
            try:
                result = ui.cached(
                    shortlist_second_wave,
                    db,
                    viewer,
                    filters,
                    size=int(size),
                    max_per_department=int(cap) or None,
                    min_hours=float(min_hours),
                    include_alumni=alumni,
                    pinned=tuple(pinned),
                    excluded=tuple(excluded),
                )
            except ValueError as exc:
                ui.show_error(exc)
                result = None
            if result is not None:
                facts = result.summary
                tiles = st.columns(4)
                tiles[0].metric(t("gaps.kpi_pool"), ui.fmt_number(facts["pool_size"]))
                tiles[1].metric(
                    t("gaps.kpi_gap_after_wave"),
                    ui.fmt_number(facts["weighted_gap_after"], 1),
                    delta=ui.fmt_number(-facts["gap_closed"], 1),
                    delta_color="inverse",
                )
                tiles[2].metric(
                    t("gaps.kpi_greedy_closed"),
                    ui.fmt_number(facts["gap_closed"], 1),
                    delta=ui.fmt_number(facts["gap_closed"] - facts["naive_gap_closed"], 1),
                    help=t("gaps.help_greedy"),
                )
                tiles[3].metric(
                    t("gaps.kpi_naive_closed"), ui.fmt_number(facts["naive_gap_closed"], 1)
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
                    gain=st.column_config.NumberColumn(t(HEADERS["gain"]), format="%.2f"),
                )
                workbench.invite_from_shortlist(db, viewer, picks)
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
                ui.downloads(naive, "naive_top_k")
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

# -- adjacent skills -----------------------------------------------------------------------------
if tab_adjacent.open:
    with tab_adjacent:
        st.subheader(t("gaps.adjacent_heading"))
        st.caption(t("gaps.adjacent_caption"))
        adjacent = ui.cached(
            adjacent_members,
            db,
            filters,
            min_hours=float(st.session_state.get("min_hours", default_hours)),
            include_alumni=bool(st.session_state.get("reinvite_alumni", False)),
        )
        if adjacent.empty:
            st.success(t("gaps.no_adjacent"))
        else:
            show_table(
                adjacent,
                [
                    "skill",
                    "priority",
                    "gap",
                    "name",
                    "department",
                    "current_level",
                    "score",
                    "via",
                    "basis",
                ],
                "adjacent_skills",
                score=st.column_config.NumberColumn(t(HEADERS["score"]), format="%.2f"),
            )

# -- the target profile ------------------------------------------------------------------------
if tab_target.open:
    with tab_target:
        st.subheader(t("gaps.target_heading"))
        profile = ui.cached(target_profile_table, db)
        saved = st.session_state.pop("target_saved", None)
        if saved:
            st.success(t("gaps.target_saved", **saved))
        if access.can(viewer, "edit_target_profile"):
            st.caption(t("gaps.target_edit_caption"))
            version = st.session_state.get("target_version", 0)
            edited = st.data_editor(
                profile,
                key=f"target_editor_{version}",
                num_rows="dynamic",
                hide_index=True,
                column_config={
                    "skill": st.column_config.SelectboxColumn(
                        t("gaps.col_skill"),
                        options=ui.cached(skill_choices, db),
                        required=True,
                    ),
                    "min_people": st.column_config.NumberColumn(
                        t("gaps.col_min_people"), min_value=1, max_value=1000, step=1, default=2
                    ),
                    "min_level": st.column_config.NumberColumn(
                        t("gaps.col_min_level"), min_value=1, max_value=5, step=1, default=3
                    ),
                    "priority": st.column_config.SelectboxColumn(
                        t("gaps.col_priority"),
                        options=list(values(Priority)),
                        format_func=lambda p: t(f"gaps.priority_{p}"),
                        default="should",
                    ),
                    "rationale": st.column_config.TextColumn(
                        t("gaps.col_rationale"), max_chars=1000
                    ),
                },
            )
            ui.downloads(
                readable(profile, ["skill", "min_people", "min_level", "priority", "rationale"]),
                "target_profile",
            )
            if st.button(t("gaps.target_save"), type="primary", icon=":material/save:"):
                try:
                    counts = save_target_profile(db, viewer, edited)
                except (ValueError, access.AccessDenied) as exc:
                    ui.show_error(exc)
                else:
                    ui.clear_caches()
                    st.session_state["target_version"] = version + 1
                    st.session_state["target_saved"] = counts
                    st.rerun()
        else:
            st.caption(t("gaps.target_read_only"))
            show_table(
                profile,
                ["skill", "min_people", "min_level", "priority", "rationale"],
                "target_profile",
            )
