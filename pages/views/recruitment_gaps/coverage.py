"""Coverage against the target: every target skill, gaps by category, the category ×
department heatmap and what each department holds."""

import pandas as pd
import plotly.express as px
import streamlit as st

from lib.context import RequestContext
from lib.recruitment.coverage import coverage_heatmap, gaps_by_category, gaps_by_department
from pages.components import ui
from pages.components.ui import t
from pages.views.recruitment_gaps.common import downloads, show_table


def coverage_tab(ctx: RequestContext, coverage: pd.DataFrame) -> None:
    weights = ctx.settings["priority_weights"]
    st.subheader(t("gaps.coverage_heading"))
    st.caption(
        t(
            "gaps.coverage_formula",
            must=ui.fmt_number(weights["must"], 1),
            should=ui.fmt_number(weights["should"], 1),
            could=ui.fmt_number(weights["could"], 1),
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
    )
    by_category_section(coverage)
    heatmap_section(ctx)
    st.subheader(t("gaps.by_department_heading"))
    st.caption(t("gaps.by_department_caption"))
    show_table(
        ui.cached(gaps_by_department, ctx.db, ctx.filters),
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


def by_category_section(coverage: pd.DataFrame) -> None:
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
        )
    downloads(
        by_category[
            [
                "category",
                "target_skills",
                "below_target",
                "required",
                "filled",
                "gap",
                "weighted_gap",
                "coverage_share",
            ]
        ],
        "gaps_by_category",
    )


def heatmap_section(ctx: RequestContext) -> None:
    st.subheader(t("gaps.heatmap_heading"))
    st.caption(t("gaps.heatmap_caption"))
    cells = ui.cached(coverage_heatmap, ctx.db, ctx.filters)
    if cells.empty:
        st.info(t("common.no_data"))
        return
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
    downloads(
        cells[["category", "department", "skills_covered", "target_skills", "share"]],
        "coverage_heatmap",
    )
